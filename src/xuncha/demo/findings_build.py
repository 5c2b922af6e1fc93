"""Store the demo findings: the shipped checklists for both counties, then for every round of
the present term the working papers with their sign-off history and the problems made of
them, and one peer-review session. Runs inside the demo's one transaction, after the rounds.

The checklists go through the checklist services (installed as published version 1; a
version 2 of the village checklist, one manifestation reworded, comes into force before the
running round, so older problems stay classified under version 1). Papers, steps and
problems are bulk-inserted: `save()` is skipped, so round, group, organization, number and
search text are set here.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import User
from xuncha.checklist import services as checklist_services
from xuncha.checklist.models import Item, Library, Version
from xuncha.demo import findings_review
from xuncha.demo.findings_draw import FindingsDrawer, MatterPlan, RoundInput, Target
from xuncha.demo.findings_text import Manifestation, Place, family_of
from xuncha.findings.models import PaperStep, Problem, WorkingPaper
from xuncha.registry.models import Committee, Organization
from xuncha.rounds.models import Assignment, Group, GroupMember, Round
from xuncha.rounds.services import ROLE_OF_MEMBER
from xuncha.text.search import search_key

BATCH = 500
CHECKLIST_KINDS = ("village", "township", "department")
TERM = 14
INSTALLED_ON = datetime(2021, 9, 28, 10, 0)
REWORDED = ("V3.4.2", "村务、财务公开不及时、不全面，公开内容笼统、关键明细缺失，未同步在“阳光村务”平台公开")


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def install_checklists(committees: list[Committee]) -> list[Library]:
    """The shipped checklists for villages, townships and departments, as published version 1."""
    libraries = [checklist_services.install_default(actor=policy.CONSOLE, committee=c, kind_code=kind)
                 for c in committees for kind in CHECKLIST_KINDS]
    Version.objects.filter(library__in=libraries).update(created_at=_aware(INSTALLED_ON - timedelta(days=2)),
                                                         published_at=_aware(INSTALLED_ON))
    return libraries


def village_version_2(county: Committee, published: date) -> Version | None:
    """A second village version with one manifestation reworded, in force from `published`."""
    library = Library.objects.get(committee=county, kind__code="village")
    key, title = REWORDED
    draft = checklist_services.draft_create(actor=policy.CONSOLE, library=library,
                                            note="村务公开增加“阳光村务”平台要求")
    item = Item.objects.filter(version=draft, key=key).first()
    if item is None:
        checklist_services.draft_discard(actor=policy.CONSOLE, version=draft)
        return None
    checklist_services.item_update(actor=policy.CONSOLE, item=item, title=title)
    version = checklist_services.publish(actor=policy.CONSOLE, version=draft)
    moment = _aware(datetime.combine(published, datetime.min.time()) + timedelta(hours=10))
    Version.objects.filter(pk=version.pk).update(created_at=moment - timedelta(days=5), published_at=moment)
    return version


def manifestations(version: Version) -> list[Manifestation]:
    rows = (Item.objects.filter(version=version, level=Item.Level.MANIFESTATION)
            .select_related("parent__parent").order_by("parent__parent__position", "parent__position", "position"))
    return [Manifestation(i.pk, i.key, i.title, i.parent.title, i.parent.parent.title,
                          family_of(i.title, i.parent.title, i.parent.parent.title)) for i in rows]


def _place(organization: Organization, children: dict[int, list[str]]) -> Place:
    kind = organization.kind.code
    if kind == "village":
        kind = "community" if organization.name.endswith("社区") else "village"
    elif kind != "township":
        kind = "department"
    return Place(organization.name, kind, tuple(children.get(organization.pk, ())))


class _Writer:
    """Turns the draw into rows."""

    def __init__(self, users: dict[str, User]) -> None:
        self.users = users
        self.papers: list[WorkingPaper] = []
        self.paper_authors: list[tuple[int, list[GroupMember]]] = []  # (index in papers, members)
        self.steps: list[tuple[int, PaperStep]] = []
        self.problems: list[Problem] = []
        self.problem_papers: list[tuple[int, list[int]]] = []
        self.seq_paper: dict[int, int] = {}
        self.seq_problem: dict[int, int] = {}
        self.stamps: list[tuple[datetime, datetime]] = []  # papers' created and updated
        self.problem_stamps: list[datetime] = []

    def actor(self, who: str, leader: GroupMember | None, deputy: GroupMember | None,
              authors: list[GroupMember]) -> tuple[User | None, str]:
        if who in ("office", "office_staff", "office_admin"):
            return self.users["office_staff"], "office_staff"
        member = {"author": authors[0], "deputy": deputy or leader, "leader": leader}[who]
        if member is None:
            return None, ""
        return member.user, ROLE_OF_MEMBER[member.role]

    def add(self, plan: MatterPlan, group: Group, assignment: Assignment, members: list[GroupMember]) -> None:
        leader = next((m for m in members if m.role == GroupMember.Role.LEADER), None)
        deputy = next((m for m in members if m.role == GroupMember.Role.DEPUTY), None)
        writers = [m for m in members if m.role in (GroupMember.Role.MEMBER, GroupMember.Role.DEPUTY)] or members
        indices = []
        for paper in plan.papers:
            authors = [writers[i % len(writers)] for i in paper.authors]
            self.seq_paper[group.pk] = seq = self.seq_paper.get(group.pk, 0) + 1
            number = WorkingPaper.number_for(group, seq)
            matter, text = plan.matter, paper.text
            row = WorkingPaper(
                group=group, round_id=group.round_id, assignment=assignment, seq=seq, number=number,
                title=matter.title, source=paper.source, facts=text.facts, informants=text.informants,
                learned_on=paper.learned_on, place=text.place, classification_id=plan.manifestation.pk,
                basis=text.basis, amount=matter.amount, persons_involved=matter.persons[:300], kind=plan.kind,
                state=paper.state, frozen_at=_aware(paper.frozen) if paper.frozen else None,
                search_text=search_key(matter.title, text.facts, text.basis, matter.persons, number),
                created_by=authors[0].user,
            )
            indices.append(len(self.papers))
            self.papers.append(row)
            self.paper_authors.append((len(self.papers) - 1, list(dict.fromkeys(authors))))
            for s in paper.steps:
                user, role = self.actor(s.actor, leader, deputy, authors)
                self.steps.append((len(self.papers) - 1, PaperStep(
                    action=s.action, from_state=s.source, to_state=s.target, actor=user, role=role,
                    at=_aware(s.at), comment=s.comment)))
            last = paper.steps[-1].at if paper.steps else paper.created
            self.stamps.append((_aware(paper.created), _aware(last)))
        if all(p.state in ("signed", "registered") for p in plan.papers):
            self.seq_problem[group.pk] = seq = self.seq_problem.get(group.pk, 0) + 1
            matter = plan.matter
            self.problems.append(Problem(
                round_id=group.round_id, group=group, assignment=assignment,
                organization_id=assignment.organization_id, seq=seq, title=matter.title,
                description=matter.description, classification_id=plan.manifestation.pk, kind=plan.kind,
                severity=plan.severity, amount=matter.amount,
                search_text=search_key(matter.title, matter.description),
                created_by=leader.user if leader else None,
            ))
            self.problem_papers.append((len(self.problems) - 1, indices))
            done = max(s.at for p in plan.papers for s in p.steps)
            self.problem_stamps.append(_aware(done + timedelta(hours=2)))

    def save(self) -> None:
        WorkingPaper.objects.bulk_create(self.papers, batch_size=BATCH)
        for paper, (created, updated) in zip(self.papers, self.stamps, strict=True):
            paper.created_at, paper.updated_at = created, updated
        WorkingPaper.objects.bulk_update(self.papers, ["created_at", "updated_at"], batch_size=BATCH)
        Authors = WorkingPaper.authors.through
        Authors.objects.bulk_create([Authors(workingpaper_id=self.papers[i].pk, groupmember_id=m.pk)
                                     for i, members in self.paper_authors for m in members], batch_size=BATCH)
        for i, step in self.steps:
            step.paper = self.papers[i]
        PaperStep.objects.bulk_create([s for _i, s in self.steps], batch_size=BATCH)
        Problem.objects.bulk_create(self.problems, batch_size=BATCH)
        for problem, stamp in zip(self.problems, self.problem_stamps, strict=True):
            problem.created_at = problem.updated_at = stamp
        Problem.objects.bulk_update(self.problems, ["created_at", "updated_at"], batch_size=BATCH)
        Papers = Problem.papers.through
        Papers.objects.bulk_create([Papers(problem_id=self.problems[i].pk, workingpaper_id=self.papers[j].pk)
                                    for i, papers in self.problem_papers for j in papers], batch_size=BATCH)


def build(*, seed: int, county: Committee, others: list[Committee], users: dict[str, User],
          progress: Callable[[str], None]) -> dict[str, int]:
    """Checklists, papers, problems and a peer review for the county's present term."""
    started = clock.monotonic()
    libraries = install_checklists([county, *others])
    rounds = list(Round.objects.filter(committee=county, term__number=TERM).select_related("term")
                  .order_by("number"))
    running = [r for r in rounds if r.state == Round.State.STATIONED]
    v2 = village_version_2(county, running[0].planned_entry - timedelta(days=20)) if running else None
    progress(f"  checklists: {len(libraries)} installed for {1 + len(others)} committees"
             f"{' (village checklist at version 2)' if v2 else ''}")
    versions = {v.library.kind.code: v for v in Version.objects.filter(library__committee=county, number=1)
                .select_related("library__kind")}
    pools = {kind: manifestations(v) for kind, v in versions.items()}
    newer = {"village": manifestations(v2)} if v2 else {}

    groups = list(Group.objects.filter(round__in=rounds).select_related("round__term").order_by("round__number",
                                                                                                  "number"))
    assignments = list(Assignment.objects.filter(round__in=rounds).select_related("organization__kind")
                       .order_by("round_id", "group__number", "pk"))
    members: dict[int, list[GroupMember]] = {}
    for m in (GroupMember.objects.filter(group__in=groups).select_related("user", "person")
              .order_by("group_id", "pk")):
        members.setdefault(m.group_id, []).append(m)
    township_ids = {a.organization_id for a in assignments if a.organization.kind.code == "township"}
    children: dict[int, list[str]] = {}
    for parent, name in (Organization.objects.filter(parent__in=township_ids).order_by("pk")
                         .values_list("parent_id", "name")):
        children.setdefault(parent, []).append(name)

    drawer = FindingsDrawer(seed)
    writer = _Writer(users)
    for rnd in rounds:
        own_groups = [g for g in groups if g.round_id == rnd.pk]
        index = {g.pk: i for i, g in enumerate(own_groups)}
        mine = [a for a in assignments if a.round_id == rnd.pk and a.organization.kind.code in CHECKLIST_KINDS]
        targets = [Target(i, a.organization_id, index[a.group_id], _place(a.organization, children),
                          a.organization.kind.code) for i, a in enumerate(mine)]
        is_running = rnd.state == Round.State.STATIONED
        plan_input = RoundInput(rnd.number, rnd.kind, rnd.planned_entry, is_running, targets,
                                {**pools, **(newer if is_running else {})})
        writing = [len([m for m in members.get(g.pk, []) if m.role in ("member", "deputy")]) for g in own_groups]
        for plan in drawer.draw(plan_input, writing):
            assignment = mine[plan.target.index]
            group = own_groups[plan.target.group]
            writer.add(plan, group, assignment, members.get(group.pk, []))
    writer.save()
    kinds = {k: sum(1 for p in writer.problems if p.kind == k) for k in ("general", "lead", "cadre")}
    progress(f"  findings: {len(writer.papers)} working papers ({len(writer.steps)} sign-off steps), "
             f"{len(writer.problems)} problems ({kinds['lead']} leads, {kinds['cadre']} cadre-selection)")
    reviews = findings_review.build(seed=seed, county=county, users=users, members=members)
    progress(f"  peer review: {reviews} papers reviewed; findings built in {clock.monotonic() - started:.1f} s")
    return {"checklists": len(libraries), "papers": len(writer.papers), "problems": len(writer.problems),
            "leads": kinds["lead"], "reviews": reviews}
