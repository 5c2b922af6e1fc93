"""Benchmark of the old/new comparison (新旧对照表): two generated versions of --articles articles
with every kind of change, aligned --runs times; prints the median and the rows per change kind.

    .venv/bin/python bench/compare_bench.py [--articles 300] [--runs 5] [--seed 9]

The old version's articles are sentences drawn (deterministically) from a vocabulary of the
project's own; the new version deletes, inserts, modifies a few characters, moves, moves and
modifies, splits, merges and rewrites some of them, and renumbers everything. Target: < 1 s.
Measured on this machine: 300 articles, median ~0.2 s (1,000 articles ~1.2 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xuncha.regulations import compare  # noqa: E402
from xuncha.text.numerals import to_chinese  # noqa: E402

SUBJECTS = ["巡察组", "被巡察党组织", "领导小组办公室", "县委巡察机构", "乡镇党委", "村党组织", "纪检监察机关",
            "组织部门", "巡察人员", "有关职能部门"]
VERBS = ["应当", "可以", "负责", "不得", "及时", "按照规定", "会同有关部门", "根据工作需要"]
OBJECTS = ["开展个别谈话", "调阅复制有关文件", "受理信访举报", "列席有关会议", "召开动员会", "报送整改情况",
           "公开巡察结果", "移交问题线索", "督促落实整改", "研究处理意见", "建立工作台账", "开展回头看",
           "听取专题汇报", "组织民主测评", "走访群众", "核实有关问题", "落实主体责任", "形成巡察报告"]
TAILS = ["并报领导小组备案", "确保工作质量", "接受群众监督", "做到实事求是", "防止走过场", "严格保守秘密",
         "在规定期限内完成", "依规依纪依法处理"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(TAILS)}。"


def article_text(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def tweak(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) - 4)
    return text[:at] + rng.choice(["及时", "严格", "认真"]) + text[at + 2:]


def versions(n: int, seed: int) -> tuple[list[compare.Article], list[compare.Article]]:
    rng = random.Random(seed)
    old = [article_text(rng) for _ in range(n)]
    new: list[str] = []
    moved: list[str] = []
    for text in old:
        roll = rng.random()
        if roll < 0.05:
            continue  # deleted
        if roll < 0.15:
            new.append(tweak(text, rng))  # modified
        elif roll < 0.18:
            moved.append(text)  # moved
        elif roll < 0.20:
            moved.append(tweak(text, rng))  # moved and modified
        elif roll < 0.23:
            sentences = [s + "。" for s in text.split("。") if s]
            cut = max(1, len(sentences) // 2)
            new.extend(["".join(sentences[:cut]), "".join(sentences[cut:])])  # split
        elif roll < 0.26 and new:
            new[-1] = new[-1] + text  # merged into the article before
        elif roll < 0.28:
            new.append(article_text(rng))  # rewritten
        else:
            new.append(text)
        if rng.random() < 0.05:
            new.append(article_text(rng))  # inserted
    for text in moved:
        new.insert(rng.randrange(len(new) + 1), text)
    return _articles(old), _articles(new)


def _articles(texts: list[str]) -> list[compare.Article]:
    return [compare.Article(number=k, label=f"第{to_chinese(k)}条", text=t) for k, t in enumerate(texts, start=1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    old, new = versions(args.articles, args.seed)
    compare.align(old[:5], new[:5])  # warm-up: OpenCC and the pinyin dictionary load once
    times = []
    result = None
    for _ in range(args.runs):
        started = time.perf_counter()
        result = compare.align(old, new)
        times.append(time.perf_counter() - started)
    assert result is not None
    print(f"old {len(old)} articles, new {len(new)} articles, {len(result.rows)} rows")
    print(f"align: median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    for kind, count in result.counts().items():
        print(f"  {compare.KIND_LABELS[kind]:<6} {count}")


if __name__ == "__main__":
    main()
