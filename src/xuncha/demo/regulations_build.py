"""Store the demo rules library and study records for the county: the invented regulations
(imported through the library's service, so they are parsed like any pasted text), a campaign to
study the revised 实施办法 over every township and village, and the activities they held.
Runs inside the demo's one transaction, right after the reports.

The campaign starts a month after the 2024 version came into force and is due two months later.
Most organizations studied it (a township's central group, a village's branch meeting or themed
party day, a few lectures for village cadres); a few have not, and a couple studied before the
campaign started (which does not count). Activities and their links are bulk-inserted; stamps
that the models set on save are written afterwards, as the other demo builds do.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from importlib import resources

from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.demo import regulations_text as text
from xuncha.demo.catalog import INSPECTION_OFFICE
from xuncha.demo.plan import TODAY
from xuncha.registry.models import Committee, Organization
from xuncha.regulations import services_library
from xuncha.regulations.models import (
    Provision,
    Regulation,
    RegulationVersion,
    StudyActivity,
    StudyCampaign,
)

BATCH = 500
BEHIND_RATE = 0.08   # required organizations with no activity in the campaign
EARLY = 2            # organizations that studied only before the campaign started
PUBLISH_RATE = 0.12
LECTURES = 3         # townships that also held a lecture for their village cadres
Kind = StudyActivity.Kind


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def read(name: str) -> str:
    return resources.files("xuncha.regulations").joinpath("data", name).read_text(encoding="utf-8")


def import_library(county: Committee) -> dict[tuple[str, str], RegulationVersion]:
    """The regulations and their versions, keyed by (short title, label)."""
    regulations: dict[str, Regulation] = {}
    versions = {}
    for name, title, short, label, number, issued, effective in text.VERSIONS:
        if short not in regulations:
            regulations[short] = services_library.regulation_create(
                actor=policy.CONSOLE, committee=county, title=title, short_title=short, issuer=text.ISSUER)
        result = services_library.version_import(
            actor=policy.CONSOLE, regulation=regulations[short], label=label, text=read(name),
            doc_number=number, issued_on=issued, effective_on=effective)
        versions[(short, label)] = result.version
    return versions


def _weekday(rng: random.Random, start: date, end: date) -> date:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return rng.choice([d for d in days if d.weekday() < 5] or days)


class _Builder:
    def __init__(self, seed: int, county: Committee, users: dict[str, User]) -> None:
        self.rng = random.Random(f"regulations-{seed}")
        self.authors = random.Random(f"regulations-authors-{seed}")
        self.county = county
        self.office = [u for u in (users.get("office_admin"), users.get("office_staff")) if u]
        self.liaisons = {org: user for org, user in RoleAssignment.objects.filter(
            role=Role.UNIT_LIAISON, user__in=list(users.values()), organization__isnull=False)
            .values_list("organization_id", "user")}
        self.accounts = {u.pk: u for u in users.values()}
        self.rows: list[tuple[StudyActivity, list[int], list[int]]] = []  # (activity, versions, articles)

    def author(self, organization: Organization) -> User | None:
        # Drawn from their own generator, so the accounts present never shift the other draws.
        liaison = self.liaisons.get(organization.pk)
        if liaison is not None and self.authors.random() < 0.8:
            return self.accounts[liaison]
        return self.authors.choice(self.office) if self.office else None

    def add(self, organization: Organization, kind: str, held_on: date, topic: str, *, versions: list[int],
            articles: list[int], expected: int, campaign: StudyCampaign | None) -> None:
        rng = self.rng
        attendees = expected - (rng.randint(0, max(1, expected // 6)) if rng.random() < 0.7 else 0)
        notes = rng.sample(text.LEARNED, 2)
        published = held_on + timedelta(days=rng.randint(2, 6)) if rng.random() < PUBLISH_RATE else None
        if published and published > TODAY:
            published = None
        row = StudyActivity(organization=organization, committee_id=organization.committee_id, campaign=campaign,
                            kind=kind, held_on=held_on, topic=topic, attendees=attendees, expected=expected,
                            materials="\n".join(notes), created_by=self.author(organization),
                            published=published is not None,
                            published_at=_at(published, 10, rng.randint(0, 59)) if published else None)
        row.created_at = _at(held_on + timedelta(days=rng.randint(0, 3)), 16, rng.randint(0, 59))
        self.rows.append((row, versions, articles))

    def save(self) -> None:
        activities = [row for row, _, _ in self.rows]
        stamps = [row.created_at for row in activities]
        StudyActivity.objects.bulk_create(activities, batch_size=BATCH)
        for row, stamp in zip(activities, stamps, strict=True):
            row.created_at = stamp
        StudyActivity.objects.bulk_update(activities, ["created_at"], batch_size=BATCH)
        through_v = StudyActivity.versions.through
        through_a = StudyActivity.articles.through
        through_v.objects.bulk_create([through_v(studyactivity_id=row.pk, regulationversion_id=v)
                                       for row, versions, _ in self.rows for v in versions], batch_size=BATCH)
        through_a.objects.bulk_create([through_a(studyactivity_id=row.pk, provision_id=a)
                                       for row, _, articles in self.rows for a in articles], batch_size=BATCH)


def build(*, seed: int, county: Committee, users: dict[str, User],
          progress: Callable[[str], None]) -> dict[str, int]:
    """The county's rules library, one study campaign and its activities."""
    started = clock.monotonic()
    versions = import_library(county)
    revised, old = versions[("实施办法", "2024")], versions[("实施办法", "2019")]
    papers = versions[("底稿办法", "2024")]
    articles = dict(Provision.objects.filter(version=revised, level=Provision.Level.ARTICLE)
                    .values_list("number", "pk"))
    key_articles = [articles[n] for n in text.KEY_ARTICLES if n in articles]
    village_articles = [articles[n] for n in text.VILLAGE_ARTICLES if n in articles]

    organizations = list(Organization.objects.filter(committee=county, active=True,
                                                     kind__code__in=("township", "village"))
                         .select_related("kind").order_by("kind__code", "name", "pk"))
    townships = [o for o in organizations if o.kind.code == "township"]
    villages = [o for o in organizations if o.kind.code == "village"]
    starts_on = add_months(revised.effective_on, 1)
    due_on = add_months(starts_on, 2)
    builder = _Builder(seed, county, users)
    rng = builder.rng
    campaign = StudyCampaign(committee=county, title=text.CAMPAIGN_TITLE, version=revised, starts_on=starts_on,
                             due_on=due_on, created_by=builder.office[0] if builder.office else None)
    campaign.save()
    StudyCampaign.objects.filter(pk=campaign.pk).update(created_at=_at(starts_on - timedelta(days=5), 9))
    campaign.organizations.set(organizations)

    last = min(due_on, TODAY)
    behind = {o.pk for o in rng.sample(villages, round(len(villages) * BEHIND_RATE))}
    if townships:
        behind.add(rng.choice(townships).pk)
    studying = [o for o in villages if o.pk not in behind]
    early_ids = {o.pk for o in rng.sample(studying, min(EARLY, len(studying)))}
    for organization in townships:
        if organization.pk in behind:
            continue
        held = _weekday(rng, starts_on, starts_on + timedelta(days=30))
        builder.add(organization, Kind.CENTRAL_GROUP, held, rng.choice(text.TOWNSHIP_TOPICS),
                    versions=[revised.pk, old.pk], articles=rng.sample(key_articles, min(6, len(key_articles))),
                    expected=rng.randint(9, 15), campaign=campaign)
    for organization in rng.sample(townships, min(LECTURES, len(townships))):
        if organization.pk in behind:
            continue
        builder.add(organization, rng.choice((Kind.LECTURE, Kind.TRAINING)),
                    _weekday(rng, starts_on + timedelta(days=14), last), rng.choice(text.LECTURE_TOPICS),
                    versions=[revised.pk], articles=rng.sample(village_articles, min(3, len(village_articles))),
                    expected=rng.randint(40, 90), campaign=campaign)
    for organization in villages:
        if organization.pk in behind:
            continue
        kind = Kind.BRANCH_MEETING if rng.random() < 0.6 else Kind.PARTY_DAY
        expected = rng.randint(18, 60)
        if organization.pk in early_ids:
            # Studied as soon as the text came out, before the campaign: it does not count.
            held = _weekday(rng, revised.effective_on + timedelta(days=7), starts_on - timedelta(days=3))
            builder.add(organization, kind, held, rng.choice(text.VILLAGE_TOPICS[kind]), versions=[revised.pk],
                        articles=[], expected=expected, campaign=None)
            continue
        held = _weekday(rng, starts_on + timedelta(days=5), last)
        linked = rng.sample(village_articles, rng.randint(0, 3)) if rng.random() < 0.7 else []
        builder.add(organization, kind, held, rng.choice(text.VILLAGE_TOPICS[kind]), versions=[revised.pk],
                    articles=linked, expected=expected, campaign=campaign)
    # The county's own office studies the working-paper rules, outside the campaign.
    office = Organization.objects.filter(committee=county, name=INSPECTION_OFFICE).first()
    if office is not None:
        for topic in text.OFFICE_TOPICS:
            builder.add(office, Kind.LECTURE, _weekday(rng, papers.effective_on, TODAY), topic,
                        versions=[papers.pk], articles=[], expected=rng.randint(12, 20), campaign=None)
    builder.save()
    activities = len(builder.rows)
    published = sum(1 for row, _, _ in builder.rows if row.published)
    progress(f"  regulations: {len(versions)} versions, study campaign over {len(organizations)} organizations "
             f"({len(behind) + len(early_ids)} not yet studied), {activities} activities ({published} published) "
             f"in {clock.monotonic() - started:.1f} s")
    return {"regulation_versions": len(versions), "study_campaigns": 1, "study_activities": activities}
