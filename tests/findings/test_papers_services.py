"""Creating, editing and deleting working papers: numbering per group, authors, classification
by the checklist in force, who may edit, drafts only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xuncha.access import policy
from xuncha.findings import services_papers as services
from xuncha.findings.models import WorkingPaper
from xuncha.rounds.models import Round


def _create(world, findings, actor=None, target=None, **fields):
    values = dict(title="惠农补贴发放不及时", facts="2023年补贴延迟三个月发放。",
                  classification=findings.items["V1.1.1"])
    values.update(fields)
    return services.paper_create(actor=actor or world.group_deputy, assignment=target or findings.target1, **values)


def test_it_numbers_papers_per_group_and_makes_the_writer_an_author(world, findings):
    first = _create(world, findings)
    second = _create(world, findings)
    other = services.paper_create(actor=world.group_member, assignment=findings.target2, title="三会一课不落实",
                                  classification=findings.items["T1.1.1"])
    assert first.number == "第一届第一轮第一组-001"
    assert second.number == "第一届第一轮第一组-002"
    assert other.number == "第一届第一轮第二组-001"
    assert list(first.authors.all()) == [findings.members["group_deputy"]]
    assert first.state == "draft" and first.created_by == world.group_deputy
    assert "补贴" in first.search_text and "001" in first.search_text


def test_it_refuses_a_target_of_another_group_and_roles_that_do_not_write(world, findings):
    with pytest.raises(policy.PermissionDenied):
        _create(world, findings, actor=world.group_member)  # group 2's member, group 1's target
    for name in ("office_admin", "leader", "supervisor", "unit_liaison"):
        with pytest.raises(policy.PermissionDenied):
            _create(world, findings, actor=world.users[name])
    assert not WorkingPaper.objects.exists()


def test_authors_must_be_members_of_the_group(world, findings):
    with pytest.raises(ValidationError) as invalid:
        _create(world, findings, authors=[findings.members["group_member"]])
    assert "authors" in invalid.value.message_dict
    paper = _create(world, findings, authors=[findings.members["group_leader"], findings.members["group_deputy"]])
    assert paper.authors.count() == 2


def test_the_classification_is_a_manifestation_for_the_targets_kind(world, findings):
    for key in ("T1.1.1", "V1.1", "V1.1.1.1"):
        with pytest.raises(ValidationError) as invalid:
            _create(world, findings, classification=findings.items[key])
        assert "classification" in invalid.value.message_dict
    assert not WorkingPaper.objects.exists()


def test_a_title_is_required_and_amounts_are_not_negative(world, findings):
    with pytest.raises(ValidationError) as invalid:
        _create(world, findings, title=" ", amount=-5)
    assert set(invalid.value.message_dict) == {"title", "amount"}


def test_authors_and_the_heads_edit_a_draft_other_members_do_not(world, findings, make_user):
    from tests.findings.papers_helpers import add_member

    paper = _create(world, findings, actor=world.group_leader)  # author: the leader
    other = add_member(world, make_user, "member1", "周平", world.group1, "group_member").user
    with pytest.raises(policy.PermissionDenied):
        services.paper_update(actor=other, paper=paper, title="x")
    with pytest.raises(policy.PermissionDenied):
        services.paper_update(actor=world.office_admin, paper=paper, title="x")
    services.paper_update(actor=world.group_deputy, paper=paper, title="惠农补贴截留", amount="1200.50")
    paper.refresh_from_db()
    assert paper.title == "惠农补贴截留" and str(paper.amount) == "1200.50" and "截留" in paper.search_text


def test_only_draft_or_returned_papers_are_edited(world, findings, make_paper):
    for state in ("submitted", "reviewed"):
        with pytest.raises(ValidationError):
            services.paper_update(actor=world.group_leader, paper=make_paper(state=state), title="x")
    returned = make_paper(state="returned")
    services.paper_update(actor=world.group_leader, paper=returned, title="改正后")
    assert WorkingPaper.objects.get(pk=returned.pk).title == "改正后"


def test_only_a_draft_that_never_moved_is_deleted(world, findings, make_paper):
    paper = _create(world, findings)
    services.paper_delete(actor=world.group_deputy, paper=paper)
    assert not WorkingPaper.objects.filter(pk=paper.pk).exists()
    once_returned = make_paper(state="returned")
    WorkingPaper.objects.filter(pk=once_returned.pk).update(state="draft")
    with pytest.raises(ValidationError):
        services.paper_delete(actor=world.group_deputy, paper=WorkingPaper.objects.get(pk=once_returned.pk))
    with pytest.raises(ValidationError):
        services.paper_delete(actor=world.group_deputy, paper=make_paper(state="signed"))


def test_nothing_is_written_once_the_round_is_completed(world, findings, make_paper):
    paper = make_paper(state="submitted")
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    paper = WorkingPaper.objects.get(pk=paper.pk)
    with pytest.raises(policy.PermissionDenied):
        services.paper_step(actor=world.group_deputy, paper=paper, action="approve")
    with pytest.raises(policy.PermissionDenied):
        _create(world, findings)
