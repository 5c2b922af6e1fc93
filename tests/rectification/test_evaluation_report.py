"""The batch report in Word, read back with python-docx: title, overview, grades, the table per
organization, common weaknesses with examples, follow-ups, findings; EXPORT only, audited."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from tests.rectification.evaluation_helpers import (
    evidence,
    feedback_for,
    files_in_tmp,  # noqa: F401 - a fixture
    plan_for,
    problems_for,
    progress_report,
    task,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import evaluation_report
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.models import Evaluation

pytestmark = pytest.mark.usefixtures("files_in_tmp")
VAGUE = "进一步加强管理，切实提高认识。"


def _organization(world, findings, name: str, *, vague: int = 0, overdue: int = 0, bare: int = 0,
                  disclosed: bool = True):
    """An organization with `vague` vague measures, `overdue` open tasks past their deadline and
    `bare` tasks closed without evidence (plus one closed with evidence)."""
    feedback = feedback_for(world, name, date(2024, 8, 20))
    plan = plan_for(feedback, decided_on=date(2024, 6, 1))
    kinds = ["vague"] * vague + ["overdue"] * overdue + ["bare"] * bare + ["good"]
    for seq, (kind, problem) in enumerate(zip(kinds, problems_for(feedback, findings.items["V2.1.1"], len(kinds)),
                                              strict=True), start=1):
        closed = kind in ("bare", "good")
        made = task(plan, problem, seq, due=date(2024, 7, 1) if kind != "vague" else date(2099, 7, 1),
                    state="closed" if closed else "open", closed_on=date(2024, 6, 20) if closed else None,
                    vague=kind == "vague", measures=VAGUE if kind == "vague" else "")
        if kind == "good":
            evidence(made, date(2024, 6, 19))
    progress_report(feedback, submitted_on=date(2024, 8, 1), disclosure_due=date(2024, 9, 1),
                    disclosed_on=date(2024, 8, 20) if disclosed else None)
    return feedback


@pytest.fixture
def closed_batch(world, findings):
    _organization(world, findings, "东岭村", vague=2, overdue=1)
    _organization(world, findings, "南山村", bare=2, disclosed=False)
    _organization(world, findings, "北坡村")
    batch = services.batch_open(actor=world.office_admin, committee=world.county, title="2024年度整改评估",
                                period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    criteria = list(batch.template.criteria.order_by("seq"))
    totals = {"东岭村": Decimal("55.5"), "南山村": Decimal("85"), "北坡村": Decimal("96")}
    for evaluation in Evaluation.objects.filter(batch=batch).select_related("organization"):
        target = totals[evaluation.organization.name]
        rows, left = [], target
        for criterion in criteria:
            given = min(criterion.points, left)
            rows.append({"criterion": criterion.pk, "score": given})
            left -= given
        low = target < 60
        services.evaluation_score(actor=world.office_admin, evaluation=evaluation, scores=rows,
                                  comment="整改责任压得不实" if low else "",
                                  follow_up="both" if low else "", follow_up_note="约谈党支部书记，年底回头看。" if low else "")
    return services.batch_close(actor=world.office_admin, batch=batch, conclusion="整体推进有力。\n下一步加强日常监督。")


def _read(content: bytes) -> tuple[list[str], list[list[str]]]:
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    return paragraphs, rows


def test_the_report_reads_back_with_overview_grades_table_weaknesses_and_follow_ups(world, closed_batch):
    content, filename = evaluation_report.export_report(actor=world.office_admin, batch=closed_batch)
    assert filename == "关于2024年度巡察整改评估情况的报告.docx"
    paragraphs, rows = _read(content)
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "关于2024年度巡察整改评估情况的报告"
    assert paragraphs[1] == "示例县委巡察工作领导小组："
    assert "集中整改期限在2024年1月1日至2024年12月31日期间届满的3个被巡察党组织" in text
    assert "《巡察整改评估评分标准》" in text and "组织领导、责任落实、整改任务完成、群众满意度" in text
    assert "优秀1个、合格1个、基本合格0个、不合格1个，平均得分78.8分。" in text
    assert "涉及整改任务8项，已销号5项，其中按期销号5项，逾期1项" in text
    # Common weaknesses, numbered as they are found.
    assert "（一）整改措施空泛、不具体" in paragraphs
    assert "1个党组织共有2项整改措施空泛、不具体" in text and f"东岭村：“{VAGUE}”" in text
    assert "（二）整改任务未按期完成" in paragraphs and "东岭村等1个党组织共有1项整改任务逾期" in text
    assert "（三）佐证材料不全" in paragraphs and "南山村等1个党组织已销号的2项整改任务缺少佐证材料" in text
    assert "（四）整改情况未按规定公开" in paragraphs and "南山村等1个党组织未按规定时限公开整改情况" in text
    assert "东岭村（55.5分，不合格）：约谈并开展回头看。约谈党支部书记，年底回头看。" in text
    assert "五、总体评价和下一步工作" in paragraphs and "下一步加强日常监督。" in paragraphs
    assert paragraphs[-2:] == ["示例县委巡察工作领导小组办公室", paragraphs[-1]] and paragraphs[-1].endswith("日")
    assert rows[0] == ["序号", "名称", "得分", "等次", "主要问题"]
    body = {row[1]: row for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert body["东岭村"][2:4] == ["55.5", "不合格"]
    assert body["东岭村"][4] == "整改措施空泛2项；整改任务逾期1项；整改责任压得不实"
    assert body["南山村"][2:] == ["85", "合格", "佐证材料不全2项；整改情况未按规定公开"]
    assert body["北坡村"][2:] == ["96", "优秀", "无明显问题"]
    event = AuditEvent.objects.get(action="evaluation.report_export")
    assert event.object_id == str(closed_batch.pk) and event.detail["grades"]["fail"] == 1


def test_the_leading_group_exports_too(world, closed_batch):
    content, _ = evaluation_report.export_report(actor=world.leader, batch=closed_batch)
    assert _read(content)[0][0].startswith("关于2024年度")


@pytest.mark.parametrize("role", ["supervisor", "unit_liaison", "receiver", "group_leader", "outsider"])
def test_other_roles_may_not_export(world, closed_batch, role):
    with pytest.raises(PermissionDenied):
        evaluation_report.export_report(actor=world.users[role], batch=closed_batch)
    assert not AuditEvent.objects.filter(action="evaluation.report_export").exists()


def test_an_open_batch_without_weaknesses_or_follow_ups(world, findings):
    _organization(world, findings, "北坡村")
    batch = services.batch_open(actor=world.office_admin, committee=world.county, title="评估",
                                period_start=date(2023, 7, 1), period_end=date(2025, 6, 30))
    paragraphs, rows = _read(evaluation_report.export_report(actor=world.office_admin, batch=batch)[0])
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "关于2023—2025年度巡察整改评估情况的报告"
    assert "评估中未发现共性问题。" in text and "本次评估无需约谈或开展回头看的党组织。" in text
    assert "五、总体评价和下一步工作" not in text
    assert rows[1][1:4] == ["北坡村", "—", "未评定"]
