"""Reads of the complaint register (信访举报登记), always within the policy's scope.

The office and the leading group read their committee's complaints; a group only those that
reached it. Nothing here reads the informant's identity: repeat complainants are found by the
keyed digest of their contact, and only among the complaints the reader may see, so a reader
learns no more than "the same informant sent N others that you can open".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xuncha.access.policy import VIEW, assignments, scope
from xuncha.access.roles import Role
from xuncha.checklist.models import Item
from xuncha.findings.models import WorkingPaper
from xuncha.intake.models import Complaint, ComplaintAttachment, ComplaintMessage, ComplaintStep
from xuncha.registry.models import Committee, Organization
from xuncha.rounds.models import Group, Round

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
GROUP = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)
STAFF = (*OFFICE, *GROUP)
NO_CATEGORY = "none"


def today() -> date:
    return timezone.localdate()


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- the register ----------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterFilters:
    channel: str = ""
    handling: str = ""
    round: int | None = None
    group: int | None = None
    # A focus title (the same focus appears in every kind of checklist), an Item id, or NO_CATEGORY
    category: int | str | None = None
    organization: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""

    def as_detail(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}

    @property
    def any(self) -> bool:
        return any(v not in (None, "") for v in asdict(self).values())


def filtered(qs: QuerySet[Complaint], f: RegisterFilters, *, category: bool = True) -> QuerySet[Complaint]:
    if f.channel in Complaint.Channel.values:
        qs = qs.filter(channel=f.channel)
    if f.handling in Complaint.Handling.values:
        qs = qs.filter(handling=f.handling)
    if f.round:
        qs = qs.filter(round_id=f.round)
    if f.group:
        qs = qs.filter(group_id=f.group)
    if category and f.category:
        qs = qs.filter(category_q(f.category))
    if f.organization:
        qs = qs.filter(organization_id=f.organization)
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    if f.q.strip():
        qs = qs.filter(subject__icontains=f.q.strip())
    return qs


def _repeat_count(user) -> Coalesce:
    """How many other complaints the user sees came from the same contact (one subquery)."""
    same = (scope(user, Complaint, VIEW).filter(contact_digest=OuterRef("contact_digest"))
            .exclude(contact_digest="").exclude(pk=OuterRef("pk"))
            .order_by().values("contact_digest").annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(same, output_field=IntegerField()), Value(0))


def register(user, filters: RegisterFilters | None = None, *, action: str = VIEW) -> QuerySet[Complaint]:
    """The complaints the user reads (or exports, action=EXPORT), filtered, newest first, with
    what a row shows joined in and the count of repeats the user may see."""
    qs = filtered(scope(user, Complaint, action), filters or RegisterFilters())
    return (qs.select_related("round__term", "group__round__term", "organization", "category")
            .annotate(repeats=_repeat_count(user), attachment_count=Count("attachments", distinct=True))
            .order_by("-received_on", "-year", "-seq", "-id"))


def category_q(category: int | str) -> Q:
    """Complaints of one category: NO_CATEGORY, an Item id, or a focus title — the same focus
    (e.g. 党的领导) is an item of every kind of checklist, and counts as one category."""
    if category == NO_CATEGORY:
        return Q(category__isnull=True)
    if isinstance(category, int) or str(category).isdigit():
        return Q(category_id=int(category))
    return Q(category__title=category)


def category_counts(user, filters: RegisterFilters | None = None) -> list[dict]:
    """Complaints by category (checklist focus, by title) among the filtered register, ignoring
    the category filter itself: [{"id", "title", "count"}] where id is the title, the most
    frequent first; complaints not yet categorized last (id NO_CATEGORY). One aggregate query."""
    qs = filtered(scope(user, Complaint, VIEW), filters or RegisterFilters(), category=False)
    rows = (qs.order_by().values("category__title").annotate(n=Count("id"))
            .order_by("-n", "category__title"))
    counts = [{"id": r["category__title"] or NO_CATEGORY, "title": r["category__title"] or "", "count": r["n"]}
              for r in rows]
    return sorted(counts, key=lambda c: c["id"] == NO_CATEGORY)


# -- one complaint ---------------------------------------------------------------------------

def complaint_details(user) -> QuerySet[Complaint]:
    """The complaints the user sees, with their steps, messages, attachments and working papers."""
    steps = scope(user, ComplaintStep, VIEW).select_related("actor").order_by("at", "id")
    messages = scope(user, ComplaintMessage, VIEW).select_related("author").order_by("created_at", "id")
    files = scope(user, ComplaintAttachment, VIEW).order_by("id")
    papers = scope(user, WorkingPaper, VIEW).order_by("seq", "id")
    return (scope(user, Complaint, VIEW)
            .select_related("committee", "round__term", "group__round__term", "organization", "category",
                            "created_by", "duplicate_of")
            .prefetch_related(Prefetch("steps", queryset=steps, to_attr="shown_steps"),
                              Prefetch("messages", queryset=messages, to_attr="shown_messages"),
                              Prefetch("attachments", queryset=files, to_attr="shown_attachments"),
                              Prefetch("papers", queryset=papers, to_attr="shown_papers")))


def get_complaint_for_user(user, pk) -> Complaint:
    return _get(complaint_details(user), pk)


def get_attachment_for_user(user, complaint: Complaint, pk) -> ComplaintAttachment:
    return _get(scope(user, ComplaintAttachment, VIEW).filter(complaint=complaint), pk)


def repeats(user, complaint: Complaint) -> QuerySet[Complaint]:
    """Other complaints from the same contact that the user may see (never who sent them)."""
    if not complaint.contact_digest:
        return Complaint.objects.none()
    return (scope(user, Complaint, VIEW).filter(contact_digest=complaint.contact_digest)
            .exclude(pk=complaint.pk).order_by("-received_on", "-id"))


def duplicates(user, complaint: Complaint) -> QuerySet[Complaint]:
    """The complaints the user may see that share this one's content: the one it duplicates,
    those that duplicate it, and the other duplicates of the same original."""
    root = complaint.duplicate_of_id or complaint.pk
    linked = Q(pk=root) | Q(duplicate_of_id=root)
    return scope(user, Complaint, VIEW).filter(linked).exclude(pk=complaint.pk).order_by("received_on", "id")


def is_duplicate_candidate(user, complaint: Complaint, other_pk) -> Complaint | None:
    return (scope(user, Complaint, VIEW).filter(committee_id=complaint.committee_id)
            .exclude(pk=complaint.pk).filter(pk=other_pk).first()) if str(other_pk).isdigit() else None


def papers_to_link(user, complaint: Complaint) -> QuerySet[WorkingPaper]:
    """The working papers of the complaint's group the user sees and has not linked yet."""
    if complaint.group_id is None:
        return WorkingPaper.objects.none()
    linked = Complaint.papers.through.objects.filter(complaint_id=complaint.pk, workingpaper_id=OuterRef("pk"))
    return (scope(user, WorkingPaper, VIEW).filter(group_id=complaint.group_id).exclude(Exists(linked))
            .order_by("seq", "id"))


# -- choices ---------------------------------------------------------------------------------

def round_choices(user) -> QuerySet[Round]:
    """Rounds the user's complaints can belong to: the office's committee's, a group's own."""
    return (scope(user, Round, VIEW)
            .select_related("term").order_by("-term__start_date", "-number", "-id"))


def group_choices(user, rnd: Round | None = None) -> QuerySet[Group]:
    qs = scope(user, Group, VIEW).select_related("round__term")
    if rnd is not None:
        qs = qs.filter(round=rnd)
    return qs.order_by("-round__term__start_date", "-round__number", "number", "id")


def groups_to_register_for(user) -> QuerySet[Group]:
    """The groups the user may register a complaint for: any of the office's committee, a
    group member's own (while its round is open)."""
    ids = scope(user, Group, VIEW, roles=STAFF).exclude(round__state=Round.State.COMPLETED).values("pk")
    return group_choices(user).filter(pk__in=ids)


def category_choices(user, committee_id: int | None = None) -> QuerySet[Item]:
    """Supervision focuses (level 1) of the published checklists the user reads."""
    qs = scope(user, Item, VIEW).filter(level=Item.Level.FOCUS, version__state="published")
    if committee_id:
        qs = qs.filter(version__library__committee_id=committee_id)
    return (qs.select_related("version__library")
            .order_by("version__library__kind__sort_order", "version__library_id", "-version__number", "position",
                      "id"))


def organization_choices(user, committee_id: int | None = None) -> QuerySet[Organization]:
    qs = scope(user, Organization, VIEW).filter(active=True)
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    return qs.order_by("committee_id", "kind__sort_order", "pinyin", "id")


def office_committees(user) -> list[int]:
    """The committees whose register the user keeps as the office (a complaint registered
    without a group belongs to one of these)."""
    return sorted({a.committee_id for a in assignments(user) if a.role in OFFICE and a.committee_id})


def register_committee(user, group: Group | None) -> Committee | None:
    """The committee a new complaint belongs to: its group's, or the office's own."""
    if group is not None:
        return group.round.committee
    committees = office_committees(user)
    return scope(user, Committee, VIEW).filter(pk__in=committees[:1]).first()
