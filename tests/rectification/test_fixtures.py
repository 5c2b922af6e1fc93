from xuncha.rectification.models import Plan


def test_the_fixtures_give_an_issued_feedback_and_an_approved_plan(approved_plan):
    assert approved_plan.feedback.state == "issued"
    assert approved_plan.feedback.rectification_due.isoformat() == "2024-08-20"
    assert approved_plan.plan.state == Plan.State.APPROVED
    assert [t.problem.kind for t in approved_plan.tasks] == ["general"] * 4
    assert approved_plan.lead.kind == "lead"
