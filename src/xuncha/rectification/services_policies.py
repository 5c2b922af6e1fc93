"""Writes of the deadline policy (工作时限规则): the office administrator adds a version with its
effective date; an unused version may be corrected, a used one never.

A version is used once a feedback, a progress report's disclosure deadline or a transfer took
its deadlines from it: those deadlines are kept with the version, so changing it would rewrite
them. When the Regulation changes, a new version is added instead; feedback given before its
effective date keeps the older deadlines (deadlines.in_force).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, require
from xuncha.rectification.models import DeadlinePolicy
from xuncha.registry.models import Committee

MONTHS = ("rectification_months", "progress_report_months", "transfer_feedback_months", "disclosure_months")
DAYS = ("warn_green_days", "warn_yellow_days")
MAX_MONTHS = 60
MAX_DAYS = 365


@dataclass(frozen=True)
class Values:
    """What a version holds besides its committee."""

    effective_from: date | None
    basis: str = ""
    rectification_months: int | None = 3
    progress_report_months: int | None = 3
    transfer_feedback_months: int | None = 3
    disclosure_months: int | None = 1
    warn_green_days: int | None = 20
    warn_yellow_days: int | None = 10

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ("effective_from", "basis", *MONTHS, *DAYS)}


def is_used(policy: DeadlinePolicy) -> bool:
    return (policy.feedbacks.exists() or policy.transfers.exists() or policy.progress_reports.exists())


def _check(committee: Committee, values: Values, *, exclude: int | None = None) -> dict:
    """The cleaned values; a ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    if values.effective_from is None:
        errors["effective_from"] = [_("This field is required.")]
    else:
        taken = DeadlinePolicy.objects.filter(committee=committee, effective_from=values.effective_from)
        if exclude is not None:
            taken = taken.exclude(pk=exclude)
        if taken.exists():
            errors["effective_from"] = [_("A version already takes effect on %(date)s; choose another date.")
                                        % {"date": date_format(values.effective_from, "DATE_FORMAT")}]
    basis = (values.basis or "").strip()
    if len(basis) > 200:
        errors["basis"] = [_("At most 200 characters.")]
    for name in MONTHS:
        value = getattr(values, name)
        if value is None:
            errors[name] = [_("This field is required.")]
        elif not 1 <= value <= MAX_MONTHS:
            errors[name] = [_("Give a number of months from 1 to %(max)s.") % {"max": MAX_MONTHS}]
    for name in DAYS:
        value = getattr(values, name)
        if value is None:
            errors[name] = [_("This field is required.")]
        elif not 0 <= value <= MAX_DAYS:
            errors[name] = [_("Give a number of days from 0 to %(max)s.") % {"max": MAX_DAYS}]
    if not errors.keys() & set(DAYS) and values.warn_yellow_days > values.warn_green_days:
        errors["warn_yellow_days"] = [_("The yellow warning comes after the green one: give at most %(days)s days.")
                                      % {"days": values.warn_green_days}]
    if errors:
        raise ValidationError(errors)
    return {**values.as_dict(), "basis": basis}


def _detail(policy: DeadlinePolicy) -> dict:
    return {"effective_from": policy.effective_from.isoformat(), "basis": policy.basis,
            **{name: getattr(policy, name) for name in (*MONTHS, *DAYS)}}


@transaction.atomic
def policy_create(*, actor, committee: Committee, values: Values) -> DeadlinePolicy:
    """A new version of the committee's deadline policy, in force from its effective date."""
    policy = DeadlinePolicy(committee=committee)
    require(actor, CREATE, policy)
    # One writer at a time per committee, so that two versions never take the same day.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    for name, value in _check(committee, values).items():
        setattr(policy, name, value)
    policy.created_by = actor if getattr(actor, "pk", None) else None
    policy.save()
    audit.record(actor=actor, action="deadline_policy.create", obj=policy,
                 summary=f"{committee} {policy.effective_from.isoformat()}", detail=_detail(policy))
    return policy


@transaction.atomic
def policy_update(*, actor, policy: DeadlinePolicy, values: Values) -> DeadlinePolicy:
    """Correct a version no deadline was computed from yet."""
    require(actor, CHANGE, policy)
    policy = DeadlinePolicy.objects.select_for_update().select_related("committee").get(pk=policy.pk)
    require(actor, CHANGE, policy)
    if is_used(policy):
        raise ValidationError({NON_FIELD_ERRORS: [
            _("Deadlines have been computed from this version; it cannot be changed. Add a new version "
              "with the date the change takes effect.")]})
    before = _detail(policy)
    cleaned = _check(policy.committee, values, exclude=policy.pk)
    for name, value in cleaned.items():
        setattr(policy, name, value)
    after = _detail(policy)
    if after != before:
        policy.save(update_fields=list(cleaned))
        audit.record(actor=actor, action="deadline_policy.update", obj=policy,
                     summary=f"{policy.committee} {policy.effective_from.isoformat()}",
                     detail={"before": before, "after": after})
    return policy
