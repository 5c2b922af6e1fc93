"""Writes of the detection area: running the detector for a user, its thresholds, and the mapping
of checklist points to the functional departments responsible for their domain.

Who may do what (the policy's grants, narrowed here where two office roles share a model):
- office_admin: run the detector (incremental or full), change the thresholds, map points.
- office_staff: run the detector incrementally — it only brings derived results up to date under
  the thresholds the administrator set (after a threshold change that is a complete rerun, since
  the change dropped the fingerprints) — and map points (the policy grants the office CREATE and
  DELETE on the mapping). A full run (recomputing every fingerprint, e.g. after the engine
  changed) and the thresholds are the administrator's.
- leader, supervisor: read only. Everyone else: nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import (
    CHANGE,
    CONSOLE,
    CREATE,
    DELETE,
    VIEW,
    PermissionDenied,
    can,
    require,
)
from xuncha.access.roles import Role
from xuncha.analytics import detection
from xuncha.analytics.models import DepartmentMapping, DetectionSettings, ProblemFingerprint
from xuncha.checklist.models import Item, Version
from xuncha.registry.models import Committee, Organization

MIN_THRESHOLD = 0.3
MAX_COMMON = 1000
DEPARTMENT = "department"


def _settings_row(committee: Committee) -> DetectionSettings | None:
    return DetectionSettings.objects.filter(committee=committee).first()


def _defaults(committee: Committee) -> DetectionSettings:
    return DetectionSettings(committee=committee, threshold=settings.XUNCHA_MATCH_THRESHOLD,
                             common_min_organizations=settings.XUNCHA_COMMON_MIN_ORGANIZATIONS)


def current_settings(committee: Committee) -> DetectionSettings:
    """The committee's settings row, or an unsaved one holding the installation's defaults."""
    return _settings_row(committee) or _defaults(committee)


@transaction.atomic
def settings_for(*, actor, committee: Committee) -> DetectionSettings:
    """The committee's settings row, created with the installation's defaults when missing
    (office administrator only)."""
    row = _settings_row(committee)
    if row is not None:
        return row
    row = _defaults(committee)
    require(actor, CREATE, row)
    row.updated_by = actor if getattr(actor, "pk", None) else None
    row.save()
    audit.record(actor=actor, action="detection.settings_create", obj=row, summary=str(committee),
                 detail={"threshold": row.threshold, "common_min_organizations": row.common_min_organizations})
    return row


def may_run(user, committee: Committee, *, full: bool = False) -> bool:
    """Whether `user` may run the detector on `committee` (see the module's docstring)."""
    if user is CONSOLE:
        return True
    row = current_settings(committee)
    if can(user, CHANGE, row, roles=(Role.OFFICE_ADMIN,)) or (
            row.pk is None and can(user, CREATE, row, roles=(Role.OFFICE_ADMIN,))):
        return True
    return not full and can(user, VIEW, row, roles=(Role.OFFICE_STAFF,))


def run_detection(*, actor, committee: Committee, full: bool = False, progress=None) -> detection.DetectionResult:
    """Run the detector on the committee for `actor`; the counts of what it did."""
    if not may_run(actor, committee, full=full):
        raise PermissionDenied(f"run detection{' (full)' if full else ''} {committee.pk}")
    with transaction.atomic():
        if actor is not CONSOLE and can(actor, CREATE, _defaults(committee), roles=(Role.OFFICE_ADMIN,)):
            settings_for(actor=actor, committee=committee)
        result = detection.detect(committee, full=full, progress=progress)
        audit.record(actor=actor, action="detection.run", obj=committee,
                     summary=f"{committee} {'full' if full else 'incremental'}: {result.fingerprinted} fingerprinted, "
                             f"{result.pairs} pairs, {result.clusters} clusters",
                     detail=result.as_dict())
    return result


def _check(threshold, common_min_organizations) -> tuple[float, int]:
    errors: dict[str, list[str]] = {}
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        value = None
    if value is None or not MIN_THRESHOLD <= value <= 1:
        errors["threshold"] = [_("Give a similarity from %(min)s to 1.") % {"min": MIN_THRESHOLD}]
    try:
        count = int(common_min_organizations)
    except (TypeError, ValueError):
        count = None
    if count is None or not 2 <= count <= MAX_COMMON:
        errors["common_min_organizations"] = [_("Give a number of organizations from 2 to %(max)s.")
                                              % {"max": MAX_COMMON}]
    if errors:
        raise ValidationError(errors)
    return round(value, 4), count


@transaction.atomic
def update_settings(*, actor, committee: Committee, threshold, common_min_organizations) -> DetectionSettings:
    """Change the committee's thresholds (office administrator). A new similarity threshold
    makes every stored pair stale: the committee's fingerprints are dropped, so that the next run
    fingerprints and matches every problem again (a full run). The number of organizations only
    decides which clusters count as common: nothing to recompute."""
    row = _settings_row(committee)
    require(actor, CHANGE if row is not None else CREATE, row or _defaults(committee))
    value, count = _check(threshold, common_min_organizations)
    row = settings_for(actor=actor, committee=committee)
    row = DetectionSettings.objects.select_for_update().get(pk=row.pk)
    require(actor, CHANGE, row)
    before = {"threshold": row.threshold, "common_min_organizations": row.common_min_organizations}
    row.threshold, row.common_min_organizations = value, count
    row.updated_by = actor if getattr(actor, "pk", None) else None
    row.save(update_fields=["threshold", "common_min_organizations", "updated_by", "updated_at"])
    dropped = 0
    if value != before["threshold"]:
        dropped = ProblemFingerprint.objects.filter(problem__round__committee=committee).delete()[0]
    audit.record(actor=actor, action="detection.settings_update", obj=row, summary=str(committee),
                 detail={"before": before, "after": {"threshold": value, "common_min_organizations": count},
                         "fingerprints_dropped": dropped})
    return row


def _check_mapping(committee: Committee, point: Item | None, department: Organization | None) -> None:
    errors: dict[str, list[str]] = {}
    if point is None or point.level != Item.Level.POINT or point.version.library.committee_id != committee.pk \
            or point.version.state != Version.State.PUBLISHED:
        errors["point"] = [_("Choose a supervision point of the committee's published checklist.")]
    if department is None or department.committee_id != committee.pk or department.kind.code != DEPARTMENT \
            or not department.active:
        errors["department"] = [_("Choose an active functional department of the committee.")]
    # A mapping holds for the point in every version of its checklist (matched by key), so the
    # same point of another version counts as the same point.
    if not errors and DepartmentMapping.objects.filter(
            committee=committee, point__version__library_id=point.version.library_id, point__key=point.key,
            department=department).exists():
        errors["department"] = [_("This department is already responsible for this point.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def map_point(*, actor, committee: Committee, point: Item | None, department: Organization | None) -> DepartmentMapping:
    """Make a functional department (an organization of kind 县级部门 of the committee) responsible
    for a supervision point (level 2 of a published version of the committee's checklist)."""
    require(actor, CREATE, DepartmentMapping(committee=committee))
    _check_mapping(committee, point, department)
    mapping = DepartmentMapping(committee=committee, point=point, department=department,
                                created_by=actor if getattr(actor, "pk", None) else None)
    require(actor, CREATE, mapping)
    mapping.save()
    audit.record(actor=actor, action="detection.map_point", obj=mapping, summary=f"{point.title} → {department.name}",
                 detail={"point": point.pk, "point_key": point.key, "department": department.pk})
    return mapping


@transaction.atomic
def unmap_point(*, actor, mapping: DepartmentMapping) -> None:
    """The department is no longer responsible for the point."""
    require(actor, DELETE, mapping)
    detail = {"point": mapping.point_id, "department": mapping.department_id}
    summary = str(mapping)
    audit.record(actor=actor, action="detection.unmap_point", obj=mapping, summary=summary, detail=detail)
    mapping.delete()
