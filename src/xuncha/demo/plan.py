"""The demo county as plain data: `make_plan(seed)` draws it, `county.build(plan)` stores it.

Keeping the drawing free of the database makes it testable on its own: one seed always
gives the same plan, and different seeds give different people and places.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from xuncha.demo import catalog
from xuncha.demo import rounds as rounds_plan
from xuncha.demo.catalog import Department
from xuncha.demo.names import NamePool

DEFAULT_SEED = 2024
# A range no operator hands out to subscribers, so no demo number reaches a real phone.
PHONE_PREFIX = "1380000"
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 alphabet (no I, O, S, V, Z)
_PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TODAY = date(2024, 6, 30)  # the demo is set at a fixed date, so the plan does not age
CITY, COUNTY, NEIGHBOUR = "city", "county", "neighbour"  # committee keys


@dataclass(slots=True)
class CommitteePlan:
    key: str
    name: str
    short_name: str
    level: str
    parent: str | None


@dataclass(slots=True)
class OrganizationPlan:
    committee: str
    name: str
    kind: str
    parent: int | None = None  # index in Plan.organizations, always earlier in the list
    unified_code: str = ""
    principal: int | None = None  # index in Plan.people


@dataclass(slots=True)
class HistoryPlan:
    organization: int
    post: str
    start: date
    end: date


@dataclass(slots=True)
class RelativePlan:
    relation: str
    name: str
    organization: int | None
    organization_name: str
    post: str


@dataclass(slots=True)
class PersonPlan:
    committee: str
    name: str
    gender: str
    birth_date: date
    organization: int
    post: str
    phone: str
    history: list[HistoryPlan] = field(default_factory=list)
    relatives: list[RelativePlan] = field(default_factory=list)


@dataclass(slots=True)
class AccountPlan:
    username: str
    full_name: str
    password: str
    role: str
    committee: str | None = None  # committee key, for committee-scoped roles
    organization: int | None = None  # organization index, for unit roles
    system_role: str = ""
    scope: str = ""  # the committee or organization name shown to people; "" for 三员


@dataclass(slots=True)
class Plan:
    seed: int
    committees: list[CommitteePlan]
    organizations: list[OrganizationPlan]
    people: list[PersonPlan]
    accounts: list[AccountPlan]
    rounds: rounds_plan.RoundsPlan

    @property
    def county(self) -> CommitteePlan:
        """The demo county itself (the other county only gives the supervisor a subtree)."""
        return next(c for c in self.committees if c.key == COUNTY)


def unified_code(rng: random.Random) -> str:
    """An invented unified social credit code with a valid check character. The region part
    990000 is no real division, so the code cannot be anyone's."""
    body = "11" + "990000" + "".join(rng.choice(_CODE_CHARS) for _ in range(9))
    total = sum(_CODE_CHARS.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return body + _CODE_CHARS[(31 - total % 31) % 31]


def _password(rng: random.Random) -> str:
    while True:
        middle = "".join(rng.choice(_PASSWORD_CHARS) for _ in range(6))
        if any(c.isalpha() for c in middle) and any(c.isdigit() for c in middle):
            return f"Demo-{middle}-2024"


class _Drawer:
    """Draws one plan; holds the random source and the lists being filled."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.names = NamePool(self.rng, reserved=set(catalog.COMMITTEE_STEMS))
        self.committees: list[CommitteePlan] = []
        self.organizations: list[OrganizationPlan] = []
        self.people: list[PersonPlan] = []
        self.by_name: dict[tuple[str, str], int] = {}  # (committee, name) → organization
        self.phones: set[str] = set()

    # -- organizations --------------------------------------------------------------------

    def org(self, committee: str, name: str, kind: str, parent: int | None = None,
            *, code: bool = False) -> int:
        self.organizations.append(OrganizationPlan(
            committee=committee, name=name, kind=kind, parent=parent,
            unified_code=unified_code(self.rng) if code else "",
        ))
        index = len(self.organizations) - 1
        self.by_name.setdefault((committee, name), index)
        return index

    def village_counts(self, townships: int, total: int) -> list[int]:
        low, high = catalog.VILLAGES_PER_TOWNSHIP
        counts = [total // townships] * townships
        for i in range(total - sum(counts)):
            counts[i] += 1
        for _ in range(townships * 6):  # move villages about, keeping the total
            a, b = self.rng.randrange(townships), self.rng.randrange(townships)
            if a != b and counts[a] > low and counts[b] < high:
                counts[a] -= 1
                counts[b] += 1
        return counts

    def townships(self, committee: str, kinds: list[str], village_counts: list[int]) -> list[int]:
        created = []
        for suffix, villages in zip(kinds, village_counts, strict=True):
            township = self.org(committee, self.names.place_stem() + suffix, "township")
            created.append(township)
            for i in range(villages):
                # A street's villages are communities; a town's seat is one too.
                community = suffix == "街道" or (suffix == "镇" and i == 0)
                if community:
                    stem = self.names.community_stem() if suffix == "街道" else self.names.place_stem()
                    self.org(committee, stem + "社区", "village", township)
                else:
                    stem = self.names.place_stem(ending_chance=0.2)
                    self.org(committee, stem + "村", "village", township)
        return created

    # -- people ---------------------------------------------------------------------------

    def phone(self) -> str:
        while True:
            number = PHONE_PREFIX + f"{self.rng.randrange(10000):04d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, organization: int, post: str, *, senior: bool) -> int:
        rng = self.rng
        year = rng.randint(1966, 1984) if senior else rng.randint(1968, 1998)
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        gender = "M" if rng.random() < (0.78 if senior else 0.55) else "F"
        org = self.organizations[organization]
        self.people.append(PersonPlan(
            committee=org.committee, name=self.names.person(gender, year), gender=gender,
            birth_date=birth, organization=organization, post=post, phone=self.phone(),
        ))
        index = len(self.people) - 1
        if org.principal is None:
            org.principal = index
        return index

    def staff_unit(self, organization: int, dept: Department, *, extra: int) -> None:
        self.person(organization, dept.head, senior=True)
        for _ in range(self.rng.randint(1, 2)):
            self.person(organization, dept.deputy, senior=True)
        for _ in range(extra):
            self.person(organization, dept.staff, senior=False)

    def staff_township(self, organization: int) -> None:
        name = self.organizations[organization].name
        suffix = "街道" if name.endswith("街道") else name[-1]
        principal, head, others = catalog.TOWNSHIP_POSTS[suffix]
        self.person(organization, principal, senior=True)
        self.person(organization, head, senior=True)
        for post in self.rng.sample(others, self.rng.randint(4, 6)):
            self.person(organization, post, senior=post != "科员")

    def staff_village(self, organization: int) -> None:
        suffix = "社区" if self.organizations[organization].name.endswith("社区") else "村"
        secretary, director, supervisor = catalog.VILLAGE_POSTS[suffix]
        if self.rng.random() < 0.4:  # one person holding both posts (一肩挑)
            self.person(organization, f"{secretary}、{director}", senior=True)
        else:
            self.person(organization, secretary, senior=True)
            self.person(organization, director, senior=True)
        if self.rng.random() < 0.5:
            self.person(organization, supervisor, senior=True)

    # -- work history and relatives -------------------------------------------------------

    def earlier_post(self, organization: int) -> str:
        org = self.organizations[organization]
        post = self.rng.choice(catalog.EARLIER_POSTS.get(org.kind, ("科员",)))
        if "{head}" in post:
            head = {"镇": "镇长", "乡": "乡长"}.get(org.name[-1], "主任")
            post = post.format(head=head)
        return post

    def history(self, index: int, pools: dict[tuple[str, str], list[int]]) -> None:
        person = self.people[index]
        org = self.organizations[person.organization]
        # Everyone started work at 21 or later and took the present post some time ago;
        # the young get one short earlier post, the others one to three.
        earliest = date(person.birth_date.year + 21, 7, 1)
        latest_end = TODAY - timedelta(days=90)
        end = TODAY - timedelta(days=self.rng.randint(200, 2500))
        end = min(max(end, earliest + timedelta(days=400)), latest_end)
        entries = []
        for _ in range(self.rng.randint(1, 3)):
            start = end - timedelta(days=self.rng.randint(700, 2600))
            if start < earliest:
                if entries:
                    break
                start = earliest
            if end - start < timedelta(days=180):
                break
            if org.kind == "village":
                # Village cadres rose in their own village or one nearby.
                choices = [person.organization] * 3 + pools.get((org.committee, "village"), [])
            elif org.kind in ("township", "department"):
                choices = (pools.get((org.committee, "township"), [])
                           + pools.get((org.committee, "department"), []))
            else:
                choices = (pools.get((org.committee, org.kind), [])
                           + pools.get((org.committee, "department"), []))
            where = self.rng.choice(choices)
            entries.append(HistoryPlan(where, self.earlier_post(where), start, end))
            end = start - timedelta(days=1)
        person.history = sorted(entries, key=lambda h: h.start)

    def relatives(self, county: str) -> None:
        rng = self.rng
        people = [i for i, p in enumerate(self.people) if p.committee == county]
        employers = [i for i, o in enumerate(self.organizations)
                     if o.committee == county and o.kind in ("department", "school", "hospital", "soe")]
        # Couples who both work for the county: each is the other's spouse.
        men = [i for i in people if self.people[i].gender == "M"]
        women = [i for i in people if self.people[i].gender == "F"]
        rng.shuffle(men)
        rng.shuffle(women)
        for a, b in zip(men[:25], women[:25], strict=False):
            for x, y in ((a, b), (b, a)):
                other = self.people[y]
                self.people[x].relatives.append(RelativePlan(
                    "spouse", other.name, other.organization, "", other.post,
                ))
        # Children, siblings and parents, some of them working in county organizations.
        for index in rng.sample(people, 70):
            person = self.people[index]
            surname = person.name[0]
            relation = rng.choice(("child", "child", "sibling", "sibling", "parent"))
            if relation == "child":
                year = person.birth_date.year + rng.randint(24, 32)
            elif relation == "sibling":
                year = person.birth_date.year + rng.randint(-6, 6)
            else:
                year = person.birth_date.year - rng.randint(22, 30)
            gender = rng.choice("MF")
            name = self.names.person(gender, year, surname=surname)
            age = TODAY.year - year
            if 22 <= age <= 60 and rng.random() < 0.55:
                where = rng.choice(employers)
                dept_post = self.earlier_post(where)
                person.relatives.append(RelativePlan(relation, name, where, "", dept_post))
            else:
                if age < 22:
                    what = "学生"
                elif age > 62:
                    what = rng.choice(("退休", "务农"))
                else:
                    what = rng.choice(catalog.RELATIVE_ELSEWHERE[:3])
                person.relatives.append(RelativePlan(relation, name, None, what, ""))

    # -- the whole county -----------------------------------------------------------------

    def draw(self) -> None:
        rng = self.rng
        city, county, neighbour = CITY, COUNTY, NEIGHBOUR
        self.committees = [
            CommitteePlan(city, f"{catalog.CITY_NAME}委", catalog.CITY_NAME, "city", None),
            CommitteePlan(county, f"{catalog.COUNTY_NAME}委", catalog.COUNTY_NAME, "county", city),
            CommitteePlan(neighbour, f"{catalog.NEIGHBOUR_NAME}委", catalog.NEIGHBOUR_NAME, "county", city),
        ]
        units: list[tuple[int, Department]] = []
        for dept in catalog.CITY_DEPARTMENTS:
            units.append((self.org(city, dept.name, "department", code=True), dept))

        kinds = (["街道"] * catalog.TOWNSHIPS["street"] + ["镇"] * catalog.TOWNSHIPS["town"]
                 + ["乡"] * catalog.TOWNSHIPS["xiang"])
        townships = self.townships(county, kinds, self.village_counts(len(kinds), catalog.VILLAGES))
        for dept in catalog.COUNTY_DEPARTMENTS:
            units.append((self.org(county, dept.name, "department", code=True), dept))
        for kind, group in (("soe", catalog.SOES), ("school", catalog.SCHOOLS),
                            ("hospital", catalog.HOSPITALS)):
            for unit in group:
                name = unit.name.format(county=catalog.COUNTY_NAME)
                units.append((self.org(county, name, kind, code=True), unit))

        n_kinds = ["镇"] * (catalog.NEIGHBOUR_TOWNSHIPS - 1) + ["乡"]
        townships += self.townships(
            neighbour, n_kinds, [catalog.NEIGHBOUR_VILLAGES_PER_TOWNSHIP] * len(n_kinds))
        for dept in catalog.NEIGHBOUR_DEPARTMENTS:
            units.append((self.org(neighbour, dept.name, "department", code=True), dept))

        # People: every organization gets its principal first, then the county is filled up
        # with more staff in its departments until it has the planned number of people.
        for township in townships:
            self.staff_township(township)
        for index, org in enumerate(self.organizations):
            if org.kind == "village":
                self.staff_village(index)
        for index, dept in units:
            self.staff_unit(index, dept, extra=rng.randint(0, 1))
        county_units = [(i, d) for i, d in units if self.organizations[i].committee == county]
        while len(self.people) < catalog.PEOPLE:
            index, dept = rng.choice(county_units)
            self.person(index, dept.staff, senior=False)

        pools: dict[tuple[str, str], list[int]] = {}
        for index, org in enumerate(self.organizations):
            pools.setdefault((org.committee, org.kind), []).append(index)
        for index in range(len(self.people)):
            self.history(index, pools)
        self.relatives(county)


def _account_people(drawer: _Drawer) -> dict[str, int]:
    """Which registered person lends their name to each demo account."""
    rng = drawer.rng
    orgs, people = drawer.organizations, drawer.people
    staff: dict[int, list[int]] = {}
    for index, person in enumerate(people):
        staff.setdefault(person.organization, []).append(index)
    used: set[int] = set()

    def pick(organization: int, *, principal: bool = False) -> int:
        members = [i for i in staff[organization] if i not in used]
        chosen = members[0] if principal else (members[1] if len(members) > 1 else members[0])
        used.add(chosen)
        return chosen

    def org(committee: str, name: str) -> int:
        return drawer.by_name[(committee, name)]

    towns = [i for i, o in enumerate(orgs)
             if o.committee == COUNTY and o.kind == "township" and not o.name.endswith("街道")]
    township = rng.choice(towns)
    village = rng.choice([i for i, o in enumerate(orgs) if o.parent == township])
    departments = [i for i, o in enumerate(orgs)
                   if o.committee == COUNTY and o.kind == "department"
                   and o.name not in (catalog.INSPECTION_OFFICE, catalog.DISCIPLINE,
                                      catalog.ORGANIZATION_DEPARTMENT)]
    group_units = rng.sample(departments, 4)
    chosen = {
        "leader": pick(org(COUNTY, catalog.GENERAL_OFFICE), principal=True),
        "office_admin": pick(org(COUNTY, catalog.INSPECTION_OFFICE), principal=True),
        "office_staff": pick(org(COUNTY, catalog.INSPECTION_OFFICE)),
        "group_leader": pick(group_units[0], principal=True),
        "group_deputy": pick(group_units[1]),
        "group_member1": pick(group_units[2]),
        "group_member2": pick(group_units[3]),
        "liaison_village": pick(village),
        "liaison_township": pick(township),
        "receiver_discipline": pick(org(COUNTY, catalog.DISCIPLINE)),
        "receiver_organization": pick(org(COUNTY, catalog.ORGANIZATION_DEPARTMENT)),
        "supervisor": pick(org(CITY, "市委巡察工作领导小组办公室")),
    }
    for username in ("sysadmin", "secadmin", "auditor"):
        chosen[username] = pick(rng.choice(departments))
    return chosen


def _later_account_people(drawer: _Drawer, people: dict[str, int], rounds: rounds_plan.RoundsPlan) -> None:
    """People for the accounts added after the rounds were first drawn: chosen once the rounds are
    drawn (and kept out of them), so that the rounds, groups and everything built on them stay as
    they were. A receiver at the agriculture bureau, which recommendations are addressed to."""
    taken = set(people.values()) | {p.person for p in rounds.inspectors}
    bureau = drawer.by_name[(COUNTY, "县农业农村局")]
    people["receiver_agriculture"] = next(i for i, p in enumerate(drawer.people)
                                          if p.organization == bureau and i not in taken)


def _accounts(drawer: _Drawer, people: dict[str, int]) -> list[AccountPlan]:
    orgs = drawer.organizations
    # Passwords come from their own stream, so they stay put when the county's drawing changes.
    rng = random.Random(f"xuncha-demo-accounts:{drawer.seed}")
    names = {c.key: c.name for c in drawer.committees}

    def account(username: str, role: str, *, committee: str | None = None,
                organization: int | None = None, system: bool = False) -> AccountPlan:
        scope = (orgs[organization].name if organization is not None
                 else names[committee] if committee else "")
        if username in rounds_plan.GROUP_ACCOUNTS:  # held for a group of the running round
            scope = rounds_plan.current_group_full_name(rounds_plan.GROUP_ACCOUNTS[username][0])
        return AccountPlan(
            username=username, full_name=drawer.people[people[username]].name,
            password=_password(rng), role=role, committee=committee, organization=organization,
            system_role=role if system else "", scope=scope,
        )

    def works_at(username: str) -> int:
        return drawer.people[people[username]].organization

    accounts = [
        account("leader", "leader", committee=COUNTY),
        account("office_admin", "office_admin", committee=COUNTY),
        account("office_staff", "office_staff", committee=COUNTY),
        account("group_leader", "group_leader", committee=COUNTY),
        account("group_deputy", "group_deputy", committee=COUNTY),
        account("group_member1", "group_member", committee=COUNTY),
        account("group_member2", "group_member", committee=COUNTY),
        account("liaison_village", "unit_liaison", organization=works_at("liaison_village")),
        account("liaison_township", "unit_liaison", organization=works_at("liaison_township")),
        account("receiver_discipline", "receiver", organization=works_at("receiver_discipline")),
        account("receiver_organization", "receiver",
                organization=works_at("receiver_organization")),
        account("supervisor", "supervisor", committee=CITY),
        account("sysadmin", "sysadmin", system=True),
        account("secadmin", "secadmin", system=True),
        account("auditor", "auditor", system=True),
    ]
    # Added later than the others: its password is drawn last, so theirs stay as they were.
    accounts.insert(next(i for i, a in enumerate(accounts) if a.username == "receiver_organization") + 1,
                    account("receiver_agriculture", "receiver", organization=works_at("receiver_agriculture")))
    return accounts


def make_plan(seed: int = DEFAULT_SEED) -> Plan:
    """The whole demo county for `seed`, as plain data; the same seed gives the same plan."""
    drawer = _Drawer(seed)
    drawer.draw()
    people = _account_people(drawer)
    rounds = rounds_plan.draw(seed, county=COUNTY, organizations=drawer.organizations,
                              people=drawer.people, accounts=dict(people), phones=drawer.phones)
    _later_account_people(drawer, people, rounds)
    accounts = _accounts(drawer, people)
    return Plan(seed=seed, committees=drawer.committees, organizations=drawer.organizations,
                people=drawer.people, accounts=accounts, rounds=rounds)
