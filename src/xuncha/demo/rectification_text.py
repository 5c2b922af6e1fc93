"""Texts of the demo rectification: the measures of a task written from its problem (补齐凭证,
召开村民代表大会, 追缴, 修订制度 … with dates, amounts and who does it), the slogans a careless
plan is written in instead, progress and evidence (with the small PDF and PNG files themselves),
the office's comments, the progress report and its disclosure, the receivers' handling of
transfers and the evaluation's words.

Pure functions over plain data and one random stream: the same draws give the same texts.
A measure is put together from a clause that acts on the problem (chosen by the words of its
title where one fits) and a clause that fixes it for good; `Used` keeps the clauses a plan has
already used apart, so that no two measures of one plan read alike unless a plan copies one on
purpose.
"""

from __future__ import annotations

import random
import struct
import zlib
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xuncha.demo.findings_text import yuan

# (words of the problem's title that call for the clause — none: any problem of the family, text)
ACTIONS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "cash": (
        (("凭证", "白条", "票据", "报销", "报账"),
         "由{finance}对{year}年以来缺少原始凭证的{n}笔支出逐笔补齐票据，{due}报{up}审核入账"),
        (("坐收坐支", "公款私存", "小金库", "收入"),
         "由{watchdog}逐笔清查坐收坐支款项，{due}将{amount}全额存入{name}集体账户并在{public}公示"),
        (("往来款", "债务", "借款"), "{due}完成{n}笔往来款项清理，由{finance}逐笔对账并与债务人签订还款协议"),
        (("预算", "收支"), "{due}召开{meeting}逐项审核{year}年收支明细，超预算的{n}笔支出由经办人书面说明"),
        (("集体经济", "发展"), "{due}制定《{name}集体经济发展三年计划》，明确{n}个增收项目，由{leader}牵头落实"),
        ((), "追缴违规支出{amount}，由{leader}督办，{due}全额退回集体账户并附缴款凭证"),
        ((), "由{finance}对{year}年度账目逐笔核对，{due}形成{n}项问题清单并逐项写明整改人和完成时间"),
    ),
    "subsidy": (
        (("低保", "救助", "特困"), "对{n}户低保对象逐户入户复核，{due}停发不符合条件的{n2}户并追回已领取资金{amount}"),
        (("养老金", "残疾", "死亡", "迁出"),
         "与县民政局、县人力资源和社会保障局比对死亡和迁出人员名单，{due}停发{n}人待遇并追回{amount}"),
        (("未及时", "足额", "滞留", "拖延"),
         "{due}将滞留的补助资金{amount}全额发放到{n}户群众的一卡通账户，由{finance}逐户核对发放清单"),
        (("优亲厚友", "亲属", "人情"),
         "{due}召开{meeting}重新评议{n}户享受对象，评议结果在{public}公示7天，取消不符合条件的{n2}户"),
        ((), "由{deputy}牵头，{due}对{year}年发放的{n}笔补贴逐笔核对身份信息和银行代发清单，追回多发资金{amount}"),
        ((), "{due}由{finance}建立补贴对象花名册，逐户登记{n}户享受对象的银行账户和发放金额"),
    ),
    "assets": (
        (("发包", "承包", "租赁", "出租", "流转"),
         "{due}对{n}份集体资产发包合同重新签订，召开{meeting}表决，追缴拖欠承包费{amount}"),
        (("资产", "账实", "固定资产"),
         "{due}由{finance}会同{watchdog}对固定资产逐件盘点，登记造册{n}项，账实不符的{n2}项报{meeting}核销"),
        (("宅基地", "土地", "占用", "附着物"),
         "对{n}处违规占用集体土地逐处登记，{due}收回或重新签订有偿使用合同，收取使用费{amount}"),
        ((), "{due}完成集体资产清产核资，{n}项资产录入农村集体资产监管平台，由{leader}签字确认"),
        ((), "{due}由{clerk}清理{n}份到期未续签的租赁合同，按评估价重新公开招租"),
    ),
    "projects": (
        (("验收", "结算", "审计"), "{due}委托第三方对{n}个工程项目重新审计结算，追回多付工程款{amount}"),
        (("招投标", "招标", "采购", "围标", "直接发包"),
         "对{n}个未按规定招标的项目逐个登记，{due}报{up}复核，涉及{amount}的合同按程序重新签订"),
        (("管护", "维修", "水利", "灌溉"), "{due}与{n}名管护人员签订管护协议，由{deputy}每月巡查一次并填写管护记录"),
        (("虚报", "套取", "重复申报"), "{due}追回虚报工程量套取的资金{amount}，由{discipline}对{n}名责任人调查处理"),
        ((), "{due}整理{n}个项目的档案，补齐开工报告、验收报告等资料，由{clerk}逐卷装订归档"),
        ((), "{due}对{year}年以来实施的{n}个项目逐个复查工程量，复查结果报{meeting}审议"),
    ),
    "discipline": (
        (("接待", "公函"), "对{year}年以来{n}批次无公函接待逐笔清理，超标准部分{amount}由责任人{due}全额退还"),
        (("公车", "车辆"), "{due}对{n}辆公务用车逐辆登记，安装定位系统，由{clerk}每月公示用车记录"),
        (("津补贴", "奖金", "福利"), "{due}清退违规发放的津补贴{amount}，涉及{n}人，缴款凭证报{discipline}备案"),
        (("礼金", "礼品", "红包", "吃拿卡要", "好处费"),
         "由{discipline}在{due}对{n}名当事人谈话提醒，收受的礼金{amount}全额上缴"),
        ((), "{due}召开专题民主生活会，{leader}带头查摆，对{n}名责任人进行约谈"),
        ((), "{due}由{finance}对{year}年报销的{n}份差旅和会议费凭证逐份复核，违规部分{amount}责令退还"),
    ),
    "meetings": (
        (("三会一课", "主题党日", "组织生活"),
         "{due}补开{n}次支委会和{n2}次党员大会，由{leader}每季度讲党课1次，会议记录由{clerk}归档"),
        (("公开", "村务", "财务"), "{due}在{public}补公开{year}年{n}项财务收支明细，此后每月10日前更新一次"),
        (("集体决策", "集体研究", "三重一大", "四议两公开"),
         "对{n}项未经集体研究的事项补充履行{meeting}程序，{due}形成会议记录{n}份存档"),
        (("党员", "党费", "发展"), "{due}对{n}名党员的党费逐人核对，补缴党费{amount}，并在{party}上通报"),
        (("班子", "团结", "沟通", "协调"),
         "{due}召开专题组织生活会，班子成员逐一开展批评和自我批评，由{leader}形成{n}项整改清单"),
        (("学习",), "{due}制定年度学习计划，每月组织集中学习1次，由{clerk}登记学习记录和心得体会"),
        (("换届", "后备", "老化"), "{due}物色{n}名后备力量，由{leader}逐一谈话并建立培养台账"),
        ((), "{due}由{leader}主持召开{party}，逐条对照{n}个问题制定整改清单，会议记录报{up}备案"),
    ),
    "cadre": (
        (("档案",), "{due}对{n}卷干部人事档案逐卷审核，补齐“三龄两历一身份”认定材料，由{personnel}负责"),
        (("考核", "评优"), "{due}修订年度考核实施细则，对{n}名干部重新核定考核等次，结果在单位内部公示5个工作日"),
        (("任职资格", "把关", "选拔", "提拔"), "{due}对{n}名干部的任职资格逐人复核，不符合条件的{n2}人报县委组织部调整"),
        (("兼职", "经商办企业", "个人有关事项"),
         "由{personnel}在{due}对{n}名干部的兼职情况逐人登记，违规兼职取酬的{amount}全额清退"),
        (("借调", "职数", "交流轮岗"), "{due}清理借调人员{n}名，由{personnel}逐人办理返岗手续并报县委编办备案"),
        ((), "{due}召开{meeting}专题研究干部工作，对{n}名干部进行谈话提醒"),
    ),
    "policy": (
        (("第一责任人", "主体责任", "书记"),
         "{due}由{leader}主持召开{meeting}，专题研究{n}项整改任务，逐项明确责任人并形成会议纪要"),
        (("安全", "生产", "隐患"), "{due}对辖区{n}处安全隐患逐处排查登记，由{deputy}督促整改并拍照留存"),
        (("征地", "拆迁", "补偿"), "对{n}户补偿标准逐户复核，{due}补发差额{amount}，复核结果在{public}公示"),
        (("审批", "服务", "效率", "营商"), "{due}梳理{n}项审批事项清单，承诺办结时限，由{clerk}每月通报办理情况"),
        (("信访", "群众"), "{due}对{n}件信访积案逐件答复，由{leader}包案化解并回访当事人"),
        (("审计", "整改", "巡察"), "对{year}年审计发现的{n}个问题逐项核查，{due}报送整改报告和佐证材料"),
        (("意识形态", "宣传", "阵地"), "{due}召开{meeting}专题研究意识形态工作，{n}处宣传阵地由{clerk}逐一登记"),
        (("危房", "改造", "住房"), "{due}对{n}户危房改造对象逐户回访，补发改造补助{amount}，由{deputy}签字确认"),
        ((), "{due}制定{n}项具体整改措施，由{deputy}逐项督办，每月5日前向{leader}报告进展"),
        ((), "{due}由{clerk}调阅{year}年以来{n}件事项的办理档案逐件复查，问题清单报{meeting}研究"),
    ),
}
# Clauses that fix the matter for good (建章立制), by family.
RULES: dict[str, tuple[str, ...]] = {
    "cash": ("修订《{name}财务管理制度》，明确单笔{limit}元以上支出须经{meeting}集体研究",
             "建立月度对账制度，由{finance}每月10日前核对银行存款余额并编制余额调节表",
             "每季度由{watchdog}审核收支明细，审核意见在{public}张贴公示"),
    "subsidy": ("建立补贴发放台账，每月5日前由{finance}将发放明细报{up}备案",
                "每季度在{public}公示补贴发放名单，由{watchdog}逐户抽查不少于10户",
                "补贴对象实行{meeting}评议、{up}审核两级把关，评议记录存档备查"),
    "assets": ("修订《{name}集体资产管理办法》，{limit}元以上资产处置须经{meeting}表决",
               "集体资产出租一律公开招租，合同到期前3个月由{clerk}报{meeting}研究",
               "每年12月由{watchdog}对集体资产清查一次，结果在{public}公示"),
    "projects": ("修订《{name}小型工程项目管理办法》，{limit}元以上项目一律公开比选",
                 "建立项目台账，由{clerk}每月更新进度、资金拨付和验收情况",
                 "项目验收由{watchdog}全程参与，验收报告在{public}公示7天"),
    "discipline": ("修订《{name}公务接待管理办法》，一律凭公函和接待清单报销",
                   "每季度由{watchdog}抽查报销凭证不少于20份，结果在{meeting}上通报",
                   "每月5日前由{clerk}将公务支出明细报{leader}审签"),
    "meetings": ("{party}会议记录由{clerk}每月装订存档，{up}每半年检查一次",
                 "建立党员活动签到台账，每季度在{public}公示参加组织生活情况",
                 "制定《{name}议事规则》，重大事项一律经{meeting}研究并形成会议记录"),
    "cadre": ("修订《{name}干部选拔任用工作规程》，动议、民主推荐等环节一律形成书面记录",
              "每年12月由{personnel}对干部人事档案专项审核一次，结果报县委组织部",
              "建立干部兼职审批台账，新增兼职一律报{meeting}研究"),
    "policy": ("修订《{name}工作规则》，写明{n}类事项的办理时限和责任人",
               "由{watchdog}每季度检查一次落实情况，检查结果在{meeting}上通报",
               "建立问题台账，由{clerk}每月5日前更新整改进展并报{leader}"),
}
# What a long-term task adds: who checks it, and how often.
CHECKS = ("由{watchdog}每季度检查一次，检查结果报{up}", "每半年由{leader}听取一次落实情况汇报",
          "每年12月由{clerk}形成落实情况报告报送县委巡察办")
# Measures that say nothing (措施空泛): a careless plan's way of answering a problem.
SLOGANS = (
    "进一步加强财务管理，切实提高思想认识，确保整改到位。",
    "高度重视巡察反馈问题，举一反三，建立健全长效机制。",
    "切实履行主体责任，持续加强制度建设，坚决杜绝类似问题再次发生。",
    "认真学习相关政策法规，不断提高业务水平，严格规范管理。",
    "强化责任担当，抓好整改落实，确保件件有着落、事事有回音。",
    "进一步提高政治站位，压紧压实整改责任，以钉钉子精神抓好整改。",
    "加大监督检查力度，严肃追责问责，坚决遏制此类问题发生。",
    "深刻汲取教训，引以为戒，全面加强作风建设。",
    "以案促改，标本兼治，推动整改工作常态化长效化。",
    "持续深化整改，巩固整改成果，切实做到真改实改。",
    "进一步规范工作程序，增强纪律意识，提高工作质量和效率。",
    "坚持问题导向，完善相关制度，确保取得实效。",
)
AMOUNTS = {"cash": (3000, 80000), "subsidy": (2000, 60000), "assets": (5000, 120000), "projects": (20000, 400000),
           "discipline": (1000, 30000), "meetings": (300, 3000), "cadre": (2000, 40000), "policy": (5000, 90000)}


@dataclass(frozen=True, slots=True)
class Unit:
    """An inspected organization as the texts see it."""

    name: str
    kind: str  # village | community | township | department | school | hospital | soe
    parent: str = ""  # a village's township
    people: tuple[tuple[str, str], ...] = ()  # (name, post), its principal first

    @property
    def words(self) -> dict[str, str]:
        return _words(self)


def _words(unit: Unit) -> dict[str, str]:
    kind, parent = unit.kind, unit.parent
    if kind in ("village", "community"):
        street = parent.endswith("街道")
        own = "村" if kind == "village" else "社区"
        return {"leader": f"{own}党支部书记", "deputy": "村委会主任" if own == "村" else "社区居委会主任",
                "finance": f"{own}报账员", "clerk": f"{own}文书", "personnel": f"{own}党支部组织委员",
                "watchdog": "村务监督委员会" if own == "村" else "社区居务监督委员会",
                "up": f"{parent}{'财政所' if street else '经管站'}", "discipline": f"{parent}{'纪工委' if street else '纪委'}",
                "meeting": "村民代表大会" if own == "村" else "居民代表会议", "party": "支委会",
                "public": f"{own}务公开栏" if own == "村" else "社区居务公开栏"}
    if kind == "township":
        head = "镇长" if unit.name.endswith("镇") else "乡长" if unit.name.endswith("乡") else "主任"
        return {"leader": "党委书记" if head != "主任" else "党工委书记", "deputy": f"分管副{head}", "finance": "财政所",
                "clerk": "党政办", "personnel": "组织办", "watchdog": "纪委" if "街道" not in unit.name else "纪工委",
                "up": "县财政局", "discipline": "纪委", "meeting": "党委会", "party": "党委会", "public": "政务公开栏"}
    posts = {"school": ("校长", "分管副校长", "财务室", "总务处", "政教处", "学校纪检委员", "县教育体育局", "校务会", "校务公开栏"),
             "hospital": ("院长", "分管副院长", "财务科", "医务科", "人事科", "医院纪委", "县卫生健康局", "院务会", "院务公开栏"),
             "soe": ("董事长", "分管副总经理", "财务部", "综合部", "人力资源部", "公司纪检组", "县国资委", "党支部会议",
                     "公司公开栏")}
    leader, deputy, finance, clerk, personnel, watchdog, up, meeting, public = posts.get(kind, (
        "主要负责人", "分管负责人", "财务室", "办公室", "人事科", "机关纪委", "县财政局", "党组会议", "单位门户网站"))
    return {"leader": leader, "deputy": deputy, "finance": finance, "clerk": clerk, "personnel": personnel,
            "watchdog": watchdog, "up": up, "discipline": watchdog, "meeting": meeting, "party": "支委会",
            "public": public}


@dataclass(slots=True)
class Used:
    """The clauses a plan has used, so that its measures differ."""

    actions: set[tuple[str, int]] = field(default_factory=set)
    pairs: set[tuple[str, int, int]] = field(default_factory=set)
    slogans: set[int] = field(default_factory=set)


def day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def by(due: date) -> str:
    """2023年9月底前, 2023年9月15日前"""
    if due.day == monthrange(due.year, due.month)[1]:
        return f"{due.year}年{due.month}月底前"
    return f"{day(due)}前"


def _slots(unit: Unit, family: str, amount: Decimal | None, due: date, rng: random.Random) -> dict[str, str]:
    low, high = AMOUNTS[family]
    if amount is None or amount <= 0:
        amount = Decimal(round(low * (high / low) ** rng.random(), -2))
    return {**unit.words, "name": unit.name, "due": by(due), "year": str(due.year - rng.choice((1, 1, 2))),
            "n": str(rng.randint(3, 28)), "n2": str(rng.randint(1, 3)), "amount": yuan(Decimal(amount)),
            "limit": str(rng.choice((2000, 3000, 5000)))}


def measure(unit: Unit, family: str, title: str, amount: Decimal | None, due: date, kind: str,
            rng: random.Random, used: Used) -> str:
    """The measure of a task for a problem of `family` titled `title`, due `due`, of `kind`
    (immediate, concentrated or long_term)."""
    slots = _slots(unit, family, amount, due, rng)
    actions, rules = ACTIONS[family], RULES[family]
    fitting = [i for i, (words, _) in enumerate(actions) if any(w in title for w in words)]
    general = [i for i, (words, _) in enumerate(actions) if not words]
    order = fitting + general + [i for i in range(len(actions)) if i not in fitting and i not in general]
    if kind == "long_term":
        pairs = [(r, c) for r in range(len(rules)) for c in range(len(CHECKS))]
        free = [p for p in pairs if ("L" + family, *p) not in used.pairs] or pairs
        r, c = free[0] if rng.random() < 0.5 else rng.choice(free)
        used.pairs.add(("L" + family, r, c))
        return f"长期坚持：{rules[r].format(**slots)}；{CHECKS[c].format(**slots)}。"
    # An action clause the plan has not used yet (else a pair of clauses it has not used), the
    # one that fits the title most often but not always: plans differ in their words.
    fresh = [a for a in order if (family, a) not in used.actions]
    pairs = [(a, r) for a in (fresh or order) for r in range(len(rules))]
    free = [p for p in pairs if (family, *p) not in used.pairs] or pairs
    a, r = free[0] if rng.random() < 0.7 else rng.choice(free[: max(3, len(free) // 2)])
    used.actions.add((family, a))
    used.pairs.add((family, a, r))
    return f"{'立行立改：' if kind == 'immediate' else ''}{actions[a][1].format(**slots)}；{rules[r].format(**slots)}。"


def slogan(rng: random.Random, used: Used) -> str:
    free = [i for i in range(len(SLOGANS)) if i not in used.slogans] or list(range(len(SLOGANS)))
    i = rng.choice(free)
    used.slogans.add(i)
    return SLOGANS[i]


def lead_department(unit: Unit, family: str) -> str:
    w = unit.words
    return {"cash": w["finance"], "subsidy": w["finance"] if unit.kind in ("village", "community") else w["clerk"],
            "assets": w["clerk"], "projects": w["clerk"], "discipline": w["watchdog"], "meetings": w["clerk"],
            "cadre": w["personnel"], "policy": w["clerk"]}[family]


def person(unit: Unit, index: int, fallback: str) -> str:
    """The name and post of the unit's `index`-th person ("王某（村党支部书记）"), else `fallback`."""
    if index < len(unit.people):
        name, post = unit.people[index]
        return f"{name}（{post}）"[:100]
    return fallback


# -- progress and evidence ----------------------------------------------------------------------

PROGRESS = {
    "cash": ("已逐笔核对{year}年账目，补齐原始凭证{n}张，经{up}审核入账。", "违规支出已退回集体账户，缴款凭证附后。",
             "已修订财务管理制度并经{meeting}通过，在{public}公示。"),
    "subsidy": ("已入户复核{n}户，停发不符合条件的{n2}户，追回资金已上缴。", "补发资金已打入群众一卡通账户，发放清单附后。",
                "评议结果已在{public}公示7天，无异议。"),
    "assets": ("已重新签订发包合同{n}份，追缴的承包费已入账。", "资产盘点已完成，登记造册{n}项，盘点表附后。",
               "{meeting}已表决通过处置方案，会议记录附后。"),
    "projects": ("第三方审计结算报告已出具，多付工程款已追回。", "已补齐{n}个项目的验收报告并装订归档。",
                 "管护协议已签订，{deputy}已开展巡查{n2}次。"),
    "discipline": ("违规发放的款项已全额清退，缴款凭证附后。", "已对{n2}名当事人谈话提醒，谈话记录附后。",
                   "公务接待管理办法已修订印发。"),
    "meetings": ("已补开支委会{n2}次、党员大会{n2}次，会议记录附后。", "已在{public}补公开财务收支明细{n}项，公开照片附后。",
                 "议事规则已经{meeting}通过并印发。"),
    "cadre": ("已审核干部人事档案{n}卷，补齐认定材料，审核登记表附后。", "已对{n2}名干部谈话提醒，谈话记录附后。",
              "干部选拔任用工作规程已修订，报县委组织部备案。"),
    "policy": ("已召开{meeting}专题研究，明确责任人和完成时限，会议纪要附后。", "已逐项核查{n}个问题，整改报告附后。",
               "相关制度已修订印发，落实情况每月通报。"),
}
FIRST_PROGRESS = ("已召开专题会议研究部署，明确责任人和完成时限。", "已对照问题逐项梳理，制定工作计划，正在推进。",
                  "已完成前期调查核实，正在按计划整改。")
# (file name, format) of evidence, by family.
EVIDENCE = {
    "cash": (("补齐原始凭证清单", "pdf"), ("缴款凭证", "pdf"), ("财务管理制度（修订）", "pdf")),
    "subsidy": (("复核台账", "pdf"), ("评议结果公示照片", "png"), ("资金追回凭证", "pdf")),
    "assets": (("发包合同（重新签订）", "pdf"), ("资产盘点表", "pdf"), ("村民代表大会会议记录", "pdf")),
    "projects": (("工程审计结算报告", "pdf"), ("项目验收报告", "pdf"), ("管护巡查照片", "png")),
    "discipline": (("清退款缴款凭证", "pdf"), ("谈话提醒记录", "pdf"), ("公务接待管理办法", "pdf")),
    "meetings": (("支委会会议记录", "pdf"), ("公开栏照片", "png"), ("主题党日活动照片", "png")),
    "cadre": (("干部人事档案审核登记表", "pdf"), ("谈话提醒记录", "pdf"), ("干部选拔任用工作规程", "pdf")),
    "policy": (("专题会议纪要", "pdf"), ("整改情况报告", "pdf"), ("现场整改照片", "png")),
}


def progress(unit: Unit, family: str, rng: random.Random, *, first: bool = False) -> str:
    if first:
        return rng.choice(FIRST_PROGRESS)
    slots = {**unit.words, "n": str(rng.randint(3, 30)), "n2": str(rng.randint(1, 4)), "year": "上年度"}
    return rng.choice(PROGRESS[family]).format(**slots)


def evidence(family: str, rng: random.Random) -> tuple[str, str]:
    name, ext = rng.choice(EVIDENCE[family])
    return f"{name}.{ext}", ext


def pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing a few lines of ASCII text."""
    body = " ".join(f"({line}) Tj 0 -24 Td" for line in lines)
    stream = f"BT /F1 16 Tf 72 760 Td {body} ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png(token: str, shade: int) -> bytes:
    """A small picture (a notice board on a wall) whose colours and text chunk vary."""
    width, height = 120, 80
    wall, board = bytes((200, 196 - shade % 40, 180)), bytes((40 + shade % 120, 90, 60))
    plain = b"\x00" + wall * width
    framed = b"\x00" + wall * 20 + board * 80 + wall * 20
    raw = plain * 16 + framed * 44 + plain * 20

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00xuncha demo evidence " + token.encode()) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


# -- the office's words -------------------------------------------------------------------------

APPROVE = ("同意该整改方案，请按时间节点抓好落实。", "方案问题清单、任务清单、责任清单齐全，同意。", "")
RETURN_PLAN = ("部分整改措施空泛、不具体，未写明完成时限和责任人，请修改后重新报送。",
               "部分整改措施空泛，与反馈问题对应不够，请逐项细化后重新报送。")
VAGUE_TASK = ("措施空泛，没有说明具体做什么、什么时间完成、由谁负责，请细化到具体事项、时限和责任人。",
              "该项措施只有表态，没有具体整改动作，请写明整改内容、完成时限和责任人。")
COPY_TASK = "该项措施与另一问题的措施完全相同，请针对本问题重新制定。"
CLOSE = ("佐证材料齐全，同意销号。", "", "经核实已整改到位，同意销号。")
RETURN_CLOSURE = ("佐证材料只有会议记录，缺少资金退回的缴款凭证，请补充后再申请销号。",
                  "整改措施中的制度修订尚未完成，暂不予销号。",
                  "上传的照片不清晰，无法核实整改情况，请重新上传。")
REOPEN = ("回头看发现问题反弹，同类问题再次出现，重新打开整改。", "县审计局审计发现整改不到位，追缴资金未全额到账。",
          "群众来信反映问题仍然存在，经核实属实，重新打开整改。")
REQUEST = ("已按方案完成整改，申请销号。", "整改完成，佐证材料已上传，申请销号。", "")


# -- progress report and disclosure -------------------------------------------------------------

def body(unit: Unit) -> str:
    """What the inspected party organization is called (as in the reports)."""
    if unit.kind == "township":
        return f"{unit.name}党{'工' if unit.name.endswith('街道') else ''}委"
    return f"{unit.name}党组织"


def report_title(body: str, round_label: str) -> str:
    return f"{body}关于县委{round_label}巡察反馈意见集中整改进展情况的报告"


def report_text(body: str, round_label: str, fed_back_on: date, *, problems: int, tasks: int, closed: int,
                amount: Decimal, rules: int) -> str:
    money = f"，追缴、退还资金{yuan(amount)}" if amount > 0 else ""
    return "\n".join((
        f"{day(fed_back_on)}，县委{round_label}巡察组向{body}反馈了巡察意见，指出问题{problems}个。",
        f"{body}召开专题会议研究部署，制定整改方案，建立问题、任务、责任“三张清单”，明确整改任务{tasks}项。",
        f"截至目前，已完成整改{closed}项，正在整改{tasks - closed}项{money}，建立完善制度{rules}项。",
        "下一步，将对尚未完成的任务持续跟踪督办，按期完成后申请销号，并按要求公开整改情况。",
    ))


REPORT_OPINION = ("报告内容完整，整改措施基本落实，同意。请对尚未完成的任务持续推进，按要求公开整改情况。",
                  "整改进展情况报告经审核，基本符合要求。请在1个月内公开整改情况，接受群众监督。",
                  "同意该报告。部分问题整改需长期坚持，请建立长效机制，防止问题反弹。")
REPORT_RETURN = "报告未逐项说明整改完成情况和佐证材料，请补充后重新报送。"


def disclosure(unit: Unit, body: str, round_label: str, rng: random.Random) -> tuple[str, str, str, str]:
    """(channel, where, title, content) of one publication of the rectification."""
    title = f"{body}关于县委{round_label}巡察整改进展情况的通报"
    content = "按照巡察整改有关要求，现将集中整改进展情况予以公布，欢迎党员群众监督。"
    if unit.kind in ("village", "community"):
        channel, place = rng.choice((("notice_board", unit.words["public"]),
                                     ("meeting", f"{unit.name}党员群众大会")))
    elif unit.kind == "township":
        channel, place = rng.choice((("website", "青崖县人民政府门户网站乡镇专栏"), ("wechat", f"“{unit.name}发布”微信公众号")))
    else:
        channel, place = rng.choice((("website", "青崖县人民政府门户网站"), ("notice_board", unit.words["public"])))
    return channel, place, title, content


# -- transfers ------------------------------------------------------------------------------------

HANDLERS = {"discipline": "第二纪检监察室", "organization": "干部监督科", "department": "办公室"}
ACTION_NOTES = {
    "talk_inquiry": ("对反映问题涉及人员进行谈话函询，本人作出书面说明。", "发函询问，要求本人如实说明情况。"),
    "preliminary": ("成立核查组，调取相关账目和会议记录进行初步核实。", "调取银行流水和报账资料，询问知情人{n}名。"),
    "case": ("经初步核实，反映问题部分属实，报批后予以立案审查调查。",),
    "organizational": ("研究提出组织处理意见，报县委组织部部务会审议。", "对相关人员进行提醒谈话并责令作出书面检查。"),
    "rectify": ("向被巡察单位下发整改通知，责令限期整改。", "会同有关部门督促整改，跟踪整改进展。"),
    "concluded": ("审查调查终结，作出处理决定，予以了结。", "经核实，相关问题已处理完毕，予以了结。"),
}


def handling(receiver: str, amount: Decimal | None,
             rng: random.Random) -> tuple[list[str], int, int, Decimal, int]:
    """What a receiver (discipline, organization, department) does with a transfer: its handling
    steps, then people disciplined, people handled, money recovered and systems established."""
    money = Decimal(0)
    if amount and receiver != "organization" and rng.random() < 0.7:
        money = (amount * Decimal(str(round(rng.uniform(0.5, 1), 2)))).quantize(Decimal("0.01"))
    if receiver == "discipline":
        roll = rng.random()
        if roll < 0.4:
            return ["preliminary", "case", "concluded"], rng.randint(1, 3), rng.randint(0, 1), money, rng.randint(0, 1)
        if roll < 0.75:
            return ["talk_inquiry", "concluded"], 0, 1, Decimal(0), 0
        return ["preliminary", "concluded"], 0, 0, Decimal(0), 0
    if receiver == "organization":
        return [rng.choice(("talk_inquiry", "organizational")), "concluded"], 0, rng.randint(1, 3), money, rng.randint(0, 2)
    return ["rectify", "concluded"], 0, 0, money, rng.randint(1, 2)


def action_note(method: str, rng: random.Random) -> str:
    return rng.choice(ACTION_NOTES[method]).format(n=rng.randint(2, 9))


def transfer_result(receiver: str, *, disciplined: int, handled: int, money: Decimal, systems: int) -> str:
    parts = []
    if disciplined:
        parts.append(f"给予党纪政务处分{disciplined}人")
    if handled:
        parts.append(f"组织处理{handled}人")
    if money:
        parts.append(f"追缴违纪违法资金{yuan(money)}")
    if systems:
        parts.append(f"推动建立完善制度{systems}项")
    if not parts:
        return "经核实，反映问题不属实，予以了结，并向被反映人所在单位通报核实情况。"
    return f"经{receiver}核查处理，" + "，".join(parts) + "。"


# -- evaluation -----------------------------------------------------------------------------------

EVALUATION_COMMENTS = {
    "excellent": ("整改责任落实到位，措施具体，任务按期完成，佐证材料齐全，整改成效明显。",
                  "党组织高度负责，问题清单、任务清单、责任清单清晰，整改情况及时公开，群众认可。"),
    "pass": ("整改工作总体有序推进，大部分任务按期完成，个别任务销号滞后。",
             "整改措施基本具体，责任明确，但部分佐证材料不够完整。"),
    "basic": ("整改措施不够具体，部分内容空泛，多项任务未按期销号，整改进展报告报送滞后。",
              "整改责任传导不够，存在以制度代整改的情况，部分问题整改不到位。"),
    "fail": ("整改主体责任落实不力，措施空泛、照搬照抄，多数任务未按期完成，整改情况未按规定公开。",),
}
FOLLOW_UP_NOTES = {
    "interview": "由县委巡察办主任对该单位党组织主要负责人进行约谈，督促其在2个月内完成未销号任务并书面报告。",
    "revisit": "纳入下一轮巡察整改“回头看”对象，重点检查未完成任务和反弹问题。",
    "both": "由县委巡察工作领导小组副组长约谈该单位党组织书记，并纳入下一轮巡察整改“回头看”，逐项核查整改情况。",
}


def batch_conclusion(total: int, grades: dict[str, int], vague: int, overdue: int) -> str:
    return "\n".join((
        f"本次评估对集中整改期限届满的{total}个被巡察党组织开展，评定优秀{grades.get('excellent', 0)}个、"
        f"合格{grades.get('pass', 0)}个、基本合格{grades.get('basic', 0)}个、不合格{grades.get('fail', 0)}个。",
        f"评估发现的主要问题：一是整改措施不具体、内容空泛，共有{vague}项措施只有表态没有具体动作；"
        f"二是整改责任落实不到位，{overdue}项任务未按期销号；三是个别单位整改情况未按规定公开。",
        "下一步，对基本合格、不合格的单位分别采取约谈、回头看等措施，评估结果报县委巡察工作领导小组，"
        "作为领导班子和领导干部考核的重要依据。",
    ))
