"""Reads for the group page, staffing and "my work"; all through access.policy.scope."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from xuncha.access.models import RoleAssignment
from xuncha.access.policy import CREATE, VIEW, can_any, scope
from xuncha.registry import selectors as registry
from xuncha.registry.models import Organization, Person
from xuncha.rounds.models import (
    Assignment,
    ConflictDeclaration,
    Group,
    GroupMember,
    MemberDeclaration,
    RecusalOverride,
    Round,
)

SUGGESTIONS = 10
OPEN = ~Q(state=Round.State.COMPLETED)


def groups_for(user, action: str = VIEW) -> QuerySet[Group]:
    return scope(user, Group, action).select_related("round__term", "round__committee")


def get_group_for_user(user, pk: int) -> Group:
    """The group, or 404 when it is missing or not the user's to see (another group's)."""
    group = groups_for(user).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def members_of(user, group: Group) -> list[GroupMember]:
    """The group's members in surname stroke order, each with `declared`: [(kind, declaration
    or None)] in the order of MemberDeclaration.Kind."""
    declarations = scope(user, MemberDeclaration).order_by("kind")
    members = list(
        scope(user, GroupMember).filter(group=group)
        .select_related("person__organization", "user")
        .prefetch_related(Prefetch("declarations", queryset=declarations))
        .order_by("person__stroke_key", "person__name", "id")
    )
    for member in members:
        on_file = {d.kind: d for d in member.declarations.all()}
        member.declared = [(kind, on_file.get(kind)) for kind in MemberDeclaration.Kind.values]
    return members


def targets_of(user, group: Group) -> QuerySet[Assignment]:
    return (scope(user, Assignment).filter(group=group)
            .select_related("organization__kind", "organization__parent")
            .order_by("organization__kind__sort_order", "organization__pinyin", "id"))


def overrides_of(user, group: Group) -> QuerySet[RecusalOverride]:
    return (scope(user, RecusalOverride).filter(group=group)
            .select_related("person", "organization", "decided_by"))


def declared_conflicts_of(user, group: Group) -> QuerySet[ConflictDeclaration]:
    """Conflicts declared by the group's members (with any organization)."""
    return (scope(user, ConflictDeclaration)
            .filter(person__group_memberships__group=group)
            .select_related("person", "organization").order_by("person__stroke_key", "-declared_on"))


def get_member_for_user(user, group: Group, pk: int) -> GroupMember:
    member = (scope(user, GroupMember).filter(group=group, pk=pk)
              .select_related("person", "group__round__committee", "access__user").first())
    if member is None:
        raise Http404
    return member


def get_target_for_user(user, group: Group, pk: int) -> Assignment:
    target = (scope(user, Assignment).filter(group=group, pk=pk)
              .select_related("organization", "group__round__committee", "round").first())
    if target is None:
        raise Http404
    return target


# -- choosing people, organizations and accounts when staffing --------------------------------

def people_to_staff(user, group: Group, query: str = "") -> QuerySet[Person]:
    """People of the group's committee matching a name or pinyin initials."""
    return registry.people_for(user, query=query, committee=group.round.committee_id)


def get_person_to_staff(user, group: Group, pk) -> Person | None:
    return people_to_staff(user, group).filter(pk=pk).first()


def organizations_to_inspect(user, group: Group, query: str = "") -> QuerySet[Organization]:
    return registry.organizations_for(user, query=query, committee=group.round.committee_id,
                                      active=True).order_by("kind__sort_order", "pinyin", "id")


def get_organization_to_inspect(user, group: Group, pk) -> Organization | None:
    return organizations_to_inspect(user, group).filter(pk=pk).first()


def accounts_to_grant(user, group: Group, query: str = ""):
    """Accounts that may be given the group's role, matched by user name or full name.

    Accounts are not business records the office may browse; those staffing the group may
    look them up by name only, and only business accounts (never the 三员) are offered."""
    if not can_any(user, CREATE, GroupMember):
        return get_user_model().objects.none()
    qs = get_user_model().objects.filter(is_active=True, system_role="")
    query = query.strip()
    if query:
        qs = qs.filter(Q(username__istartswith=query) | Q(full_name__icontains=query))
    return qs.order_by("username")


def get_account_to_grant(user, group: Group, username: str):
    return accounts_to_grant(user, group).filter(username=username.strip()).first()


# -- my work ---------------------------------------------------------------------------------

def _my_group_ids(user):
    return RoleAssignment.objects.current().filter(user=user, group__isnull=False).values("group_id")


def my_groups(user) -> list[Group]:
    """The user's groups in rounds not yet completed, with targets and the user's role there:
    `my_role` (role in the group, when recorded) and `my_access_role` (the access role)."""
    if not getattr(user, "is_authenticated", False):
        return []
    membership = GroupMember.objects.filter(group=OuterRef("pk"), user=user)
    access = RoleAssignment.objects.current().filter(group=OuterRef("pk"), user=user)
    targets = scope(user, Assignment).select_related("organization__kind").order_by(
        "organization__kind__sort_order", "organization__pinyin", "id")
    groups = list(
        groups_for(user).filter(pk__in=_my_group_ids(user)).filter(round__in=Round.objects.filter(OPEN))
        .annotate(my_role=Subquery(membership.values("role")[:1]),
                  my_access_role=Subquery(access.values("role")[:1]),
                  n_members=Count("members", distinct=True))
        .prefetch_related(Prefetch("assignments", queryset=targets))
        .order_by("round__planned_entry", "round_id", "number")
    )
    roles = dict(GroupMember.Role.choices)
    from xuncha.access.roles import Role

    access_roles = dict(Role.choices)
    for group in groups:
        group.my_role_label = roles.get(group.my_role) or access_roles.get(group.my_access_role, "")
    return groups


def holds_group_role(user) -> bool:
    from xuncha.access.policy import assignments

    return any(a.group_id for a in assignments(user))


def missing_declarations(user) -> int:
    """Declarations (回避申请, 保密承诺) the user has not yet filed in open rounds."""
    if not getattr(user, "is_authenticated", False):
        return 0
    mine = (scope(user, GroupMember).filter(user=user, access__revoked_at__isnull=True)
            .filter(group__round__in=Round.objects.filter(OPEN)))
    kinds = len(MemberDeclaration.Kind.values)
    row = mine.aggregate(members=Count("id", distinct=True), filed=Count("declarations", distinct=True))
    return row["members"] * kinds - row["filed"]
