"""Exact classes and edges between them (xuncha.text.neardup.find_groups / Groups.extend):
the compact form expands to exactly find_pairs' list, in one batch and round by round."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from tests.text.test_neardup import _brute, _corpus
from xuncha.text import neardup as nd

REPEATS = ["三会一课落实不到位", "三会一课落实不严格。", "东门村2023年有白条入账3笔，共计5600元。",
           "西山村2021年有白条入账12笔，共计1.2万元。", "村会计王某某未能说明原因", "村会计李某没有说明原因",
           "", "公车私用"]


def _register(seed: int = 7, n: int = 120) -> list[str]:
    """A corpus with many texts equal after prepare() (masked differences) and some variety."""
    rng = random.Random(seed)
    texts = _corpus(seed, n // 2)
    texts += [rng.choice(REPEATS) for _ in range(n - len(texts))]
    rng.shuffle(texts)
    return texts


def test_classes_are_equal_prepared_forms():
    groups = nd.find_groups(REPEATS + REPEATS[:4])
    assert len(groups) == 12
    assert groups.classes.tolist()[:8] == [0, 0, 1, 1, 2, 2, 3, 4]  # numbered in order of first occurrence
    assert groups.classes.tolist()[8:] == [0, 0, 1, 1]
    assert groups.n_classes == 5
    assert groups.sizes().tolist() == [4, 4, 2, 1, 1]
    assert groups.members(1) == [2, 3, 10, 11]
    assert groups.prepared[0] == nd.prepare(REPEATS[0])
    assert groups.signatures.shape == (5, nd.SIGNATURE_BYTES // 4)
    assert all(a < b and s >= nd.DEFAULT_THRESHOLD for a, b, s in groups.edges())


@pytest.mark.parametrize("threshold", [0.5, nd.DEFAULT_THRESHOLD, 0.8])
def test_pairs_equal_find_pairs_and_brute_force(threshold):
    texts = _register()
    keys = [5000 - 13 * i for i in range(len(texts))]
    groups = nd.find_groups(texts, threshold, keys=keys)
    assert groups.n_classes < len(texts)
    assert groups.pairs() == nd.find_pairs(texts, threshold, keys=keys)
    assert sorted(groups.pairs()) == _brute(texts, keys, threshold)
    # the compact form is smaller than the pairs it stands for
    assert len(groups.edge_a) < len(groups.pairs())


def test_duplicate_keys_and_edge_cases():
    texts = _register(seed=2, n=40)
    keys = [i % 7 for i in range(len(texts))]
    assert nd.find_groups(texts, keys=keys).pairs() == nd.find_pairs(texts, keys=keys)
    assert nd.find_groups([]).pairs() == [] and nd.find_groups([]).n_classes == 0
    assert nd.find_groups(["", ""]).pairs() == [(0, 1, 1.0)]
    with pytest.raises(ValueError):
        nd.find_groups(["a", "b"], keys=[1])


def test_processes_give_the_same_groups(monkeypatch):
    from xuncha.text import neardup_groups

    monkeypatch.setattr(neardup_groups, "CHUNK", 16)  # several chunks, so the pool is used
    texts = _register(seed=4, n=100)
    one, two = nd.find_groups(texts), nd.find_groups(texts, processes=2)
    assert one.classes.tolist() == two.classes.tolist()
    assert np.array_equal(one.signatures, two.signatures)
    assert one.edges() == two.edges()


def test_extend_is_find_groups_of_the_union():
    texts = _register(seed=9, n=160)
    keys = list(range(1000, 1160))
    old = nd.find_groups(texts[:100], keys=keys[:100])
    old_edges = old.edges()
    grown = old.extend(texts[100:], keys=keys[100:])
    assert grown.pairs() == nd.find_pairs(texts, keys=keys)
    assert grown.classes[:100].tolist() == old.classes.tolist()  # old classes keep their ids
    assert grown.edges()[:grown.first_new_edge] == old_edges
    assert old.edges() == old_edges and len(old) == 100  # the old groups are not changed
    # a new text equal to an old class after prepare() joins it
    joined = grown.extend(["三会一课落实不到位！"])
    assert joined.classes[-1] == grown.classes[texts.index(next(t for t in texts if nd.prepare(t) == nd.prepare("三会一课落实不到位")))]
    assert joined.n_classes == grown.n_classes and joined.first_new_edge == len(joined.edge_a)
    # round after round, with positions as default keys, the bands built on first use
    again = nd.find_groups(texts[:50])
    again.bands()
    for first in range(50, 160, 37):
        again = again.extend(texts[first:first + 37])
    assert again.pairs() == nd.find_pairs(texts)
    with pytest.raises(ValueError):
        old.extend(["a"], keys=[1, 2])


def test_groups_pickle():
    groups = nd.find_groups(_register(seed=1, n=60))
    groups.bands()
    copy = pickle.loads(pickle.dumps(groups))
    assert copy.edges() == groups.edges()
    more = ["东门村2020年有白条入账8笔", "党费收缴不及时，部分党员长期未交纳党费"]
    assert copy.extend(more).pairs() == groups.extend(more).pairs()
