from xuncha.findings.models import WorkingPaper


def test_make_paper_numbers_papers_per_group(world, make_paper, findings):
    first = make_paper()
    second = make_paper(state="signed")
    other = make_paper(target=findings.target2)
    assert first.number == "第一届第一轮第一组-001"
    assert second.number.endswith("-002") and second.is_frozen
    assert other.number == "第一届第一轮第二组-001"
    assert other.classification.key == "T1.1.1"
    assert WorkingPaper.objects.count() == 3
