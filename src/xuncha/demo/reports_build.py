"""Store the demo reports and feedback: the county's deadline policy history, then for every
target of the present term's rounds that reached reporting the inspection report (and, where
the target has leads, the confidential leads report) with its versions and approval history,
and for every target whose round reached feedback the feedback with its meeting and copies.
Runs inside the demo's one transaction, right after the findings.

Rows are bulk-inserted from the models (no services): stamps that the models set on save
(created_at) are written afterwards, as the findings build does. No Word files are generated.
The approval chain is the default one; a report's `steps` are a copy of it, an approved
report's `step` is past the last step, and a return sends the report back to the group, whose
resubmission goes to the step that returned it.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xuncha.access.models import RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.checklist.models import Item
from xuncha.demo import reports_text as text
from xuncha.demo.findings_build import TERM
from xuncha.findings.models import Problem
from xuncha.rectification.deadlines import add_months
from xuncha.rectification.models import DeadlinePolicy
from xuncha.registry.models import Committee, Organization
from xuncha.reports.models import (
    DocKind,
    Feedback,
    FeedbackCopy,
    FeedbackMeeting,
    Report,
    ReportStep,
    ReportVersion,
)
from xuncha.rounds.models import Assignment, GroupMember, Round, RoundTransition
from xuncha.rounds.services import ROLE_OF_MEMBER

BATCH = 500
CHAIN = (
    {"name": "组务会", "roles": ["group_leader", "group_deputy"]},
    {"name": "组长", "roles": ["group_leader"]},
    {"name": "巡察办", "roles": ["office_admin", "office_staff"]},
    {"name": "领导小组", "roles": ["leader"]},
    {"name": "书记专题会", "roles": ["leader"]},
)
POLICY_CHANGED = date(2024, 2, 8)
POLICY_BASIS = ("《中国共产党巡视工作条例》及县委巡察工作实施办法规定的工作时限",
                "《条例》修订后县委巡察工作领导小组调整工作时限")
REPORTING = (Round.State.REPORTING,)
FED_BACK = (Round.State.FEEDBACK, Round.State.RECTIFYING, Round.State.COMPLETED)
RETURN_RATE = 0.15
ACKNOWLEDGE_RATE = 0.9
# Where a copy of the feedback goes besides the discipline commission and the organization
# department: the department responsible for the kind of organization (for a village, its township).
LEAD_DEPARTMENT = {"school": "县教育体育局", "hospital": "县卫生健康局", "soe": "县财政局"}
LEADER_IN_CHARGE = "县政府办公室"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass(slots=True)
class _Report:
    row: Report
    versions: list[ReportVersion] = field(default_factory=list)
    steps: list[tuple[int, ReportStep]] = field(default_factory=list)  # (index of the version, step)
    created: datetime | None = None
    approved: datetime | None = None


class _Builder:
    def __init__(self, seed: int, county: Committee, users: dict[str, User]) -> None:
        self.rng = random.Random(f"reports-{seed}")
        self.county = county
        self.users = users
        self.reports: list[_Report] = []
        self.feedback: list[tuple[Feedback, list[int]]] = []
        self.meetings: list[FeedbackMeeting] = []
        self.copies: list[tuple[int, FeedbackCopy]] = []  # (index in feedback, copy)
        self.stamps: list[datetime] = []  # feedback created_at

    # -- deadline policy --------------------------------------------------------------------

    def policies(self, start: date) -> list[DeadlinePolicy]:
        admin = self.users.get("office_admin")
        rows = [DeadlinePolicy(committee=self.county, effective_from=start, basis=POLICY_BASIS[0], created_by=admin),
                DeadlinePolicy(committee=self.county, effective_from=POLICY_CHANGED, basis=POLICY_BASIS[1],
                               progress_report_months=2, created_by=admin)]
        DeadlinePolicy.objects.bulk_create(rows)
        for row in rows:
            DeadlinePolicy.objects.filter(pk=row.pk).update(created_at=_at(row.effective_from - timedelta(days=10), 10))
        return rows

    # -- reports ----------------------------------------------------------------------------

    def actors(self, members: list[GroupMember]) -> tuple[tuple[User | None, str], tuple[User | None, str]]:
        """(the drafter, the group leader) as (account or None, role)."""
        leader = next((m for m in members if m.role == GroupMember.Role.LEADER), None)
        deputy = next((m for m in members if m.role == GroupMember.Role.DEPUTY), None) or leader
        def who(m: GroupMember | None, fallback: str) -> tuple[User | None, str]:
            return (m.user, ROLE_OF_MEMBER[m.role]) if m else (None, fallback)
        return who(deputy, Role.GROUP_DEPUTY), who(leader, Role.GROUP_LEADER)

    def report(self, assignment: Assignment, kind: str, title: str, sections: Callable[[int], list[dict]],
               schedule: dict[str, date], members: list[GroupMember], *, complete: bool, returns: bool) -> _Report:
        """A report through the chain: generated, edited by the group, submitted to the 组务会,
        approved step by step (one return when `returns`); `complete` False stops it on the way."""
        rng = self.rng
        (drafter, drafter_role), (leader, leader_role) = self.actors(members)
        office = self.users["office_admin"] if rng.random() < 0.5 else self.users["office_staff"]
        office_role = Role.OFFICE_ADMIN if office == self.users["office_admin"] else Role.OFFICE_STAFF
        chief = self.users["leader"]
        item = _Report(Report(assignment=assignment, kind=kind, title=title, created_by=drafter))
        item.created = _at(schedule["drafted"], 9, rng.randint(0, 50))

        def version(note: int, moment: datetime, by: User | None) -> int:
            # Each version reads a little further on than the one before it.
            v = ReportVersion(number=len(item.versions) + 1, sections=sections(len(item.versions)),
                              note=text.VERSION_NOTES[note], created_by=by)
            v.created_at = moment
            item.versions.append(v)
            return len(item.versions) - 1

        def step(index: int, action: str, moment: datetime, actor: User | None, role: str, comment: str = "") -> None:
            item.steps.append((len(item.versions) - 1, ReportStep(
                step=index, step_name=CHAIN[index]["name"], action=action, actor=actor, role=role,
                at=moment, comment=comment)))

        version(0, item.created, drafter)
        if not complete and rng.random() < 0.5:
            return self._stop(item, Report.State.DRAFT, 0)
        meeting = schedule["meeting"]
        version(1, _at(meeting - timedelta(days=1), 16, rng.randint(0, 50)), drafter)
        step(0, "submit", _at(meeting, 9, 30), drafter, drafter_role)
        step(0, "approve", _at(meeting, 11, rng.randint(0, 50)), leader, leader_role, text.step_comment("组务会"))
        returned_at = rng.choice((1, 2, 2)) if returns else None
        day = meeting + timedelta(days=1)
        plan = [(1, leader, leader_role), (2, office, office_role)]
        for index, actor, role in plan:
            if not complete and index == 2:
                return self._stop(item, Report.State.IN_REVIEW, index)
            if returned_at == index:
                name = CHAIN[index]["name"]
                step(index, "return", _at(day, 15, rng.randint(0, 50)), actor, role, text.return_comment(name, rng))
                day += timedelta(days=1)
                if len(item.versions) < 4:
                    version(2, _at(day, 10, rng.randint(0, 50)), drafter)
                day += timedelta(days=1)
                step(index, "submit", _at(day, 9, rng.randint(0, 30)), drafter, drafter_role)
            step(index, "approve", _at(day, 16, rng.randint(0, 50)), actor, role, text.step_comment(CHAIN[index]["name"]))
            day += timedelta(days=rng.randint(1, 2))
        if len(item.versions) < 4 and rng.random() < 0.4:  # the text put to the leading group
            version(3, _at(day, 10, rng.randint(0, 50)), office)
        order = len(self.reports) % 50
        step(3, "approve", _at(schedule["leading"], 9, 0) + timedelta(minutes=5 * order), chief, Role.LEADER,
             text.step_comment("领导小组"))
        item.approved = _at(schedule["secretary"], 15, 0) + timedelta(minutes=3 * order)
        step(4, "approve", item.approved, chief, Role.LEADER, text.step_comment("书记专题会"))
        item.row.state, item.row.steps, item.row.step = Report.State.APPROVED, list(CHAIN), len(CHAIN)
        self.reports.append(item)
        return item

    def _stop(self, item: _Report, state: str, step: int) -> _Report:
        item.row.state, item.row.step = state, step
        item.row.steps = list(CHAIN) if state != Report.State.DRAFT else []
        self.reports.append(item)
        return item

    def save_reports(self) -> tuple[int, int]:
        Report.objects.bulk_create([r.row for r in self.reports], batch_size=BATCH)
        versions: list[ReportVersion] = []
        for r in self.reports:
            for v in r.versions:
                v.report = r.row
                versions.append(v)
        stamps = [v.created_at for v in versions]
        ReportVersion.objects.bulk_create(versions, batch_size=BATCH)
        for v, stamp in zip(versions, stamps, strict=True):
            v.created_at = stamp
        ReportVersion.objects.bulk_update(versions, ["created_at"], batch_size=BATCH)
        steps = []
        for r in self.reports:
            for i, s in r.steps:
                s.report, s.version = r.row, r.versions[i]
                steps.append(s)
        ReportStep.objects.bulk_create(steps, batch_size=BATCH)
        for r in self.reports:
            r.row.created_at = r.created
            r.row.updated_at = r.steps[-1][1].at if r.steps else r.versions[-1].created_at
            if r.row.state == Report.State.APPROVED:
                r.row.approved_version = r.versions[-1]
        Report.objects.bulk_update([r.row for r in self.reports], ["created_at", "updated_at", "approved_version"],
                                   batch_size=BATCH)
        return len(versions), len(steps)

    # -- feedback ---------------------------------------------------------------------------

    def add_feedback(self, assignment: Assignment, target: text.Target, report: _Report, problems: list[int],
                     on: date, policies: list[DeadlinePolicy], copies: list[tuple[Organization, str]],
                     liaison: User | None) -> None:
        rng = self.rng
        policy = max((p for p in policies if p.effective_from <= on), key=lambda p: p.effective_from)
        acknowledged = liaison is not None or rng.random() < ACKNOWLEDGE_RATE
        issued = _at(on, 15, rng.randint(0, 50))
        row = Feedback(
            assignment=assignment, report=report.row, state=Feedback.State.ISSUED,
            requirements=text.requirements(target, count=len(problems),
                                           rectification_months=policy.rectification_months,
                                           progress_months=policy.progress_report_months),
            fed_back_on=on, policy=policy, rectification_due=add_months(on, policy.rectification_months),
            progress_report_due=add_months(on, policy.progress_report_months),
            issued_by=self.users["office_admin"], issued_at=issued,
            acknowledged_by=liaison if acknowledged else None,
            acknowledged_at=issued + timedelta(days=rng.randint(0, 2), hours=rng.randint(1, 18)) if acknowledged else None,
            created_by=self.users["office_staff"],
        )
        index = len(self.feedback)
        self.feedback.append((row, problems))
        self.stamps.append(report.approved + timedelta(days=1))
        self.meetings.append(FeedbackMeeting(
            feedback=row, held_on=on, place=text.meeting_place(target), attendees=text.attendees(target),
            receipt_acknowledged=acknowledged, notes=text.meeting_notes(target, acknowledged=acknowledged),
            recorded_by=self.users["office_staff"]))
        for organization, role in copies:
            self.copies.append((index, FeedbackCopy(organization=organization, role=role,
                                                    sent_on=on + timedelta(days=rng.randint(1, 3)))))

    def save_feedback(self) -> None:
        rows = [f for f, _ in self.feedback]
        Feedback.objects.bulk_create(rows, batch_size=BATCH)
        for row, stamp in zip(rows, self.stamps, strict=True):
            row.created_at = stamp
        Feedback.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
        Through = Feedback.problems.through
        Through.objects.bulk_create([Through(feedback_id=f.pk, problem_id=p) for f, ps in self.feedback for p in ps],
                                    batch_size=BATCH)
        for m in self.meetings:
            m.feedback_id = m.feedback.pk
        FeedbackMeeting.objects.bulk_create(self.meetings, batch_size=BATCH)
        for i, c in self.copies:
            c.feedback = rows[i]
        FeedbackCopy.objects.bulk_create([c for _, c in self.copies], batch_size=BATCH)


def _problems(rounds: list[Round]) -> dict[int, list[text.ProblemText]]:
    """The problems of the rounds by assignment, each with its focus and point."""
    rows = list(Problem.objects.filter(round__in=rounds).order_by("assignment_id", "seq")
                .values_list("pk", "assignment_id", "seq", "title", "description", "kind", "severity", "amount",
                             "classification_id"))
    items = {pk: rest for pk, *rest in Item.objects.filter(pk__in={r[-1] for r in rows}).values_list(
        "pk", "position", "parent__position", "parent__title", "parent__parent__position", "parent__parent__title")}
    out: dict[int, list[text.ProblemText]] = {}
    for pk, assignment, seq, title, description, kind, severity, amount, item in rows:
        position, point_position, point, focus_position, focus = items[item]
        out.setdefault(assignment, []).append(text.ProblemText(
            pk, seq, title, description, kind, severity, amount, (focus_position, focus), (point_position, point),
            position))
    return out


def build(*, seed: int, county: Committee, users: dict[str, User],
          progress: Callable[[str], None]) -> dict[str, int]:
    """Deadline policies, reports and feedback for the county's present term."""
    started = clock.monotonic()
    builder = _Builder(seed, county, users)
    first_term = county.terms.order_by("number").values_list("start_date", flat=True).first()
    policies = builder.policies(first_term or date(2016, 9, 1))
    rounds = list(Round.objects.filter(committee=county, term__number=TERM, state__in=REPORTING + FED_BACK)
                  .select_related("term").order_by("number"))
    fed_back = [r for r in rounds if r.state in FED_BACK]
    feedback_day = {rnd: timezone.localtime(at).date() for rnd, at in RoundTransition.objects.filter(
        round__in=rounds, to_state=Round.State.FEEDBACK).order_by("at").values_list("round_id", "at")}
    assignments = list(Assignment.objects.filter(round__in=rounds)
                       .select_related("group", "organization__kind", "organization__parent")
                       .order_by("round__number", "group__number", "organization__pinyin", "pk"))
    members: dict[int, list[GroupMember]] = {}
    for m in GroupMember.objects.filter(group__round__in=rounds).select_related("user").order_by("group_id", "pk"):
        members.setdefault(m.group_id, []).append(m)
    problems = _problems(rounds)
    liaisons = {org: user for org, user in RoleAssignment.objects.filter(
        role=Role.UNIT_LIAISON, user__in=list(users.values()), organization__isnull=False)
        .values_list("organization_id", "user")}
    accounts = {u.pk: u for u in users.values()}
    named = {o.name: o for o in Organization.objects.filter(
        committee=county, name__in=["县纪委监委", "县委组织部", LEADER_IN_CHARGE, *LEAD_DEPARTMENT.values()])}

    def copies(a: Assignment) -> list[tuple[Organization, str]]:
        kind = a.organization.kind.code
        out = [(named.get("县纪委监委"), FeedbackCopy.Role.DISCIPLINE),
               (named.get("县委组织部"), FeedbackCopy.Role.ORGANIZATION)]
        if kind == "village":
            out.append((a.organization.parent, FeedbackCopy.Role.LEAD_DEPARTMENT))
        elif kind in LEAD_DEPARTMENT:
            out.append((named.get(LEAD_DEPARTMENT[kind]), FeedbackCopy.Role.LEAD_DEPARTMENT))
        elif kind == "department":
            out.append((named.get(LEADER_IN_CHARGE), FeedbackCopy.Role.LEADER_IN_CHARGE))
        return [(o, role) for o, role in out if o is not None and o.pk != a.organization_id]

    rng = builder.rng
    for rnd in rounds:
        complete = rnd.state in FED_BACK
        exit_day = rnd.planned_exit
        fed_on = feedback_day.get(rnd.pk, exit_day + timedelta(days=35))
        leading = fed_on - timedelta(days=rng.randint(5, 9))
        secretary = fed_on - timedelta(days=rng.randint(2, 4))
        mine = [a for a in assignments if a.round_id == rnd.pk]
        meetings: dict[int, date] = {}
        position: dict[int, int] = {}
        for a in mine:
            meeting = meetings.setdefault(a.group_id, exit_day + timedelta(days=rng.randint(6, 10)))
            schedule = {"drafted": exit_day + timedelta(days=rng.randint(2, 4)), "meeting": meeting,
                        "leading": leading, "secretary": secretary}
            target = text.Target(a.organization.name, a.organization.kind.code, a.group.name, rnd.label, rnd.kind,
                                 a.mode, rnd.planned_entry, rnd.planned_exit)
            own = problems.get(a.pk, [])
            general = [p for p in own if p.kind != "lead"]
            leads = [p for p in own if p.kind == "lead"]
            group = members.get(a.group_id, [])
            voice = rng.random()
            report = builder.report(
                a, DocKind.REPORT, text.report_title(target),
                lambda stage, t=target, g=general, v=voice: text.report_sections(t, g, stage=stage,
                                                                                 rng=random.Random(v)),
                schedule, group, complete=complete, returns=rng.random() < RETURN_RATE)
            if leads:
                builder.report(a, DocKind.LEADS, text.leads_title(target),
                               lambda stage, t=target, ls=leads: text.leads_sections(t, ls, stage=stage),
                               schedule, group, complete=complete, returns=False)
            if complete and general:  # as the services: a feedback holds at least one problem
                position[a.group_id] = n = position.get(a.group_id, -1) + 1
                liaison = liaisons.get(a.organization_id)
                builder.add_feedback(a, target, report, [p.pk for p in general], fed_on + timedelta(days=min(n // 2, 4)),
                                     policies, copies(a), accounts.get(liaison) if liaison else None)
    n_versions, n_steps = builder.save_reports()
    builder.save_feedback()
    fed = Problem.objects.filter(round__in=fed_back).exclude(kind="lead").update(fed_back=True)
    n_leads = sum(1 for r in builder.reports if r.row.kind == DocKind.LEADS)
    progress(f"  reports: {len(builder.reports)} ({n_leads} leads reports), {n_versions} versions, "
             f"{n_steps} approval steps; feedback: {len(builder.feedback)} issued ({fed} problems fed back), "
             f"{len(builder.meetings)} meetings, {len(builder.copies)} copies; "
             f"built in {clock.monotonic() - started:.1f} s")
    return {"deadline_policies": len(policies), "reports": len(builder.reports), "leads_reports": n_leads,
            "report_versions": n_versions, "report_steps": n_steps, "feedback": len(builder.feedback),
            "feedback_meetings": len(builder.meetings), "feedback_copies": len(builder.copies),
            "problems_fed_back": fed}
