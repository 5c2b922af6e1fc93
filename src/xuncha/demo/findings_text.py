"""Texts of the demo findings: a problem's title and description, and its working paper's
facts, informants, place and basis, written from a checklist manifestation.

Pure functions over one random stream: the same draws give the same texts. Amounts, places,
periods and persons vary; a matter can be written again from the slots of an earlier one
(near-identical wording at many villages) or from its shape with new slots (a problem that
recurs in a later round).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xuncha.demo import findings_phrases as ph
from xuncha.text.numerals import to_chinese

LAND = ("鱼塘", "集体林地", "机动地", "荒山", "山坪塘水面")


@dataclass(frozen=True, slots=True)
class Manifestation:
    """A level-3 checklist item, with what decides how its problems read."""

    pk: int
    key: str
    title: str
    point: str
    focus: str
    family: str


@dataclass(frozen=True, slots=True)
class Place:
    """An inspected organization as the texts see it."""

    name: str
    kind: str  # village | community | township | department
    children: tuple[str, ...] = ()  # a township's villages

    @property
    def letter(self) -> str:
        return {"village": "v", "community": "v", "township": "t"}.get(self.kind, "d")

    @property
    def pool(self) -> str:
        """The key of the phrase pools that fit it."""
        return "village" if self.kind == "community" else self.kind


@dataclass(slots=True)
class Matter:
    """One matter, written: what a problem and its paper say."""

    shape: ph.Shape
    title: str
    description: str
    amount: Decimal | None
    persons: str
    slots: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PaperText:
    facts: str
    informants: str
    place: str
    basis: str


def family_of(title: str, point: str = "", focus: str = "") -> str:
    """The family of a manifestation: by the words of its title, else of its point, else
    of its focus; 'policy' when none speaks."""
    for text in (title, point, focus):
        for family, words in ph.FAMILY_WORDS:
            if any(word in text for word in words):
                return family
    return "policy"


def yuan(amount: Decimal) -> str:
    """8600元, 3.26万元"""
    if amount < 10000:
        text = f"{amount:.2f}".rstrip("0").rstrip(".")
        return f"{text}元"
    text = f"{amount / 10000:.4f}".rstrip("0").rstrip(".")
    return f"{text}万元"


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # -- slots ------------------------------------------------------------------------------

    def money(self, low: int, high: int) -> Decimal:
        rng = self.rng
        value = low * (high / low) ** rng.random()
        roll = rng.random()
        if roll < 0.15:  # to the fen, as a ledger has it
            return Decimal(f"{value:.2f}")
        step = 10 if value < 10000 else 100
        return Decimal(max(step, int(value / step) * step))

    def period(self, entry: date) -> str:
        rng, y = self.rng, entry.year
        last = max(1, entry.month - 1)
        m = rng.randint(1, 12)
        return rng.choice((
            f"{y - 3}年至{y - 1}年", f"{y - 2}年以来", f"{y - 1}年{m}月至{y}年{rng.randint(1, last)}月",
            f"{y - 1}年", f"{y - 2}年至{y - 1}年", f"{y - 1}年{min(m, 10)}月至{rng.randint(min(m, 10) + 1, 12)}月",
            f"{y - 2}年{m}月以来",
        ))

    def person(self, place: Place) -> tuple[str, str, str]:
        """(as the text names them, surname form, post)"""
        post = self.rng.choice(ph.POSTS[place.kind if place.kind in ph.POSTS else "department"])
        surname = self.rng.choice(ph.SURNAMES) + ("某某" if self.rng.random() < 0.7 else "某")
        return f"{post}{surname}", surname, post

    def where(self, place: Place) -> str:
        if place.kind == "township":
            return f"所辖{self.rng.choice(place.children)}" if place.children else "所辖村（社区）"
        return self.rng.choice(ph.WHERE[place.kind if place.kind in ph.WHERE else "department"])

    def slots(self, place: Place, entry: date, m: Manifestation) -> dict[str, str]:
        rng = self.rng
        pool = place.pool if place.pool in ph.PROJECTS else "department"
        year = entry.year - (1 if rng.random() < 0.7 else 2)
        person, surname, post = self.person(place)
        asset = rng.choice(ph.ASSETS[pool])
        n = rng.randint(3, 16)
        n2 = rng.randint(1, max(1, n - 1))
        return {
            "org": place.name, "where": self.where(place), "period": self.period(entry), "year": str(year),
            "month": f"{year}年{rng.randint(1, 12)}月", "n": str(n), "n2": str(n2),
            "n3": str(rng.randint(1, max(1, n2))), "months": str(rng.randint(3, 18)),
            "years": str(rng.choice((10, 15, 20, 30))), "pct": str(rng.randint(35, 78)),
            "area": (f"{rng.randint(5, 120)}亩" if asset in LAND else f"{rng.randint(6, 60) * 10}平方米"),
            "person": person, "surname": surname, "post": post, "asset": asset,
            "project": rng.choice(ph.PROJECTS[pool]), "subsidy": rng.choice(ph.SUBSIDIES),
            "use": rng.choice(ph.USES), "expense": rng.choice(ph.EXPENSES), "fund": rng.choice(ph.FUNDS[pool]),
            "pretext": rng.choice(ph.PRETEXTS), "occasion": rng.choice(ph.OCCASIONS), "task": rng.choice(ph.TASKS),
            "defect": rng.choice(ph.DEFECTS), "docs": rng.choice(ph.DOCS),
            "party": ph.PARTY.get(place.kind, "机关党支部"), "manifestation": m.title.rstrip("。；;"),
            "point": m.point.rstrip("。；;"), "short": m.title.split("，")[0][:60],
            "n4": str(rng.randint(1, 3)), "n5": str(n + rng.randint(1, 4)), "age": str(rng.randint(48, 58)),
            "acres": f"{rng.randint(2, 40)}亩",
        }

    # -- matters ----------------------------------------------------------------------------

    def shapes(self, m: Manifestation, place: Place, *, lead: bool) -> list[ph.Shape]:
        """The shapes that read right for a manifestation at a place: those whose words are in
        its title, and (not for leads) those that speak of the manifestation itself."""
        own = [s for s in ph.SHAPES if place.letter in s.kinds and s.lead == lead
               and any(word in m.title for word in s.words)]
        if lead:
            return own
        generic = [s for s in ph.GENERIC if s.words != ("money",) or m.family in ph.AMOUNTS]
        return own * 3 + generic

    def can_lead(self, m: Manifestation, place: Place) -> bool:
        return bool(self.shapes(m, place, lead=True))

    def matter(self, m: Manifestation, place: Place, entry: date, *, lead: bool = False,
               shape: ph.Shape | None = None, slots: dict[str, str] | None = None,
               opening: str = "") -> Matter:
        """A matter for a manifestation at a place; `shape` and `slots` repeat an earlier
        one's (the slots are copied, the place's name and amount drawn anew)."""
        rng = self.rng
        shape = shape or rng.choice(self.shapes(m, place, lead=lead))
        values = self.slots(place, entry, m)
        if slots is not None:
            values.update({k: v for k, v in slots.items() if k not in ("org", "amount", "amount2")})
        amount = None
        if shape.amounts:
            amount = self.money(*(ph.AMOUNTS[m.family] if shape.amounts == (1, 1) else shape.amounts))
            values["amount"] = yuan(amount)
            values["amount2"] = yuan(self.money(max(100, int(amount * Decimal("0.2"))),
                                                max(200, int(amount * Decimal("0.8")))))
        else:
            values["amount"] = values["amount2"] = ""
        title = shape.title.format(**values)
        description = opening.format(**values) + shape.text.format(**values)
        persons = ""
        if "{person}" in shape.text:
            persons = f"{values['surname']}（{values['post']}）"
        elif rng.random() < 0.3:
            _named, surname, post = self.person(place)
            persons = f"{surname}（{post}）"
        return Matter(shape, title[:200], description, amount, persons, values)

    def follow_up(self, previous: str) -> str:
        return self.rng.choice(ph.FOLLOW_UP).replace("{previous}", previous)

    def recurring(self) -> str:
        return self.rng.choice(ph.RECURRING)

    # -- papers -----------------------------------------------------------------------------

    def source(self, matter: Matter) -> str:
        """How the group learned of it: what the description says, else a draw."""
        for words, source in ph.SAYS_HOW:
            if words in matter.description[:12]:
                return source
        names, weights = zip(*ph.SOURCE_WEIGHTS, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def paper(self, matter: Matter, m: Manifestation, place: Place, source: str, *, part: int = 0) -> PaperText:
        """The paper a matter was learned from; `part` > 0 for the second paper of a merged
        problem, which tells part of the same matter."""
        rng = self.rng
        values = dict(matter.slots)
        informant_name, surname, post = self.person(place)
        site = (f"{place.name}{values['where']}" if place.kind != "township" else place.name)
        values.update(informant=informant_name, place=site, topic=ph.TOPICS[matter.shape.family or m.family],
                      n=str(rng.randint(2, 12)))
        body = matter.description
        says = any(words in body[:12] for words, _source in ph.SAYS_HOW)
        opening = "" if says and not part else rng.choice(ph.HOW[source]).format(**values)
        if part:
            body = (f"补充了解到，{place.name}在{values['period']}还存在同类情况，"
                    f"与第{to_chinese(part)}份底稿所述问题相互印证。")
        proofs = "、".join(rng.sample(ph.PROOFS, 2))
        facts = f"{opening}{body}以上事实有{proofs}等材料证实。"
        informants = {
            "interview": f"{surname}（{post}）", "complaint": "来信群众（匿名）",
            "visit": f"{values['where']}群众{rng.randint(2, 6)}名", "grassroots": f"{values['where']}群众代表",
            "survey": "问卷调查对象", "appraisal": "民主测评参与人员",
        }.get(source, f"{place.name}{post}")
        basis = rng.choice(ph.BASES[matter.shape.family or m.family])
        if matter.shape.lead:
            basis = f"{basis}；{ph.LEAD_BASIS}"
        return PaperText(facts, informants[:200], site[:200], basis)
