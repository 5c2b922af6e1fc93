"""Time the Word rendering of an inspection report with 60 problems (target: under a second).

    XUNCHA_DATA_DIR=/tmp/xc-bench .venv/bin/python bench/report_render_bench.py
    .venv/bin/python bench/report_render_bench.py --problems 10 --sample /tmp/report.docx

No database: the report, its target and its problems are stand-ins with the models' fields; the
default GB/T 9704 template is built into the data directory at first use (not timed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
os.environ.setdefault("XUNCHA_DATA_DIR", tempfile.mkdtemp(prefix="xc-bench-"))

import django  # noqa: E402

django.setup()

from xuncha.reports.documents import gbt9704, render  # noqa: E402
from xuncha.reports.documents.context import problem_blocks, problem_rows  # noqa: E402

FOCUSES = [
    ("贯彻落实党的路线方针政策和上级决策部署情况", ["落实乡村振兴战略", "落实惠农政策"]),
    ("群众身边腐败问题和不正之风", ["集体资金管理", "集体资产资源管理", "工程项目管理"]),
    ("基层党组织建设情况", ["“三会一课”制度执行", "党员发展和管理"]),
]
SAMPLES = [
    ("惠农补贴发放不及时", "2023年耕地地力保护补贴延迟4个月发放，涉及农户126户。", "minor", None),
    ("村集体资金坐收坐支", "2023年鱼塘租金3万元未入村集体账户，直接用于村务开支。", "serious", 30000),
    ("集体资产发包不公开", "2022年村集体鱼塘发包未经村民代表大会讨论，也未公开招标。", "minor", None),
    ("公款私存", "村报账员将集体资金1.2万元存入个人银行账户，长达8个月。", "serious", 12000),
    ("工程项目未按规定招标", "2023年村道硬化工程造价48万元，未按规定公开招标，直接指定施工单位。", "serious", 480000),
]


class _Manager(list):
    def all(self):
        return self


def _item(title, position, parent=None):
    return SimpleNamespace(title=title, position=position, pk=position + 1000 * (parent.pk if parent else 0),
                           parent=parent)


def fake_report(n_problems: int):
    committee = SimpleNamespace(name="中共青崖县委", short_name="青崖县委")
    round_ = SimpleNamespace(label="十四届第八轮", committee=committee)
    leader = SimpleNamespace(role="leader", person=SimpleNamespace(name="张明远"))
    group = SimpleNamespace(name="第一巡察组", number=1, members=_Manager([leader]))
    organization = SimpleNamespace(name="东门村党支部")
    assignment = SimpleNamespace(round=round_, group=group, organization=organization)
    points = []
    for f, (focus_title, point_titles) in enumerate(FOCUSES, start=1):
        focus = _item(focus_title, f)
        points.extend(_item(t, p, focus) for p, t in enumerate(point_titles, start=1))
    problems = []
    for i in range(n_problems):
        title, description, severity, amount = SAMPLES[i % len(SAMPLES)]
        problems.append(SimpleNamespace(
            seq=i + 1, title=title if i < len(SAMPLES) else f"{title}（{i + 1}）", description=description,
            classification=_item(title, i, points[i % len(points)]), amount=amount, kind="general",
            get_kind_display=lambda: "一般问题", severity=severity, get_severity_display=lambda: "一般",
            organization_id=None, group_id=None, fed_back=False))
    body = "\n".join(b["text"] for b in problem_blocks(problem_rows(problems)))
    sections = [
        {"key": "overview", "title": "基本情况和总体评价",
         "body": "根据县委巡察工作统一部署，2024年3月1日至4月30日，县委第一巡察组对东门村党支部进行了巡察。"
                 "巡察组通过个别谈话、调阅资料、走访群众等方式，全面了解该村党组织履行职责情况。\n"
                 "总体看，东门村党支部能够贯彻落实上级决策部署，村集体经济有所发展，但也存在一些问题。"},
        {"key": "problems", "title": "主要问题", "body": body},
        {"key": "advice", "title": "意见建议",
         "body": "（一）加强集体资金资产管理\n严格执行村级财务管理制度，规范资金收支。\n"
                 "（二）压实全面从严治党责任\n村党支部书记切实履行第一责任人职责。"},
    ]
    report = SimpleNamespace(kind="report", title="关于巡察东门村党支部的情况报告", assignment=assignment)
    return report, SimpleNamespace(number=3, sections=sections)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", type=int, default=60)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sample", help="write one rendered report to this path and stop")
    args = parser.parse_args()
    report, version = fake_report(args.problems)
    gbt9704.default_template_path("report")
    if args.sample:
        rendered = render.render_report(report, version, on=date(2024, 6, 20), use_active=False)
        Path(args.sample).write_bytes(rendered.data)
        print(f"{args.sample}: {len(rendered.data)} bytes, {args.problems} problems")
        return
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        rendered = render.render_report(report, version, on=date(2024, 6, 20), use_active=False)
        times.append(time.perf_counter() - start)
    print(f"report with {args.problems} problems to Word: median {statistics.median(times) * 1000:.0f} ms "
          f"over {args.runs} runs (min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms), "
          f"{len(rendered.data)} bytes; target < 1000 ms")


if __name__ == "__main__":
    main()
