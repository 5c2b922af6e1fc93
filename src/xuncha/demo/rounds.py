"""The demo county's rounds as plain data: terms, rounds, groups staffed from the pool.

Drawn from its own random stream (the county's drawing stays as it was) after the county and
its accounts. Recusal is respected in the plan itself: a person is never put in a group whose
targets include their organization, the organization above or below it, an organization they
worked in, one where a relative works, or one they declared a conflict with; the builder
checks every member again with the rules of `xuncha.rounds.recusal`.

Values of states, kinds, modes and roles are those of the rounds models, as strings, so the
plan stays free of the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from xuncha.demo import catalog
from xuncha.demo import fieldwork as logs
from xuncha.text.numerals import to_chinese

if TYPE_CHECKING:
    from xuncha.demo.plan import OrganizationPlan, PersonPlan

RECUSAL_YEARS = 5
COVERED_KINDS = ("township", "department", "village", "soe", "school", "hospital")
SKILLS = ("finance", "audit", "discipline", "organization", "law", "engineering", "agriculture", "writing")
POOL_SIZE = 60
CURRENT_ROUND = 9
UNCOVERED_DEPARTMENTS = 5
GROUP_ACCOUNTS = {  # username: (group number in the current round, role in the group)
    "group_leader": (1, "leader"),
    "group_deputy": (1, "deputy"),
    "group_member1": (1, "member"),
    "group_member2": (2, "member"),
}
# The steps of a round in order: action, from, to, the demo account that takes it.
STEPS = (
    ("approve", "planned", "approved", "leader"),
    ("enter", "approved", "stationed", "office_admin"),
    ("withdraw", "stationed", "reporting", "office_staff"),
    ("feed_back", "reporting", "feedback", "office_admin"),
    ("rectify", "feedback", "rectifying", "office_admin"),
    ("complete", "rectifying", "completed", "office_admin"),
)
STEP_COMMENTS = {
    "approve": "经县委巡察工作领导小组会议研究，同意本轮巡察工作方案。",
    "enter": "召开巡察工作动员会，各巡察组进驻被巡察单位。",
    "withdraw": "各巡察组完成现场巡察，撤离并起草巡察报告。",
    "feed_back": "巡察报告经县委书记专题会议听取后，向被巡察党组织反馈巡察意见。",
    "rectify": "被巡察党组织制定整改方案，进入集中整改阶段。",
    "complete": "整改情况报告已审核，本轮巡察工作结束。",
    "return": "请补充说明巡察对象的选择依据，并调整个别与上一轮重复的单位。",
}
# Skills that come with working in a department (by a word in its name).
SKILL_OF_DEPARTMENT = (
    ("纪委", "discipline"), ("组织部", "organization"), ("财政", "finance"), ("审计", "audit"),
    ("统计", "finance"), ("医疗保障", "finance"), ("司法", "law"), ("法院", "law"),
    ("检察院", "law"), ("政法", "law"), ("公安", "law"), ("住房", "engineering"),
    ("交通", "engineering"), ("水务", "engineering"), ("自然资源", "engineering"),
    ("农业农村", "agriculture"), ("林业", "agriculture"), ("供销", "agriculture"),
    ("办公室", "writing"), ("宣传", "writing"), ("融媒体", "writing"), ("党校", "writing"),
)
UNAVAILABLE_NOTES = ("借调市委巡察办", "病休", "参加脱产培训", "援疆")
CONFLICT_REASONS = (
    "本人曾在该单位挂职锻炼",
    "本人与该单位主要负责人系同学关系，交往密切",
    "本人近亲属与该单位存在经济往来",
)
TERM_DATES = {
    13: (date(2016, 9, 1), date(2021, 8, 31), 9),
    14: (date(2021, 9, 1), None, 10),
}
# (term, number, kind, entry, groups, townships) in the order they happened.
ROUNDS = (
    (13, 7, "routine", date(2020, 4, 13), 3, 1),
    (13, 8, "routine", date(2020, 9, 14), 3, 1),
    (13, 9, "routine", date(2021, 3, 15), 3, 1),
    (14, 1, "routine", date(2021, 10, 18), 3, 1),
    (14, 2, "routine", date(2022, 4, 11), 4, 2),
    (14, 3, "special", date(2022, 9, 13), 3, 0),
    (14, 4, "routine", date(2023, 4, 10), 4, 2),
    (14, 5, "routine", date(2023, 9, 11), 4, 2),
    (14, 6, "routine", date(2024, 4, 8), 3, 1),
    (14, 7, "follow_up", date(2025, 4, 14), 3, 0),
    (14, 8, "routine", date(2026, 4, 13), 4, 2),
    (14, 9, "routine", date(2026, 10, 12), 4, 2),
)
STATE_OF_ROUND = {(14, 8): "rectifying", (14, 9): "stationed"}  # the others are completed
GRADES = ("excellent", "competent", "basic")
EVALUATION_COMMENTS = {
    "excellent": ("政治站位高，发现问题精准，牵头撰写的专题报告质量高。",
                  "熟悉财务审计业务，查阅账目细致，发现问题线索多。",
                  "工作积极主动，个别谈话方法得当，群众认可度高。"),
    "competent": ("能够按要求完成分工任务，严守巡察纪律。",
                  "工作认真负责，资料整理规范，能较好完成交办事项。",
                  "服从安排，作风扎实，业务能力有待进一步提升。"),
    "basic": ("能完成基本任务，发现问题的深度还需加强。",),
}
SPECIAL_THEME = "农村集体“三资”管理"
SPECIAL_VILLAGES = 16
FOLLOW_UP_TARGETS = 6


@dataclass(slots=True)
class TermPlan:
    number: int
    name: str
    start: date
    end: date | None
    planned_rounds: int


@dataclass(slots=True)
class TargetPlan:
    organization: int  # index in Plan.organizations
    mode: str


@dataclass(slots=True)
class MemberPlan:
    person: int  # index in Plan.people
    role: str
    account: str = ""  # the demo account serving as this member
    declarations: tuple[str, ...] = ()


@dataclass(slots=True)
class GroupPlan:
    number: int
    targets: list[TargetPlan] = field(default_factory=list)
    members: list[MemberPlan] = field(default_factory=list)
    seed: int = 0  # of the draw that staffed the group
    requested: dict[str, int] = field(default_factory=dict)  # the skill mix asked of the draw
    shortfall: dict[str, int] = field(default_factory=dict)
    drawn: list[int] = field(default_factory=list)  # people drawn, in draw order
    announcement: logs.AnnouncementPlan | None = None
    interviews: list[logs.InterviewPlan] = field(default_factory=list)
    documents: list[logs.DocumentPlan] = field(default_factory=list)
    fixes: list[logs.FixPlan] = field(default_factory=list)
    guidance: logs.GuidancePlan | None = None

    @property
    def name(self) -> str:
        return group_name(self.number)


@dataclass(slots=True)
class TransitionPlan:
    action: str
    source: str
    target: str
    actor: str  # username of a demo account
    at: datetime  # naive, in the installation's time zone
    comment: str


@dataclass(slots=True)
class RoundPlan:
    term: int  # index in RoundsPlan.terms
    number: int
    kind: str
    title: str
    theme: str
    entry: date
    exit: date
    state: str
    groups: list[GroupPlan] = field(default_factory=list)
    transitions: list[TransitionPlan] = field(default_factory=list)


@dataclass(slots=True)
class InspectorPlan:
    person: int
    skills: tuple[str, ...]
    available: bool
    note: str
    approved_on: date


@dataclass(slots=True)
class EvaluationPlan:
    person: int
    round: int  # index in RoundsPlan.rounds
    grade: str
    comment: str


@dataclass(slots=True)
class DeclaredConflictPlan:
    person: int
    organization: int
    reason: str
    declared_on: date


@dataclass(slots=True)
class RoundsPlan:
    recusal_years: int
    covered_kinds: tuple[str, ...]
    terms: list[TermPlan]
    rounds: list[RoundPlan]
    inspectors: list[InspectorPlan]
    evaluations: list[EvaluationPlan]
    declared_conflicts: list[DeclaredConflictPlan]

    @property
    def current_term(self) -> int:
        return len(self.terms) - 1

    def current_rounds(self) -> list[RoundPlan]:
        return [r for r in self.rounds if r.term == self.current_term]


def term_name(number: int) -> str:
    return f"{to_chinese(number)}届"


def group_name(number: int) -> str:
    return f"第{to_chinese(number)}巡察组"


def group_full_name(term_number: int, round_number: int, group_number: int) -> str:
    """十四届第九轮第一巡察组, as Group.full_name spells it."""
    return f"{term_name(term_number)}第{to_chinese(round_number)}轮{group_name(group_number)}"


def current_group_full_name(group_number: int) -> str:
    return group_full_name(max(TERM_DATES), CURRENT_ROUND, group_number)


class _RoundsDrawer:
    def __init__(self, seed: int, county: str, organizations: list[OrganizationPlan],
                 people: list[PersonPlan], accounts: dict[str, int], phones: set[str]) -> None:
        self.rng = random.Random(f"xuncha-demo-rounds:{seed}")
        self.county = county
        self.orgs = organizations
        self.people = people
        self.accounts = accounts  # username → person index
        self.phones = set(phones)
        self.children: dict[int, list[int]] = {}
        for index, org in enumerate(organizations):
            if org.parent is not None:
                self.children.setdefault(org.parent, []).append(index)
        self.declared: dict[int, set[int]] = {}
        self.inspectors: list[InspectorPlan] = []
        self.profile: dict[int, InspectorPlan] = {}

    def own(self, kind: str) -> list[int]:
        return [i for i, o in enumerate(self.orgs) if o.committee == self.county and o.kind == kind]

    # -- recusal, as the rules of xuncha.rounds.recusal (any year counts, to be safe) ------

    def conflicts(self, person: int) -> set[int]:
        p = self.people[person]
        org = self.orgs[p.organization]
        found = {p.organization, *self.children.get(p.organization, ())}
        if org.parent is not None:
            found.add(org.parent)
        found.update(h.organization for h in p.history)
        found.update(r.organization for r in p.relatives if r.organization is not None)
        found.update(self.declared.get(person, ()))
        return found

    # -- the pool ---------------------------------------------------------------------------

    def skills_of(self, person: int) -> list[str]:
        name = self.orgs[self.people[person].organization].name
        skills = [skill for word, skill in SKILL_OF_DEPARTMENT if word in name][:1]
        if not skills:
            skills = [self.rng.choice(SKILLS)]
        if self.rng.random() < 0.5:
            extra = self.rng.choice(SKILLS)
            if extra not in skills:
                skills.append(extra)
        return skills

    def pool(self) -> None:
        rng = self.rng
        reserved = set(self.accounts.values())
        group_people = [self.accounts[u] for u in GROUP_ACCOUNTS]
        office = {catalog.INSPECTION_OFFICE}
        candidates = [
            i for i, p in enumerate(self.people)
            if p.committee == self.county and i not in reserved
            and self.orgs[p.organization].name not in office
            and (self.orgs[p.organization].kind in ("department", "soe", "school", "hospital")
                 or p.post in ("纪委书记", "纪工委书记", "组织委员"))
        ]
        # Two from each department whose work gives a skill, then the rest at random.
        chosen: list[int] = []
        for word, _skill in SKILL_OF_DEPARTMENT:
            staff = [i for i in candidates if word in self.orgs[self.people[i].organization].name
                     and i not in chosen]
            chosen += rng.sample(staff, min(2, len(staff)))
        rest = [i for i in candidates if i not in chosen]
        chosen += rng.sample(rest, POOL_SIZE - len(group_people) - len(chosen))
        chosen = sorted(chosen + group_people)
        unavailable = set(rng.sample([i for i in chosen if i not in group_people], len(UNAVAILABLE_NOTES)))
        notes = iter(UNAVAILABLE_NOTES)
        for i in chosen:
            # A first batch approved in 2019, a second at the start of the present term.
            first = rng.random() < 0.6 or i in group_people
            approved = date(2019, 4, 12) if first else date(2021, 9, 28)
            away = i in unavailable
            profile = InspectorPlan(i, tuple(self.skills_of(i)), not away, next(notes) if away else "", approved)
            self.inspectors.append(profile)
            self.profile[i] = profile
        have = {s for p in self.inspectors for s in p.skills}
        for skill in SKILLS:  # every skill is in the pool at least once
            if skill not in have:
                profile = rng.choice(self.inspectors)
                profile.skills = (*profile.skills, skill)

    def declare_conflicts(self) -> list[DeclaredConflictPlan]:
        units = self.own("department") + self.own("school") + self.own("soe")
        declared = []
        for person, reason in zip(self.rng.sample([p.person for p in self.inspectors], len(CONFLICT_REASONS)),
                                  CONFLICT_REASONS, strict=True):
            organization = self.rng.choice([u for u in units if u != self.people[person].organization])
            declared.append(DeclaredConflictPlan(person, organization, reason, date(2021, 10, 8)))
            self.declared.setdefault(person, set()).add(organization)
        return declared

    # -- targets ----------------------------------------------------------------------------

    def village_mode(self) -> str:
        roll = self.rng.random()
        return "direct" if roll < 0.7 else "sinking" if roll < 0.9 else "extended"

    def township_block(self, township: int) -> list[TargetPlan]:
        return [TargetPlan(township, "direct")] + [
            TargetPlan(v, self.village_mode()) for v in sorted(self.children.get(township, ()))]

    def blocks(self) -> dict[tuple[int, int], list[list[TargetPlan]]]:
        """What each round inspects, in blocks that go to one group together (a township
        with its villages, or one unit)."""
        rng = self.rng
        townships = self.own("township")
        villages = self.own("village")
        departments = [d for d in self.own("department") if self.orgs[d].name != catalog.INSPECTION_OFFICE]
        rng.shuffle(townships)
        rng.shuffle(departments)
        units = (rng.sample(self.own("soe"), 3) + rng.sample(self.own("school"), 4)
                 + rng.sample(self.own("hospital"), 2))
        blocks: dict[tuple[int, int], list[list[TargetPlan]]] = {(t, n): [] for t, n, *_ in ROUNDS}
        # The previous term: a township with its villages and a few departments per round.
        earlier = [(t, n) for t, n, *_ in ROUNDS if t == 13]
        for key, township in zip(earlier, rng.sample(townships, len(earlier)), strict=True):
            blocks[key].append(self.township_block(township))
            blocks[key] += [[TargetPlan(d, "direct")] for d in rng.sample(departments, 4)]
        # The present term covers every township and village, and all departments but a few.
        routine = [(t, n, towns) for t, n, kind, _e, _g, towns in ROUNDS if t == 14 and kind == "routine"]
        queue = iter(townships)
        for t, n, towns in routine:
            for _ in range(towns):
                blocks[(t, n)].append(self.township_block(next(queue)))
        covered = departments[UNCOVERED_DEPARTMENTS:]
        for i, unit in enumerate(covered + units):
            t, n, _towns = routine[i % len(routine)]
            blocks[(t, n)].append([TargetPlan(unit, "direct")])
        for t, n, kind, *_ in ROUNDS:
            if kind == "special":
                blocks[(t, n)] += [[TargetPlan(v, "direct")] for v in sorted(rng.sample(villages, SPECIAL_VILLAGES))]
            elif kind == "follow_up":
                # Back to units the term's earlier rounds inspected, to see what they rectified.
                done = sorted({b[0].organization for (term, number), bs in blocks.items()
                               if term == t and number < n for b in bs
                               if self.orgs[b[0].organization].kind != "village"})
                blocks[(t, n)] += [[TargetPlan(o, "direct")] for o in rng.sample(done, FOLLOW_UP_TARGETS)]
        return blocks

    def partition(self, blocks: list[list[TargetPlan]], fixed: dict[int, list[int]],
                  count: int) -> list[GroupPlan]:
        """Blocks to groups, biggest first to the least loaded group that none of its
        already placed members would have to recuse from."""
        groups = [GroupPlan(number) for number in range(1, count + 1)]
        barred = {g: set().union(*(self.conflicts(p) for p in fixed.get(g, ()))) for g in range(1, count + 1)}
        for block in sorted(blocks, key=lambda b: (-len(b), b[0].organization)):
            orgs = {t.organization for t in block}
            allowed = [g for g in groups if not orgs & barred[g.number]]
            target = min(allowed, key=lambda g: (len(g.targets), g.number))
            target.targets += block
        return groups

    # -- staffing ---------------------------------------------------------------------------

    def senior(self, person: int) -> bool:
        p = self.people[person]
        return self.orgs[p.organization].principal == person or (
            "副" in p.post or p.post.endswith(("长", "主任", "书记")))

    def staff(self, group: GroupPlan, fixed: list[tuple[int, str, str]], entry: date,
              used: set[int], previous: set[int], current: bool) -> None:
        rng = self.rng
        group.seed = rng.randrange(1, 2**31)
        barred = {t.organization for t in group.targets}
        needed = rng.sample(("finance", "audit", "discipline", "organization", "law"), rng.randint(2, 3))
        group.requested = {skill: 1 for skill in sorted(needed)}
        roles = ["leader", "deputy"] + ["member"] * rng.randint(2, 4) + ["liaison"]
        members = [MemberPlan(p, role, account) for p, role, account in fixed]
        for _p, role, _a in fixed:
            roles.remove(role)
        have = {s for m in members for s in self.profile[m.person].skills}
        eligible = [
            p.person for p in self.inspectors
            if p.person not in used and p.approved_on <= entry and (p.available or not current)
            and p.person not in self.accounts.values() and not self.conflicts(p.person) & barred
        ]
        for role in roles:
            rng.shuffle(eligible)
            if not eligible:
                raise RuntimeError(f"the demo pool cannot staff {group.name} entering {entry}")
            missing = set(needed) - have

            def preference(person: int, role: str = role, missing: set[str] = missing) -> tuple:
                senior = self.senior(person) if role in ("leader", "deputy") else True
                helps = bool(missing & set(self.profile[person].skills))
                return (person in previous, not senior, not helps)

            person = min(eligible, key=preference)
            eligible.remove(person)
            members.append(MemberPlan(person, role))
            group.drawn.append(person)
            have.update(self.profile[person].skills)
        order = {"leader": 0, "deputy": 1, "member": 2, "liaison": 3}
        group.members = sorted(members, key=lambda m: order[m.role])
        group.shortfall = {s: 1 for s in sorted(set(needed) - have)}
        used.update(m.person for m in members)

    # -- the rounds -------------------------------------------------------------------------

    def transitions(self, rnd: RoundPlan) -> list[TransitionPlan]:
        rng = self.rng
        at = {
            "approve": datetime.combine(rnd.entry - timedelta(days=rng.randint(14, 24)), time(10, 0)),
            "enter": datetime.combine(rnd.entry, time(9, 0)),
            "withdraw": datetime.combine(rnd.exit, time(17, 0)),
        }
        at["feed_back"] = datetime.combine(rnd.exit + timedelta(days=rng.randint(28, 40)), time(15, 0))
        at["rectify"] = at["feed_back"] + timedelta(days=rng.randint(7, 12), hours=-5)
        at["complete"] = at["rectify"] + timedelta(days=rng.randint(95, 120), hours=1)
        out = []
        if rnd.number == 4 and rnd.term == 1:  # one plan went back once before it was approved
            first = at["approve"] - timedelta(days=7)
            out.append(TransitionPlan("approve", "planned", "approved", "leader", first, STEP_COMMENTS["approve"]))
            out.append(TransitionPlan("return", "approved", "planned", "leader", first + timedelta(days=2),
                                      STEP_COMMENTS["return"]))
        for action, source, target, actor in STEPS:
            out.append(TransitionPlan(action, source, target, actor, at[action], STEP_COMMENTS[action]))
            if target == rnd.state:
                break
        return out

    def evaluations(self, rounds: list[RoundPlan], indices: list[int]) -> list[EvaluationPlan]:
        """The evaluation (鉴定) of every member of the given completed rounds."""
        out = []
        for index in indices:
            for group in rounds[index].groups:
                for member in group.members:
                    grade = self.rng.choices(GRADES, weights=(3, 6, 1))[0]
                    out.append(EvaluationPlan(member.person, index, grade, self.rng.choice(EVALUATION_COMMENTS[grade])))
        return out

    def title(self, kind: str, groups: list[GroupPlan]) -> tuple[str, str]:
        if kind == "special":
            return f"{SPECIAL_THEME}专项巡察", SPECIAL_THEME
        targets = [t for g in groups for t in g.targets]
        first = self.orgs[min(targets, key=lambda t: (self.orgs[t.organization].kind != "township",
                                                        t.organization)).organization].name
        if kind == "follow_up":
            return f"对{first}等{len(targets)}个党组织巡察整改情况开展“回头看”", ""
        return f"对{first}等{len(targets)}个党组织开展常规巡察", ""

    def draw(self) -> RoundsPlan:
        self.pool()
        declared = self.declare_conflicts()
        terms = [TermPlan(n, term_name(n), *TERM_DATES[n]) for n in sorted(TERM_DATES)]
        term_index = {t.number: i for i, t in enumerate(terms)}
        blocks = self.blocks()
        rounds: list[RoundPlan] = []
        previous: set[int] = set()
        for t, n, kind, entry, count, _towns in ROUNDS:
            current = t == max(TERM_DATES) and n >= CURRENT_ROUND - 1
            fixed: dict[int, list[tuple[int, str, str]]] = {}
            if t == max(TERM_DATES) and n == CURRENT_ROUND:
                for username, (number, role) in GROUP_ACCOUNTS.items():
                    fixed.setdefault(number, []).append((self.accounts[username], role, username))
            groups = self.partition(blocks[(t, n)], {g: [p for p, *_ in f] for g, f in fixed.items()}, count)
            used: set[int] = set()
            for group in groups:
                self.staff(group, fixed.get(group.number, []), entry, used, previous, current)
            previous = used
            title, theme = self.title(kind, groups)
            rnd = RoundPlan(term_index[t], n, kind, title, theme, entry, entry + timedelta(days=60),
                            STATE_OF_ROUND.get((t, n), "completed"), groups)
            rnd.transitions = self.transitions(rnd)
            rounds.append(rnd)
        drawer = logs.FieldworkDrawer(self.rng, self.orgs, self.people, self.accounts, self.phones)
        for rnd in rounds:
            drawer.declarations(rnd, complete=rnd.state == "completed")
            if rnd.term == term_index[max(TERM_DATES)] and rnd.number >= CURRENT_ROUND - 1:
                for group in rnd.groups:
                    drawer.fieldwork(rnd, group, in_progress=rnd.number == CURRENT_ROUND)
        evaluations = self.evaluations(rounds, [i for i, r in enumerate(rounds)
                                                if r.term == term_index[max(TERM_DATES)]
                                                and r.number in (CURRENT_ROUND - 3, CURRENT_ROUND - 2)])
        return RoundsPlan(RECUSAL_YEARS, COVERED_KINDS, terms, rounds, self.inspectors, evaluations, declared)


def draw(seed: int, *, county: str, organizations: list[OrganizationPlan], people: list[PersonPlan],
         accounts: dict[str, int], phones: set[str]) -> RoundsPlan:
    """The rounds of the demo county for `seed`; `accounts` maps usernames to the people
    they are, `phones` the numbers already given out."""
    return _RoundsDrawer(seed, county, organizations, people, accounts, phones).draw()
