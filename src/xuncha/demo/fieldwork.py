"""What the demo groups recorded on site, as plain data: announcements, interviews, document
requests, on-the-spot fixes, guidance visits with their prescriptions, members' declarations.

The texts are generic sentences of the trade; names and places come from the county's plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from xuncha.demo import catalog

if TYPE_CHECKING:
    from xuncha.demo.plan import OrganizationPlan, PersonPlan
    from xuncha.demo.rounds import GroupPlan, RoundPlan

DECLARATIONS = {
    "recusal": "本人已逐一核对本组巡察对象，本人及近亲属与巡察对象不存在需要回避的情形。如有隐瞒，愿承担相应责任。",
    "confidentiality": "本人承诺严格遵守巡察工作纪律和保密规定，不泄露巡察工作秘密，不私自留存、复制巡察工作资料。",
}
TOPICS = (
    "“三重一大”事项集体决策执行", "财务报销审核", "村级小微工程项目管理", "惠民惠农资金发放",
    "干部作风建设", "发展党员程序", "集体资产资源出租", "公务接待和公务用车", "基层党组织“三会一课”",
    "意识形态工作责任制落实", "选人用人", "巡察、审计发现问题整改",
)
SUMMARIES = (
    "谈话对象介绍了本单位落实全面从严治党主体责任的情况，认为在{topic}方面仍存在薄弱环节，建议进一步规范。",
    "谈话对象反映{topic}方面有群众意见，具体情况已记录，需调阅相关资料核实。",
    "谈话对象对本单位领导班子总体评价较好，同时指出{topic}方面制度执行不够严格。",
    "围绕{topic}开展了解，谈话对象说明了近年来的做法和存在的困难，提出了意见建议。",
)
PLACES = ("巡察组谈话室", "{org}会议室", "{org}党员活动室")
DOCUMENTS = (
    "近三年财务收支账簿及记账凭证", "党委（党组）会议记录", "“三重一大”事项决策记录",
    "干部选拔任用工作档案", "工程项目招投标及结算资料", "集体经济合同台账", "公务接待审批单及清单",
    "公务用车使用登记", "专项资金拨付及使用台账", "上一轮巡察整改工作台账",
)
FIXES = (  # (kind of target it fits, "" for any), item, measure taken
    ("village", "村务公开栏未按季度更新财务收支", "当场督促村“两委”补充公开本年度各季度财务收支明细。"),
    ("village", "村集体土地承包合同到期未续签", "已组织续签承包合同，报乡镇农经站备案。"),
    ("village", "群众反映的村道路灯损坏长期未修", "协调乡镇三日内完成维修，并建立巡查报修机制。"),
    ("", "公务用车使用登记不全", "已补全派车单，并修订公务用车管理办法。"),
    ("", "食堂账目未单独核算", "已建立食堂专账，明确专人管理、按月公示。"),
    ("", "党员活动室被挪作他用", "已腾退并恢复党员活动室功能。"),
    ("", "固定资产账实不符", "已组织全面清查，补登资产卡片并调整账目。"),
)
DIAGNOSES = (
    "对被巡察单位“三重一大”决策制度执行情况挖掘还不够深入。",
    "个别谈话覆盖面偏窄，村级组织的谈话还需进一步下沉。",
    "问题线索分类办理台账不够清晰，部分线索核实进度偏慢。",
    "巡察底稿记录不够规范，个别问题事实依据不充分。",
    "对上一轮巡察反馈问题整改情况的监督还需加强。",
)
PRESCRIPTIONS = (
    ("聚焦“三重一大”事项，逐项调阅会议记录和执行资料，形成专项分析。",
     "已调阅近三年党委会议记录，梳理“三重一大”事项47项，形成专项分析报告。"),
    ("扩大个别谈话范围，对每个村（社区）至少谈话3人。",
     "已补充开展个别谈话，覆盖全部被巡察村（社区）。"),
    ("建立问题线索台账，实行分类处置、销号管理。",
     "已建立问题线索台账，逐条明确责任人和办理时限。"),
    ("规范巡察底稿，做到问题事实清楚、证据充分。",
     "已对照要求逐份完善巡察底稿，补充证据材料。"),
    ("把上一轮巡察反馈问题整改情况纳入本轮监督重点。",
     "已逐条核查上一轮反馈问题整改情况，发现整改不到位问题3个。"),
)


@dataclass(slots=True)
class AnnouncementPlan:
    scope: str
    phone: str
    mailbox: str
    email: str
    start: date
    end: date


@dataclass(slots=True)
class InterviewPlan:
    interviewee: str
    post: str
    held_at: datetime  # naive, in the installation's time zone
    place: str
    interviewers: str
    recorder: str
    summary: str


@dataclass(slots=True)
class DocumentPlan:
    item: str
    copies: int
    medium: str
    original: bool
    requested_on: date
    provided_on: date
    due: date
    returned_on: date | None


@dataclass(slots=True)
class FixPlan:
    organization: int
    item: str
    fixed_on: date
    measure: str


@dataclass(slots=True)
class PrescriptionPlan:
    content: str
    owner: str
    due: date
    status: str
    answer: str = ""
    answered_at: datetime | None = None


@dataclass(slots=True)
class GuidancePlan:
    visited_on: date
    leaders: str
    diagnoses: str
    prescriptions: list[PrescriptionPlan] = field(default_factory=list)


class FieldworkDrawer:
    def __init__(self, rng: random.Random, organizations: list[OrganizationPlan], people: list[PersonPlan],
                 accounts: dict[str, int], phones: set[str]) -> None:
        self.rng = rng
        self.orgs = organizations
        self.people = people
        self.accounts = accounts
        self.phones = phones
        self.staff: dict[int, list[int]] = {}
        for index, person in enumerate(people):
            self.staff.setdefault(person.organization, []).append(index)

    def name(self, person: int) -> str:
        return self.people[person].name

    def declarations(self, rnd: RoundPlan, *, complete: bool) -> None:
        """Everyone in a finished round filed both; in a running one most have."""
        for group in rnd.groups:
            for member in group.members:
                roll = 0.0 if complete else self.rng.random()
                member.declarations = (("recusal", "confidentiality") if roll < 0.85
                                       else ("recusal",) if roll < 0.93 else ())

    def phone(self) -> str:
        from xuncha.demo.plan import PHONE_PREFIX

        while True:
            number = PHONE_PREFIX + f"{self.rng.randrange(10000):04d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def fieldwork(self, rnd: RoundPlan, group: GroupPlan, *, in_progress: bool) -> None:
        rng = self.rng
        members = [self.name(m.person) for m in group.members]
        leader = members[0]
        targets = [t.organization for t in group.targets]
        last_day = 40 if in_progress else 55
        names = [self.orgs[t].name for t in targets]
        group.announcement = AnnouncementPlan(
            scope=(f"巡察组主要受理反映{'、'.join(names[:3])}{'等' if len(names) > 3 else ''}党组织领导班子及其成员、"
                   "下一级党组织主要负责人和重要岗位领导干部问题的来信来电来访，重点是违反政治纪律、组织纪律、"
                   "廉洁纪律、群众纪律、工作纪律和生活纪律等方面的举报和反映。其他不属于巡察受理范围的信访问题，"
                   "将按规定交由有关部门处理。"),
            phone=self.phone(),
            mailbox=f"{catalog.COUNTY_NAME}邮政局{100 + rnd.number * 10 + group.number}号信箱",
            email=f"xcz{rnd.number}{group.number}@qingya.example",
            start=rnd.entry, end=rnd.exit,
        )
        for _ in range(rng.randint(3, 5)):
            org = rng.choice(targets)
            person = rng.choice(self.staff[org])
            asking = rng.sample(members[:-1], 2)
            group.interviews.append(InterviewPlan(
                interviewee=self.name(person), post=self.people[person].post,
                held_at=datetime.combine(rnd.entry + timedelta(days=rng.randint(2, last_day)),
                                         rng.choice((time(9, 0), time(10, 30), time(14, 30), time(16, 0)))),
                place=rng.choice(PLACES).format(org=self.orgs[org].name),
                interviewers="、".join(asking), recorder=members[-1],
                summary=rng.choice(SUMMARIES).format(topic=rng.choice(TOPICS)),
            ))
        group.interviews.sort(key=lambda i: i.held_at)
        for index, item in enumerate(rng.sample(DOCUMENTS, rng.randint(3, 4))):
            requested = rnd.entry + timedelta(days=rng.randint(1, 15))
            provided = requested + timedelta(days=rng.randint(0, 2))
            due = requested + timedelta(days=14)
            # One request of the running round's first group is overdue; the rest came back.
            overdue = in_progress and group.number == 1 and index == 0
            group.documents.append(DocumentPlan(
                item=item, copies=rng.randint(1, 3), medium=rng.choice(("paper", "paper", "electronic")),
                original=rng.random() < 0.3, requested_on=requested, provided_on=provided, due=due,
                returned_on=None if overdue else provided + timedelta(days=rng.randint(4, 12)),
            ))
        villages = [t for t in targets if self.orgs[t].kind == "village"]
        fitting = [f for f in FIXES if f[0] != "village" or villages]
        for kind, item, measure in rng.sample(fitting, rng.randint(1, 2)):
            pool = villages if kind == "village" else targets
            group.fixes.append(FixPlan(rng.choice(pool), item,
                                       rnd.entry + timedelta(days=rng.randint(10, last_day)), measure))
        group.guidance = self.guidance(rnd, leader, in_progress=in_progress)

    def guidance(self, rnd: RoundPlan, leader: str, *, in_progress: bool) -> GuidancePlan:
        rng = self.rng
        visited = rnd.entry + timedelta(days=rng.randint(25, 32))
        leaders = (f"{self.name(self.accounts['leader'])}（巡察工作领导小组）、"
                   f"{self.name(self.accounts['office_admin'])}（{catalog.INSPECTION_OFFICE}）")
        diagnoses = "".join(f"{'一二三'[i]}是{text}" for i, text in enumerate(rng.sample(DIAGNOSES, 2)))
        visit = GuidancePlan(visited, leaders, diagnoses)
        for i, (content, answer) in enumerate(rng.sample(PRESCRIPTIONS, rng.randint(2, 3))):
            due = visited + timedelta(days=(14, 21, 30)[i])
            if in_progress and i > 0:
                visit.prescriptions.append(PrescriptionPlan(content, leader, due, "open"))
                continue
            answered = datetime.combine(visited + timedelta(days=7 + i * 3), time(16, 0))
            visit.prescriptions.append(PrescriptionPlan(content, leader, due,
                                                        "answered" if in_progress else "closed",
                                                        answer, answered))
        return visit
