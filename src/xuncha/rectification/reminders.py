"""E-mail reminders of rectification deadlines (`xuncha remind`).

Every task of an approved plan not closed, progress report not submitted, disclosure due with
nothing published and transfer not answered whose warning level today is green, yellow or red
is mailed to its owners once per level: the task's reporting account (or, when it has none with
an address, every current liaison of the plan's organization), the organization's liaisons for a
progress report or a disclosure, the receiving organization's receiver accounts for a transfer.
Only active accounts with an e-mail address get mail. A Reminder row per (recipient, subject,
level) makes a second run send nothing until the level changes.

E-mail is off while XUNCHA_SMTP_HOST is empty: the command says so and sends nothing (in the
app, reminders are the workbench to-dos). The mail is written in Chinese, like the documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from xuncha.access import audit, policy
from xuncha.access.models import RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.rectification import warnings
from xuncha.rectification.models import Reminder
from xuncha.rectification.selectors.overdue import DEADLINE, Kind, everything, warned

SUBJECT_PREFIX = "【巡察整改提醒】"
WHAT = {Kind.TASK: "整改任务", Kind.REPORT: "整改进展情况报告", Kind.DISCLOSURE: "整改情况公开",
        Kind.TRANSFER: "移交事项办理情况反馈"}
LEVEL_WORDS = {warnings.Level.GREEN: "临近期限", warnings.Level.YELLOW: "即将到期", warnings.Level.RED: "已逾期"}


def enabled() -> bool:
    return bool(settings.EMAIL_HOST)


@dataclass
class Notice:
    """One thing to remind about, with its recipients."""

    kind: Kind
    key: str  # Reminder.subject: "task:<id>", "report:<feedback id>", "disclosure:<report id>", "transfer:<id>"
    level: str
    due: date
    committee_id: int
    organization: str
    title: str
    path: str
    recipients: list[User]


@dataclass
class Tally:
    notices: int = 0
    sent: int = 0
    already: int = 0
    unreachable: int = 0  # notices with no recipient holding an e-mail address
    messages: list[tuple[str, str]] = field(default_factory=list)  # (address, subject) in a dry run


def _path(name: str, *args, fallback: str = "workbench:home") -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback)


def _holders(role: str, organizations: QuerySet) -> dict[int, list[User]]:
    """Current holders of `role` for the organizations, active accounts with an address."""
    holders: dict[int, list[User]] = defaultdict(list)
    for assignment in (RoleAssignment.objects.current()
                       .filter(role=role, organization__in=organizations, user__is_active=True)
                       .exclude(user__email="").select_related("user").order_by("user__username", "id")):
        if assignment.user not in holders[assignment.organization_id]:
            holders[assignment.organization_id].append(assignment.user)
    return holders


def _reachable(user) -> bool:
    return user is not None and user.is_active and bool(user.email)


def _warned(kind: Kind, today: date, pairs) -> QuerySet:
    qs = warned(everything, kind, today=today, levels=warnings.WARNED, pairs=pairs)
    return DEADLINE[kind].annotate(qs, today, pairs).order_by(DEADLINE[kind].due, "pk")


def _tasks(today: date, pairs) -> Iterator[Notice]:
    tasks = _warned(Kind.TASK, today, pairs).select_related("plan__organization", "plan__round", "problem", "owner")
    liaisons = _holders(Role.UNIT_LIAISON, tasks.values("plan__organization"))
    for task in tasks:
        owner = [task.owner] if _reachable(task.owner) else liaisons.get(task.plan.organization_id, [])
        yield Notice(Kind.TASK, f"task:{task.pk}", task.level, task.due, task.plan.round.committee_id,
                     task.plan.organization.name, f"第{task.seq}项 {task.problem.title}",
                     _path("rectification:task_detail", task.pk), owner)


def _reports(today: date, pairs) -> Iterator[Notice]:
    feedbacks = _warned(Kind.REPORT, today, pairs).select_related("assignment__organization", "assignment__round")
    liaisons = _holders(Role.UNIT_LIAISON, feedbacks.values("assignment__organization"))
    for feedback in feedbacks:
        organization = feedback.assignment.organization
        on = date_format(feedback.fed_back_on, "DATE_FORMAT") if feedback.fed_back_on else ""
        yield Notice(Kind.REPORT, f"report:{feedback.pk}", feedback.level, feedback.progress_report_due,
                     feedback.assignment.round.committee_id, organization.name,
                     f"{organization.name}关于{on}巡察反馈意见的集中整改进展情况报告",
                     _path("rectification:report_list"), liaisons.get(organization.pk, []))


def _disclosures(today: date, pairs) -> Iterator[Notice]:
    reports = _warned(Kind.DISCLOSURE, today, pairs).select_related("organization", "round")
    liaisons = _holders(Role.UNIT_LIAISON, reports.values("organization"))
    for report in reports:
        yield Notice(Kind.DISCLOSURE, f"disclosure:{report.pk}", report.level, report.disclosure_due,
                     report.round.committee_id, report.organization.name, f"{report.organization.name}巡察整改情况公开",
                     _path("rectification:report_detail", report.pk), liaisons.get(report.organization_id, []))


def _transfers(today: date, pairs) -> Iterator[Notice]:
    transfers = _warned(Kind.TRANSFER, today, pairs).select_related("receiver", "round")
    receivers = _holders(Role.RECEIVER, transfers.values("receiver"))
    for transfer in transfers:
        summary = transfer.summary if len(transfer.summary) <= 60 else f"{transfer.summary[:60]}…"
        title = f"{transfer.number} {summary}".strip()
        yield Notice(Kind.TRANSFER, f"transfer:{transfer.pk}", transfer.level, transfer.feedback_due,
                     transfer.round.committee_id, transfer.receiver.name, title,
                     _path("rectification:transfer_detail", transfer.pk), receivers.get(transfer.receiver_id, []))


SOURCES: dict[Kind, Callable[[date, list], Iterator[Notice]]] = {
    Kind.TASK: _tasks, Kind.REPORT: _reports, Kind.DISCLOSURE: _disclosures, Kind.TRANSFER: _transfers}


def subject(notice: Notice) -> str:
    due = date_format(notice.due, "DATE_FORMAT")
    if notice.level == warnings.Level.RED:
        return f"{SUBJECT_PREFIX}{WHAT[notice.kind]}已于{due}到期，请抓紧办理"
    return f"{SUBJECT_PREFIX}{WHAT[notice.kind]}将于{due}到期"


def message(notice: Notice, recipient: User, today: date) -> EmailMessage:
    days = (notice.due - today).days
    body = render_to_string("rectification/dashboard/reminder_email.txt", {
        "name": recipient.display_name, "what": WHAT[notice.kind], "notice": notice,
        "due": date_format(notice.due, "DATE_FORMAT"), "days_left": days, "days_overdue": -days,
        "level_words": LEVEL_WORDS[warnings.Level(notice.level)],
        "url": f"{settings.XUNCHA_BASE_URL}{notice.path}",
    })
    return EmailMessage(subject=subject(notice), body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[recipient.email])


def run(*, today: date | None = None, dry_run: bool = False, progress: Callable[[str], None] = print,
        actor=policy.CONSOLE) -> dict[Kind, Tally]:
    """Send what is due today; per kind, how many notices, sent, already sent and unreachable."""
    today = today or timezone.localdate()
    pairs = warnings.thresholds()
    tallies = {kind: Tally() for kind in Kind}
    connection = None if dry_run else get_connection(fail_silently=False)
    with translation.override("zh-hans"):
        try:
            for kind, source in SOURCES.items():
                tally = tallies[kind]
                for notice in source(today, pairs):
                    tally.notices += 1
                    if not notice.recipients:
                        tally.unreachable += 1
                    for recipient in notice.recipients:
                        _remind(notice, recipient, today, tally, connection, dry_run)
                progress(f"{kind.value}: {tally.notices} at a warning level, {tally.sent} "
                         f"{'to send' if dry_run else 'e-mails sent'}, {tally.already} already sent, "
                         f"{tally.unreachable} without a recipient with an e-mail address")
        finally:
            if connection is not None:
                connection.close()
    sent = sum(t.sent for t in tallies.values())
    if sent and not dry_run:
        audit.record(actor=actor, action="reminder.send", summary=f"{sent} e-mails ({today.isoformat()})",
                     detail={"today": today.isoformat(),
                             **{kind.value: {"notices": t.notices, "sent": t.sent, "already": t.already}
                                for kind, t in tallies.items()}})
    return tallies


def _remind(notice: Notice, recipient: User, today: date, tally: Tally, connection, dry_run: bool) -> None:
    if Reminder.objects.filter(recipient=recipient, subject=notice.key, level=notice.level).exists():
        tally.already += 1
        return
    mail = message(notice, recipient, today)
    tally.sent += 1
    if dry_run:
        tally.messages.append((recipient.email, mail.subject))
        return
    mail.connection = connection
    # Sent first, recorded after: a failed send is tried again on the next run.
    mail.send(fail_silently=False)
    try:
        with transaction.atomic():
            Reminder.objects.create(committee_id=notice.committee_id, recipient=recipient, subject=notice.key,
                                    level=notice.level, due=notice.due, email=recipient.email,
                                    sent_at=timezone.now())
    except IntegrityError:
        pass  # another run recorded it meanwhile
