"""Texts of the demo analytics: the problems planted as common and recurring ones, and the
recommendations (巡察建议书) and special campaigns written about them.

Common themes are written five ways each, as different groups would write the same finding at
different villages (other words, other order, other amounts); a recurring matter twice, as the
earlier round wrote it and as the later one restated it. Slots are filled by `fill`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    """A problem common to many villages: where the checklist files it and five wordings."""

    key: str
    label: str
    point: str  # level-2 key of the village checklist
    manifestation: str  # the level-3 key preferred
    amounts: tuple[int, int] | None
    things: tuple[str, ...]
    titles: tuple[str, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A matter found at one organization and found again in a later round, restated."""

    family: str
    amounts: tuple[int, int] | None
    things: tuple[str, ...]
    title: str
    text: str
    title_again: str
    text_again: str


THEMES = (
    Theme("assets", "村集体资产未登记入账", "V2.1", "V2.1.4", (30000, 900000),
          ("村级活动场所", "光伏电站", "产业大棚", "集体厂房", "机耕道", "冷链仓储设施"),
          ("村集体资产未登记入账", "村集体资产未登记入账、底数不清", "部分村集体资产未登记入账",
           "村集体资产未登记入账、账实不符", "村集体资产未及时登记入账"),
          ("{org}{thing}等{n}项村集体资产未登记入账，涉及金额{amount}，集体资产底数不清、账实不符。",
           "{org}{thing}等{n}项村集体资产一直未登记入账，集体资产底数不清、账实不符，涉及金额{amount}。",
           "{org}集体资产底数不清、账实不符，{thing}等{n}项村集体资产建成后未登记入账，涉及金额{amount}。",
           "{org}{thing}等{n}项村集体资产未及时登记入账，涉及金额{amount}，集体资产账实不符、底数不清。",
           "{org}{thing}等{n}项村集体资产未登记入账、未纳入台账，涉及金额{amount}，集体资产底数不清、账实不符。")),
    Theme("subsidy", "惠民补贴发放不规范", "V2.2", "V2.2.2", (8000, 160000),
          ("耕地地力保护补贴", "高龄津贴", "残疾人两项补贴", "种粮大户补贴", "农村危房改造补助资金"),
          ("惠民补贴发放不规范", "惠民惠农补贴发放不规范", "惠民补贴发放不规范、未公示", "惠民补贴发放审核不严",
           "惠民补贴发放管理不规范"),
          ("{org}{year}年{thing}发放不规范，{n}户补贴对象信息与实际不符，涉及金额{amount}，发放前未按规定公示。",
           "{org}{thing}发放前未按规定公示，{n}户补贴对象信息与实际不符，涉及金额{amount}，发放不规范。",
           "经比对发放名册，{org}{thing}发放不规范：{n}户补贴对象信息与实际不符，未按规定公示即发放，涉及金额{amount}。",
           "{org}{year}年{thing}审核不严，{n}户补贴对象信息与实际不符，涉及金额{amount}，发放前未按规定公示。",
           "{org}{thing}发放不规范，{n}户补贴对象信息与实际不符、涉及金额{amount}，发放前未按规定公示。")),
    Theme("projects", "工程项目未经招投标", "V2.3", "V2.3.1", (150000, 1800000),
          ("村道硬化工程", "饮水安全巩固提升工程", "灌溉渠系维修工程", "村级活动阵地改造项目", "产业路建设项目"),
          ("工程项目未经招投标", "村级工程项目未经招投标", "工程项目未经招投标直接发包", "工程项目未经招投标",
           "工程项目未经招投标、直接指定施工方"),
          ("{org}{year}年实施的{thing}等{n}个工程项目未经招投标，直接指定施工方施工，合同金额{amount}。",
           "{org}{thing}等{n}个工程项目未经招投标，由村“两委”直接指定施工方施工，合同金额{amount}。",
           "{org}{year}年{thing}等{n}个工程项目未经招投标，直接指定施工方施工，涉及合同金额{amount}。",
           "经调阅合同，{org}{thing}等{n}个工程项目未经招投标，直接指定施工方施工，合同金额{amount}。",
           "{org}{thing}等{n}个工程项目未经招投标，直接发包给指定施工方施工，合同金额{amount}。")),
    Theme("meetings", "“三会一课”流于形式", "V3.1", "V3.1.1", None,
          ("支委会", "党员大会", "党小组会"),
          ("“三会一课”流于形式", "“三会一课”制度执行流于形式", "党支部“三会一课”流于形式",
           "“三会一课”流于形式，会议记录补记", "“三会一课”不经常不认真、流于形式"),
          ("{org}党支部“三会一课”流于形式，{year}年应召开{thing}{n}次、实际召开{n2}次，会议记录内容雷同，部分系事后补记。",
           "{org}党支部{year}年实际召开{thing}{n2}次（应召开{n}次），会议记录内容雷同、部分系事后补记，“三会一课”流于形式。",
           "{org}“三会一课”流于形式：党支部{year}年{thing}应召开{n}次、实际召开{n2}次，党课以读文件代替，会议记录部分系事后补记。",
           "经查阅会议记录，{org}党支部“三会一课”流于形式，{year}年{thing}实际召开{n2}次，少于应召开的{n}次，会议记录内容雷同。",
           "{org}党支部“三会一课”流于形式，{thing}实际召开{n2}次（应召开{n}次），会议记录部分系事后补记，内容雷同。")),
    Theme("reception", "公务接待超标准", "V2.5", "V2.5.1", (3000, 60000),
          ("农家乐", "镇上餐馆", "村委会食堂"),
          ("公务接待超标准", "公务接待超标准、无公函", "村级公务接待超标准", "公务接待超标准且手续不全",
           "公务接待超标准"),
          ("{org}{year}年公务接待{n}批次，在{thing}超标准接待，无公函、无接待清单，涉及金额{amount}。",
           "{org}公务接待超标准，{year}年{n}批次接待无公函、无接待清单，均在{thing}超标准接待，涉及金额{amount}。",
           "{org}{year}年在{thing}公务接待{n}批次，超标准接待且无公函、无接待清单，涉及金额{amount}。",
           "{org}{year}年在{thing}超标准公务接待{n}批次，无公函、无接待清单，涉及金额{amount}。",
           "{org}{year}年公务接待{n}批次均在{thing}超标准接待，无公函、无接待清单，涉及金额{amount}。")),
)

RECURRENCES = (
    Recurrence("assets", (20000, 260000), ("临街门面", "闲置办公用房", "集体鱼塘", "农贸市场摊位"),
               "资产租金长期拖欠未收缴",
               "{org}{thing}出租合同约定年租金{amount}，承租方累计拖欠租金{amount2}，{org}未采取有效催收措施。",
               "资产租金拖欠未收缴问题仍未解决",
               "承租方拖欠{org}{thing}租金仍未收缴，累计拖欠租金{amount2}（出租合同约定年租金{amount}），{org}没有采取有效催收措施。"),
    Recurrence("cash", (60000, 800000), ("工程借款", "个人借支", "暂付款"),
               "往来款长期挂账未清理",
               "{org}往来款长期挂账未清理，{thing}等往来款挂账{n}笔、金额{amount}，其中{n2}笔挂账超过三年。",
               "往来款长期挂账问题反弹",
               "{org}往来款清理不彻底，{thing}等往来款仍挂账{n}笔、金额{amount}，有{n2}笔挂账超过三年未清理。"),
    Recurrence("subsidy", (10000, 120000), ("耕地地力保护补贴", "临时救助金", "高龄津贴"),
               "补贴资金未及时足额发放",
               "{org}应发放的{thing}{amount}未及时足额发放，有{n}户共{amount2}滞留未发放，最长滞留{n2}个月。",
               "补贴资金滞留未发放问题再次出现",
               "{org}{thing}再次出现滞留：{n}户共{amount2}未及时足额发放，最长滞留{n2}个月，应发放总额{amount}。"),
    Recurrence("projects", (200000, 1500000), ("村道硬化工程", "便民服务中心改造工程", "灌溉渠系维修工程"),
               "工程未验收即支付工程款",
               "{org}{thing}在未组织竣工验收的情况下，向施工方支付工程款{amount}，占合同价款的{n}%。",
               "工程未验收即付款问题仍然存在",
               "{org}仍存在未验收即付款问题：{thing}未组织竣工验收，已向施工方支付工程款{amount}，占合同价款{n}%。"),
    Recurrence("discipline", (8000, 60000), ("公务用车", "执法车辆"),
               "公务用车管理不规范",
               "{org}{thing}无派车单、无行驶记录，加油费、维修费{amount}无法与实际用车对应。",
               "公务用车管理不规范问题反弹",
               "{org}{thing}仍无派车单和行驶记录，{amount}加油费、维修费无法与实际用车对应，管理不规范问题反弹。"),
    Recurrence("meetings", (100000, 900000), ("“三重一大”事项", "大额资金使用事项"),
               "重大事项未经集体研究决策",
               "{org}有{n}项{thing}未经集体研究即决策实施，由主要负责人个人决定，涉及资金{amount}。",
               "重大事项未经集体研究问题依然存在",
               "{org}{thing}未经集体研究即决策实施问题依然存在，{n}项事项由主要负责人个人决定，涉及资金{amount}。"),
    Recurrence("policy", None, ("巡察", "审计"),
               "巡察审计反馈问题整改不到位",
               "{org}对上轮{thing}反馈的{n}个问题，截至巡察进驻时仍有{n2}个未整改到位，存在“纸面整改”现象。",
               "反馈问题整改不到位、“纸面整改”",
               "{org}上轮{thing}反馈的问题整改仍不到位，{n}个问题中有{n2}个未整改到位，“纸面整改”现象仍然存在。"),
)
FOLLOW_UP_OPENING = "“回头看”发现，已销号问题反弹："
ROUTINE_OPENING = "上轮已销号问题再次出现："


@dataclass(frozen=True, slots=True)
class Letter:
    """A recommendation as written: about which theme, to whom, and its words."""

    theme: str  # a Theme.key, or "water" (problems of irrigation and drinking-water works)
    title: str
    addressees: tuple[str, ...]  # organization names; "{township}" for the township chosen
    causes: str
    items: tuple[str, ...]
    response: str = ""
    outcomes: tuple[tuple[str, str], ...] = ()  # (title, new|improved)


LETTERS = (
    Letter("assets", "关于加强农村集体资产管理的巡察建议书", ("县农业农村局",),
           "一是农村集体资产清产核资成果运用不够，项目建成移交后资产登记入账缺乏硬性约束，"
           "形成“建、管、记”脱节；二是乡镇农经站对村级资产的日常监管力量薄弱，重账务轻实物；"
           "三是县级层面缺乏统一的集体资产管理制度和信息化台账，资产变动难以及时掌握。",
           ("在全县开展村集体资产专项清理，对项目形成的资产逐项登记入账，做到账实相符。",
            "制定县级农村集体资产管理办法，明确项目资产移交、登记、处置的程序和责任。",
            "依托农村集体“三资”管理平台建立资产动态台账，实行资产变动线上审批。",
            "加强乡镇农经站队伍建设，每年对村级资产管理开展一次专项检查。"),
           "收到巡察建议书后，局党组专题研究，牵头开展村集体资产专项清理，补登入账资产4126项，"
           "制定出台《青崖县农村集体资产管理办法》，修订《村级财务委托代理服务规范》。",
           (("青崖县农村集体资产管理办法", "new"), ("村级财务委托代理服务规范", "improved"))),
    Letter("subsidy", "关于规范惠民惠农补贴资金发放管理的巡察建议书", ("县民政局", "县财政局"),
           "一是补贴对象认定依赖村级申报，部门间数据比对机制不健全，信息不实难以及时发现；"
           "二是公示环节执行不严，群众监督渠道不畅；三是“一卡通”发放平台与民政、残联等部门数据未打通，"
           "动态调整滞后。",
           ("建立补贴对象信息跨部门比对机制，每季度比对一次并动态调整。",
            "严格执行补贴发放“先公示、后发放”制度，公示情况纳入乡镇年度考核。",
            "完善惠民惠农补贴“一卡通”发放管理制度，实行发放情况定期抽查。"),
           "县民政局、县财政局联合制定整改方案，建立季度数据比对机制，清退不符合条件对象163户，"
           "追回资金48.6万元，完善了惠民惠农补贴资金发放管理制度。",
           (("惠民惠农补贴资金发放管理制度", "improved"), ("补贴对象跨部门信息比对工作机制", "new"))),
    Letter("water", "关于加强农村饮水和小型水利工程建设管护的巡察建议书", ("县水务局", "县农业农村局"),
           "一是重建设轻管护，工程建成后管护主体、管护经费不明确；二是村级工程建设监管薄弱，"
           "质量验收把关不严；三是水费收缴和维修养护机制不健全，“有人建、无人管”问题突出。",
           ("开展农村饮水工程和小型水利工程专项排查，建立问题清单限期整改。",
            "明确工程建后管护主体和经费来源，推行“以水养水”管护机制。",
            "规范村级水利工程建设程序，严格竣工验收和资产移交。")),
    Letter("meetings", "关于加强村级党组织组织生活规范化建设的巡察建议书", ("县委组织部", "{township}"),
           "一是部分村党组织书记抓党建意识不强，重业务轻党建；二是乡镇党委对村级组织生活督促指导不够，"
           "检查只看记录不看实效；三是组织生活内容与村级中心工作结合不紧，党员参与积极性不高。",
           ("对全县村级党组织“三会一课”开展一次专项检查，对流于形式的支部书记进行约谈。",
            "乡镇党委班子成员每季度至少参加一次联系村的组织生活并作点评。",
            "将组织生活质量纳入村党组织书记抓基层党建述职评议考核。")),
    Letter("projects", "关于规范村级工程项目招投标管理的巡察建议书", ("县住房和城乡建设局", "县财政局"),
           "一是村级小型工程招投标限额标准不统一，规避招标缺乏有效约束；二是乡镇对村级工程的监管停留在拨款环节；"
           "三是村级工程项目信息公开不充分，群众监督难以发挥作用。",
           ("统一全县村级工程项目招投标限额标准，建设村级小型工程交易平台。",
            "对未经招投标的村级工程项目暂停拨付资金，倒逼程序规范。",
            "推行村级工程项目全过程公开，接受群众监督。",
            "对直接指定施工方的问题开展专项治理，涉嫌违纪的移交纪检监察机关。")),
    Letter("reception", "关于严格规范村级公务接待管理的巡察建议书", ("县农业农村局", "县财政局"),
           "一是村级公务接待标准和审批程序不明确，“无函接待”“超标接待”缺乏约束；"
           "二是村级财务审核只看票据不看事由，乡镇代理记账把关不严。",
           ("制定村级公务接待管理规定，明确接待范围、标准和审批程序。",
            "乡镇代理记账中心对接待费用实行“一事一单”审核，无公函、无清单的一律不予报账。",
            "每年对村级接待费用开展一次专项检查。")),
)
OVERDUE_REMINDER = "已电话催办，对方表示正在起草整改情况报告。"
APPROVE_COMMENT = "同意印发。"
RETURN_COMMENT = "建议事项要更具体，明确责任单位和完成时限，修改后再报。"
SUBMIT_COMMENT = "请领导小组审定。"
CLOSE_COMMENT = "整改落实情况报告已收到，建立完善制度已归档，同意办结。"


@dataclass(frozen=True, slots=True)
class CampaignText:
    letter: int  # index in LETTERS
    title: str
    lead: str
    item: str  # per responsible organization
    result: str
    summary: str


CAMPAIGNS = (
    CampaignText(0, "村集体资产专项清理", "县农业农村局",
                 "{org}：清查核实辖区村集体资产，项目形成资产全部登记入账",
                 "完成{n}个村（社区）资产清查，补登入账资产{fixed}项，收回被占用资金{money}。",
                 "专项清理覆盖全县108个村（社区），补登入账资产{fixed}项，收回被占用资金{money}，"
                 "出台《青崖县农村集体资产管理办法》。"),
    CampaignText(1, "惠民惠农补贴资金专项治理", "县民政局",
                 "{org}：比对核查补贴对象信息，清退不符合条件对象并追回资金",
                 "比对核查补贴对象{n}户，清退不符合条件对象{fixed}户，追回资金{money}。",
                 "专项治理清退不符合条件对象{fixed}户，追回资金{money}，建立补贴对象跨部门信息比对机制。"),
    CampaignText(2, "农村饮水工程专项治理", "县水务局",
                 "{org}：排查农村饮水工程运行管护情况，问题清单限期整改",
                 "排查饮水工程{n}处，整改管护问题{fixed}个，追缴水费和维修资金{money}。",
                 ""),
)
