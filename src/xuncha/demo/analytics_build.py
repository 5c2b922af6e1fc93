"""Store the demo analytics of the county's present term: common and recurring problems planted in
the findings, the checklist points mapped to the departments responsible for them, the detector
run over the county, recommendations (巡察建议书) in every state and the special campaigns they
started. Runs inside the demo's one transaction, right after the rectification.

Planting rewrites problems the findings already hold (their title, description and amount, the
working papers' facts they were written from, and the report versions that quote them), so
each planted problem keeps its papers, feedback and rectification tasks. Common problems: five
themes, each at five villages of the term in five wordings. Recurring problems: organizations
inspected twice in the term (a routine round and the 回头看 round, or the special round and a
routine one) with one matter written in the earlier round and restated in the later one; the
earlier one's tasks are all closed, so the detector calls the pair recurring after rectification.

Deterministic by seed (its own random stream); rows are bulk-inserted from the models, no
services; dates of the letters still open are relative to the build day, like the rectification's
long-term tasks.
"""

from __future__ import annotations

import json
import random
import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from xuncha.access.models import User
from xuncha.analytics import detection
from xuncha.analytics.models import (
    Campaign,
    CampaignItem,
    ClusterMember,
    DepartmentMapping,
    Recommendation,
    RecommendationAddressee,
    RecommendationItem,
    RecommendationStep,
    SystemOutcome,
)
from xuncha.analytics.symptoms import describe
from xuncha.checklist.models import Item
from xuncha.demo import analytics_text as text
from xuncha.demo.findings_build import TERM
from xuncha.demo.findings_text import Writer, family_of, yuan
from xuncha.demo.rectification_rows import at, insert, stamp
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.rectification import deadlines
from xuncha.rectification.models import Task
from xuncha.registry.models import Committee, Organization
from xuncha.reports.models import ReportVersion
from xuncha.rounds.models import Round, Term
from xuncha.text.search import search_key

S = Recommendation.State
# Checklist points (level 2, by key) and the functional departments responsible for their domain.
MAPPING = {
    "V1.1": ("县农业农村局",), "V1.2": ("县农业农村局",), "V1.3": ("县自然资源局",),
    "V2.1": ("县农业农村局",), "V2.2": ("县民政局", "县财政局"), "V2.3": ("县住房和城乡建设局", "县水务局"),
    "V2.4": ("县自然资源局",), "V2.5": ("县财政局",), "V3.1": ("县委组织部",), "V3.2": ("县委组织部",),
    "V3.3": ("县委组织部",),
    "T1.2": ("县自然资源局",), "T1.3": ("县应急管理局",), "T2.1": ("县农业农村局",), "T2.2": ("县财政局",),
    "T2.3": ("县住房和城乡建设局", "县水务局"), "T2.4": ("县自然资源局",), "T2.5": ("县民政局", "县财政局"),
    "T3.2": ("县委组织部",), "T3.3": ("县委组织部",),
    "D2.1": ("县财政局",), "D2.2": ("县财政局",), "D3.2": ("县委组织部",),
}
PER_THEME = 5
RECURRING_PAIRS = 6
WATER_WORDS = ("水", "渠", "灌溉", "山坪塘", "提灌")
RECEIVERS = {"县农业农村局": "receiver_agriculture", "县委组织部": "receiver_organization"}


@dataclass(slots=True)
class Row:
    """A problem of the term as the planting sees it."""

    pk: int
    organization: int
    org_name: str
    org_kind: str
    township: int | None
    assignment: int
    round_number: int
    round_kind: str
    entry: date
    point: str
    manifestation: str
    family: str
    title: str
    description: str


@dataclass
class Planted:
    common: dict[str, list[int]] = field(default_factory=dict)  # theme key → problem pks
    recurring: list[tuple[int, int]] = field(default_factory=list)  # (earlier, later)
    texts: dict[int, tuple[str, str, Decimal | None]] = field(default_factory=dict)  # pk → new title, text, amount
    old: dict[int, tuple[str, str]] = field(default_factory=dict)
    township: int | None = None  # where most of the villages of the meetings theme are


def _rows(county: Committee) -> list[Row]:
    values = (Problem.objects.filter(round__committee=county, round__term__number=TERM, kind="general",
                                     round__state__in=[Round.State.COMPLETED, Round.State.RECTIFYING])
              .order_by("round__number", "pk")
              .values_list("pk", "organization_id", "organization__name", "organization__kind__code",
                           "organization__parent_id", "assignment_id", "round__number", "round__kind",
                           "round__planned_entry", "classification__parent__key", "classification__key",
                           "classification__title", "classification__parent__title",
                           "classification__parent__parent__title", "title", "description"))
    return [Row(pk, org, name, kind, parent, assignment, number, rkind, entry, point, key,
                family_of(item, point_title, focus), title, description)
            for (pk, org, name, kind, parent, assignment, number, rkind, entry, point, key, item, point_title, focus,
                 title, description) in values]


class _Planter:
    def __init__(self, rng: random.Random, rows: list[Row]) -> None:
        self.rng = rng
        self.writer = Writer(rng)
        self.rows = rows
        self.used_orgs: set[int] = set()
        self.planted = Planted()

    def fill(self, template: str, row: Row, values: dict[str, str]) -> str:
        return template.format(org=row.org_name, **values)

    def values(self, amounts: tuple[int, int] | None, things: tuple[str, ...],
               row: Row) -> tuple[dict[str, str], Decimal | None]:
        """Slots for a text at `row`'s organization: counts, the year before the round, a thing,
        amounts drawn like the findings' (to the fen now and then)."""
        rng = self.rng
        n = rng.randint(3, 12)
        values = {"n": str(n), "n2": str(rng.randint(1, max(1, n - 2))), "year": str(row.entry.year - 1),
                  "thing": rng.choice(things), "amount": "", "amount2": ""}
        amount = None
        if amounts:
            amount = self.writer.money(*amounts)
            values["amount"] = yuan(amount)
            values["amount2"] = yuan(self.writer.money(max(100, int(amount * Decimal("0.2"))),
                                                       max(200, int(amount * Decimal("0.7")))))
        return values, amount

    def put(self, row: Row, title: str, description: str, amount: Decimal | None) -> None:
        self.planted.texts[row.pk] = (title[:200], description, amount)
        self.planted.old[row.pk] = (row.title, row.description)
        self.used_orgs.add(row.organization)

    def recurring(self, closed: set[int]) -> None:
        """Pairs at organizations inspected twice: the follow-up round's first, then the others."""
        by_org: dict[int, list[Row]] = defaultdict(list)
        for row in self.rows:
            by_org[row.organization].append(row)
        candidates = []
        for org in sorted(by_org):
            rows = by_org[org]
            if len({r.round_number for r in rows}) < 2:
                continue
            for recurrence_index, recurrence in enumerate(text.RECURRENCES):
                earlier = [r for r in rows if r.family == recurrence.family and r.pk in closed]
                for a in earlier:
                    later = [r for r in rows if r.family == recurrence.family and r.round_number > a.round_number]
                    if later:
                        candidates.append((later[0].round_kind != "follow_up", org, recurrence_index, a, later[0]))
                        break
        self.rng.shuffle(candidates)
        candidates.sort(key=lambda c: c[0])  # the 回头看 round's first: that is what it looks for
        used_recurrences: Counter = Counter()
        for _routine, org, index, a, b in candidates:
            if len(self.planted.recurring) >= RECURRING_PAIRS:
                break
            if org in self.used_orgs or used_recurrences[index] >= 1 + len(candidates) // 40:
                continue
            recurrence = text.RECURRENCES[index]
            values, amount = self.values(recurrence.amounts, recurrence.things, a)
            self.put(a, recurrence.title, self.fill(recurrence.text, a, values), amount)
            again, amount_again = self.values(recurrence.amounts, recurrence.things, b)
            again["thing"] = values["thing"]  # the same matter, other figures
            opening = text.FOLLOW_UP_OPENING if b.round_kind == "follow_up" else text.ROUTINE_OPENING
            self.put(b, recurrence.title_again, opening + self.fill(recurrence.text_again, b, again), amount_again)
            self.planted.recurring.append((a.pk, b.pk))
            used_recurrences[index] += 1

    def common(self) -> None:
        """Each theme at villages of several rounds; the first theme of meetings mostly in one
        township, so that one township can be written to about it."""
        for theme in text.THEMES:
            pool = [r for r in self.rows if r.org_kind == "village" and r.point == theme.point
                    and r.organization not in self.used_orgs]
            pool.sort(key=lambda r: (r.manifestation != theme.manifestation, r.pk))
            chosen: list[Row] = []
            if theme.key == "meetings":
                townships = Counter(r.township for r in {r.organization: r for r in pool}.values())
                township = min(townships, key=lambda t: (-townships[t], t or 0)) if townships else None
                chosen = self._distinct([r for r in pool if r.township == township], 3)
                self.planted.township = township
            chosen += self._distinct([r for r in pool if r not in chosen
                                      and r.organization not in {c.organization for c in chosen}], PER_THEME - len(chosen))
            for i, row in enumerate(chosen):
                values, amount = self.values(theme.amounts, theme.things, row)
                title = theme.titles[i % len(theme.titles)].format(**values)
                self.put(row, title, self.fill(theme.texts[i % len(theme.texts)], row, values), amount)
            self.planted.common[theme.key] = [r.pk for r in chosen]

    def _distinct(self, rows: list[Row], count: int) -> list[Row]:
        """Up to `count` rows of different organizations, spread over rounds where possible."""
        out: list[Row] = []
        rounds: Counter = Counter()
        for row in sorted(rows, key=lambda r: (r.manifestation, self.rng.random())):
            if len(out) >= count:
                break
            if row.organization in {o.organization for o in out} or rounds[row.round_number] >= 2:
                continue
            out.append(row)
            rounds[row.round_number] += 1
        return out


def _closed_problems(county: Committee) -> set[int]:
    """Problems of the term whose rectification tasks are all closed."""
    tasks = (Task.objects.filter(problem__round__committee=county, problem__round__term__number=TERM)
             .values_list("problem_id", "state"))
    states: dict[int, set[str]] = defaultdict(set)
    for problem, state in tasks:
        states[problem].add(state)
    return {p for p, s in states.items() if s == {Task.State.CLOSED}}


def _rewrite(planted: Planted) -> None:
    """The planted texts into the problems, their papers and the report versions quoting them."""
    problems = list(Problem.objects.filter(pk__in=planted.texts).order_by("pk"))
    for p in problems:
        p.title, p.description, p.amount = planted.texts[p.pk]
        p.search_text = search_key(p.title, p.description)
    Problem.objects.bulk_update(problems, ["title", "description", "amount", "search_text"])
    links = list(Problem.papers.through.objects.filter(problem_id__in=planted.texts)
                 .values_list("problem_id", "workingpaper_id"))
    of_paper = {paper: problem for problem, paper in links}
    papers = list(WorkingPaper.objects.filter(pk__in=of_paper).order_by("pk"))
    for paper in papers:
        pk = of_paper[paper.pk]
        title, description, amount = planted.texts[pk]
        paper.title, paper.amount = title, amount
        paper.facts = paper.facts.replace(planted.old[pk][1], description)
        paper.search_text = search_key(paper.title, paper.facts, paper.basis, paper.persons_involved, paper.number)
    WorkingPaper.objects.bulk_update(papers, ["title", "amount", "facts", "search_text"])
    assignments = set(Problem.objects.filter(pk__in=planted.texts).values_list("assignment_id", flat=True))
    versions = list(ReportVersion.objects.filter(report__assignment_id__in=assignments).order_by("pk"))
    changed = []
    for version in versions:
        dumped = json.dumps(version.sections, ensure_ascii=False)
        for pk in planted.texts:
            (old_title, old_text), (title, description, _amount) = planted.old[pk], planted.texts[pk]
            dumped = dumped.replace(json.dumps(f"{old_title}。{old_text}", ensure_ascii=False)[1:-1],
                                    json.dumps(f"{title}。{description}", ensure_ascii=False)[1:-1])
        sections = json.loads(dumped)
        if sections != version.sections:
            version.sections = sections
            changed.append(version)
    ReportVersion.objects.bulk_update(changed, ["sections"])


def _map_points(county: Committee, actor: User) -> int:
    """The level-2 items of the county's checklists, by key, to their departments: one mapping per
    key and department (it holds for the point in every version of the checklist)."""
    departments = {o.name: o for o in Organization.objects.filter(
        committee=county, name__in={n for names in MAPPING.values() for n in names})}
    points = Item.objects.filter(version__library__committee=county, version__state="published",
                                 level=Item.Level.POINT, key__in=list(MAPPING)).select_related("version").order_by("-version__number", "pk")
    first = {}
    for point in points:
        first.setdefault((point.version.library_id, point.key), point)
    rows = [DepartmentMapping(committee=county, point=point, department=departments[name], created_by=actor)
            for point in first.values() for name in MAPPING[point.key] if name in departments]
    DepartmentMapping.objects.bulk_create(rows)
    return len(rows)


def _detect(county: Committee, progress: Callable[[str], None]) -> dict[str, int]:
    """The detector over the whole county (full: every problem fingerprinted and matched)."""
    started = clock.monotonic()
    result = detection.detect(county, full=True)
    seconds = clock.monotonic() - started
    progress(f"  detection: {result.pairs} near-duplicate pairs, {result.clusters} clusters "
             f"in {seconds:.1f} s")
    return {"problem_pairs": result.pairs, "problem_clusters": result.clusters}


# -- recommendations and campaigns ----------------------------------------------------------------

@dataclass
class _Letter:
    """One recommendation being written: its row, the dates of its life, its addressees."""

    text: text.Letter
    row: Recommendation
    created: date
    steps: list[tuple[str, str, str, str, date, str]] = field(default_factory=list)  # action, from, to, who, day, comment
    addressees: list[RecommendationAddressee] = field(default_factory=list)
    outcomes: list[tuple[int, SystemOutcome]] = field(default_factory=list)  # (index in addressees, row)
    problems: list[int] = field(default_factory=list)


# The life of each letter of analytics_text.LETTERS: (state, created, submitted, returned, approved,
# issued, answered, closed) as dates, or days from the build day for the letters still open.
def _lives(today: date) -> list[dict[str, date | None]]:
    def days(n: int) -> date:
        return today + timedelta(days=n)

    return [
        {"state": S.CLOSED, "created": date(2023, 2, 14), "submitted": date(2023, 2, 20), "approved": date(2023, 2, 27),
         "issued": date(2023, 3, 3), "answered": date(2023, 5, 30), "closed": date(2023, 6, 12)},
        {"state": S.CLOSED, "created": date(2024, 1, 3), "submitted": date(2024, 1, 8), "returned": date(2024, 1, 12),
         "resubmitted": date(2024, 1, 16), "approved": date(2024, 1, 19), "issued": date(2024, 1, 23),
         "answered": date(2024, 4, 18), "closed": date(2024, 4, 26)},
        {"state": S.ISSUED, "created": days(-55), "submitted": days(-50), "approved": days(-45), "issued": days(-40)},
        {"state": S.ISSUED, "created": deadlines.add_months(today, -5) - timedelta(days=15),
         "submitted": deadlines.add_months(today, -5) - timedelta(days=10),
         "approved": deadlines.add_months(today, -5) - timedelta(days=4), "issued": deadlines.add_months(today, -5)},
        {"state": S.SUBMITTED, "created": days(-12), "submitted": days(-6)},
        {"state": S.DRAFT, "created": days(-2)},
    ]


class _Recommender:
    def __init__(self, county: Committee, term: Term, users: dict[str, User], today: date,
                 planted: Planted) -> None:
        self.county, self.term, self.users, self.today, self.planted = county, term, users, today, planted
        self.letters: list[_Letter] = []

    def problems_of(self, theme: str) -> list[int]:
        if theme != "water":
            return list(self.planted.common.get(theme, []))
        return list(Problem.objects.filter(
            round__committee=self.county, round__term=self.term, kind="general",
            classification__parent__key__in=["V2.3", "T2.3"])
            .filter(_any_word(WATER_WORDS)).order_by("pk").values_list("pk", flat=True)[:12])

    def cluster_of(self, problems: list[int]):
        """The cluster holding most of the problems (after detection), else None."""
        counts = Counter(ClusterMember.objects.filter(problem_id__in=problems, cluster__term=self.term)
                         .values_list("cluster_id", flat=True))
        return max(counts, key=lambda c: (counts[c], -c)) if counts else None

    def write(self, organizations: dict[str, Organization], township: Organization | None) -> None:
        staff, leader = self.users["office_staff"], self.users["leader"]
        seqs: Counter = Counter()
        lives = _lives(self.today)
        order = sorted(range(len(text.LETTERS)), key=lambda i: (lives[i].get("issued") or lives[i]["created"], i))
        for i in order:
            letter, life = text.LETTERS[i], lives[i]
            numbered = life.get("issued") or life["created"]
            seqs[numbered.year] += 1
            problems = self.problems_of(letter.theme)
            rows = list(Problem.objects.filter(pk__in=problems)
                        .select_related("organization", "round__term", "classification"))
            row = Recommendation(
                committee=self.county, term=self.term, year=numbered.year, seq=seqs[numbered.year],
                title=letter.title, symptoms=describe(rows), causes=letter.causes, state=life["state"],
                cluster_id=self.cluster_of(problems), created_by=staff)
            item = _Letter(letter, row, life["created"], problems=problems)
            stamp(row, created_at=at(life["created"], 10), updated_at=at(life.get("closed") or self.today, 9))
            steps = item.steps
            if life.get("submitted"):
                steps.append(("submit", S.DRAFT, S.SUBMITTED, "office_staff", life["submitted"], text.SUBMIT_COMMENT))
            if life.get("returned"):
                steps.append(("return", S.SUBMITTED, S.RETURNED, "leader", life["returned"], text.RETURN_COMMENT))
                steps.append(("submit", S.RETURNED, S.SUBMITTED, "office_staff", life["resubmitted"],
                              text.SUBMIT_COMMENT))
            if life.get("approved"):
                steps.append(("approve", S.SUBMITTED, S.APPROVED, "leader", life["approved"], text.APPROVE_COMMENT))
                row.approved_by, row.approved_at = leader, at(life["approved"], 16)
            if life.get("issued"):
                steps.append(("issue", S.APPROVED, S.ISSUED, "office_admin", life["issued"], ""))
                row.issued_on = life["issued"]
                row.policy = deadlines.in_force(self.county, row.issued_on)
                row.response_due = deadlines.add_months(row.issued_on, row.policy.recommendation_response_months)
            if life.get("closed"):
                steps.append(("close", S.ISSUED, S.CLOSED, "office_admin", life["closed"], text.CLOSE_COMMENT))
            for name in letter.addressees:
                organization = township if name == "{township}" else organizations.get(name)
                if organization is None:
                    continue
                addressee = RecommendationAddressee(organization=organization)
                if life.get("issued"):
                    addressee.received_on = life["issued"] + timedelta(days=1 + len(item.addressees))
                if life.get("answered"):
                    answered = life["answered"] - timedelta(days=4 * len(item.addressees))
                    addressee.response, addressee.responded_on = letter.response, answered
                    addressee.responded_by = self.users.get(RECEIVERS.get(organization.name, ""), staff)
                    index = len(item.addressees)
                    mine = letter.outcomes if len(letter.addressees) == 1 else letter.outcomes[index:index + 1]
                    for title, kind in mine:
                        item.outcomes.append((len(item.addressees), SystemOutcome(
                            title=title, kind=kind, adopted_on=answered - timedelta(days=12),
                            created_by=addressee.responded_by)))
                item.addressees.append(addressee)
            self.letters.append(item)

    def save(self) -> dict[str, int]:
        insert(Recommendation, [x.row for x in self.letters])
        items, steps, addressees = [], [], []
        for x in self.letters:
            items += [RecommendationItem(recommendation=x.row, seq=n, text=t) for n, t in enumerate(x.text.items, 1)]
            steps += [RecommendationStep(recommendation=x.row, action=action, from_state=source, to_state=target,
                                         actor=self.users[who], at=at(day, 15), comment=comment)
                      for action, source, target, who, day, comment in x.steps]
            for a in x.addressees:
                a.recommendation = x.row
                addressees.append(a)
        RecommendationItem.objects.bulk_create(items)
        RecommendationStep.objects.bulk_create(steps)
        RecommendationAddressee.objects.bulk_create(addressees)
        outcomes = []
        for x in self.letters:
            for index, outcome in x.outcomes:
                outcome.addressee = x.addressees[index]
                stamp(outcome, created_at=at(outcome.adopted_on + timedelta(days=3), 11))
                outcomes.append(outcome)
        insert(SystemOutcome, outcomes)
        Through = Recommendation.problems.through
        Through.objects.bulk_create([Through(recommendation_id=x.row.pk, problem_id=p)
                                     for x in self.letters for p in x.problems])
        return {"recommendations": len(self.letters), "system_outcomes": len(outcomes)}


def _any_word(words: tuple[str, ...]) -> Q:
    q = Q()
    for word in words:
        q |= Q(title__contains=word)
    return q


def _campaigns(rng: random.Random, county: Committee, letters: list[_Letter], organizations: dict[str, Organization],
               users: dict[str, User], today: date) -> dict[str, int]:
    """The special campaigns the first three letters started: two concluded, the last under way."""
    townships = list(Organization.objects.filter(committee=county, kind__code="township").order_by("pk"))
    villages = Counter(Organization.objects.filter(parent__in=townships, kind__code="village")
                       .values_list("parent_id", flat=True))
    by_letter = {x.text: x for x in letters}
    campaigns, items = [], []
    for c in text.CAMPAIGNS:
        letter = by_letter[text.LETTERS[c.letter]]
        issued = letter.row.issued_on
        active = letter.row.state != S.CLOSED
        started = issued + timedelta(days=15) if active else issued + timedelta(days=38)
        ends = deadlines.add_months(started, 4 if active else 6)
        campaign = Campaign(committee=county, recommendation=letter.row, title=c.title,
                            lead_department=organizations.get(c.lead), started_on=started, ends_on=ends,
                            state=Campaign.State.ACTIVE if active else Campaign.State.CLOSED,
                            created_by=users["office_staff"])
        stamp(campaign, created_at=at(started, 9))
        fixed_total, money_total = 0, Decimal(0)
        for seq, township in enumerate(sorted(rng.sample(townships, 6), key=lambda t: t.pk), 1):
            n = villages.get(township.pk, 0) or rng.randint(6, 12)
            item = CampaignItem(campaign=campaign, seq=seq, title=c.item.format(org=township.name)[:300],
                                organization=township, due=ends - timedelta(days=10))
            done = not active or seq <= 2
            if done:
                fixed = rng.randint(n, n * 4)
                money = Decimal(rng.randint(20, 400) * 100)
                item.state, item.problems_fixed, item.money_recovered = CampaignItem.State.DONE, fixed, money
                item.completed_on = min(started + timedelta(days=rng.randint(30, 110)), today - timedelta(days=1))
                item.result = c.result.format(n=n, fixed=fixed, money=yuan(money))
                fixed_total, money_total = fixed_total + fixed, money_total + money
            items.append(item)
        if not active:
            campaign.summary = c.summary.format(fixed=fixed_total, money=yuan(money_total))
        campaigns.append(campaign)
    insert(Campaign, campaigns)
    CampaignItem.objects.bulk_create(items)
    return {"campaigns": len(campaigns), "campaign_items": len(items)}


def build(*, seed: int, county: Committee, users: dict[str, User],
          progress: Callable[[str], None]) -> dict[str, int]:
    """Planted common and recurring problems, department mappings, detection, recommendations and
    campaigns of the county's present term."""
    started, today = clock.monotonic(), timezone.localdate()
    rng = random.Random(f"xuncha-demo-analytics:{seed}")
    term = Term.objects.get(committee=county, number=TERM)
    rows = _rows(county)
    planter = _Planter(rng, rows)
    planter.recurring(_closed_problems(county))
    planter.common()
    planted = planter.planted
    _rewrite(planted)
    counts = {"planted_common": sum(len(v) for v in planted.common.values()),
              "planted_recurring": len(planted.recurring),
              "department_mappings": _map_points(county, users["office_admin"])}
    progress(f"  analytics: {counts['planted_common']} common problems planted in {len(planted.common)} themes, "
             f"{counts['planted_recurring']} recurring pairs, {counts['department_mappings']} point-to-department "
             "mappings")
    counts |= _detect(county, progress)
    names = {n for letter in text.LETTERS for n in letter.addressees} | {c.lead for c in text.CAMPAIGNS}
    organizations = {o.name: o for o in Organization.objects.filter(committee=county, name__in=names)}
    township = Organization.objects.filter(pk=planted.township).first() if planted.township else None
    recommender = _Recommender(county, term, users, today, planted)
    recommender.write(organizations, township)
    counts |= recommender.save()
    counts |= _campaigns(rng, county, recommender.letters, organizations, users, today)
    states = Counter(x.row.state for x in recommender.letters)
    progress(f"  recommendations: {counts['recommendations']} ("
             + ", ".join(f"{n} {s}" for s, n in sorted(states.items()))
             + f") with {counts['system_outcomes']} systems established or improved; "
             f"{counts['campaigns']} special campaigns ({counts['campaign_items']} items); "
             f"built in {clock.monotonic() - started:.1f} s")
    return counts
