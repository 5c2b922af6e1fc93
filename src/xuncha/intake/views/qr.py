"""The printable page of QR codes (码上巡) for the staff: one per stationed group and one per
organization it inspects, each leading to the public complaint form with the target chosen."""

from __future__ import annotations

import segno
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from xuncha.intake.selectors.public import Target, form_url, printable_announcements
from xuncha.rounds.models import Announcement
from xuncha.workbench.pages import service_page


def _svg(url: str) -> str:
    # segno writes only the matrix and the URL we give it (escaped): safe to inline.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2, title=url))  # noqa: S308


def _card(committee, announcement, organization=None) -> dict:
    target = Target(announcement, organization)
    url = form_url(committee, target)
    return {"label": organization.name if organization else announcement.group.name, "url": url, "svg": _svg(url),
            "organization": organization}


@require_GET
@service_page(refuse_system_roles=True, readable=Announcement)
def qr_codes(request):
    groups = []
    for announcement in printable_announcements(request.user):
        committee = announcement.group.round.committee
        groups.append({
            "announcement": announcement,
            "cards": [_card(committee, announcement)]
                     + [_card(committee, announcement, a.organization) for a in announcement.group.assignments.all()],
        })
    return render(request, "intake/qr/qr_codes.html", {"groups": groups})
