"""Benchmark of the vague-measure scorer (xuncha.text.vagueness): how well it agrees with the
hand-labelled set, and how fast it scores a province's worth of measures.

    .venv/bin/python bench/vagueness_bench.py [--measures 100000] [--plan 21] [--examples 6]

Quality: precision, recall and F1 of `vague` against the labels of
tests/text/data/vague_measures.yaml — all of it, the part written while the scorer was built
(`measures`) and the part written after it was finished (`held_out`) — with the confusion
counts and a few misclassified measures (score and reasons).

Speed: --measures distinct measures made from the labelled ones (numbers, places and the order
of clauses varied, so no two are the same and the scorer's cache is cold), scored once without
`others`, then plan by plan (--plan measures to a plan, each scored against the other plan-1 as
`others`, which is what reviewing a plan does). Wall and CPU microseconds per measure; the CPU
time is what counts on this machine, where other processes share the two cores. No database,
no Django.

Measured on this machine (2 cores shared with other jobs, so wall time ran 3-6x the CPU time;
100,000 measures of 36 characters on average):
  labelled set        n    precision  recall  F1     (tp fp fn tn)
  all               242      0.984    0.992  0.988   123  2  1 116
  measures          196      1.000    0.990  0.995   100  0  1  95
  held_out           46      0.920    1.000  0.958    23  2  0  21
  first call (loads OpenCC)          16-61 ms
  normalize alone                      20 µs CPU per measure
  without others                      135 µs CPU per measure
  with 20 others                      184 µs CPU per measure (the others' profiles are cached,
                                      and pairs too different in size are never compared)
  peak RSS                            119 MB (the 100,000 measures held in memory)
The three misclassified: "建立问题整改台账…确保整改一项、销号一项" (a process measure that reads
concrete), and two held-out measures whose objects are not in the word lists (文件, 驾驶证).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "text" / "data" / "vague_measures.yaml"
PLACES = ["东门村", "西山村", "城关镇", "青石乡", "县财政局", "县人民医院", "第一中学", "县粮食公司", "河口社区",
          "南岭村", "县卫健局", "白沙镇"]


def peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pad(text: str, width: int) -> str:
    """Left-justify for the terminal, where CJK characters take two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def counts(items: list[dict], assess) -> tuple[dict[str, int], list[tuple[dict, object]]]:
    found = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong = []
    for item in items:
        result = assess(item["text"], item.get("others") or ())
        gold = item["label"] == "vague"
        found[("t" if result.vague == gold else "f") + ("p" if result.vague else "n")] += 1
        if result.vague != gold:
            wrong.append((item, result))
    return found, wrong


def scores(found: dict[str, int]) -> tuple[float, float, float]:
    precision = found["tp"] / max(1, found["tp"] + found["fp"])
    recall = found["tp"] / max(1, found["tp"] + found["fn"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def variants(texts: list[str], n: int, seed: int = 7) -> list[str]:
    """`n` distinct measures: a labelled text with its numbers redrawn, sometimes a place in
    front, sometimes its clauses in another order, and a serial number where they would repeat."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    while len(out) < n:
        text = re.sub(r"\d+", lambda m: str(rng.randint(1, 99)), rng.choice(texts))
        if rng.random() < 0.5:
            text = f"{rng.choice(PLACES)}：{text}"
        if rng.random() < 0.3:
            clauses = [c for c in re.split(r"(?<=[，。；])", text) if c]
            rng.shuffle(clauses)
            text = "".join(clauses)
        if text in seen:
            text = f"{text}（{len(out)}）"
        seen.add(text)
        out.append(text)
    return out


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=100_000, help="measures to time (default 100000)")
    parser.add_argument("--plan", type=int, default=21, help="measures to a plan: each has plan-1 others (default 21)")
    parser.add_argument("--examples", type=int, default=6, help="misclassified measures to show (default 6)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    import yaml

    from xuncha.text import vagueness
    from xuncha.text.normalize import normalize

    started = time.perf_counter()
    vagueness.assess("由村会计于6月底前补齐凭证。")
    print(f"first call (loads OpenCC): {(time.perf_counter() - started) * 1000:.0f} ms")

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    parts = {"all": data["measures"] + data["held_out"], "measures": data["measures"], "held_out": data["held_out"]}
    header = f"{'labelled set':<12} {'n':>5} {'vague':>6} {'precision':>10} {'recall':>7} {'F1':>6}    tp  fp  fn  tn"
    print("\n" + header)
    print("-" * len(header))
    wrong_all = []
    for name, items in parts.items():
        found, wrong = counts(items, vagueness.assess)
        precision, recall, f1 = scores(found)
        n_vague = sum(item["label"] == "vague" for item in items)
        print(f"{name:<12} {len(items):>5} {n_vague:>6} {precision:>10.3f} {recall:>7.3f} {f1:>6.3f}   "
              f"{found['tp']:>3} {found['fp']:>3} {found['fn']:>3} {found['tn']:>3}")
        if name == "all":
            wrong_all = wrong
    if wrong_all:
        print(f"\nmisclassified ({len(wrong_all)}; showing {min(len(wrong_all), args.examples)}):")
        for item, result in wrong_all[:args.examples]:
            kind = "false vague" if result.vague else "missed vague"
            print(f"  {pad(kind, 13)} {result.score:.3f} {','.join(result.reasons) or '-':<40} "
                  f"{clip(item['text'], 48)}")

    texts = [item["text"] for item in parts["all"]]
    measures = variants(texts, args.measures)
    size = args.plan
    print(f"\n{len(measures):,} distinct measures, {sum(map(len, measures)) / len(measures):.0f} characters "
          f"on average; plans of {size} (each measure with {size - 1} others)")

    def normalize_all():
        for measure in measures:
            normalize(measure)

    def alone():
        for measure in measures:
            vagueness.assess(measure)

    def in_plans():
        for first in range(0, len(measures), size):
            plan = measures[first:first + size]
            for i, measure in enumerate(plan):
                vagueness.assess(measure, plan[:i] + plan[i + 1:])

    print(f"\n{'scoring':<22} {'wall s':>8} {'CPU s':>8} {'µs/measure wall':>16} {'CPU':>8}")
    for label, run in (("normalize only", normalize_all), ("without others", alone), (f"with {size - 1} others", in_plans)):
        vagueness._profile.cache_clear()
        wall, cpu = timed(run)
        print(f"{label:<22} {wall:>8.2f} {cpu:>8.2f} {wall / len(measures) * 1e6:>16.0f} "
              f"{cpu / len(measures) * 1e6:>8.0f}")
    print(f"\npeak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
