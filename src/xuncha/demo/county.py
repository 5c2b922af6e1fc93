"""Store a demo plan in the database: one transaction, bulk inserts, one audit event.

The registry and rounds rows are written directly (the demo is the installation loading its
own sample data from the console), while accounts and roles go through the access services so
that passwords are validated and hashed like any other (the group roles with the memberships,
in rounds_build).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from xuncha.access import audit, policy, services
from xuncha.access.models import User
from xuncha.access.roles import GROUP_ROLES
from xuncha.demo import accounts as accounts_file
from xuncha.demo import (
    analytics_build,
    findings_build,
    intake_build,
    rectification_build,
    regulations_build,
    reports_build,
    rounds_build,
)
from xuncha.demo.plan import Plan
from xuncha.registry.models import (
    Committee,
    Organization,
    OrganizationKind,
    Person,
    Relative,
    WorkHistory,
)
from xuncha.text import match_key, pinyin_initials, stroke_sort_key

Progress = Callable[[str], None]
BATCH = 500


class DemoRefused(Exception):
    """The database already holds committees; the demo builds only into an empty one."""


@dataclass(frozen=True)
class BuildResult:
    committees: int
    organizations: int
    villages: int  # in the demo county itself
    people: int
    work_history: int
    relatives: int
    accounts: list[dict[str, str]]
    seconds: float
    terms: int = 0
    rounds: int = 0
    groups: int = 0
    inspectors: int = 0


def _quiet(_message: str) -> None:
    pass


def _organization(plan_org, committee: Committee, kind: OrganizationKind) -> Organization:
    # bulk_create skips save(), so the search keys it computes are filled in here.
    return Organization(
        committee=committee, name=plan_org.name, kind=kind, unified_code=plan_org.unified_code,
        name_key=match_key(plan_org.name), pinyin=pinyin_initials(plan_org.name)[:100],
    )


def _person(plan_person, committee: Committee, organization: Organization) -> Person:
    return Person(
        committee=committee, name=plan_person.name, gender=plan_person.gender,
        birth_date=plan_person.birth_date, organization=organization, post=plan_person.post,
        phone=plan_person.phone, name_key=match_key(plan_person.name),
        pinyin=pinyin_initials(plan_person.name)[:50], stroke_key=stroke_sort_key(plan_person.name),
    )


def _build_registry(plan: Plan, progress: Progress) -> tuple[dict[str, Committee], list[Organization]]:
    committees: dict[str, Committee] = {}
    for c in plan.committees:
        committee = Committee(name=c.name, short_name=c.short_name, level=c.level,
                              parent=committees[c.parent] if c.parent else None)
        committee.save()  # computes the materialized path
        committees[c.key] = committee
    progress(f"  committees: {len(committees)} ({', '.join(c.name for c in committees.values())})")

    kinds = {k.code: k for k in OrganizationKind.objects.all()}
    missing = {o.kind for o in plan.organizations} - set(kinds)
    if missing:
        raise DemoRefused(f"organization kinds missing from the database: {', '.join(sorted(missing))}")
    organizations = [_organization(o, committees[o.committee], kinds[o.kind]) for o in plan.organizations]
    # Parents come first in the plan, so two passes (top level, then their children) suffice
    # for the two levels the demo has; a deeper plan would just take more passes.
    pending = list(range(len(organizations)))
    while pending:
        ready = [i for i in pending if plan.organizations[i].parent is None
                 or organizations[plan.organizations[i].parent].pk is not None]
        if not ready:
            raise DemoRefused("the plan's organizations refer to parents that are not in it")
        for i in ready:
            parent = plan.organizations[i].parent
            organizations[i].parent = organizations[parent] if parent is not None else None
        Organization.objects.bulk_create([organizations[i] for i in ready], batch_size=BATCH)
        pending = [i for i in pending if organizations[i].pk is None]
    county = plan.county
    own = [o for o in plan.organizations if o.committee == county.key]
    villages = sum(1 for o in own if o.kind == "village")
    progress(f"  organizations: {len(organizations)}; {county.name} has {len(own)}, "
             f"{villages} of them villages and communities")
    return committees, organizations


def _build_people(plan: Plan, committees: dict[str, Committee], organizations: list[Organization],
                  progress: Progress) -> tuple[list[Person], int, int]:
    people = [_person(p, committees[p.committee], organizations[p.organization]) for p in plan.people]
    Person.objects.bulk_create(people, batch_size=BATCH)
    for plan_org, organization in zip(plan.organizations, organizations, strict=True):
        organization.principal = people[plan_org.principal] if plan_org.principal is not None else None
    Organization.objects.bulk_update(organizations, ["principal"], batch_size=BATCH)

    history = [
        WorkHistory(person=person, organization=organizations[h.organization],
                    organization_name=organizations[h.organization].name,
                    post=h.post, start_date=h.start, end_date=h.end)
        for p, person in zip(plan.people, people, strict=True) for h in p.history
    ]
    WorkHistory.objects.bulk_create(history, batch_size=BATCH)
    relatives = [
        Relative(person=person, relation=r.relation, name=r.name,
                 organization=organizations[r.organization] if r.organization is not None else None,
                 organization_name=(organizations[r.organization].name if r.organization is not None
                                    else r.organization_name),
                 post=r.post)
        for p, person in zip(plan.people, people, strict=True) for r in p.relatives
    ]
    Relative.objects.bulk_create(relatives, batch_size=BATCH)
    progress(f"  people: {len(people)} (work history {len(history)}, relatives {len(relatives)})")
    return people, len(history), len(relatives)


def _build_accounts(plan: Plan, committees: dict[str, Committee],
                    organizations: list[Organization],
                    progress: Progress) -> tuple[list[dict[str, str]], dict[str, User]]:
    """The accounts and their roles; group roles come with the memberships (rounds_build)."""
    rows, users = [], {}
    for a in plan.accounts:
        user, _ = services.user_create(
            actor=policy.CONSOLE, username=a.username, full_name=a.full_name,
            password=a.password, system_role=a.system_role, must_change_password=False,
        )
        users[a.username] = user
        if not a.system_role and a.role not in GROUP_ROLES:
            organization = organizations[a.organization] if a.organization is not None else None
            committee = organization.committee if organization else committees[a.committee]
            services.role_grant(actor=policy.CONSOLE, user=user, role=a.role,
                                committee=committee, organization=organization)
        rows.append({"username": a.username, "password": a.password, "role": a.role,
                     "scope": a.scope})
    progress(f"  accounts: {len(rows)}")
    return rows, users


def build(plan: Plan, *, data_dir: Path, progress: Progress | None = None) -> BuildResult:
    """Store `plan` into an empty database and write the accounts file into `data_dir`.
    All or nothing: a failure anywhere leaves the database as it was."""
    progress = progress or _quiet
    started = time.monotonic()
    with transaction.atomic():
        if Committee.objects.exists():
            raise DemoRefused("the database already holds committees")
        committees, organizations = _build_registry(plan, progress)
        people, n_history, n_relatives = _build_people(plan, committees, organizations, progress)
        rows, users = _build_accounts(plan, committees, organizations, progress)
        try:
            rounds = rounds_build.build(plan.rounds, county=committees[plan.county.key],
                                        organizations=organizations, people=people, users=users,
                                        progress=progress)
        except rounds_build.PlanConflict as exc:
            raise DemoRefused(f"a demo account cannot serve in its group: {exc}") from None
        county = committees[plan.county.key]
        findings = findings_build.build(
            seed=plan.seed, county=county, users=users, progress=progress,
            others=[c for c in committees.values() if c.level == county.level and c != county])
        reports = reports_build.build(seed=plan.seed, county=county, users=users, progress=progress)
        rectification = rectification_build.build(seed=plan.seed, county=county, users=users, data_dir=data_dir,
                                                  progress=progress)
        analytics = analytics_build.build(seed=plan.seed, county=county, users=users, progress=progress)
        intake = intake_build.build(seed=plan.seed, county=county, users=users, progress=progress)
        study = regulations_build.build(seed=plan.seed, county=county, users=users, progress=progress)
        if connection.vendor == "postgresql":
            # Bulk-loaded tables have no statistics yet; without them the planner picks
            # nested loops that take minutes on the first pages and reports.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        villages = sum(1 for o in plan.organizations
                       if o.kind == "village" and o.committee == plan.county.key)
        counts = {
            "committees": len(committees), "organizations": len(organizations),
            "villages": villages, "people": len(plan.people), "work_history": n_history,
            "relatives": n_relatives, "accounts": len(rows), **rounds, **findings, **reports, **rectification,
            **analytics, **intake, **study,
        }
        audit.record(
            actor=policy.CONSOLE, action="demo.load", obj=committees[plan.committees[0].key],
            summary=f"Demo county loaded (seed {plan.seed})",
            detail={"seed": plan.seed, **counts},
        )
        # Written last, inside the transaction: if the file cannot be written, nothing is kept.
        accounts_file.write(data_dir, rows)
    return BuildResult(
        committees=len(committees), organizations=len(organizations), villages=villages,
        people=len(plan.people), work_history=n_history, relatives=n_relatives, accounts=rows,
        seconds=time.monotonic() - started, terms=rounds["terms"], rounds=rounds["rounds"],
        groups=rounds["groups"], inspectors=rounds["inspectors"],
    )
