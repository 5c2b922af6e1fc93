"""Store the demo rounds: policy, pool, terms, rounds with their history, groups, targets,
members and what the groups recorded. Runs inside the demo's one transaction.

Rows are bulk-inserted like the registry's, but every member is checked against every target
of the group with `conflicts_between` (a member who conflicts is left out), and the demo
accounts' group access is granted through `group_role_grant`, like any membership.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from xuncha.access import policy
from xuncha.access import services as access_services
from xuncha.access.models import User
from xuncha.demo import fieldwork as logs
from xuncha.demo.rounds import RoundPlan, RoundsPlan
from xuncha.registry.models import (
    Committee,
    Organization,
    OrganizationKind,
    Person,
    Relative,
    WorkHistory,
)
from xuncha.rounds.models import (
    Announcement,
    Assignment,
    ConflictDeclaration,
    DocumentRequest,
    DrawRecord,
    Group,
    GroupMember,
    GuidanceVisit,
    InspectorEvaluation,
    InspectorProfile,
    Interview,
    MemberDeclaration,
    OnTheSpotFix,
    Prescription,
    Round,
    RoundsPolicy,
    RoundTransition,
    Term,
)
from xuncha.rounds.recusal import CLOSE_RELATIONS, conflicts_between
from xuncha.rounds.services import ROLE_OF_MEMBER

BATCH = 500


class PlanConflict(Exception):
    """A demo account's person would have to recuse from their group's targets."""


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def _noon(day: date) -> datetime:
    return _aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=12))


class _Builder:
    def __init__(self, plan: RoundsPlan, county: Committee, organizations: list[Organization],
                 people: list[Person], users: dict[str, User]) -> None:
        self.plan = plan
        self.county = county
        self.orgs = organizations
        self.people = people
        self.users = users
        self.groups: list[tuple[RoundPlan, object, Group]] = []  # (round plan, group plan, group)
        self.skipped = 0

    def policy_and_pool(self) -> list[InspectorProfile]:
        rounds_policy = RoundsPolicy.objects.create(committee=self.county,
                                                    recusal_years=self.plan.recusal_years)
        rounds_policy.covered_kinds.set(OrganizationKind.objects.filter(code__in=self.plan.covered_kinds))
        profiles = [InspectorProfile(committee=self.county, person=self.people[i.person], skills=list(i.skills),
                                     available=i.available, note=i.note, approved_on=i.approved_on)
                    for i in self.plan.inspectors]
        InspectorProfile.objects.bulk_create(profiles, batch_size=BATCH)
        ConflictDeclaration.objects.bulk_create([
            ConflictDeclaration(person=self.people[d.person], organization=self.orgs[d.organization],
                                reason=d.reason, declared_on=d.declared_on)
            for d in self.plan.declared_conflicts])
        return profiles

    def rounds(self) -> list[Round]:
        terms = [Term(committee=self.county, number=t.number, name=t.name, start_date=t.start,
                      end_date=t.end, planned_rounds=t.planned_rounds) for t in self.plan.terms]
        Term.objects.bulk_create(terms)
        rounds = [Round(term=terms[r.term], committee=self.county, number=r.number, kind=r.kind, title=r.title,
                        theme=r.theme, planned_entry=r.entry, planned_exit=r.exit, state=r.state)
                  for r in self.plan.rounds]
        Round.objects.bulk_create(rounds)
        RoundTransition.objects.bulk_create([
            RoundTransition(round=rnd, action=t.action, from_state=t.source, to_state=t.target,
                            actor=self.users[t.actor], at=_aware(t.at), comment=t.comment)
            for r, rnd in zip(self.plan.rounds, rounds, strict=True) for t in r.transitions
        ], batch_size=BATCH)
        groups, targets = [], []
        for r, rnd in zip(self.plan.rounds, rounds, strict=True):
            for g in r.groups:
                group = Group(round=rnd, number=g.number)
                groups.append(group)
                self.groups.append((r, g, group))
        Group.objects.bulk_create(groups, batch_size=BATCH)
        for _r, g, group in self.groups:
            targets += [Assignment(round=group.round, group=group, organization=self.orgs[t.organization],
                                   mode=t.mode) for t in g.targets]
        Assignment.objects.bulk_create(targets, batch_size=BATCH)
        return rounds

    def suspects(self) -> set[tuple[int, int]]:
        """(person, organization) pairs that might conflict: the same organization or one
        next to it, a work history entry, a relative, a declaration. Only these can give
        `conflicts_between` anything to say, so only these are put to it, which keeps
        the build fast."""
        pairs = {(self.people[m.person], self.orgs[t.organization])
                 for _r, g, _group in self.groups for m in g.members for t in g.targets}
        found = {(p.pk, o.pk) for p, o in pairs
                 if o.pk in (p.organization_id, p.organization.parent_id) or o.parent_id == p.organization_id}
        people = {p.pk for p, _o in pairs}
        organizations = {o.pk for _p, o in pairs}
        for rows in (WorkHistory.objects.filter(person__in=people, organization__in=organizations),
                     Relative.objects.filter(person__in=people, organization__in=organizations,
                                             relation__in=CLOSE_RELATIONS),
                     ConflictDeclaration.objects.filter(person__in=people, organization__in=organizations)):
            found.update(rows.values_list("person_id", "organization_id"))
        return found

    def members(self) -> list[GroupMember]:
        """Every planned member who has no conflict with the group's targets; the demo
        accounts get their group's access."""
        members: list[GroupMember] = []
        planned = []
        suspects = self.suspects()
        for r, g, group in self.groups:
            targets = [self.orgs[t.organization] for t in g.targets]
            for m in g.members:
                person = self.people[m.person]
                conflicts = [c for target in targets if (person.pk, target.pk) in suspects
                             for c in conflicts_between(person, target, on=r.entry, years=self.plan.recusal_years)]
                if conflicts:
                    if m.account:
                        raise PlanConflict(conflicts[0].sentence)
                    self.skipped += 1
                    continue
                members.append(GroupMember(group=group, person=person, role=m.role,
                                           user=self.users[m.account] if m.account else None))
                planned.append((r, m))
        GroupMember.objects.bulk_create(members, batch_size=BATCH)
        with_access = []
        for member, (_r, m) in zip(members, planned, strict=True):
            if m.account:
                member.access = access_services.group_role_grant(
                    actor=policy.CONSOLE, user=member.user, role=ROLE_OF_MEMBER[member.role], group=member.group)
                with_access.append(member)
        GroupMember.objects.bulk_update(with_access, ["access"])
        staff = self.users["office_staff"]
        MemberDeclaration.objects.bulk_create([
            MemberDeclaration(member=member, kind=kind, signed_on=r.entry - timedelta(days=3),
                              content=logs.DECLARATIONS[kind], recorded_by=staff)
            for member, (r, m) in zip(members, planned, strict=True) for kind in m.declarations
        ], batch_size=BATCH)
        return members

    def draws_and_evaluations(self, rounds: list[Round], profiles: list[InspectorProfile]) -> int:
        admin = self.users["office_admin"]
        DrawRecord.objects.bulk_create([
            DrawRecord(group=group, requested=g.requested, seed=g.seed,
                       result=[self.people[p].pk for p in g.drawn], shortfall=g.shortfall, drawn_by=admin)
            for _r, g, group in self.groups])
        profile_of = {p.person_id: p for p in profiles}
        evaluations = [InspectorEvaluation(profile=profile_of[self.people[e.person].pk], round=rounds[e.round],
                                           grade=e.grade, comment=e.comment, evaluated_by=admin)
                       for e in self.plan.evaluations]
        InspectorEvaluation.objects.bulk_create(evaluations, batch_size=BATCH)
        return len(evaluations)

    def backdate(self, rounds: list[Round]) -> None:
        """Rows stamped when they are saved get the dates they would have had."""
        for r, rnd in zip(self.plan.rounds, rounds, strict=True):
            created = _aware(r.transitions[0].at) - timedelta(days=10)
            drawn = _noon(r.entry - timedelta(days=30))
            Round.objects.filter(pk=rnd.pk).update(created_at=created)
            GroupMember.objects.filter(group__round=rnd).update(added_at=drawn)
            Assignment.objects.filter(round=rnd).update(added_at=drawn - timedelta(days=1))
            DrawRecord.objects.filter(group__round=rnd).update(drawn_at=drawn)
            InspectorEvaluation.objects.filter(round=rnd).update(
                evaluated_at=_aware(r.transitions[-1].at) + timedelta(days=5))

    def fieldwork(self) -> dict[str, int]:
        counts = dict.fromkeys(("announcements", "interviews", "document_requests", "spot_fixes",
                                "guidance_visits", "prescriptions"), 0)
        announcements, interviews, documents, fixes = [], [], [], []
        visits: list[tuple[GuidanceVisit, list[logs.PrescriptionPlan]]] = []
        staff = self.users["office_staff"]
        for _r, g, group in self.groups:
            # The group's own account, when it has one, is who wrote its logs down.
            writer = next((self.users[m.account] for m in g.members if m.account), None)
            if g.announcement is not None:
                a = g.announcement
                announcements.append(Announcement(group=group, scope=a.scope, phone=a.phone, mailbox=a.mailbox,
                                                  email=a.email, period_start=a.start, period_end=a.end,
                                                  published=True))
            interviews += [Interview(group=group, interviewee=i.interviewee, post=i.post, held_at=_aware(i.held_at),
                                     place=i.place, interviewers=i.interviewers, recorder=i.recorder,
                                     summary=i.summary, recorded_by=writer) for i in g.interviews]
            documents += [DocumentRequest(group=group, item=d.item, copies=d.copies, medium=d.medium,
                                          original=d.original, due=d.due, provided_on=d.provided_on,
                                          returned_on=d.returned_on, requested_on=d.requested_on)
                          for d in g.documents]
            fixes += [OnTheSpotFix(group=group, organization=self.orgs[f.organization], item=f.item,
                                   fixed_on=f.fixed_on, measure=f.measure) for f in g.fixes]
            if g.guidance is not None:
                v = g.guidance
                visits.append((GuidanceVisit(group=group, visited_on=v.visited_on, leaders=v.leaders,
                                             diagnoses=v.diagnoses, recorded_by=staff), v.prescriptions))
        Announcement.objects.bulk_create(announcements)
        Interview.objects.bulk_create(interviews, batch_size=BATCH)
        DocumentRequest.objects.bulk_create(documents, batch_size=BATCH)
        OnTheSpotFix.objects.bulk_create(fixes, batch_size=BATCH)
        GuidanceVisit.objects.bulk_create([v for v, _ in visits])
        prescriptions = [Prescription(visit=v, content=p.content, owner=p.owner, due=p.due, status=p.status,
                                      answer=p.answer, answered_at=_aware(p.answered_at) if p.answered_at else None)
                         for v, planned in visits for p in planned]
        Prescription.objects.bulk_create(prescriptions)
        counts.update(announcements=len(announcements), interviews=len(interviews),
                      document_requests=len(documents), spot_fixes=len(fixes), guidance_visits=len(visits),
                      prescriptions=len(prescriptions))
        return counts


def build(plan: RoundsPlan, *, county: Committee, organizations: list[Organization], people: list[Person],
          users: dict[str, User], progress: Callable[[str], None]) -> dict[str, int]:
    """Store the rounds of `plan`; returns the figures for the summary and the audit event."""
    builder = _Builder(plan, county, organizations, people, users)
    profiles = builder.policy_and_pool()
    rounds = builder.rounds()
    current = [r for r in plan.rounds if r.term == plan.current_term]
    progress(f"  rounds: {len(plan.terms)} terms, {len(rounds)} rounds "
             f"({plan.terms[-1].name} {len(current)}), {len(builder.groups)} groups, "
             f"{sum(len(g.targets) for r in plan.rounds for g in r.groups)} targets")
    members = builder.members()
    n_evaluations = builder.draws_and_evaluations(rounds, profiles)
    progress(f"  pool: {len(profiles)} inspectors ({sum(not p.available for p in profiles)} unavailable), "
             f"{len(members)} memberships, {n_evaluations} evaluations")
    counts = builder.fieldwork()
    builder.backdate(rounds)
    progress(f"  fieldwork: {counts['announcements']} announcements, {counts['interviews']} interviews, "
             f"{counts['document_requests']} document requests, {counts['spot_fixes']} on-the-spot fixes, "
             f"{counts['guidance_visits']} guidance visits ({counts['prescriptions']} prescriptions)")
    return {"terms": len(plan.terms), "rounds": len(rounds), "groups": len(builder.groups),
            "members": len(members), "inspectors": len(profiles), "skipped_members": builder.skipped,
            "evaluations": n_evaluations, **counts}
