"""The demo county's findings: checklists, papers with their sign-off history, problems and the
peer review, checked on one build shared by the module (rolled back at its end)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.db.models import Count

from xuncha.checklist.models import Item, Library, Version
from xuncha.demo.findings_build import REWORDED
from xuncha.demo.findings_draw import FindingsDrawer, RoundInput, Target
from xuncha.demo.findings_text import Place
from xuncha.findings.models import Problem as P
from xuncha.findings.models import Review, ReviewSession, WorkingPaper
from xuncha.rounds.models import GroupMember, Round
from xuncha.text.search import search_key

FROZEN = ("signed", "registered")




@pytest.fixture
def demo(built, db):
    return Round.objects.filter(committee__name="青崖县委", term__number=14)


def test_it_installs_the_checklists_for_both_counties(demo):
    kinds = set(Library.objects.values_list("committee__name", "kind__code"))
    assert kinds == {(c, k) for c in ("青崖县委", "栖梧县委") for k in ("village", "township", "department")}
    village = Library.objects.get(committee__name="青崖县委", kind__code="village")
    assert list(village.versions.order_by("number").values_list("number", "state")) == [
        (1, "published"), (2, "published")]
    v2 = village.versions.get(number=2)
    assert Item.objects.get(version=v2, key=REWORDED[0]).title == REWORDED[1]
    assert Version.objects.filter(number=1, state="published").count() == 6


def test_about_three_thousand_problems_over_the_nine_rounds(demo):
    problems = P.objects.filter(round__in=demo)
    assert 2500 <= problems.count() <= 3500
    assert P.objects.count() == problems.count()
    per_round = dict(problems.values_list("round__number").annotate(n=Count("id")))
    assert sorted(per_round) == list(range(1, 10))
    assert per_round[9] < min(per_round[n] for n in (1, 2, 4, 5, 6, 8))


def test_every_problem_has_papers_of_its_target_and_a_manifestation_of_its_kind(demo):
    rows = P.objects.values_list("pk", "assignment_id", "organization__kind__code", "classification__level",
                                 "classification__version__library__kind__code",
                                 "classification__version__library__committee__name")
    for _pk, _assignment, kind, level, checklist, committee in rows:
        assert level == 3 and kind == checklist and committee == "青崖县委"
    papers = defaultdict(set)
    for problem, assignment in P.papers.through.objects.values_list("problem_id", "workingpaper__assignment_id"):
        papers[problem].add(assignment)
    assert all(papers[pk] == {assignment} for pk, assignment, *_ in rows)
    merged = Counter(P.papers.through.objects.values_list("problem_id", flat=True))
    assert any(n == 2 for n in merged.values())
    assert not P.papers.through.objects.exclude(workingpaper__state__in=FROZEN).exists()


def test_older_problems_stay_under_version_1(demo):
    village = P.objects.filter(organization__kind__code="village")
    assert set(village.filter(round__number=9).values_list("classification__version__number", flat=True)) == {2}
    assert set(village.exclude(round__number=9).values_list("classification__version__number", flat=True)) == {1}


def test_signed_papers_are_frozen_and_their_history_ends_in_their_state(demo):
    papers = WorkingPaper.objects.prefetch_related("steps")
    for paper in papers:
        steps = list(paper.steps.all())
        if paper.state == "draft":
            assert not steps
            continue
        assert steps[-1].to_state == paper.state, paper.number
        assert steps[0].action == "submit"
        assert all(a.to_state == b.from_state for a, b in zip(steps, steps[1:], strict=False))
        if paper.state in FROZEN:
            sign = next(s for s in steps if s.action == "sign")
            assert paper.frozen_at == sign.at
        for s in steps:
            if s.action == "return":
                assert s.comment


def test_completed_rounds_are_registered_and_the_running_round_has_every_state(demo):
    done = WorkingPaper.objects.filter(round__state__in=("completed", "rectifying"))
    assert set(done.values_list("state", flat=True)) == {"registered"}
    running = WorkingPaper.objects.filter(round__state="stationed")
    assert set(running.values_list("state", flat=True)) == {"draft", "submitted", "reviewed", "signed",
                                                           "registered", "returned"}
    rnd = demo.get(state="stationed")
    for learned in running.values_list("learned_on", flat=True):
        assert rnd.planned_entry <= learned <= rnd.planned_exit


def test_papers_are_numbered_searchable_and_written_by_two_members_of_their_group(demo):
    papers = WorkingPaper.objects.select_related("group__round__term").prefetch_related("authors")[:300]
    for paper in papers:
        assert paper.number == WorkingPaper.number_for(paper.group, paper.seq)
        assert paper.round_id == paper.group.round_id
        assert paper.search_text == search_key(paper.title, paper.facts, paper.basis, paper.persons_involved,
                                               paper.number)
        authors = list(paper.authors.all())
        assert len(authors) == 2 and {a.group_id for a in authors} == {paper.group_id}
        assert paper.informants and paper.place and paper.basis and paper.source
    for problem in P.objects.all()[:300]:
        assert problem.search_text == search_key(problem.title, problem.description)


def test_kinds_are_mostly_general_with_some_leads_and_cadre_problems(demo):
    kinds = Counter(P.objects.values_list("kind", flat=True))
    total = sum(kinds.values())
    assert 0.05 <= kinds["lead"] / total <= 0.12
    assert 0.02 <= kinds["cadre"] / total <= 0.10
    assert not P.objects.filter(kind="lead", amount__isnull=True).exists()
    assert set(P.objects.values_list("severity", flat=True)) == {"minor", "serious", "grave"}


def test_some_problems_recur_and_some_are_common_to_many_villages(demo):
    rounds = defaultdict(set)
    for org, key, number in P.objects.values_list("organization_id", "classification__key", "round__number"):
        rounds[(org, key)].add(number)
    assert sum(1 for numbers in rounds.values() if len(numbers) >= 2) >= 10
    villages = defaultdict(set)
    for org, key, number in (P.objects.filter(organization__kind__code="village")
                             .values_list("organization_id", "classification__key", "round__number")):
        villages[(number, key)].add(org)
    assert sum(1 for orgs in villages.values() if len(orgs) >= 8) >= 3


def test_descriptions_vary(demo):
    texts = list(P.objects.values_list("description", flat=True))
    assert len(set(texts)) >= 0.9 * len(texts)
    assert len({t[:12] for t in texts}) > 200
    assert not any("{" in t or "}" in t for t in texts)
    assert not any(name in t for t in texts[:500] for name in ("None",))


def test_one_closed_peer_review_where_nobody_reviews_their_own_group(demo):
    session = ReviewSession.objects.get()
    assert session.state == "closed" and session.round.state == "completed"
    assert [c["name"] for c in session.criteria] == ["事实准确", "定性准确", "依据准确", "表述准确"]
    reviews = list(Review.objects.filter(session=session).select_related("paper"))
    groups = {r.paper.group_id for r in reviews}
    assert len(groups) == session.round.groups.count()
    assert all(Counter(r.paper.group_id for r in reviews)[g] <= session.per_group for g in groups)
    for review in reviews:
        own = GroupMember.objects.filter(group=review.paper.group, user=review.reviewer)
        assert not own.exists()
        assert review.submitted_at and review.total == sum(review.scores.values())
        assert all(0 <= s <= 25 for s in review.scores.values())
    assert any(r.defects for r in reviews) and any(r.comments for r in reviews)


def test_the_same_seed_writes_the_same_texts(demo):
    from xuncha.demo.findings_build import manifestations

    versions = Version.objects.filter(library__committee__name="青崖县委", number=1).select_related("library__kind")
    pools = {v.library.kind.code: manifestations(v) for v in versions}
    rnd = demo.get(number=4)
    targets = [Target(i, 1000 + i, i % 3, Place(f"示例{i}村", "village"), "village") for i in range(12)]
    targets.append(Target(12, 2000, 0, Place("示例镇", "township", ("示例1村",)), "township"))

    def texts(seed):
        plans = FindingsDrawer(seed).draw(RoundInput(4, "routine", rnd.planned_entry, False, targets, pools),
                                          [3, 3, 3])
        return [(p.matter.description, [x.text.facts for x in p.papers]) for p in plans]

    assert texts(7) == texts(7)
    assert texts(7) != texts(8)
