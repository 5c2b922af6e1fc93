"""Benchmark of the near-duplicate engine (xuncha.text.neardup) against datasketch's MinHashLSH.

    .venv/bin/python bench/neardup_bench.py [--n 100000] [--pairs 2000] [--new 10000] [--skip-datasketch-scale]

Quality — precision, recall and F1 of "the engine reports the pair", for
  (1) generated pairs (bench/neardup_data.py): --pairs pairs, half near-duplicates made by
      paraphrase, clause reordering, changed amounts and dates, changed places, traditional
      script and framing, half hard negatives (another problem of the same family written with
      the same place, period, amounts and persons);
  (2) the hand-labelled pairs of bench/data/neardup_pairs.tsv (written apart from the engine).
Each engine runs all-pairs detection over every text of the set, so what its LSH misses counts
as missed. Engines:
  ours                 find_pairs(texts, DEFAULT_THRESHOLD): LSH candidates verified exactly
  datasketch same      MinHashLSH over the same prepared bigram shingles, 128 permutations,
                       threshold = the Jaccard equal to our Dice threshold; every candidate
                       reported (datasketch has no verification of its own)
  datasketch best      the same candidates kept when datasketch's MinHash estimate of the
                       Jaccard similarity reaches that threshold (its recommended use)

Speed — all pairs among 3,000 texts (a county); --n texts (a province; default 100,000, see
bench/README.md for why not 1,000,000 by default; the province scale is
bench/neardup_province.py) with wall time and peak RSS, each engine in a
fresh process so that its RSS is its own; then incremental: an index of the --n texts, and the
time to match a new round of --new texts against it (ours: match(); datasketch: query + its
estimate). Times are wall seconds; the machine's two cores are shared with other jobs.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

LABELLED = ROOT / "bench" / "data" / "neardup_pairs.tsv"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# ---- engines ----------------------------------------------------------------------------------
def ours_pairs(texts: list[str]) -> set[tuple[int, int]]:
    from xuncha.text import neardup as nd

    return {(a, b) for a, b, _s in nd.find_pairs(texts, nd.DEFAULT_THRESHOLD)}


def _minhashes(texts: list[str], num_perm: int = 128):
    from datasketch import MinHash

    from xuncha.text import neardup as nd
    from xuncha.text.neardup_lsh import shingle_set

    sets = [[g.encode("utf-8") for g in shingle_set(nd.prepare(t))] or [b""] for t in texts]
    return MinHash.bulk(sets, num_perm=num_perm)


def datasketch_pairs(texts: list[str], *, verify: bool, minhashes=None) -> set[tuple[int, int]]:
    from datasketch import MinHashLSH

    from xuncha.text import neardup as nd

    jaccard = nd.jaccard_for(nd.DEFAULT_THRESHOLD)
    minhashes = minhashes if minhashes is not None else _minhashes(texts)
    lsh = MinHashLSH(threshold=jaccard, num_perm=128)
    with lsh.insertion_session() as session:
        for i, m in enumerate(minhashes):
            session.insert(i, m)
    found = set()
    for i, m in enumerate(minhashes):
        for j in lsh.query(m):
            if j > i and (not verify or m.jaccard(minhashes[j]) >= jaccard):
                found.add((i, j))
    return found


# ---- quality ----------------------------------------------------------------------------------
def quality(pairs: list[tuple[int, str, str]]) -> dict[str, tuple[float, float, float, float]]:
    """Per engine: precision, recall, F1 on the labelled pairs, and seconds for the run."""
    texts, index, labelled = [], {}, []
    for label, a, b in pairs:
        ids = []
        for text in (a, b):
            if text not in index:
                index[text] = len(texts)
                texts.append(text)
            ids.append(index[text])
        labelled.append((label, min(ids), max(ids)))
    out = {}
    for name, run in (("ours", lambda: ours_pairs(texts)),
                      ("datasketch same", lambda: datasketch_pairs(texts, verify=False)),
                      ("datasketch best", lambda: datasketch_pairs(texts, verify=True))):
        started = time.perf_counter()
        found = run()
        seconds = time.perf_counter() - started
        found |= {(i, j) for _label, i, j in labelled if i == j}  # a transformation that changed nothing
        tp = sum(1 for label, i, j in labelled if label and (i, j) in found)
        fp = sum(1 for label, i, j in labelled if not label and (i, j) in found)
        fn = sum(1 for label, i, j in labelled if label and (i, j) not in found)
        precision = tp / max(1, tp + fp)
        recall = tp / max(1, tp + fn)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = (precision, recall, f1, seconds)
    return out


def labelled_pairs() -> list[tuple[int, str, str]]:
    with LABELLED.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(int(r["label"]), r["a"], r["b"]) for r in rows]


# ---- speed (in a child process each) ---------------------------------------------------------
def child(kind: str, n: int, new: int) -> dict:
    from neardup_data import Generator

    texts = Generator(seed=11).texts(n + new)
    old, fresh = texts[:n], texts[n:]
    result: dict = {"n": n, "rss_before": peak_mb()}
    if kind == "ours":
        from xuncha.text import neardup as nd

        started = time.perf_counter()
        pairs = nd.find_pairs(old)
        result["all_pairs"] = time.perf_counter() - started
        result["pairs"] = len(pairs)
        result["rss"] = peak_mb()
        if new:
            started = time.perf_counter()
            index = nd.Index()
            index.add(list(range(n)), nd.signatures(old))
            index.query([])  # the bands are sorted on first use: part of building the index
            result["index"] = time.perf_counter() - started
            started = time.perf_counter()
            found = nd.match(dict(zip(range(n, n + new), fresh, strict=True)), index,
                             lambda keys: {k: old[k] for k in keys})
            result["match"] = time.perf_counter() - started
            result["matched"] = len(found)
    else:
        started = time.perf_counter()
        minhashes = _minhashes(old)
        found = datasketch_pairs(old, verify=True, minhashes=minhashes)
        result["all_pairs"] = time.perf_counter() - started
        result["pairs"] = len(found)
        result["rss"] = peak_mb()
        if new:
            from datasketch import MinHashLSH

            from xuncha.text import neardup as nd

            jaccard = nd.jaccard_for(nd.DEFAULT_THRESHOLD)
            started = time.perf_counter()
            lsh = MinHashLSH(threshold=jaccard, num_perm=128)
            with lsh.insertion_session() as session:
                for i, m in enumerate(minhashes):
                    session.insert(i, m)
            result["index"] = time.perf_counter() - started
            started = time.perf_counter()
            matched = 0
            for m in _minhashes(fresh):
                matched += sum(1 for j in lsh.query(m) if m.jaccard(minhashes[j]) >= jaccard)
            result["match"] = time.perf_counter() - started
            result["matched"] = matched
    result["rss_total"] = peak_mb()
    return result


def spawn(kind: str, n: int, new: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--n", str(n), "--new", str(new)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="texts for the large run (default 100000)")
    parser.add_argument("--pairs", type=int, default=2000, help="generated labelled pairs (default 2000)")
    parser.add_argument("--new", type=int, default=10_000, help="texts of the incremental round (default 10000)")
    parser.add_argument("--skip-datasketch-scale", action="store_true", help="time only our engine on --n")
    parser.add_argument("--child", choices=("ours", "datasketch"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n, args.new)))
        return

    from neardup_data import Generator

    from xuncha.text import neardup as nd

    print(f"threshold {nd.DEFAULT_THRESHOLD} (Dice of prepared bigrams; Jaccard "
          f"{nd.jaccard_for(nd.DEFAULT_THRESHOLD):.3f}), signature {nd.SIGNATURE_BYTES} bytes")
    generated = [(label, a, b) for label, a, b, _kind in Generator(seed=5).pairs(args.pairs)]
    header = f"{'pairs':<26} {'engine':<17} {'precision':>9} {'recall':>7} {'F1':>6} {'seconds':>8}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, pairs in ((f"generated ({len(generated)})", generated),
                        (f"labelled ({len(labelled_pairs())})", labelled_pairs())):
        for engine, (p, r, f1, seconds) in quality(pairs).items():
            print(f"{name:<26} {engine:<17} {p:>9.3f} {r:>7.3f} {f1:>6.3f} {seconds:>8.2f}")

    print("\nspeed (wall seconds; peak RSS of a fresh process per engine)")
    header = (f"{'texts':>9} {'engine':<11} {'all pairs s':>11} {'pairs':>9} {'RSS MB':>7} "
              f"{'index s':>8} {'match new s':>11} {'matched':>8}")
    print(header + "\n" + "-" * len(header))
    for n, new in ((3000, 0), (args.n, args.new)):
        rows = {"ours": spawn("ours", n, new)}
        if n == 3000 or not args.skip_datasketch_scale:
            rows["datasketch"] = spawn("datasketch", n, new)
        for engine, r in rows.items():
            print(f"{n:>9,} {engine:<11} {r['all_pairs']:>11.2f} {r['pairs']:>9,} {r['rss']:>7.0f} "
                  f"{r.get('index', 0):>8.2f} {r.get('match', 0):>11.2f} {r.get('matched', 0):>8,}")
        if "datasketch" in rows:
            ours, theirs = rows["ours"], rows["datasketch"]
            line = f"{'':>9} datasketch/ours time: all pairs {theirs['all_pairs'] / ours['all_pairs']:.1f}x"
            if new:
                line += f", match new {theirs['match'] / ours['match']:.1f}x"
            print(line)


if __name__ == "__main__":
    main()
