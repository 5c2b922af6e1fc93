"""The report of an evaluation batch in Word (关于X年度巡察整改评估情况的报告), laid out after
GB/T 9704-2012 with the default templates' page, styles and page numbers (reports.documents.gbt9704):
the overview (how many organizations, the period, the grades), a table per organization (名称,
得分, 等次, 主要问题), the common weaknesses the indicators show (vague measures with examples,
overdue tasks, evidence gaps, missing disclosure, late progress reports), the follow-ups decided
for low grades and the overall findings.

`export_report` is the one entry point: it checks that the user may export the batch and records
the download in the audit log. The document is Chinese whatever the user's language, like every
official document the system writes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from xuncha.access import audit
from xuncha.access.policy import EXPORT, require
from xuncha.rectification.models import Evaluation, EvaluationBatch, Task
from xuncha.reports.documents import gbt9704
from xuncha.reports.documents.gbt9704 import HEITI, set_fonts
from xuncha.text.numerals import to_chinese

GRADE_NAMES = {"excellent": "优秀", "pass": "合格", "basic": "基本合格", "fail": "不合格"}
FOLLOW_UP_NAMES = {"interview": "约谈", "revisit": "回头看", "both": "约谈并开展回头看"}
HEADERS = ("序号", "名称", "得分", "等次", "主要问题")
WIDTHS = (Mm(12), Mm(40), Mm(16), Mm(20), Mm(68))
EXAMPLES = 3  # vague measures quoted as examples


def points(value: Decimal | None) -> str:
    """92.5 → "92.5", 90.0 → "90"."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def year_of(batch: EvaluationBatch) -> str:
    first, last = batch.period_start.year, batch.period_end.year
    return str(first) if first == last else f"{first}—{last}"


def title_of(batch: EvaluationBatch) -> str:
    return f"关于{year_of(batch)}年度巡察整改评估情况的报告"


def main_problems(evaluation: Evaluation) -> str:
    """What the indicators and the evaluator say is wrong with one organization's rectification."""
    shown = evaluation.indicators or {}
    found = []
    if not shown.get("plan_on_time", True):
        found.append("整改方案未按期审定")
    if shown.get("vague"):
        found.append(f"整改措施空泛{shown['vague']}项")
    if shown.get("missing_responsibility"):
        found.append(f"责任未明确{shown['missing_responsibility']}项")
    if shown.get("overdue"):
        found.append(f"整改任务逾期{shown['overdue']}项")
    if shown.get("without_evidence"):
        found.append(f"佐证材料不全{shown['without_evidence']}项")
    if shown.get("report_on_time") is False:
        found.append("进展情况报告未按期报送")
    if shown.get("disclosed_on_time") is False:
        found.append("整改情况未按规定公开")
    if evaluation.comment:
        found.append(evaluation.comment.strip().splitlines()[0])
    return "；".join(found) or "无明显问题"


@dataclass
class ReportData:
    batch: EvaluationBatch
    evaluations: list[Evaluation]
    vague_examples: list[Task]
    counts: dict[str, int] = field(default_factory=dict)

    def total(self, key: str) -> int:
        return sum(int((e.indicators or {}).get(key) or 0) for e in self.evaluations)

    def having(self, test) -> list[Evaluation]:
        return [e for e in self.evaluations if test(e.indicators or {})]


def report_data(batch: EvaluationBatch) -> ReportData:
    """What the report says, in three queries (batch, organizations, vague examples)."""
    batch = EvaluationBatch.objects.select_related("committee", "template").get(pk=batch.pk)
    evaluations = list(Evaluation.objects.filter(batch=batch).select_related("organization")
                       .order_by("organization__kind__sort_order", "organization__pinyin", "pk"))
    examples = list(Task.objects.filter(plan__feedback__evaluations__batch=batch, vague=True)
                    .select_related("plan__organization")
                    .order_by("plan__organization__kind__sort_order", "plan__organization__pinyin", "seq")[:EXAMPLES])
    counts = dict.fromkeys(GRADE_NAMES, 0)
    for evaluation in evaluations:
        if evaluation.grade:
            counts[evaluation.grade] += 1
    return ReportData(batch, evaluations, examples, counts)


def _names(evaluations: list[Evaluation]) -> str:
    return "、".join(e.organization.name for e in evaluations)


def _weaknesses(data: ReportData) -> list[tuple[str, str]]:
    """(heading, text) of each common weakness found."""
    found: list[tuple[str, str]] = []
    vague = data.having(lambda i: i.get("vague"))
    if vague:
        quoted = "；".join(f"{t.plan.organization.name}：“{t.measures.strip()}”" for t in data.vague_examples)
        found.append(("整改措施空泛、不具体", f"{len(vague)}个党组织共有{data.total('vague')}项整改措施空泛、不具体，"
                      f"缺少具体举措、完成时限或责任人" + (f"。如{quoted}。" if quoted else "。")))
    overdue = data.having(lambda i: i.get("overdue"))
    if overdue:
        found.append(("整改任务未按期完成", f"{_names(overdue)}等{len(overdue)}个党组织共有{data.total('overdue')}项"
                      "整改任务逾期未销号或超期销号。"))
    gaps = data.having(lambda i: i.get("without_evidence"))
    if gaps:
        found.append(("佐证材料不全", f"{_names(gaps)}等{len(gaps)}个党组织已销号的{data.total('without_evidence')}项"
                      "整改任务缺少佐证材料，整改成效难以核实。"))
    undisclosed = data.having(lambda i: i.get("disclosed_on_time") is False)
    if undisclosed:
        found.append(("整改情况未按规定公开", f"{_names(undisclosed)}等{len(undisclosed)}个党组织未按规定时限公开整改情况，"
                      "接受党员群众监督不到位。"))
    late = data.having(lambda i: i.get("report_on_time") is False)
    if late:
        found.append(("整改进展情况报告未按期报送", f"{_names(late)}等{len(late)}个党组织未按期报送整改进展情况报告。"))
    return found


def _paragraphs(data: ReportData) -> list[tuple[int, str]]:
    """The body as (outline level, text); level 0 is body text."""
    batch, evaluations = data.batch, data.evaluations
    criteria = "、".join(c.title for c in batch.template.criteria.order_by("seq"))
    graded = [e for e in evaluations if e.total is not None]
    average = sum((e.total for e in graded), Decimal(0)) / len(graded) if graded else None
    body: list[tuple[int, str]] = [
        (0, f"按照巡察整改工作安排，{batch.committee.name}巡察工作领导小组办公室对集中整改期限在"
            f"{chinese_date(batch.period_start)}至{chinese_date(batch.period_end)}期间届满的{len(evaluations)}个"
            f"被巡察党组织开展了巡察整改评估。评估依据《{batch.template.name}》，从{criteria}等方面，结合整改台账、"
            "佐证材料和整改情况公开等进行综合评定。现将有关情况报告如下。"),
        (1, "一、基本情况"),
        (0, f"本次共评估{len(evaluations)}个党组织，涉及整改任务{data.total('tasks')}项，已销号{data.total('closed')}项，"
            f"其中按期销号{data.total('closed_on_time')}项，逾期{data.total('overdue')}项。评估结果："
            + "、".join(f"{name}{data.counts[grade]}个" for grade, name in GRADE_NAMES.items())
            + (f"，平均得分{points(average.quantize(Decimal('0.1')))}分。" if average is not None else "。")),
        (1, "二、各党组织评估结果"),
        (-1, ""),  # the table
        (1, "三、存在的主要问题"),
    ]
    weaknesses = _weaknesses(data)
    for number, (heading, text) in enumerate(weaknesses, start=1):
        body += [(2, f"（{to_chinese(number)}）{heading}"), (0, text)]
    if not weaknesses:
        body.append((0, "评估中未发现共性问题。"))
    body.append((1, "四、评估结果运用"))
    low = [e for e in evaluations if e.follow_up]
    for evaluation in low:
        body.append((0, f"{evaluation.organization.name}（{points(evaluation.total)}分，"
                        f"{GRADE_NAMES.get(evaluation.grade, '未评定')}）：{FOLLOW_UP_NAMES[evaluation.follow_up]}。"
                        f"{evaluation.follow_up_note.strip()}"))
    if not low:
        body.append((0, "本次评估无需约谈或开展回头看的党组织。"))
    if batch.conclusion.strip():
        body.append((1, "五、总体评价和下一步工作"))
        body += [(0, line.strip()) for line in batch.conclusion.splitlines() if line.strip()]
    return body


def _table(doc, data: ReportData) -> None:
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [HEADERS] + [(str(n), e.organization.name, points(e.total), GRADE_NAMES.get(e.grade, "未评定"),
                         main_problems(e)) for n, e in enumerate(data.evaluations, start=1)]
    for r, texts in enumerate(rows):
        cells = table.rows[0].cells if r == 0 else table.add_row().cells
        for c, text in enumerate(texts):
            cells[c].width = WIDTHS[c]
            paragraph = cells[c].paragraphs[0]
            paragraph.style = doc.styles["GW Table"]
            run = paragraph.add_run(text)
            if r == 0:
                run.bold = True
                set_fonts(run._r, HEITI)
            if r == 0 or c != 4:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gbt9704._repeat_header(table.rows[0])


def word(data: ReportData, *, on: date | None = None) -> bytes:
    doc = Document()
    gbt9704._page_setup(doc)
    gbt9704._defaults(doc)
    gbt9704._styles(doc)
    gbt9704._para(doc, "", "GW Flush")
    gbt9704._para(doc, title_of(data.batch), "Title")
    gbt9704._para(doc, "", "GW Flush")
    gbt9704._para(doc, f"{data.batch.committee.name}巡察工作领导小组：", "GW Flush")
    for level, text in _paragraphs(data):
        if level < 0:
            _table(doc, data)
        else:
            gbt9704._para(doc, text, gbt9704.LEVEL_STYLES[level])
    gbt9704._para(doc, "", "Normal")
    for text in (f"{data.batch.committee.name}巡察工作领导小组办公室", chinese_date(on or timezone.localdate())):
        line = gbt9704._para(doc, text, "GW Flush", align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(64)
    gbt9704._footers(doc)
    doc.core_properties.title = title_of(data.batch)
    doc.core_properties.author = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def export_report(*, actor, batch: EvaluationBatch) -> tuple[bytes, str]:
    """The Word report (bytes, filename) of a batch the actor may export; the export is audited."""
    require(actor, EXPORT, batch)
    data = report_data(batch)
    content = word(data)
    title = title_of(data.batch)
    audit.record(actor=actor, action="evaluation.report_export", obj=data.batch, summary=title,
                 detail={"organizations": len(data.evaluations), "grades": data.counts,
                         "state": data.batch.state})
    return content, f"{title}.docx"

