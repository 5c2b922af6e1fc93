"""Store the demo complaints (信访举报) of the county's present term and give the public portal an
announcement in force on the build day. Runs inside the demo's one transaction, after the
analytics.

About 150 complaints over the term's groups, by every channel, classified by the checklist's
focus items; the completed rounds' all handled (concluded, passed to a department, or out of
scope), the running round's in every handling state. About 60 % are anonymous; the named ones
carry a name and phone number encrypted through intake.records.set_identity (the raw columns
hold tokens, never the name). Some complaints were sent twice (same content, linked as
duplicates), two people complained three times each (same contact, linked by its digest), a few
online ones have receipt codes and messages, complaints concluded into a working paper are linked
to the group's papers, and identity access was requested, granted (and viewed) and refused.

Deterministic by seed, except the receipt codes (drawn by `secrets`, never stored: printed once).
Rows are bulk-inserted; encryption per named complaint and one slow hash per receipt code.
"""

from __future__ import annotations

import random
import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from xuncha.access.models import User
from xuncha.checklist.models import Item, Version
from xuncha.demo import intake_text as text
from xuncha.demo.findings_build import TERM
from xuncha.demo.names import NamePool
from xuncha.demo.plan import PHONE_PREFIX
from xuncha.demo.rectification_rows import at, insert, stamp
from xuncha.findings.models import WorkingPaper
from xuncha.intake import receipts, records
from xuncha.intake.models import Complaint, ComplaintMessage, ComplaintStep, IdentityAccess
from xuncha.registry.models import Committee, Person
from xuncha.rounds.models import Announcement, Assignment, Group, GroupMember, Round

C = Complaint.Channel
H = Complaint.Handling
PER_GROUP = {"completed": 3, "rectifying": 3, "stationed": 7}
ANONYMOUS_SHARE = 0.6
DUPLICATES = 6
RECEIPTS = 4
KINDS = ("village", "township", "department")
BATCH = 500


class _Drawer:
    def __init__(self, seed: int, county: Committee, users: dict[str, User], today: date) -> None:
        self.rng = random.Random(f"xuncha-demo-intake:{seed}")
        self.county, self.users, self.today = county, users, today
        self.names = NamePool(self.rng, reserved=set())
        self.cadres = set(Person.objects.filter(committee=county).values_list("name", flat=True))
        self.phones = set(Person.objects.values_list("phone", flat=True))
        self.complaints: list[Complaint] = []
        self.steps: list[tuple[Complaint, ComplaintStep]] = []
        self.identity: dict[int, tuple[str, str]] = {}  # id(complaint) → (name, contact) as planted
        self.leaders: dict[int, User] = {}  # group → the demo account leading it

    # -- people ----------------------------------------------------------------------------------

    def informant(self) -> tuple[str, str]:
        """An invented name (never a cadre's) and a phone number in the demo's unassigned range."""
        rng = self.rng
        name = self.names.person(rng.choice("MMF"), rng.randint(1950, 1995))
        while name in self.cadres:
            name = self.names.person(rng.choice("MMF"), rng.randint(1950, 1995))
        while True:
            phone = PHONE_PREFIX + f"{rng.randrange(10000):04d}"
            if phone not in self.phones:
                self.phones.add(phone)
                break
        # Written down as people give it over the phone, now and then with spaces.
        return name, (f"{phone[:3]} {phone[3:7]} {phone[7:]}" if rng.random() < 0.3 else phone)

    def name(self, complaint: Complaint, name: str, contact: str) -> None:
        records.set_identity(complaint, name=name, contact=contact)
        self.identity[id(complaint)] = (name, contact)

    # -- one complaint ---------------------------------------------------------------------------

    def step(self, complaint: Complaint, action: str, source: str, target: str, who: User | None, day: date,
             comment: str = "") -> None:
        hour = 16 if action == "conclude" else 10  # passed on in the morning, concluded in the afternoon
        self.steps.append((complaint, ComplaintStep(action=action, from_state=source, to_state=target, actor=who,
                                                    at=at(day, hour), comment=comment)))

    def what(self, org, kind: str, township: str) -> tuple[int, str, str, str]:
        """(focus number, subject, content, whom it concerns)"""
        rng = self.rng
        focus = rng.choices((1, 2, 3), weights=(3, 6, 2))[0]
        subject, content = rng.choice(text.COMPLAINTS[(focus, kind)])
        person = f"{rng.choice(text.POSTS[kind])}{rng.choice(text.SURNAMES)}某某"
        values = {"org": org.name, "township": township, "where": rng.choice(text.WHERE), "person": person,
                  "thing": rng.choice(text.THINGS)}
        return focus, subject, content.format(**values), person if "{person}" in content else ""

    def complaint(self, rnd: Round, group: Group, targets: list[Assignment], handling: str) -> Complaint:
        """A complaint received during the round and handled up to `handling`. Letters and calls to
        the office wait there until passed on (to the group, a department or elsewhere); visits,
        online and QR complaints reach the group through its announcement."""
        rng, office = self.rng, self.users["office_staff"]
        last = min(rnd.planned_exit, self.today - timedelta(days=3))
        received = rnd.planned_entry + timedelta(days=rng.randint(1, max(1, (last - rnd.planned_entry).days)))
        org = rng.choice(targets).organization
        kind = org.kind.code if org.kind.code in KINDS else "department"
        township = org.parent.name if org.parent_id else org.name
        channel = rng.choices((C.LETTER, C.PHONE, C.VISIT, C.ONLINE, C.QR), weights=(5, 4, 3, 4, 2))[0]
        by_office = channel in (C.LETTER, C.PHONE) and (handling == H.TO_GROUP or rng.random() < 0.6)
        if handling == H.TO_GROUP and not by_office:
            channel, by_office = rng.choice((C.LETTER, C.PHONE)), True
        if handling == H.OUT_OF_SCOPE:
            subject, content, where = rng.choice(text.OUT_OF_SCOPE)
            content = content.format(township=township, where=rng.choice(text.WHERE))
            focus, concerns = None, ""
        else:
            focus, subject, content, concerns = self.what(org, kind, township)
        c = Complaint(committee=self.county, round=rnd, group=None if by_office else group, year=received.year,
                      seq=0, channel=channel, received_on=received, organization=org if focus else None,
                      concerns=concerns, subject=subject, content=content,
                      category=self.categories.get((kind, focus)), handling=handling, created_by=office)
        c.content_digest = records.content_digest(content)
        records.set_identity(c)
        if rng.random() > ANONYMOUS_SHARE:
            self.name(c, *self.informant())
        self.complaints.append(c)
        day = min(received + timedelta(days=rng.randint(1, 5)), self.today)
        concluded = max(day, min(day + timedelta(days=rng.randint(5, 30)), self.today))
        closer = self.leaders.get(group.pk, office)
        if handling in (H.TO_GROUP, H.CONCLUDED) and by_office:
            c.group = group
            self.step(c, "to_group", H.PENDING, H.TO_GROUP, office, day, text.TO_GROUP)
            if handling == H.CONCLUDED:
                self.step(c, "conclude", H.TO_GROUP, H.CONCLUDED, closer, concluded)
        elif handling == H.CONCLUDED:
            self.step(c, "conclude", H.PENDING, H.CONCLUDED, closer, concluded)
        elif handling == H.TO_DEPARTMENT:
            c.passed_to = next((d for word, d in text.PASSED_BY_WORD if word in content),
                               text.DEPARTMENT_OF_FOCUS[focus])
            self.step(c, "to_department", H.PENDING, H.TO_DEPARTMENT, office, day, text.TO_DEPARTMENT)
            if rnd.state != Round.State.STATIONED and rng.random() < 0.5:  # the department reported back
                c.handling, c.outcome = H.CONCLUDED, rng.choice(text.DEPARTMENT_OUTCOMES).format(dept=c.passed_to)
                concluded = max(day, min(day + timedelta(days=rng.randint(20, 60)), self.today))
                self.step(c, "conclude", H.TO_DEPARTMENT, H.CONCLUDED, office, concluded)
        elif handling == H.OUT_OF_SCOPE:
            c.passed_to = where.format(township=township)
            self.step(c, "out_of_scope", H.PENDING, H.OUT_OF_SCOPE, office, day, text.OUT_OF_SCOPE_COMMENT)
        if c.handling == H.CONCLUDED and not c.outcome:
            c.outcome = rng.choice(text.OUTCOMES)
        c.handled_on = None if handling == H.PENDING else (concluded if c.handling == H.CONCLUDED else day)
        stamp(c, created_at=at(received, 10), updated_at=at(c.handled_on or received, 17))
        return c

    # -- the register ----------------------------------------------------------------------------

    def draw(self) -> None:
        rng = self.rng
        rounds = list(Round.objects.filter(committee=self.county, term__number=TERM).order_by("number"))
        groups = list(Group.objects.filter(round__in=rounds).select_related("round").order_by("round__number",
                                                                                             "number"))
        targets = defaultdict(list)
        for a in (Assignment.objects.filter(round__in=rounds).select_related("organization__kind",
                                                                              "organization__parent")
                  .order_by("group_id", "pk")):
            targets[a.group_id].append(a)
        self.leaders = {m.group_id: m.user for m in GroupMember.objects.filter(
            group__in=groups, user__isnull=False, role=GroupMember.Role.LEADER).select_related("user")}
        self.categories = _categories(self.county)
        for group in groups:
            rnd = group.round
            if not targets.get(group.pk):
                continue
            running = rnd.state == Round.State.STATIONED
            for i in range(PER_GROUP.get(rnd.state, 4) + rng.randint(0, 2)):
                if running and i < len(RUNNING_HANDLING):
                    handling = RUNNING_HANDLING[i]
                elif running:
                    handling = rng.choice((H.PENDING, H.TO_GROUP, H.CONCLUDED))
                else:
                    handling = rng.choices((H.CONCLUDED, H.TO_DEPARTMENT, H.OUT_OF_SCOPE), weights=(6, 2, 2))[0]
                self.complaint(rnd, group, targets[group.pk], handling)
        self.repeat_complainants()
        self.duplicates()

    def repeat_complainants(self) -> None:
        """Two people who complained three times each, about different things, from one phone."""
        rng = self.rng
        rounds = sorted({c.round.number: c.round for c in self.complaints}.items())
        people = 0
        for _number, rnd in rng.sample(rounds, len(rounds)):
            mine = sorted((c for c in self.complaints if c.round is rnd and c.organization_id
                           and id(c) not in self.identity), key=lambda c: c.received_on)[:3]
            if len(mine) < 3:
                continue
            name, contact = self.informant()
            digits = contact.replace(" ", "")
            # The same number, written down differently each time.
            for c, written in zip(mine, (contact, digits, f"+86 {digits}"), strict=True):
                self.name(c, name, written)
            people += 1
            if people == 2:
                break

    def duplicates(self) -> None:
        """Complaints sent again a few days later with the same content (another channel)."""
        rng = self.rng
        originals = rng.sample([c for c in self.complaints if c.handling != H.PENDING and c.organization_id],
                               DUPLICATES)
        for original in originals:
            again = Complaint(
                committee=self.county, round=original.round, group=original.group, seq=0,
                channel=rng.choice([ch for ch in C.values if ch != original.channel]),
                received_on=min(original.received_on + timedelta(days=rng.randint(2, 9)), self.today),
                organization=original.organization, concerns=original.concerns, subject=original.subject,
                content=original.content, category=original.category, handling=original.handling,
                passed_to=original.passed_to, outcome=original.outcome, handled_on=original.handled_on,
                content_digest=original.content_digest, created_by=original.created_by)
            again.year = again.received_on.year
            records.set_identity(again)
            if id(original) in self.identity:
                self.name(again, *self.identity[id(original)])
            if again.handled_on:
                again.handled_on = max(again.handled_on, again.received_on)
            for step in [s for x, s in self.steps if x is original]:
                self.step(again, step.action, step.from_state, step.to_state, step.actor,
                          max(timezone.localtime(step.at).date(), again.received_on), step.comment)
            stamp(again, created_at=at(again.received_on, 11), updated_at=at(again.handled_on or again.received_on, 17))
            self.complaints.append(again)


RUNNING_HANDLING = (H.PENDING, H.TO_GROUP, H.TO_GROUP, H.CONCLUDED, H.TO_DEPARTMENT, H.OUT_OF_SCOPE)


def _categories(county: Committee) -> dict[tuple[str, int | None], Item]:
    """The focus items (level 1) of the county's checklists, by kind of organization and number
    (V2 → ("village", 2))."""
    versions = Version.objects.filter(library__committee=county, number=1)
    return {(item.version.library.kind.code, int(item.key[1:])): item
            for item in Item.objects.filter(version__in=versions, level=Item.Level.FOCUS)
            .select_related("version__library__kind")}


def _number(complaints: list[Complaint]) -> None:
    """Numbers in order of receipt per year, and each complaint linked to the earliest one with the
    same content (what records.set_content does one at a time)."""
    complaints.sort(key=lambda c: (c.received_on, c.round_id, c.group_id or 0))
    seqs: dict[int, int] = defaultdict(int)
    first: dict[str, Complaint] = {}
    for c in complaints:
        seqs[c.year] += 1
        c.seq = seqs[c.year]
        original = first.setdefault(c.content_digest, c)
        c.duplicate_of = original if original is not c else None


def _papers(complaints: list[Complaint]) -> list:
    """Complaints the group concluded into a problem paper, linked to a paper of the group about
    the same organization (one learned from a complaint when there is one)."""
    concluded = [c for c in complaints if c.handling == H.CONCLUDED and c.outcome in text.OUTCOMES[:2] and c.group_id]
    papers = defaultdict(list)
    for pk, group, organization, source in (WorkingPaper.objects.filter(group_id__in={c.group_id for c in concluded})
                                            .order_by("-source", "pk")
                                            .values_list("pk", "group_id", "assignment__organization_id", "source")):
        papers[(group, organization)].append((source != "complaint", pk))
    Through = Complaint.papers.through
    links = []
    for c in concluded:
        found = sorted(papers.get((c.group_id, c.organization_id), []))
        if found:
            links.append(Through(complaint_id=c.pk, workingpaper_id=found[0][1]))
    Through.objects.bulk_create(links)
    return links


def _identity_requests(drawer: _Drawer, today: date) -> int:
    """On named complaints of the group the demo's group accounts serve in: one request waiting,
    one granted and viewed twice, one refused."""
    users = drawer.users
    group = GroupMember.objects.filter(user=users["group_leader"]).order_by("-group__round__number").values_list(
        "group_id", flat=True).first()
    named = [c for c in drawer.complaints if c.group_id == group and not c.anonymous][:3]
    plans = (("group_member1", None, IdentityAccess.State.REQUESTED, ""),
             ("group_leader", "office_admin", IdentityAccess.State.GRANTED, text.GRANT),
             ("group_deputy", "leader", IdentityAccess.State.REFUSED, text.REFUSAL))
    rows = []
    for c, (who, decider, state, comment), reason in zip(named, plans, text.IDENTITY_REASONS, strict=False):
        asked = min(c.received_on + timedelta(days=2), today)
        row = IdentityAccess(complaint=c, requested_by=users[who], reason=reason, state=state,
                             decision_comment=comment)
        if decider:
            decided = min(asked + timedelta(days=1), today)
            row.decided_by, row.decided_at = users[decider], at(decided, 16)
        if state == IdentityAccess.State.GRANTED:
            row.expires_on, row.views = today + timedelta(days=30), 2
            row.last_viewed_at = at(min(asked + timedelta(days=3), today), 10)
        stamp(row, requested_at=at(asked, 9))
        rows.append(row)
    insert(IdentityAccess, rows)
    return len(rows)


def _online(drawer: _Drawer, today: date) -> list[str]:
    """Receipt codes for a few online complaints of the running round, and messages on them."""
    online = [c for c in drawer.complaints if c.channel in (C.ONLINE, C.QR) and c.round.state == Round.State.STATIONED
              and c.duplicate_of_id is None][:RECEIPTS]
    codes = [receipts.display(receipts.issue(c)) for c in online]
    messages = []
    for c in online:
        for n, (public, words) in enumerate(text.MESSAGES):
            row = ComplaintMessage(complaint=c, from_public=public, text=words,
                                   author=None if public else drawer.users["office_staff"])
            stamp(row, created_at=at(min(c.received_on + timedelta(days=1 + 2 * n), today), 10 + n))
            messages.append(row)
    insert(ComplaintMessage, messages)
    return codes


def _announcement(county: Committee, today: date) -> Announcement | None:
    """The running round's first group's announcement runs from 10 days before the build day to 20
    days after it, so the public portal always has one in force."""
    announcement = (Announcement.objects.filter(group__round__committee=county, group__round__state=Round.State.STATIONED)
                    .order_by("group__number").first())
    if announcement is not None:
        announcement.period_start, announcement.period_end = today - timedelta(days=10), today + timedelta(days=20)
        announcement.published = True
        announcement.save(update_fields=["period_start", "period_end", "published"])
    return announcement


def build(*, seed: int, county: Committee, users: dict[str, User],
          progress: Callable[[str], None]) -> dict[str, int]:
    """Complaints of the county's present term with their handling, identities, duplicates,
    receipts and messages; an announcement in force on the build day."""
    started, today = clock.monotonic(), timezone.localdate()
    drawer = _Drawer(seed, county, users, today)
    drawer.draw()
    complaints = drawer.complaints
    _number(complaints)
    originals = [c for c in complaints if c.duplicate_of is None]
    insert(Complaint, originals)
    insert(Complaint, [c for c in complaints if c.duplicate_of is not None])
    for c, step in drawer.steps:
        step.complaint = c
    ComplaintStep.objects.bulk_create([s for _c, s in drawer.steps], batch_size=BATCH)
    links = _papers(complaints)
    requests = _identity_requests(drawer, today)
    codes = _online(drawer, today)
    announcement = _announcement(county, today)
    channels = Counter(c.channel for c in complaints)
    handling = Counter(c.handling for c in complaints)
    counts = {"complaints": len(complaints), "complaints_named": sum(1 for c in complaints if not c.anonymous),
              "complaint_duplicates": sum(1 for c in complaints if c.duplicate_of is not None),
              "complaint_steps": len(drawer.steps), "complaint_papers": len(links), "identity_requests": requests,
              "receipts": len(codes)}
    progress(f"  complaints: {counts['complaints']} ("
             + ", ".join(f"{n} {ch}" for ch, n in sorted(channels.items())) + "; "
             + ", ".join(f"{n} {h}" for h, n in sorted(handling.items()))
             + f"), {counts['complaints_named']} named, {counts['complaint_duplicates']} duplicates, "
             f"{requests} identity requests, {len(links)} linked to working papers; built in "
             f"{clock.monotonic() - started:.1f} s")
    if announcement is not None:
        progress(f"  public portal: announcement of {announcement.group} in force "
                 f"{announcement.period_start:%Y-%m-%d} to {announcement.period_end:%Y-%m-%d}; receipt codes of "
                 f"online complaints (status page): {', '.join(codes)}")
    return counts
