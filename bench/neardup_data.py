"""Generated problem descriptions for bench/neardup_bench.py: realistic texts, near-duplicate
pairs made by transformation, and hard negatives.

Texts are written from the demo's phrase bank (src/xuncha/demo/findings_phrases.py: the
sentence shapes of each family of problems and the pools their slots are filled from), loaded
by path so that no Django is imported. A base problem is one shape with its slots drawn
(place, period, amounts, persons, projects …), sometimes with a how-it-was-found opening
(巡察组调阅…发现：) and a second fact from another shape.

A near-duplicate is the base rewritten by two or three of:
  paraphrase  — swaps from this module's own table (PARAPHRASES), written apart from the
                engine's synonym list, including swaps the engine does not know
  reorder     — the clauses of each sentence shuffled
  amounts     — every number redrawn (amounts, counts, years, months)
  place       — the organization and places changed to others
  traditional — OpenCC s2t
  framing     — an opening added or dropped, a closing remark added
A hard negative is another shape of the same family written with the same slots (same
place, period, amounts and persons): the same area and frame, a different problem.

    from neardup_data import Generator
    g = Generator(seed=1)
    g.texts(1000)            # distinct problem descriptions
    g.pairs(500)             # [(label, a, b, kind)], half near-duplicates, half hard negatives
    g.province(1_000_000)    # a province's registers: problems recurring by a power law (province())
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _phrases():
    path = ROOT / "src" / "xuncha" / "demo" / "findings_phrases.py"
    spec = importlib.util.spec_from_file_location("_neardup_phrases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ph = _phrases()

VILLAGES = ("东门村", "西山村", "南岭村", "北坪村", "河口村", "石桥村", "柳湾村", "青龙村", "白马村", "桃园村",
            "杨柳村", "新华村", "长岭村", "高坪村", "双河村", "金竹村", "龙泉村", "红岩村", "大石村", "松林村")
COMMUNITIES = ("河口社区", "南湖社区", "滨江社区", "新城社区", "东关社区", "西街社区")
TOWNSHIPS = ("城关镇", "白沙镇", "青石乡", "龙潭镇", "马坪乡", "新店镇", "黄桥镇", "石门乡", "永安镇", "太平乡")
DEPARTMENTS = ("县财政局", "县卫健局", "县农业农村局", "县教育局", "县水利局", "县民政局", "县住建局", "县交通运输局",
               "县人民医院", "县第一中学", "县粮食公司", "县自然资源局")
# paraphrase swaps (both directions are used); some the engine folds, some it does not
PARAPHRASES = (
    ("未", "没有"), ("未能", "没能"), ("不到位", "不严格"), ("不规范", "不到位"), ("不严", "不严格"), ("及时", "按时"),
    ("发放", "兑付"), ("公开", "公示"), ("记录", "记载"), ("台账", "登记簿"), ("凭证", "票据"), ("村委会", "村民委员会"),
    ("村民代表大会", "村民代表会议"), ("招标", "招投标"), ("亲属", "亲友"), ("超标准", "超出标准"), ("报销", "报账"),
    ("共计", "合计"), ("累计", "总计"), ("涉及金额", "金额"), ("经调阅", "经查阅"), ("发现", "查实"), ("存在", "有"),
    ("其中", "当中"), ("仍有", "还有"), ("均未", "都没有"), ("截至", "截止到"), ("巡察组", "巡察组在巡察中"),
    ("个人", "私人"), ("长期", "长时间"), ("部分", "个别"), ("进行", "开展"), ("擅自", "私自"), ("对象", "人员"),
)
# the grammar of composed problems: what was wrong with which object, and the facts that follow
DEFECTS = (
    "发放不及时", "未经民主程序", "台账不健全", "账实不符", "未公开招标", "未按规定公示", "审核把关不严", "资金被挪用",
    "验收走过场", "合同签订不规范", "收益未入账", "长期闲置", "底数不清", "未及时清理", "超范围列支", "未专款专用",
    "资料不全", "程序倒置", "未经集体研究", "监管缺位", "分配不公", "标准执行不一", "管护不到位", "价格明显偏低",
    "未纳入预算", "存在虚报冒领", "由个人保管", "未按季度公开", "拆分规避审批", "租金长期拖欠", "未签订书面合同",
    "未建立管理制度", "审批手续缺失", "票据不合规", "重复列支", "无明细清单", "被个人无偿占用", "改变资金用途",
    "未及时足额拨付", "超期未办结", "责任落实不到位", "档案管理混乱", "未履行报批程序", "结算未经审计", "未开具票据",
)
ACTIONS = ("在{object}管理中", "{object}", "对{object}", "实施{object}时", "在{object}使用上", "经手的{object}",
           "{object}的{aspect}", "{aspect}方面{object}")
ASPECTS = ("审批", "登记", "核算", "公示", "验收", "分配", "结算", "考核", "保管", "采购", "申报", "监督", "报账", "交接",
           "备案", "评估", "决策", "清查", "催收", "归档", "签字", "对账", "发包", "移交")
FACTS = ("涉及金额{amount}", "共{n}笔", "涉及{n}户", "时间长达{months}个月", "至今未整改", "群众意见较大",
         "经办人未能说明原因", "{person}对此负有直接责任", "上轮巡察已指出", "相关资料缺失{n2}份",
         "{where}群众多次反映", "与{docs}不符", "用于{use}", "以{pretext}名义列支", "导致{defect}", "影响{task}推进",
         "账面与实际相差{amount2}", "{n}名干部参与其中", "未报{org}审批", "{project}因此停工{months}个月",
         "由{post}一人决定", "{asset}被长期占用", "资金转入{subsidy}账户", "{n}份合同未归档", "逾期{n2}个月未处理")
CLOSINGS = ("，相关问题较为突出。", "，群众对此意见较大。", "，影响了集体利益。", "，造成不良影响。")


class Generator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.shapes = [s for s in ph.SHAPES if not s.lead] + list(ph.GENERIC)
        self.by_family: dict[str, list] = {}
        for shape in self.shapes:
            self.by_family.setdefault(shape.family or "policy", []).append(shape)
        self._s2t = None

    # ---- slots --------------------------------------------------------------------------------
    def _money(self, low: int, high: int) -> str:
        value = low * (high / low) ** self.rng.random()
        if value < 10000:
            return f"{int(value / 10) * 10}元"
        return f"{value / 10000:.2f}".rstrip("0").rstrip(".") + "万元"

    def _org(self, kind: str) -> str:
        return self.rng.choice({"v": VILLAGES + COMMUNITIES, "t": TOWNSHIPS, "d": DEPARTMENTS}[kind])

    def slots(self, shape) -> dict[str, str]:
        rng = self.rng
        kind = rng.choice(shape.kinds)
        pool = {"v": "village", "t": "township", "d": "department"}[kind]
        year = rng.randint(2019, 2024)
        n = rng.randint(3, 16)
        n2 = rng.randint(1, max(1, n - 1))
        post = rng.choice(ph.POSTS[pool])
        surname = rng.choice(ph.SURNAMES) + ("某某" if rng.random() < 0.7 else "某")
        low, high = shape.amounts or ph.AMOUNTS.get(shape.family, (2000, 90000))
        if (low, high) == (1, 1):
            low, high = ph.AMOUNTS.get(shape.family, (2000, 90000))
        where = rng.choice(ph.WHERE.get(pool, ph.WHERE["department"])) if pool != "township" \
            else f"所辖{rng.choice(VILLAGES)}"
        asset = rng.choice(ph.ASSETS[pool])
        title = rng.choice(self.shapes).title
        return {
            "org": self._org(kind), "where": where, "year": str(year),
            "period": rng.choice((f"{year}年", f"{year - 1}年至{year}年", f"{year}年以来", f"{year}年{rng.randint(1, 9)}月至{rng.randint(10, 12)}月")),
            "month": f"{year}年{rng.randint(1, 12)}月", "n": str(n), "n2": str(n2), "n3": str(rng.randint(1, n2)),
            "n4": str(rng.randint(1, 3)), "n5": str(n + rng.randint(1, 4)), "months": str(rng.randint(3, 18)),
            "years": str(rng.choice((10, 15, 20, 30))), "pct": str(rng.randint(35, 78)), "age": str(rng.randint(48, 58)),
            "area": f"{rng.randint(5, 120)}亩", "acres": f"{rng.randint(2, 40)}亩",
            "person": f"{post}{surname}", "surname": surname, "post": post, "asset": asset,
            "project": rng.choice(ph.PROJECTS[pool]), "subsidy": rng.choice(ph.SUBSIDIES), "use": rng.choice(ph.USES),
            "expense": rng.choice(ph.EXPENSES), "fund": rng.choice(ph.FUNDS[pool]), "pretext": rng.choice(ph.PRETEXTS),
            "occasion": rng.choice(ph.OCCASIONS), "task": rng.choice(ph.TASKS), "defect": rng.choice(ph.DEFECTS),
            "docs": rng.choice(ph.DOCS), "party": ph.PARTY[pool if pool in ph.PARTY else "department"],
            "manifestation": title.split("{")[0] or "制度执行", "point": "有关规定", "short": title.split("{")[0] or "有关问题",
            "previous": rng.choice(self.shapes).title.split("{")[0] or "白条入账", "topic": "财务收支",
            "informant": f"{post}{surname}", "place": where,
            "amount": self._money(low, high), "amount2": self._money(max(100, low // 5), max(200, high // 2)),
        }

    def write(self, shape, slots: dict[str, str]) -> str:
        return shape.text.format(**slots)

    # ---- texts --------------------------------------------------------------------------------
    def base(self) -> tuple[object, dict[str, str], str]:
        rng = self.rng
        shape = rng.choice(self.shapes)
        slots = self.slots(shape)
        text = self.write(shape, slots)
        if rng.random() < 0.35:
            how = rng.choice(ph.HOW[rng.choice(("documents", "interview", "visit", "other"))])
            text = how.format(**slots) + text
        if rng.random() < 0.5:
            other = rng.choice(self.shapes)
            text += self.write(other, self.slots(other))
        return shape, slots, text

    def objects(self) -> list[str]:
        pools = [ph.SUBSIDIES, ph.USES, ph.EXPENSES, ph.PRETEXTS, ph.TASKS, ph.DOCS]
        pools += list(ph.PROJECTS.values()) + list(ph.ASSETS.values()) + list(ph.FUNDS.values())
        found = sorted({item for pool in pools for item in pool})
        return found + [f"{a}{b}" for a in ("集体", "专项", "村级") for b in ("资金", "资产", "收入", "债务", "合同")]

    def composed(self) -> str:
        """A problem from the grammar: an organization and period, then two or three faults of
        different objects, each with a fact."""
        rng = self.rng
        if not hasattr(self, "_objects"):
            self._objects = self.objects()
        slots = self.slots(rng.choice(self.shapes))
        clauses = []
        for _ in range(rng.choice((2, 3))):
            action = rng.choice(ACTIONS).format(object=rng.choice(self._objects), aspect=rng.choice(ASPECTS))
            clauses.append(action + rng.choice(DEFECTS) + "，" + rng.choice(FACTS).format(**slots))
        return slots["org"] + slots["period"] + "；".join(clauses) + "。"

    def texts(self, n: int, variants: float = 0.2) -> list[str]:
        """`n` problem descriptions; a share `variants` of them rewrite an earlier one (the
        same problem at another place or in another round), as real registers have. The rest
        are written from the demo's shapes (about 20 per shape at most, so that a large set
        does not become thousands of copies of 61 sentences) or composed by the grammar."""
        out: list[str] = []
        from_shapes = min(0.5, 20 * len(self.shapes) / max(1, n))
        while len(out) < n:
            roll = self.rng.random()
            if out and roll < variants:
                out.append(self.variant(self.rng.choice(out)))
            elif roll < variants + from_shapes * (1 - variants):
                out.append(self.base()[2])
            else:
                out.append(self.composed())
        return out

    # ---- transformations ----------------------------------------------------------------------
    def paraphrase(self, text: str) -> str:
        swaps = self.rng.sample(PARAPHRASES, 8)
        for old, new in swaps:
            if self.rng.random() < 0.5:
                old, new = new, old
            text = text.replace(old, new)
        return text

    def reorder(self, text: str) -> str:
        sentences = [s for s in re.split(r"(?<=[。；])", text) if s]
        out = []
        for sentence in sentences:
            end = sentence[-1] if sentence[-1] in "。；" else ""
            clauses = [c for c in re.split(r"，", sentence.rstrip("。；")) if c]
            self.rng.shuffle(clauses)
            out.append("，".join(clauses) + end)
        return "".join(out)

    def amounts(self, text: str) -> str:
        def redraw(m: re.Match[str]) -> str:
            digits = m.group(0)
            if len(digits) == 4 and digits.startswith("20"):
                return str(self.rng.randint(2018, 2025))
            value = float(digits)
            return f"{max(1, value * self.rng.uniform(0.3, 3)):.{1 if '.' in digits else 0}f}"
        return re.sub(r"\d+(?:\.\d+)?", redraw, text)

    def place(self, text: str) -> str:
        for names in (VILLAGES, COMMUNITIES, TOWNSHIPS, DEPARTMENTS):
            for name in names:
                if name in text:
                    text = text.replace(name, self.rng.choice([x for x in names if x != name]))
        return text

    def traditional(self, text: str) -> str:
        if self._s2t is None:
            import opencc

            self._s2t = opencc.OpenCC("s2t")
        return self._s2t.convert(text)

    def framing(self, text: str) -> str:
        if text.startswith("巡察组") and "：" in text[:40]:
            return text.split("：", 1)[1]
        if self.rng.random() < 0.5:
            return "经查，" + text
        return text.rstrip("。") + self.rng.choice(CLOSINGS)

    KINDS = ("paraphrase", "reorder", "amounts", "place", "traditional", "framing")

    def variant(self, text: str, kinds: tuple[str, ...] | None = None) -> str:
        kinds = kinds or tuple(self.rng.sample(self.KINDS, self.rng.choice((2, 3))))
        for kind in kinds:
            text = getattr(self, kind)(text)
        return text

    # ---- a province's register ----------------------------------------------------------------
    def fresh(self) -> str:
        """One new problem description: a demo shape with its slots, or composed by the grammar."""
        return self.base()[2] if self.rng.random() < 0.3 else self.composed()

    def masked(self, text: str) -> str:
        """The same wording with what prepare() masks redrawn: numbers, dates, places, persons."""
        text = self.amounts(text)
        for names in (VILLAGES, COMMUNITIES, TOWNSHIPS):  # masked as @ (departments are not)
            for name in names:
                if name in text:
                    text = text.replace(name, self.rng.choice([x for x in names if x != name]))
        return re.sub(r"[\u4e00-\u9fff](?<!某)(?=某)", lambda m: self.rng.choice(ph.SURNAMES), text)

    def province(self, n: int, *, new_problem: float = 0.8, new_wording: float = 0.5) -> list[str]:
        """`n` descriptions as a province's registers hold them: the same problem recurs with a
        popularity that follows a power law, mostly in a wording used before with other numbers,
        dates, places and persons (equal after prepare()), sometimes in a new wording.

        Problems: a Pitman–Yor process — the next text states a new problem (self.fresh()) with
        probability (1 + new_problem·K) / (N + 1) after N texts of K problems, else the problem
        of an earlier text drawn at random (popular ones more often). Wordings of a problem: a
        new one (self.variant of its first wording: paraphrase, reordered clauses, traditional
        script, framing …) with probability (1 + new_wording·W) / (k + 1) after k texts of it in
        W wordings, else one of its wordings at random. The text is then the wording masked()."""
        rng = self.rng
        wordings: list[list[str]] = []  # per problem
        counts: list[int] = []
        of_text: list[int] = []  # the problem of each text so far
        out: list[str] = []
        for count in range(n):
            if not of_text or rng.random() < (1 + new_problem * len(wordings)) / (count + 1):
                problem = len(wordings)
                wordings.append([self.fresh()])
                counts.append(0)
                wording = wordings[problem][0]
            else:
                problem = of_text[rng.randrange(len(of_text))]
                mine = wordings[problem]
                if rng.random() < (1 + new_wording * len(mine)) / (counts[problem] + 1):
                    mine.append(self.variant(mine[0]))
                    wording = mine[-1]
                else:
                    wording = mine[rng.randrange(len(mine))]
            counts[problem] += 1
            of_text.append(problem)
            out.append(self.masked(wording) if counts[problem] > 1 else wording)
        return out

    # ---- labelled pairs -----------------------------------------------------------------------
    def hard_negative(self) -> tuple[str, str]:
        """Two problems of one family written with the same slots."""
        while True:
            family = self.rng.choice([f for f, shapes in self.by_family.items() if len(shapes) > 1])
            first, second = self.rng.sample(self.by_family[family], 2)
            if first.text != second.text:
                break
        slots = self.slots(first)
        return self.write(first, slots), self.write(second, slots)

    def pairs(self, n: int) -> list[tuple[int, str, str, str]]:
        """`n` pairs: near-duplicates (label 1, kind = the transformations) and hard negatives
        (label 0), alternately."""
        out = []
        for i in range(n):
            if i % 2 == 0:
                text = self.base()[2]
                kinds = tuple(self.rng.sample(self.KINDS, self.rng.choice((1, 2, 3))))
                out.append((1, text, self.variant(text, kinds), "+".join(kinds)))
            else:
                a, b = self.hard_negative()
                out.append((0, a, b, "hard negative"))
        return out
