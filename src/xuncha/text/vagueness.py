"""How vague a rectification measure is (措施空泛): a pure function, no Django.

A measure is concrete when it says what will be done to what — an action on a concrete object
(补齐凭证, 召开村民代表大会, 追缴资金, 修订《财务管理制度》) — and, ideally, by when (6月底前,
即日起, 每季度), how much (12张, 3.5万元, 全额) and by whom (村会计, 分管副镇长, 财务室). It is vague
when slogans carry it (进一步加强, 高度重视, 切实提高, 认真学习 …), when what it acts on is abstract
(机制, 意识, 责任, 作风, 水平, 能力, 认识 — so "建立健全长效机制" stays vague although 建立 is a
verb), when it is very short, or when it is near-identical to a measure written for another
problem (copy-paste).

`assess(measure, others)` returns an Assessment: a score in [0, 1] (higher is vaguer), whether
it counts as vague (score ≥ VAGUE_AT), and the reasons as codes (the web layer translates them):
  slogan      — slogan phrases carry it, with no concrete action, or make up much of the text
  no_object   — nothing concrete is acted on (an account, a fund, a document, a meeting …)
  no_time     — no date, time limit or period
  no_quantity — no number, amount or count
  no_actor    — no one named responsible
  short       — too short to say what will be done
  copy        — near-identical to a measure for another problem

The score adds up explainable parts:
  1 − concreteness, where concreteness = OBJECT + ACTION + TIME + QUANTITY + ACTOR weights of
      the signals found (capped at 1), so an action on an object with a deadline and an actor
      scores near 0 and an action on an object alone stays just under VAGUE_AT;
  + up to SLOGAN_WEIGHT for the share of the text that is slogan (a slogan in front of a
      concrete measure costs little, a pile of slogans around one concrete clause tips it);
  + up to SHORT_WEIGHT when the measure is shorter than SHORT characters;
  + COPY_WEIGHT when it is a copy (always vague).
Long-term measures (长期坚持) may lack a deadline: no signal is required on its own, they are
weighed together.

Rules are word lists by category and a few patterns, matched on the normalized text
(xuncha.text.normalize: full width, traditional script); no word segmentation is needed, so
nothing heavy is loaded (about 0.15 ms of CPU per measure: bench/vagueness_bench.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import add

from xuncha.text.normalize import normalize

# Every reason code, in the order `assess` reports them.
REASONS = ("slogan", "no_object", "no_time", "no_quantity", "no_actor", "short", "copy")
VAGUE_AT = 0.5
SHORT = 10            # characters (Han, letters, digits) below which a measure is short
COPY_AT = 0.8         # similarity from which a measure is a copy of another
# Weight in `similarity` of a clause without any concrete signal. With weights of 1 and 1/4 the
# sums are exact in binary floating point, so their order (set order varies with the hash seed)
# never changes a result.
GENERIC_WEIGHT = 0.25
OBJECT_WEIGHT, ACTION_WEIGHT = 0.3, 0.3
TIME_WEIGHT, QUANTITY_WEIGHT, ACTOR_WEIGHT = 0.15, 0.15, 0.15
SLOGAN_WEIGHT = 0.35
SLOGAN_SHARE = 0.4    # share of slogan characters from which "slogan" is a reason despite an action
SHORT_WEIGHT = 0.2
COPY_WEIGHT = 0.6


def _alternation(words: str) -> str:
    """A regex matching any of the space-separated `words`, longest first (进一步 before 进),
    written as a trie so that a long list costs little per position."""
    tree: dict[str, dict] = {}
    for word in words.split():
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + walk(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
        return body

    return walk(tree)


# ---- slogans ---------------------------------------------------------------------------------
# Set phrases: counted as slogan and blanked out before anything concrete is looked for, since
# some of them hold concrete-looking words (补齐短板, 堵塞漏洞, 八项规定, 三会一课 …).
SLOGAN_PHRASES = _alternation("""
    高度重视 引以为戒 以此为戒 举一反三 常抓不懈 落到实处 落实到位 整改到位 整改完毕 取得实效 见底见效
    警钟长鸣 长效机制 标本兼治 立行立改 边查边改 边改边立 真抓实干 动真碰硬 久久为功 从严从实 防微杜渐
    一抓到底 抓铁有痕 踏石留印 以案促改 以案促治 以案示警 以案明纪 建章立制 堵塞漏洞 补齐短板 补短板
    强弱项 严肃问责 追责问责 严肃追责 严肃处理 坚决杜绝 坚决遏制 坚决纠正 坚决纠治 汲取教训 吸取教训
    深刻反思 提高认识 思想认识 提高站位 政治站位 主体责任 监督责任 政治责任 一岗双责 两个维护 四个意识
    四个自信 两个确立 两个责任 两学一做 三严三实 四风 八项规定 九不准 拒腐防变 思想防线 压紧压实 压实责任
    责任担当 问题导向 钉钉子精神 抓好整改 抓紧抓实 抓实抓细 全面整改 限期整改 认真整改 切实整改 整改落实
    件件有着落 事事有回音 应保尽保 应退尽退 早发现 早提醒 早纠正 保值增值 自查自纠 不正之风 为契机
    重大政治任务 取信于民 战斗堡垒 先锋模范 凝聚力 战斗力 从严治党 管党治党 过紧日子 营商环境 规范化
    制度化 常态化 长效化 亲自抓 具体抓 各负其责 负总责 发挥作用 形成合力 监督作用 党性修养 廉洁自律
    以上问题 存在问题 相关问题 类似问题 此类问题 整改工作 整改措施 按要求 按规定 规定时间 正在整改
""")
# Single words that make slogans: intensifying adverbs, empty verbs, abstract objects. They are
# counted, not blanked: "严格" or "加强" may open a concrete measure.
SLOGAN_WORDS = _alternation("""
    进一步 切实 认真 深刻 深入 全面 着力 努力 积极 大力 不断 持续 扎实 坚决 牢固 牢牢 自觉 务必 狠抓
    全力 主动 及时 有效 彻底 坚定 充分 严格 严肃 严厉 始终 真正 确保 抓好 做好 做到 定期 适时 按时
    加强 提高 增强 强化 提升 重视 健全 完善 推进 推动 改进 杜绝 防止 避免 树立 坚持 贯彻 领会 夯实 筑牢
    守住 加大 优化 深化 发挥 营造 遏制 打击 纠治 落实 履行 转变 严把 严控 规范
    意识 认识 观念 理念 作风 能力 水平 素质 机制 责任 纪律 规矩 党性 担当 作用 氛围 思想 力度 质量
    效率 效能 建设 体系 风险 初心 使命 效益 实效 短板 漏洞 现象
""")
# Numbered set phrases that are no quantity (三会一课 is a practice, not three meetings).
NUMBERED_PHRASES = _alternation("""
    三会一课 四议两公开 三重一大 一岗双责 两个维护 四个意识 四个自信 两个确立 两个责任 两学一做 三严三实
    一把手 八项规定 九不准 一次性 两委 一卡通 三资 三龄两历一身份 一件一档 一户一档 一事一议 一案双查
""")

# ---- what makes a measure concrete -----------------------------------------------------------
# Things that can be counted, handed over, filed or checked. An abstract head right after one
# ("资金管理", "补贴发放问题", "干部队伍建设") makes the phrase abstract: no object.
OBJECTS = _alternation("""
    凭证 票据 发票 收据 白条 账目 账簿 账本 账户 账务 账款 台账 日记账 对账单 余额调节表 资金 款项 现金
    存款 借款 欠款 备用金 工程款 货款 费用 经费 支出 开支 收支 利息 租金 承包费 水费 电费 资料费 校服费
    学费 报酬 工资 薪酬 绩效工资 奖金 津贴 补贴 补助 补偿款 低保金 低保户 救助金 慰问金 慰问品 礼金 礼品
    红包 预算 决算 报表 审批表 清单 明细 名册 花名册 名单 登记表 登记簿 资产 土地 耕地 林地 宅基地 鱼塘
    山林 门面 房屋 厂房 用房 车辆 公车 钥匙 设备 家具 物资 药品 耗材 库存 食材 校服 教辅 印章 公章 彩钢棚
    养殖场 合同 协议 档案 案卷 会议记录 记录 报告 承诺书 志愿书 证照 护照 处理意见 心得体会 村民代表大会
    村民代表会议 党员大会 支委会 组织生活会 民主生活会 专题会 办公会 会议 党课 主题党日 病历 处方 信访件
    信访事项 积案 案件 线索 项目 工程 分包单位 承包商 承包户 农户 党员 村干部 干部 医生 教师 学生 患者
    人员 信访人 当事人 系统 平台 公开栏 公示栏 网站 监控 视频监控 摄像头 门户网站 重点班
""")
# Activities that extend a noun phrase before its head: "药品耗材采购监管机制" is a 机制.
NOUN_ACTIVITIES = _alternation("""
    采购 发放 使用 收支 招投标 招标 投标 验收 审批 报销 结算 出租 发包 租赁 管护 运营 分配 购销 审核 报账
""")
ABSTRACT_HEADS = _alternation("""
    管理 监管 监督 使用 机制 制度 意识 工作 建设 队伍 教育 风险 规范 水平 质量 安全 领域 方面 问题 行为
    现象 程序 流程 秩序 环境 政策 效益 作用
""")
_OBJECT = re.compile(rf"(?:{OBJECTS})(?!(?:[和及与]?(?:{OBJECTS}|{NOUN_ACTIVITIES}))*[^，,。；;、]{{0,2}}?"
                     rf"(?:{ABSTRACT_HEADS}))")
# A named document (修订《财务管理制度》) or a sum of money is always concrete.
_NAMED = re.compile(r"《[^》]{2,40}》|\d+(?:\.\d+)?万?元")
# Verbs that do something checkable on their own (their object is implied: 追缴 money, 约谈 a
# person, 公示 a list) …
SPECIFIC_ACTIONS = _alternation("""
    补齐 补录 补签 补办 补开 补缴 补发 补选 追缴 追回 追收 收回 收缴 清收 催收 退还 退回 退赔 清退 返还
    上缴 上交 扣回 召开 补开 约谈 谈话 诫勉 函询 函调 立案 处分 免职 撤销 撤换 更换 辞去 停发 停止 暂停
    取消 终止 解除 注销 冻结 拆除 公示 张贴 通报 归档 装订 盘点 清点 登记 造册 登记造册 录入 核对 对账
    比对 复核 抽查 审计 签订 签约 表决 修订 印发 兑现 移交 移送 报送 走访 回访 答复 入户 核销 起诉 发包
    招租 安装 启用 关闭 封存 存入 转入 编号 撰写 授课 讲授 分班 核定 评估 出具 开设 存档 重新签订
""")
# … and verbs that are only concrete with a concrete object after them in the same clause.
GENERAL_ACTIONS = _alternation("""
    建立 制定 开展 组织 整理 清理 清查 核查 核实 检查 排查 审核 公开 发放 学习 完成 配备
    购置 委托 设立 统一 交 报 分析 研究 处理 处置 明确 写明 组建 检视 复查 重新
""")
# 执行, 实行, 实施, 落实 carry out rules, not act on things: "严格执行食材采购、验收等制度" stays vague.
PERSON_ACTIONS = "约谈|谈话|诫勉|函询|处分|问责|免去|免职|撤换|更换|调整"
# A verb right before an abstract head is a modifier, not an action: 公示制度, 审计监督.
_SPECIFIC = re.compile(rf"(?:{SPECIFIC_ACTIONS})(?!制度|机制|监督|监管|管理|工作|意识|建设|体系|力度|水平|质量)")
_GENERAL = re.compile(GENERAL_ACTIONS)

_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})年"
_CN = "一二三四五六七八九十两半"
TIME_WORDS = _alternation("""
    上旬 中旬 下旬 月底 月末 年底 年末 季度末 学期末 年内 底前 每天 每日 每周 每月 每季 每年 每季度 每半年 每学期
    按月 按季 按周 按年 逐月 即日起 当天 当日 本周 本月 本季度 本学期 本年度 今年 下月 次月 次年 开学 春节 国庆
    寒假 暑假
""")
TIME = re.compile(
    rf"{TIME_WORDS}|{_YEAR}|\d{{1,2}}(?:月|日|号)|周[一二三四五六日]|第[一二三四1-4](?:季度|周)|"
    rf"(?:\d+|[{_CN}]+)个?(?:工作日|天|日|周|月|小时)内"
)
_UNITS = _alternation("""
    个 项 笔 张 份 户 人 名 次 场 期 条 本 卷 宗 件 处 间 套 辆 台 亩 批 所 家 类 篇 页 册 栋 座 米 公里 平方米
    课时 学时 小时 元 万元 万 亿元 亿 % ％ ‰ 倍
""")
QUANTITY = re.compile(
    rf"(?<![\d.])\d+(?:\.\d+)?(?:{_UNITS})|[{_CN}百千]+(?:{_UNITS})|"
    r"全额|足额|逐笔|逐户|逐项|逐件|逐卷|逐张|逐村|逐例|逐人|不少于|不超过"
)
_RHETORIC = re.compile(r"100\s*[%％]|百分之百")
ACTORS = _alternation("""
    书记 副书记 主任 镇长 乡长 局长 县长 区长 所长 站长 院长 校长 园长 科长 股长 处长 部长 组长 队长 社长
    经理 董事长 会计 出纳 报账员 文书 委员 专干 网格员 负责人 责任人 经办人 联络员 专人 财务室 财务科 财务部
    办公室 人事科 人力资源部 医务科 药剂科 医保办 总务处 教务处 政教处 后勤 项目部 纪委 纪工委 监委 监委会
    村务监督委员会 组织部 组织办 民政办 财政所 经管站 农经站 规建办 信访办 党政办 纪检组 审计局 财政局
    教育局 卫健局 住建局 农业农村局 国资委 村委会 居委会 党支部 支部 支委会 两委 党总支 党委 党组 会计代理中心
    机关事务中心 牵头 负责
""")
_ACTOR = re.compile(ACTORS)
_BY = re.compile(r"由(?![\d每])[\u4e00-\u9fff]")  # 由村会计…, 由镇纪委… (not 由每年3000元调整为)

_CLAUSE = re.compile(r"[，,。；;：:！!？?\n]|\.(?!\d)")
_NOT_WORD = re.compile(r"[\W_]+")
_QUOTES = re.compile(r"[\s“”‘’\"'「」『』]+")
# Numbering of a list of measures ("1." "（2）" "三、"), not a decimal ("，3.5万元").
_LIST_MARK = re.compile(r"(^|[，,。；;：:\s])(?:\d{1,2}(?:\.(?!\d)|[、)）])|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,2}、)")
_SLOGAN_PHRASE = re.compile(SLOGAN_PHRASES)
_SLOGAN_WORD = re.compile(SLOGAN_WORDS)
_NUMBERED = re.compile(NUMBERED_PHRASES)
_PERSON_OBJECT = re.compile(rf"(?:{PERSON_ACTIONS})[^，,。；;：:]{{0,12}}?(?:{ACTORS})")
_MASK = "\ue000"  # a private-use character: never in the text itself


@dataclass(frozen=True)
class Assessment:
    score: float
    vague: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Profile:
    """What the rules found in one measure (cached: each measure is also someone's `other`)."""
    length: int
    has_object: bool
    has_action: bool
    has_time: bool
    has_quantity: bool
    has_actor: bool
    slogan_share: float
    grams: dict[str, float]  # bigram → weight (1, or GENERIC_WEIGHT inside a generic clause)
    mass: float              # sum of the weights


def _blank(pattern: re.Pattern[str], text: str, found: list[int]) -> str:
    """`text` with the matches of `pattern` masked (same length, so positions stay valid);
    the match starts are appended to `found`."""
    def mask(match: re.Match[str]) -> str:
        found.append(match.start())
        return _MASK * len(match.group(0))
    return pattern.sub(mask, text)


@lru_cache(maxsize=8192)
def _profile(measure: str) -> _Profile:
    # Signals are read with 《》, decimals and % kept; similarity and length on words only.
    text = _QUOTES.sub("", _LIST_MARK.sub(r"\1 ", normalize(measure))).casefold()
    bounds = [0]
    for separator in _CLAUSE.finditer(text):
        bounds += [separator.start(), separator.end()]
    bounds.append(len(text))
    clauses = list(zip(bounds[::2], bounds[1::2], strict=True))
    starts = [start for start, _ in clauses]

    plain = _blank(_SLOGAN_PHRASE, text, [])
    slogan_chars = plain.count(_MASK) + sum(len(m.group(0)) for m in _SLOGAN_WORD.finditer(plain))
    times: list[int] = []
    timeless = _blank(TIME, plain, times)
    countable = _blank(_NUMBERED, _blank(_RHETORIC, timeless, []), [])
    quantities = [m.start() for m in QUANTITY.finditer(countable)]
    actors = [m.start() for m in _ACTOR.finditer(plain)] + [m.start() for m in _BY.finditer(plain)]
    objects = [m.start() for m in _OBJECT.finditer(countable)] + [m.start() for m in _NAMED.finditer(countable)]
    objects += [m.end() - 1 for m in _PERSON_OBJECT.finditer(plain)]
    actions = [m.start() for m in _SPECIFIC.finditer(plain)]
    if objects:
        by_clause: dict[int, int] = {}
        for at in objects:
            clause = bisect_right(starts, at)
            by_clause[clause] = max(by_clause.get(clause, -1), at)
        actions += [m.start() for m in _GENERAL.finditer(plain)
                    if by_clause.get(bisect_right(starts, m.start()), -1) >= m.end()]

    concrete = {bisect_right(starts, at) for at in (*objects, *actions, *times, *quantities, *actors)}
    numbered = [(number, _NOT_WORD.sub("", text[start:end])) for number, (start, end) in enumerate(clauses, 1)]
    pieces = [(number in concrete, piece) for number, piece in numbered if piece]
    joined = "".join(piece for _, piece in pieces)
    # A bigram weighs 1 unless both of its characters lie in generic clauses: the bigrams of
    # generic clauses go in first, those of concrete clauses (with the edge characters of their
    # neighbours) overwrite them.
    grams: dict[str, float] = {}
    before = [""] + [piece[-1] for _, piece in pieces]
    after = [piece[0] for _, piece in pieces[1:]] + [""]
    for i, (is_concrete, piece) in enumerate(pieces):
        if not is_concrete:
            run = before[i] + piece
            grams.update(dict.fromkeys(map(add, run, run[1:]), GENERIC_WEIGHT))
    for i, (is_concrete, piece) in enumerate(pieces):
        if is_concrete:
            run = before[i] + piece + after[i]
            grams.update(dict.fromkeys(map(add, run, run[1:]), 1.0))
    if len(joined) == 1:
        grams[joined] = 1.0 if pieces[0][0] else GENERIC_WEIGHT
    length = len(joined)
    return _Profile(length, bool(objects), bool(actions), bool(times), bool(quantities), bool(actors),
                    slogan_share=min(1.0, slogan_chars / length) if length else 0.0,
                    grams=grams, mass=sum(grams.values()))


def _similarity(x: _Profile, y: _Profile) -> float:
    if not x.grams or not y.grams:
        return 0.0
    a, b = x.grams, y.grams
    shared = sum(min(a[g], b[g]) for g in a.keys() & b.keys())
    return 2 * shared / (x.mass + y.mass)


def _is_copy(p: _Profile, other: _Profile) -> bool:
    # Dice is at most 2·min/(sum) of the two masses: most pairs differ too much in size to be
    # copies, and are skipped without comparing bigrams.
    if 2 * min(p.mass, other.mass) < COPY_AT * (p.mass + other.mass):
        return False
    return _similarity(p, other) >= COPY_AT


def similarity(a: str, b: str) -> float:
    """How near two measures are (0 … 1): the Dice coefficient of their character bigrams after
    normalization, ignoring punctuation and whitespace. Bigrams of clauses without any concrete
    signal (a generic sentence such as "举一反三，建立健全长效机制") weigh GENERIC_WEIGHT, so a
    shared generic sentence in otherwise different measures counts less than a wholesale copy;
    two copies of the same slogan are still 1.0."""
    return _similarity(_profile(a or ""), _profile(b or ""))


def assess(measure: str, others: Iterable[str] = ()) -> Assessment:
    """Score `measure`; `others` are the measures written for the *other* problems of the plan
    (leave the measure itself out, or it counts as its own copy)."""
    p = _profile(measure or "")
    reasons: list[str] = []
    concreteness = min(1.0, OBJECT_WEIGHT * p.has_object + ACTION_WEIGHT * p.has_action
                       + TIME_WEIGHT * p.has_time + QUANTITY_WEIGHT * p.has_quantity
                       + ACTOR_WEIGHT * p.has_actor)
    score = 1.0 - concreteness + SLOGAN_WEIGHT * p.slogan_share
    # With a concrete action a slogan opening is harmless; without one any real share of slogan
    # is what carries the measure.
    if p.slogan_share and p.slogan_share >= (SLOGAN_SHARE if p.has_action else SLOGAN_SHARE / 4):
        reasons.append("slogan")
    for code, present in (("no_object", p.has_object), ("no_time", p.has_time),
                          ("no_quantity", p.has_quantity), ("no_actor", p.has_actor)):
        if not present:
            reasons.append(code)
    if p.length < SHORT:
        reasons.append("short")
        score += SHORT_WEIGHT * (SHORT - p.length) / SHORT
    if p.grams and any(_is_copy(p, _profile(o)) for o in others if o and o.strip()):
        reasons.append("copy")
        score += COPY_WEIGHT
    score = round(min(max(score, 0.0), 1.0), 3)
    return Assessment(score=score, vague=score >= VAGUE_AT, reasons=tuple(reasons))
