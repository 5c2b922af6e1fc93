"""The default scoring template of rectification evaluation (整改评估评分标准), written down for a
committee the first time it is needed (like the default deadline policy), after which the office
edits it or copies it into templates of its own.

组织领导 15 + 责任落实 15 + 整改任务完成 60 + 群众满意度 10 = 100 points. The deduction items use the
words that `indicators.suggest` looks for (空泛, 未明确责任, 未按期销号, 佐证材料, 未按规定公开 …), so
the measured indicators pre-suggest how often each applies; the others are for the evaluator alone.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from xuncha.access import audit
from xuncha.rectification.models import Criterion, Deduction, EvaluationTemplate

DEFAULT_NAME = "巡察整改评估评分标准"
DEFAULT_DESCRIPTION = ("对集中整改期限届满的被巡察党组织，从组织领导、责任落实、整改任务完成、群众满意度四个方面"
                       "评估整改成效，满分100分。得分90分以上为优秀，80分以上为合格，60分以上为基本合格，"
                       "60分以下为不合格；基本合格和不合格的，视情况约谈或开展回头看。")

Indicator = Criterion.Indicator

# (title, points, indicator, guidance, [(deduction item, points each time), …])
DEFAULT_CRITERIA: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    ("组织领导", "15", Indicator.LEADERSHIP,
     "党组织把巡察整改作为重要政治任务，及时研究部署，按期制定整改方案、报送整改进展情况报告。",
     [("未及时召开专题会议研究部署整改工作的扣3分", "3"),
      ("未按期制定整改方案的扣3分", "3"),
      ("未按期报送整改进展情况报告的扣3分", "3"),
      ("主要负责人未履行整改第一责任人职责、未亲自部署督办的扣5分", "5")]),
    ("责任落实", "15", Indicator.RESPONSIBILITY,
     "建立问题清单、任务清单、责任清单，每项整改任务措施具体、责任到人、时限明确。",
     [("整改措施空泛、不具体的，每项扣1分", "1"),
      ("整改任务未明确责任领导、责任部门或责任人的，每项扣1分", "1"),
      ("未建立问题清单、任务清单、责任清单的扣3分", "3"),
      ("对整改中发现的违规违纪问题未严肃追责问责的扣3分", "3")]),
    ("整改任务完成", "60", Indicator.COMPLETION,
     "反馈问题按期整改到位并销号，佐证材料齐全，举一反三建立完善制度。",
     [("未按期销号的，每项扣2分", "2"),
      ("整改不到位、问题反弹回潮的，每项扣3分", "3"),
      ("佐证材料不全的，每项扣1分", "1"),
      ("未举一反三建立完善相关制度的扣3分", "3")]),
    ("群众满意度", "10", Indicator.SATISFACTION,
     "按规定公开整改情况，接受党员群众监督，群众对整改成效认可。",
     [("整改情况未按规定公开的扣3分", "3"),
      ("群众满意度测评低于80%的扣5分", "5"),
      ("整改期间群众就反馈问题重复信访举报的，每件扣1分", "1")]),
]


def create_criteria(template: EvaluationTemplate) -> None:
    """The default criteria and deduction items, written into an empty template."""
    for seq, (title, points, indicator, guidance, deductions) in enumerate(DEFAULT_CRITERIA, start=1):
        criterion = Criterion.objects.create(template=template, seq=seq, title=title, points=Decimal(points),
                                             indicator=indicator, guidance=guidance)
        Deduction.objects.bulk_create([
            Deduction(criterion=criterion, seq=n, description=description, points=Decimal(each))
            for n, (description, each) in enumerate(deductions, start=1)])


def default_template(committee, *, actor=None) -> EvaluationTemplate:
    """The committee's default template: the one under the default name, else its oldest; written
    down the first time the committee has none. The caller decides who may need it (the office
    opening a batch or listing its templates)."""
    templates = EvaluationTemplate.objects.filter(committee=committee)
    found = templates.filter(name=DEFAULT_NAME).first() or templates.order_by("created_at", "id").first()
    if found is not None:
        return found
    with transaction.atomic():
        template, created = EvaluationTemplate.objects.get_or_create(
            committee=committee, name=DEFAULT_NAME,
            defaults={"description": DEFAULT_DESCRIPTION, "created_by": actor if getattr(actor, "pk", None) else None})
        if created:
            create_criteria(template)
            audit.record(actor=actor, action="evaluation.template_default", obj=template, summary=template.name,
                         detail={"committee": committee.pk, "criteria": len(DEFAULT_CRITERIA)})
    return template
