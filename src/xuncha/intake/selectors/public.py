"""Reads of the public portal (no login): only what a committee publishes.

The portal reads nothing but published, current announcements (巡察公告: the group, its
organizations, what is accepted and how to reach it), disclosures of rectification (整改情况公开)
and — through regulations — published study material. There is no user to scope by: every
query here is limited to one active committee and to what is public by its nature. The staff
page of printable QR codes reads through the access policy like every other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from xuncha.access.policy import VIEW, scope
from xuncha.access.roles import Role
from xuncha.intake.models import Complaint, ComplaintMessage, ComplaintStep
from xuncha.rectification.models import Disclosure
from xuncha.regulations.selectors.study import public_committee
from xuncha.rounds.models import Announcement, Assignment, Round

__all__ = ["Target", "active_announcements", "disclosures", "form_url", "messages_of", "printable_announcements",
           "public_committee", "qr_announcements", "steps_of", "target_for"]

STAFF = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)


def _with_organizations(announcements: QuerySet[Announcement]) -> QuerySet[Announcement]:
    return (announcements.select_related("group__round__term", "group__round__committee")
            .prefetch_related(Prefetch("group__assignments",
                                       queryset=Assignment.objects.select_related("organization")))
            .order_by("group__round__term__number", "group__round__number", "group__number", "id"))


def _published(committee) -> QuerySet[Announcement]:
    return (Announcement.objects.filter(group__round__committee=committee, published=True)
            .exclude(group__round__state=Round.State.COMPLETED))


def active_announcements(committee, today: date | None = None) -> QuerySet[Announcement]:
    """The committee's published announcements whose period includes today: the groups that
    accept complaints now, with their organizations (group.assignments) prefetched."""
    today = today or timezone.localdate()
    return _with_organizations(_published(committee).filter(period_start__lte=today, period_end__gte=today))


def qr_announcements(committee, today: date | None = None) -> QuerySet[Announcement]:
    """Announcements a QR code may lead to: published and not yet over (posters are printed
    before the period begins)."""
    return _with_organizations(_published(committee).filter(period_end__gte=today or timezone.localdate()))


def printable_announcements(user, today: date | None = None) -> QuerySet[Announcement]:
    """For the staff page of QR codes: the published, not yet ended announcements the user
    reads as office or group staff (a group sees its own)."""
    today = today or timezone.localdate()
    return _with_organizations(scope(user, Announcement, VIEW, roles=STAFF)
                               .filter(published=True, period_end__gte=today)
                               .exclude(group__round__state=Round.State.COMPLETED))


@dataclass(frozen=True)
class Target:
    """What a complaint is addressed to: a group, and possibly one of its organizations."""

    announcement: Announcement
    organization: object | None = None

    @property
    def group(self):
        return self.announcement.group


def _pk(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def target_for(announcements, *, group=None, organization=None) -> Target | None:
    """Among `announcements` (evaluated, with organizations prefetched): the one of `group`
    (a pk) or the one whose group inspects `organization` (a pk); None when neither fits."""
    group_pk, organization_pk = _pk(group), _pk(organization)
    for announcement in announcements:
        if organization_pk is not None:
            for assignment in announcement.group.assignments.all():
                if assignment.organization_id == organization_pk and group_pk in (None, announcement.group_id):
                    return Target(announcement, assignment.organization)
        elif group_pk is not None and announcement.group_id == group_pk:
            return Target(announcement)
    return None


def disclosures(committee) -> QuerySet[Disclosure]:
    """Rectification disclosures of the committee's rounds, latest first."""
    return (Disclosure.objects.filter(report__round__committee=committee)
            .select_related("report__organization").order_by("-published_on", "-id"))


def messages_of(complaint: Complaint) -> QuerySet[ComplaintMessage]:
    """The thread between the filer and the office, oldest first (authors are not read)."""
    return ComplaintMessage.objects.filter(complaint=complaint).order_by("created_at", "id")


def steps_of(complaint: Complaint) -> QuerySet[ComplaintStep]:
    return ComplaintStep.objects.filter(complaint=complaint).order_by("at", "id")



def form_url(committee, target: Target | None = None, *, via_qr: bool = True) -> str:
    """The absolute address of the complaint form (XUNCHA_BASE_URL), preselecting the target."""
    params: dict[str, object] = {}
    if target is not None:
        params["organization" if target.organization is not None else "group"] = \
            target.organization.pk if target.organization is not None else target.group.pk
    if via_qr:
        params["via"] = "qr"
    url = settings.XUNCHA_BASE_URL.rstrip("/") + reverse("public:complain", args=[committee.pk])
    return f"{url}?{urlencode(params)}" if params else url
