"""The near-duplicate engine at province scale: exact classes and edges between them
(xuncha.text.neardup.find_groups), then a new round matched incrementally (Groups.extend).

    nice .venv/bin/python bench/neardup_province.py [--n 1000000] [--new 10000] [--processes 2]
                                                    [--datasketch 100000]

Data: Generator.province (bench/neardup_data.py) — problems recurring with a power-law
popularity, mostly in a wording used before with other numbers, dates, places and persons
(equal after prepare()), sometimes reworded; the first --n texts are the register, the next
--new the new round. Generating them is not timed.

Printed: wall seconds of each step (prepare in --processes forked processes, exact classes,
MinHash of the representatives in processes, LSH + MinHash pre-filter + exact verification
between representatives), peak RSS of this process and of the largest child (ru_maxrss), the
number of classes, of class edges and of the input pairs they stand for; then the new round:
its time, the texts that joined an existing class, the new classes and the new edges.
--datasketch N: datasketch's MinHashLSH (best: candidates kept when its estimate reaches the
threshold) on the first N texts in a fresh process, and ours on the same N, for comparison.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def texts(n: int, seed: int) -> list[str]:
    from neardup_data import Generator

    return Generator(seed=seed).province(n)


def represented_pairs(groups) -> int:
    """The input pairs the classes and edges stand for (find_pairs' length, without listing)."""
    sizes = groups.sizes().astype(object)  # Python ints: no overflow
    inside = sum(k * (k - 1) // 2 for k in sizes.tolist())
    a, b = groups.edge_a.tolist(), groups.edge_b.tolist()
    between = sum(sizes[i] * sizes[j] for i, j in zip(a, b, strict=True))
    return int(inside + between)


def ours(args) -> None:
    from xuncha.text import neardup as nd

    started = time.perf_counter()
    data = texts(args.n + args.new, args.seed)
    register, fresh = data[:args.n], data[args.n:]
    del data
    print(f"generated {args.n:,} + {args.new:,} texts in {time.perf_counter() - started:.1f} s "
          f"(not timed below); RSS {peak_mb():.0f} MB")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    groups = nd.find_groups(register, nd.DEFAULT_THRESHOLD, processes=args.processes, timings=timings)
    total = time.perf_counter() - started
    steps = ", ".join(f"{k} {v:.1f}" for k, v in timings.items())
    print(f"find_groups {args.n:,} texts: {total:.1f} s ({steps}); processes {args.processes}")
    print(f"  classes {groups.n_classes:,} ({groups.n_classes / max(1, args.n):.1%} of the texts; largest "
          f"{int(groups.sizes().max()) if args.n else 0:,} texts), class edges {len(groups.edge_a):,}, "
          f"standing for {represented_pairs(groups):,} pairs of texts")
    print(f"  peak RSS: this process {peak_mb():.0f} MB, largest child {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    if args.new:
        groups.bands()  # built and sorted by find_groups already; kept for every later round
        started = time.perf_counter()
        grown = groups.extend(fresh, processes=1)
        seconds = time.perf_counter() - started
        new_classes = grown.n_classes - groups.n_classes
        joined = int((grown.classes[args.n:] < groups.n_classes).sum())
        print(f"new round of {args.new:,} against {args.n:,}: {seconds:.2f} s; "
              f"{joined:,} joined an existing class, {new_classes:,} new classes, "
              f"{len(grown.edge_a) - grown.first_new_edge:,} new class edges")
        print(f"  peak RSS: this process {peak_mb():.0f} MB")


def datasketch_child(n: int, seed: int) -> dict:
    from neardup_bench import _minhashes, datasketch_pairs

    data = texts(n, seed)
    before = peak_mb()
    started = time.perf_counter()
    found = datasketch_pairs(data, verify=True, minhashes=_minhashes(data))
    return {"seconds": time.perf_counter() - started, "pairs": len(found), "rss": peak_mb(), "before": before}


def ours_child(n: int, seed: int) -> dict:
    from xuncha.text import neardup as nd

    data = texts(n, seed)
    before = peak_mb()
    started = time.perf_counter()
    groups = nd.find_groups(data, nd.DEFAULT_THRESHOLD, processes=1)
    return {"seconds": time.perf_counter() - started, "pairs": represented_pairs(groups), "rss": peak_mb(),
            "before": before, "classes": groups.n_classes, "edges": len(groups.edge_a)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="texts of the register (default 1000000)")
    parser.add_argument("--new", type=int, default=10_000, help="texts of the new round (default 10000)")
    parser.add_argument("--processes", type=int, default=2, help="processes for the linear steps (default 2)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--datasketch", type=int, default=0, metavar="N",
                        help="also datasketch MinHashLSH and ours (one process) on the first N texts")
    parser.add_argument("--child", choices=("datasketch", "ours"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run = datasketch_child if args.child == "datasketch" else ours_child
        print(json.dumps(run(args.n, args.seed)))
        return
    if args.n:
        ours(args)
    if args.datasketch:
        print(f"\nall pairs among the first {args.datasketch:,} texts, one process each (fresh process per engine)")
        for kind in ("ours", "datasketch"):
            out = subprocess.run([sys.executable, __file__, "--child", kind, "--n", str(args.datasketch),
                                  "--seed", str(args.seed)], check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            extra = f", {r['classes']:,} classes, {r['edges']:,} edges" if kind == "ours" else ""
            print(f"  {kind:<10} {r['seconds']:8.1f} s  pairs {r['pairs']:,}  peak RSS {r['rss']:.0f} MB "
                  f"(texts alone {r['before']:.0f} MB){extra}")


if __name__ == "__main__":
    main()
