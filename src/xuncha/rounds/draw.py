"""The random draw (随机抽取) as a pure function: candidates in, roster and shortfall out.

No Django here. The service gathers the candidates (available, not serving in the round,
free of recusal conflicts) and marks those who served or were drawn in the previous round;
this module only chooses. The same candidates, request and seed always give the same roster.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    person_id: int
    skills: frozenset[str]
    previous: bool = False  # served or drawn in the previous round: used only when needed


@dataclass(frozen=True)
class Pick:
    person_id: int
    skill: str
    previous: bool


@dataclass(frozen=True)
class DrawResult:
    picks: list[Pick] = field(default_factory=list)
    shortfall: dict[str, int] = field(default_factory=dict)  # {skill: slots left empty}

    @property
    def person_ids(self) -> list[int]:
        return [pick.person_id for pick in self.picks]


def _clean_request(requested: Mapping[str, int]) -> dict[str, int]:
    counts = {}
    for skill, count in requested.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"the count for {skill!r} must be a whole number ≥ 0")
        if count:
            counts[str(skill)] = count
    return counts


def draw(candidates: Iterable[Candidate], requested: Mapping[str, int], seed: int) -> DrawResult:
    """Choose people for the requested skill counts; a person fills at most one slot.

    Skills are filled scarcest first (fewest candidates holding them, then by name), so a
    person with several skills is less likely to take the only holder's place of a rare one.
    For each skill, people outside the previous round are sampled first; previous-round
    people fill only what the others cannot.
    """
    counts = _clean_request(requested)
    pool = sorted({c.person_id: c for c in candidates}.values(), key=lambda c: c.person_id)
    rng = random.Random(seed)

    def holders(skill: str) -> list[Candidate]:
        return [c for c in pool if skill in c.skills]

    order = sorted(counts, key=lambda skill: (len(holders(skill)), skill))
    taken: set[int] = set()
    picks: list[Pick] = []
    shortfall: dict[str, int] = {}
    for skill in order:
        need = counts[skill]
        for previous in (False, True):
            if not need:
                break
            free = [c for c in holders(skill) if c.previous is previous and c.person_id not in taken]
            chosen = rng.sample(free, min(need, len(free)))
            for candidate in chosen:
                taken.add(candidate.person_id)
                picks.append(Pick(candidate.person_id, skill, previous))
            need -= len(chosen)
        if need:
            shortfall[skill] = need
    return DrawResult(picks=picks, shortfall=shortfall)
