"""The demo county's complaints: every channel and handling state with valid histories, identities
encrypted (the raw columns hold no name) and decrypting to plausible planted values, duplicates
and repeat complainants linked, receipts and messages, identity requests, what the groups see;
and an announcement in force on the build day for the public portal. Checked on the shared build."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from xuncha.access.models import User
from xuncha.access.policy import scope
from xuncha.demo.plan import PHONE_PREFIX
from xuncha.intake import records
from xuncha.intake.models import Complaint, ComplaintMessage, IdentityAccess
from xuncha.registry.models import Committee, Person
from xuncha.rounds.models import Announcement, GroupMember

H = Complaint.Handling


@pytest.fixture
def county(built, db):
    return Committee.objects.get(name="青崖县委")


def test_complaints_in_every_channel_and_handling_state(county):
    complaints = Complaint.objects.filter(committee=county)
    assert 120 <= complaints.count() <= 190
    assert set(complaints.values_list("channel", flat=True)) == set(Complaint.Channel.values)
    assert set(complaints.values_list("handling", flat=True)) == set(H.values)
    assert complaints.values("group").distinct().count() >= 25
    assert not complaints.filter(round__term__number=14).exclude(round__committee=county).exists()
    # Categories are the checklist's focus items.
    assert set(complaints.exclude(category=None).values_list("category__level", flat=True)) == {1}
    assert complaints.exclude(category=None).count() > complaints.count() * 0.7


def test_handling_carries_what_each_state_needs_and_its_history(county):
    for c in Complaint.objects.filter(committee=county).prefetch_related("steps"):
        steps = sorted(c.steps.all(), key=lambda s: (s.at, s.id))
        if c.handling == H.PENDING:
            assert not steps and c.handled_on is None
            continue
        assert steps and steps[0].from_state == H.PENDING and steps[-1].to_state == c.handling, c.number
        for a, b in zip(steps, steps[1:], strict=False):
            assert a.to_state == b.from_state
        assert c.handled_on and c.handled_on >= c.received_on
        if c.handling in (H.TO_DEPARTMENT, H.OUT_OF_SCOPE):
            assert c.passed_to
        if c.handling == H.CONCLUDED:
            assert c.outcome
        if c.handling == H.TO_GROUP:
            assert c.group_id
    assert not Complaint.objects.filter(received_on__gt=timezone.localdate()).exists()
    completed = Complaint.objects.filter(committee=county, round__state="completed")
    assert not completed.filter(handling__in=[H.PENDING, H.TO_GROUP]).exists()


def test_numbers_follow_the_order_of_receipt(county):
    for year in set(Complaint.objects.values_list("year", flat=True)):
        rows = list(Complaint.objects.filter(committee=county, year=year).order_by("seq")
                    .values_list("seq", "received_on"))
        assert [s for s, _d in rows] == list(range(1, len(rows) + 1))
        assert [d for _s, d in rows] == sorted(d for _s, d in rows)
        assert all(d.year == year for _s, d in rows)


def test_named_complaints_are_encrypted_and_decrypt_to_the_planted_identity(county):
    complaints = Complaint.objects.filter(committee=county)
    anonymous = complaints.filter(anonymous=True).count() / complaints.count()
    assert 0.5 <= anonymous <= 0.7
    cadres = set(Person.objects.values_list("name", flat=True))
    named = list(complaints.filter(anonymous=False))
    for c in named:
        name, contact = records.identity(c)
        assert 2 <= len(name) <= 3 and name not in cadres
        assert records.contact_key(contact).startswith(PHONE_PREFIX)
        assert c.contact_digest
        raw = bytes(c.informant_name) + bytes(c.informant_contact)
        assert name.encode() not in raw and records.contact_key(contact).encode() not in raw
        assert name not in c.content and name not in c.concerns
    for c in complaints.filter(anonymous=True)[:20]:
        assert records.identity(c) == ("", "") and not c.contact_digest


def test_duplicates_are_linked_to_the_first_with_the_same_content(county):
    duplicates = list(Complaint.objects.filter(committee=county, duplicate_of__isnull=False)
                      .select_related("duplicate_of"))
    assert len(duplicates) >= 6
    for c in duplicates:
        original = c.duplicate_of
        assert original.duplicate_of_id is None
        assert c.content_digest == original.content_digest == records.content_digest(c.content)
        assert (original.received_on, original.pk) <= (c.received_on, c.pk) and original.year <= c.year
    assert any(c.channel != c.duplicate_of.channel and c.content == c.duplicate_of.content for c in duplicates)


def test_repeat_complainants_are_linked_by_their_contact(county):
    digests = Counter(Complaint.objects.filter(committee=county).exclude(contact_digest="")
                      .values_list("contact_digest", flat=True))
    repeated = [d for d, n in digests.items() if n >= 3]
    assert len(repeated) >= 2
    for digest in repeated:
        mine = list(Complaint.objects.filter(contact_digest=digest))
        identities = {records.identity(c) for c in mine}
        assert len({name for name, _contact in identities}) == 1
        assert len({records.contact_key(contact) for _name, contact in identities}) == 1
        assert len({c.content_digest for c in mine}) >= 2  # about different things
        assert records.repeat_count(mine[0]) == len(mine) - 1


def test_groups_see_only_their_own_groups_complaints(county):
    for username in ("group_member1", "group_member2", "group_leader"):
        user = User.objects.get(username=username)
        groups = set(GroupMember.objects.filter(user=user).values_list("group_id", flat=True))
        mine = Complaint.objects.filter(group__in=groups)
        assert mine.exists()
        assert set(scope(user, Complaint)) == set(mine), username
    one, two = (set(scope(User.objects.get(username=u), Complaint)) for u in ("group_member1", "group_member2"))
    assert not one & two
    for username in ("liaison_village", "receiver_discipline", "receiver_agriculture", "supervisor"):
        assert not scope(User.objects.get(username=username), Complaint).exists(), username
    office = User.objects.get(username="office_staff")
    assert scope(office, Complaint).count() == Complaint.objects.filter(committee=county).count()


def test_concluded_complaints_link_to_their_groups_papers(county):
    linked = Complaint.objects.filter(committee=county, papers__isnull=False).distinct()
    assert linked.count() >= 10
    for c in linked:
        assert c.handling == H.CONCLUDED
        assert set(c.papers.values_list("group_id", flat=True)) == {c.group_id}


def test_online_complaints_have_receipts_and_messages(county, built):
    with_receipt = Complaint.objects.filter(committee=county, receipt_prefix__isnull=False)
    assert with_receipt.count() == 4
    for c in with_receipt:
        assert c.channel in (Complaint.Channel.ONLINE, Complaint.Channel.QR) and c.receipt_hash.startswith("argon2")
        assert c.receipt_prefix not in c.receipt_hash
        messages = list(c.messages.order_by("created_at", "id"))
        assert {m.from_public for m in messages} == {True, False}
        assert all(m.author is None for m in messages if m.from_public)
    assert ComplaintMessage.objects.filter(complaint__in=with_receipt).count() == ComplaintMessage.objects.count()
    assert "receipt codes" in built


def test_identity_requests_waiting_granted_and_refused(county):
    accesses = {a.state: a for a in IdentityAccess.objects.filter(complaint__committee=county)}
    assert set(accesses) == {IdentityAccess.State.REQUESTED, IdentityAccess.State.GRANTED,
                             IdentityAccess.State.REFUSED}
    granted = accesses[IdentityAccess.State.GRANTED]
    assert granted.views >= 1 and granted.last_viewed_at and granted.expires_on > timezone.localdate()
    for a in accesses.values():
        assert not a.complaint.anonymous and a.reason
        assert a.decided_by != a.requested_by
        if a.state != IdentityAccess.State.REQUESTED:
            assert a.decided_by.username in ("office_admin", "leader") and a.decided_at
    requester = accesses[IdentityAccess.State.REQUESTED].requested_by
    assert set(scope(requester, IdentityAccess)) >= {accesses[IdentityAccess.State.REQUESTED]}


def test_an_announcement_is_in_force_on_the_build_day(county):
    today = timezone.localdate()
    active = Announcement.objects.filter(group__round__committee=county, published=True,
                                         period_start__lte=today, period_end__gte=today)
    assert active.exists()
    assert active.filter(period_start=today - timedelta(days=10)).exists()
