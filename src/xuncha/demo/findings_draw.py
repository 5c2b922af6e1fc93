"""What the demo groups found in the present term's rounds, as plain data: for each target the
matters, the papers they were learned in, and each paper's way through the sign-off chain.

Some matters recur at the same organization in a later round (the same manifestation, written
again with new amounts and periods, and in a follow-up round told as rectification that fell
short); a few are common to many villages of one round (one wording, near to the word).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from xuncha.demo.findings_text import Manifestation, Matter, PaperText, Place, Writer

# Problems a round's groups find, by round number (the running round: papers, fewer problems).
PER_ROUND = {1: 390, 2: 400, 3: 360, 4: 410, 5: 400, 6: 380, 7: 190, 8: 400, 9: 280}
WEIGHT = {"township": 3.0, "department": 2.0, "village": 1.0, "community": 1.0}
LEAD_SHARE = 0.09
CADRE_SHARE = 0.05
MERGED_SHARE = 0.07  # problems made from two papers
COMMON_PER_ROUND = 2  # manifestations common to many villages in one round
COMMON_AT_LEAST = 8
RUNNING_DAYS = 40  # the running round's fieldwork so far
RETURN_COMMENTS = {
    "group_deputy": ("事实部分缺少时间、地点要素，请补充完善。", "涉及金额与凭证不一致，请重新核对。",
                     "定性依据引用不准确，请对照相关制度修改。", "证据材料不充分，请补充谈话笔录。",
                     "问题概述过长，请按规范提炼。"),
    "group_leader": ("问题性质把握不准，请组内讨论后再报。", "涉及人员表述不规范，请使用职务加姓氏。"),
    "office": ("分类与问题表现形式不符，请调整分类后重新报送。", "依据与所述事实不对应，请核实后重新报送。"),
}


@dataclass(slots=True)
class Target:
    """An assignment as the draw sees it."""

    index: int  # in the round's list of targets
    organization: int  # pk
    group: int  # index in the round's groups
    place: Place
    checklist: str  # kind code of the checklist that applies


@dataclass(slots=True)
class StepPlan:
    action: str
    source: str
    target: str
    actor: str  # "author" | "deputy" | "leader" | "office_staff" | "office_admin"
    at: datetime  # naive
    comment: str = ""


@dataclass(slots=True)
class PaperPlan:
    text: PaperText
    source: str
    learned_on: date
    created: datetime
    steps: list[StepPlan] = field(default_factory=list)
    state: str = "draft"
    frozen: datetime | None = None
    authors: tuple[int, int] = (0, 1)  # indices in the group's writing members


@dataclass(slots=True)
class MatterPlan:
    target: Target
    manifestation: Manifestation
    matter: Matter
    kind: str
    severity: str
    papers: list[PaperPlan] = field(default_factory=list)


@dataclass(slots=True)
class RoundInput:
    number: int
    kind: str  # routine | special | follow_up
    entry: date
    running: bool
    targets: list[Target]
    manifestations: dict[str, list[Manifestation]]  # by checklist kind code


class FindingsDrawer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"xuncha-demo-findings:{seed}")
        self.writer = Writer(self.rng)
        # organization → [(manifestation key, matter)] found in earlier rounds of the term
        self.history: dict[int, list[tuple[str, Matter]]] = {}

    # -- which matters --------------------------------------------------------------------

    def counts(self, rnd: RoundInput) -> list[int]:
        weights = [WEIGHT.get(t.place.kind, 2.0) * self.rng.uniform(0.7, 1.3) for t in rnd.targets]
        total = sum(weights) or 1.0
        return [max(2, round(PER_ROUND.get(rnd.number, 350) * w / total)) for w in weights]

    def severity(self, kind: str, matter: Matter) -> str:
        rng = self.rng
        if kind == "lead":
            return "grave" if rng.random() < 0.45 else "serious"
        if matter.amount is not None and matter.amount >= 500000:
            return "grave" if rng.random() < 0.3 else "serious"
        return rng.choices(("minor", "serious", "grave"), weights=(70, 26, 4))[0]

    def pick(self, pool: list[Manifestation], target: Target, used: set[str]) -> tuple[Manifestation, bool]:
        """A manifestation not yet used at the target this round, and whether it is a lead."""
        rng = self.rng
        fresh = [m for m in pool if m.key not in used] or pool
        if rng.random() < LEAD_SHARE:
            leads = [m for m in fresh if m.family != "cadre" and self.writer.can_lead(m, target.place)]
            if leads:
                return rng.choice(leads), True
        cadre = [m for m in fresh if m.family == "cadre"]
        if cadre and rng.random() < CADRE_SHARE * 1.5:  # not every target has cadre matters
            return rng.choice(cadre), False
        return rng.choice([m for m in fresh if m.family != "cadre"] or fresh), False

    def matter_plan(self, rnd: RoundInput, target: Target, m: Manifestation, matter: Matter,
                    lead: bool) -> MatterPlan:
        kind = "lead" if lead else "cadre" if m.family == "cadre" else "general"
        self.history.setdefault(target.organization, []).append((m.key, matter))
        return MatterPlan(target, m, matter, kind, self.severity(kind, matter))

    def commons(self, rnd: RoundInput) -> list[MatterPlan]:
        """Manifestations found at many of the round's villages, in one wording."""
        villages = [t for t in rnd.targets if t.checklist == "village"]
        if len(villages) < COMMON_AT_LEAST + 2:
            return []
        pool = [m for m in rnd.manifestations["village"] if m.family not in ("cadre",)]
        out = []
        for m in self.rng.sample(pool, COMMON_PER_ROUND):
            first = self.writer.matter(m, villages[0].place, rnd.entry)
            at = self.rng.sample(villages, self.rng.randint(COMMON_AT_LEAST, len(villages)))
            for target in at:
                matter = self.writer.matter(m, target.place, rnd.entry, shape=first.shape, slots=first.slots)
                out.append(self.matter_plan(rnd, target, m, matter, False))
        return out

    def recurring(self, rnd: RoundInput, target: Target, by_key: dict[str, Manifestation]) -> list[MatterPlan]:
        """Matters found here in an earlier round that are found again."""
        rng = self.rng
        earlier = self.history.get(target.organization, [])
        chance = 0.6 if rnd.kind == "follow_up" else 0.3
        out = []
        seen: set[str] = set()
        for key, matter in list(earlier):
            if key in seen or key not in by_key or matter.shape.lead or rng.random() > chance:
                continue
            seen.add(key)
            if rnd.kind == "follow_up":
                opening = self.writer.follow_up(matter.title)
            else:
                opening = self.writer.recurring() if rng.random() < 0.5 else ""
            again = self.writer.matter(by_key[key], target.place, rnd.entry, shape=matter.shape, opening=opening)
            out.append(self.matter_plan(rnd, target, by_key[key], again, False))
            if len(out) >= (6 if rnd.kind == "follow_up" else 3):
                break
        return out

    def matters(self, rnd: RoundInput) -> list[MatterPlan]:
        rng = self.rng
        counts = self.counts(rnd)
        commons = self.commons(rnd)
        out: list[MatterPlan] = []
        for target, count in zip(rnd.targets, counts, strict=True):
            pool = rnd.manifestations[target.checklist]
            by_key = {m.key: m for m in pool}
            mine = [p for p in commons if p.target is target]
            mine += self.recurring(rnd, target, by_key)
            used = {p.manifestation.key for p in mine}
            while len(mine) < count:
                m, lead = self.pick(pool, target, used)
                used.add(m.key)
                matter = self.writer.matter(m, target.place, rnd.entry, lead=lead)
                mine.append(self.matter_plan(rnd, target, m, matter, lead))
            rng.shuffle(mine)
            out += mine
        return out

    # -- papers and their way through the chain -----------------------------------------

    def moment(self, day: date, earliest: int = 9, latest: int = 17) -> datetime:
        return datetime.combine(day, time(self.rng.randint(earliest, latest), self.rng.choice((0, 10, 20, 30, 40, 50))))

    def after(self, moment: datetime, days: tuple[int, int]) -> datetime:
        day = moment.date() + timedelta(days=self.rng.randint(*days))
        later = self.moment(day)
        return later if later > moment else moment + timedelta(hours=self.rng.randint(1, 5))

    def chain(self, paper: PaperPlan, cutoff: datetime | None) -> None:
        """The steps a paper took until it was registered, or until `cutoff` (the running
        round's today) stopped it on the way."""
        rng = self.rng
        steps = paper.steps
        state, at = "draft", paper.created

        def step(action: str, target: str, actor: str, days: tuple[int, int], comment: str = "") -> bool:
            nonlocal state, at
            when = self.after(at, days)
            if cutoff is not None and when > cutoff:
                return False
            steps.append(StepPlan(action, state, target, actor, when, comment))
            state, at = target, when
            if action == "sign" and paper.frozen is None:
                paper.frozen = when
            return True

        if cutoff is not None and rng.random() < 0.12:
            return  # still being written
        while True:
            if not step("submit", "submitted", "author", (0, 3)):
                break
            if rng.random() < 0.08:
                step("return", "returned", "deputy", (1, 2), rng.choice(RETURN_COMMENTS["group_deputy"]))
                if cutoff is not None and rng.random() < 0.3:
                    break  # still with its authors
                continue
            if not step("approve", "reviewed", "deputy", (1, 3)):
                break
            if rng.random() < 0.03:
                step("return", "returned", "leader", (1, 2), rng.choice(RETURN_COMMENTS["group_leader"]))
                continue
            if not step("sign", "signed", "leader", (1, 3)):
                break
            if cutoff is not None and rng.random() < 0.03:
                step("return", "returned", "office", (2, 6), rng.choice(RETURN_COMMENTS["office"]))
                break
            step("register", "registered", "office", (2, 9) if cutoff is None else (3, 20))
            break
        paper.state = state

    def papers(self, rnd: RoundInput, plans: list[MatterPlan], authors_of: list[int]) -> None:
        """Write each matter's paper(s); `authors_of[g]` is how many members of group g write."""
        rng = self.rng
        last = RUNNING_DAYS - 2 if rnd.running else 55
        cutoff = datetime.combine(rnd.entry + timedelta(days=RUNNING_DAYS), time(18, 0)) if rnd.running else None
        for plan in plans:
            count = 2 if rng.random() < MERGED_SHARE else 1
            learned = rnd.entry + timedelta(days=rng.randint(3, last))
            writers = max(2, authors_of[plan.target.group])
            pair = tuple(rng.sample(range(writers), 2))
            source = self.writer.source(plan.matter)
            text = self.writer.paper(plan.matter, plan.manifestation, plan.target.place, source)
            first = PaperPlan(text, source, learned, self.moment(learned + timedelta(days=rng.randint(0, 2))),
                              authors=pair)
            self.chain(first, cutoff)
            plan.papers.append(first)
            if count == 2:
                # The second paper of a merged problem went through the chain with the first.
                source = self.writer.source(plan.matter)
                text = self.writer.paper(plan.matter, plan.manifestation, plan.target.place, source, part=1)
                shift = timedelta(minutes=rng.randint(5, 90))
                plan.papers.append(PaperPlan(
                    text, source, learned - timedelta(days=rng.randint(0, 2)), first.created + shift,
                    [StepPlan(s.action, s.source, s.target, s.actor, s.at + shift, s.comment) for s in first.steps],
                    first.state, first.frozen + shift if first.frozen else None, pair))

    def draw(self, rnd: RoundInput, authors_of: list[int]) -> list[MatterPlan]:
        plans = self.matters(rnd)
        self.papers(rnd, plans, authors_of)
        return plans
