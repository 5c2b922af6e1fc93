"""The demo's peer review (底稿评查): one closed session over the last completed routine round
of the present term, on the default rubric 四个准确, a random sample of papers per group, each
paper read by a member of another group.

Members of a completed round's groups seldom have accounts; a review is then recorded under
the office staff's demo account, as the office does when it keys in scores handed in on paper.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import User
from xuncha.findings import services_review
from xuncha.findings.models import Defect, Review, ReviewSession, WorkingPaper
from xuncha.registry.models import Committee
from xuncha.rounds.models import GroupMember, Round

PER_GROUP = 5
COMMENTS = {
    "事实准确": ("时间、地点、人物要素不全。", "事实表述与证据材料个别地方不一致。", "涉及金额未注明计算口径。"),
    "定性准确": ("问题定性偏重，建议表述为“不规范”。", "定性与所述事实不完全对应。"),
    "依据准确": ("依据条款引用不具体。", "未引用县级相关制度。", "依据与问题性质不匹配。"),
    "表述准确": ("问题概述过长，不够凝练。", "个别用语不规范，存在口语化表述。"),
}
DEFECT_OF = {
    "事实准确": (Defect.FACTS_UNCLEAR, Defect.EVIDENCE_WEAK, Defect.AMOUNT_WRONG, Defect.PERSONS_UNCLEAR),
    "定性准确": (Defect.CHARACTER_WRONG, Defect.CLASSIFICATION),
    "依据准确": (Defect.BASIS_MISSING,),
    "表述准确": (Defect.WORDING,),
}


def build(*, seed: int, county: Committee, users: dict[str, User], members: dict[int, list[GroupMember]]) -> int:
    """The session and its reviews; returns how many papers were reviewed (0 when no round fits)."""
    rng = random.Random(f"xuncha-demo-review:{seed}")
    rnd = (Round.objects.filter(committee=county, state=Round.State.COMPLETED, kind=Round.Kind.ROUTINE,
                                term__end_date__isnull=True)
           .select_related("term").order_by("-number").first())
    if rnd is None:
        return 0
    groups = list(rnd.groups.order_by("number"))
    if len(groups) < 2:
        return 0
    rubric = services_review.rubric_default(actor=policy.CONSOLE, committee=county)
    criteria = [dict(c) for c in rubric.criteria]
    office = users["office_staff"]
    opened = timezone.make_aware(datetime.combine(rnd.planned_exit + timedelta(days=rng.randint(8, 15)), time(9, 30)))
    session_seed = rng.randrange(1, 2**31)
    session = ReviewSession.objects.create(
        round=rnd, title=f"{rnd.label}巡察底稿交叉评查", criteria=criteria, sample=ReviewSession.Sample.RANDOM,
        per_group=PER_GROUP, seed=session_seed, state=ReviewSession.State.CLOSED, opened_by=users["office_admin"],
        closed_at=opened + timedelta(days=rng.randint(12, 18), hours=7),
    )
    ReviewSession.objects.filter(pk=session.pk).update(opened_at=opened)
    reviews = []
    for position, group in enumerate(groups):
        papers = list(WorkingPaper.objects.filter(group=group, state=WorkingPaper.State.REGISTERED).order_by("seq")
                      .values_list("pk", flat=True))
        sample = random.Random(session_seed + group.number).sample(papers, min(PER_GROUP, len(papers)))
        # Papers go round the groups: group 1's to group 2, the last group's to group 1.
        readers = members.get(groups[(position + 1) % len(groups)].pk, [])
        for paper in sorted(sample):
            reader = rng.choice(readers) if readers else None
            reviews.append(_review(rng, session, paper, reader.user if reader and reader.user else office,
                                   criteria, opened))
    Review.objects.bulk_create(reviews)
    return len(reviews)


def _review(rng: random.Random, session: ReviewSession, paper: int, reviewer: User, criteria: list[dict],
            opened: datetime) -> Review:
    scores, comments, defects = {}, {}, []
    for criterion in criteria:
        name, top = criterion["name"], int(criterion["max"])
        score = min(top, max(0, round(top * rng.triangular(0.6, 1.0, 0.92))))
        scores[name] = score
        if score < top * 0.8 and name in COMMENTS:
            comments[name] = rng.choice(COMMENTS[name])
            defect = rng.choice(DEFECT_OF[name])
            if defect.value not in defects:
                defects.append(defect.value)
    return Review(session=session, paper_id=paper, reviewer=reviewer, scores=scores, comments=comments,
                  defects=defects, total=Decimal(sum(scores.values())),
                  submitted_at=opened + timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 8)))
