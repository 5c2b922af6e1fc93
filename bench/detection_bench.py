"""Benchmark of the detection job (xuncha.analytics.detection) on a county's problems.

    .venv/bin/python bench/detection_bench.py [--problems 3000] [--rounds 9] [--organizations 500] [--seed 1]

Builds, in a throwaway SQLite database (a temporary data directory, migrated), one county with
--organizations villages, a published checklist, a term of --rounds rounds with a group each,
and --problems problems spread over the first rounds - 1 rounds, written with bulk_create from
bench/neardup_data.py's generator (realistic descriptions; a fifth of them rewrite an earlier
one, as real registers have). Then times:

  full run         detect(committee, full=True): every problem fingerprinted and matched,
                   pairs stored, clusters built
  no-op run        detect(committee) with nothing new (the cost of checking)
  new round        a last round's problems (--problems / (rounds - 1)) added with bulk_create,
                   then detect(committee): only they are fingerprinted and matched
  edit             one problem's text changed, then detect(committee)

with the counts of each run, the SQL queries it made, and peak RSS. Target: a county's 3,000
problems in under 2 s (DESIGN: scale).

Measured on this machine (SQLite; 2 cores shared with other jobs, load average 3.5-5, so wall
time ran up to 1.5x the CPU time; engine of commit ae532ee, 128 permutations):
  run          wall         CPU          SQL  what it did
  full run     1.12-2.26 s  1.11-1.48 s   20  3,000 fingerprinted, 5,823 pairs stored, 281 clusters
  no-op run    0.10-0.16 s  0.07-0.11 s   10  nothing to do (hashes compared, relations checked)
  new round    0.50-0.98 s  0.47-0.65 s   19  375 fingerprinted and matched against 3,000: 1,641 pairs,
                                              58 clusters written of 312
  edit         0.23-0.24 s  0.16-0.24 s   13  1 re-matched: 27 pairs replaced by 20
  peak RSS     338 MB
About half of a full run is the engine's: neardup.signatures (prepare + MinHash) and then
neardup.find_pairs, which prepares and MinHashes the same texts again. Rows are inserted with
executemany (the ORM's bulk_create took 1.8 s of 5 s with the first engine).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 1000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def title_of(text: str) -> str:
    """A problem title from its description: the first clause, at most 40 characters."""
    for stop in "；。，":
        text = text.split(stop, 1)[0]
    return text[:40]


def build(problems: int, rounds: int, organizations: int, seed: int):
    from django.utils import timezone
    from neardup_data import Generator

    from xuncha.checklist.models import Item, Library, Version
    from xuncha.findings.models import Problem
    from xuncha.registry.models import Committee, Organization, OrganizationKind
    from xuncha.rounds.models import Assignment, Group, Round, Term

    kinds = {k.code: k for k in OrganizationKind.objects.all()}
    county = Committee.objects.create(name="基准县委", level=Committee.Level.COUNTY)
    township = Organization.objects.create(committee=county, name="城关镇", kind=kinds["township"])
    orgs = Organization.objects.bulk_create(
        [Organization(committee=county, name=f"第{i}村", kind=kinds["village"], parent=township,
                      name_key=f"第{i}村", pinyin=f"di{i:05d}cun") for i in range(organizations)], batch_size=BATCH)
    library = Library.objects.create(committee=county, kind=kinds["village"], name="村级巡察指引")
    version = Version.objects.create(library=library, number=1, state=Version.State.PUBLISHED,
                                     published_at=timezone.now())
    manifestations = []
    for f in range(4):
        focus = Item.objects.create(version=version, level=1, key=f"F{f}", title=f"监督重点{f}", position=f)
        for p in range(3):
            point = Item.objects.create(version=version, level=2, parent=focus, key=f"F{f}.{p}", title=f"监督要点{f}.{p}",
                                        position=p)
            for m in range(3):
                manifestations.append(Item.objects.create(version=version, level=3, parent=point, key=f"F{f}.{p}.{m}",
                                                          title=f"表现形式{f}.{p}.{m}", position=m))
    term = Term.objects.create(committee=county, number=1, name="第一届", start_date=date(2021, 1, 1))
    round_rows = [Round.objects.create(term=term, number=n + 1, planned_entry=date(2021 + n // 2, 3 + 6 * (n % 2), 1),
                                       planned_exit=date(2021 + n // 2, 4 + 6 * (n % 2), 28)) for n in range(rounds)]
    groups = [Group.objects.create(round=r, number=1) for r in round_rows]
    generator = Generator(seed=seed)
    per_round = -(-problems // (rounds - 1))
    texts = generator.texts(problems + per_round)
    targets: dict[tuple[int, int], Assignment] = {}

    def target(round_index: int, org_index: int) -> Assignment:
        key = (round_index, org_index)
        if key not in targets:
            targets[key] = Assignment.objects.create(group=groups[round_index], organization=orgs[org_index])
        return targets[key]

    def rows(round_index: int, chunk: list[str], start: int) -> list[Problem]:
        out = []
        for i, text in enumerate(chunk):
            org_index = (start + i * 7) % organizations
            assignment = target(round_index, org_index)
            out.append(Problem(assignment=assignment, round_id=assignment.round_id, group_id=assignment.group_id,
                               organization_id=assignment.organization_id, seq=start + i + 1, title=title_of(text),
                               description=text, classification=manifestations[(start + i) % len(manifestations)]))
        return out

    made = []
    for r in range(rounds - 1):
        chunk = texts[r * per_round:min(problems, (r + 1) * per_round)]
        made += Problem.objects.bulk_create(rows(r, chunk, r * per_round), batch_size=BATCH)
    return county, made, lambda: Problem.objects.bulk_create(rows(rounds - 1, texts[problems:], 0), batch_size=BATCH)


def timed(label: str, committee, **kwargs) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuncha.analytics import detection

    with CaptureQueriesContext(connection) as ctx:
        started, cpu = time.perf_counter(), time.process_time()
        result = detection.detect(committee, **kwargs)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:<12} {seconds:>6.2f} s wall {cpu:>6.2f} s CPU {len(ctx.captured_queries):>4} SQL   "
          f"problems {result.problems}, "
          f"fingerprinted {result.fingerprinted}, pairs stored {result.pairs} (replaced {result.removed}), "
          f"clusters {result.clusters} (written {result.clusters_written})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--organizations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="xuncha-detection-bench-"))
    os.environ["XUNCHA_DATA_DIR"] = str(work / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuncha.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from xuncha.findings.models import Problem

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    county, made, add_round = build(args.problems, args.rounds, args.organizations, args.seed)
    print(f"built {len(made)} problems of {args.organizations} organizations in {args.rounds - 1} rounds "
          f"in {time.perf_counter() - started:.1f} s")
    from xuncha.text import neardup

    neardup.similarity("热身", "热身")  # load OpenCC and the tables outside the timings
    timed("full run", county, full=True)
    timed("no-op run", county)
    added = add_round()
    print(f"added a round of {len(added)} problems")
    timed("new round", county)
    problem = Problem.objects.get(pk=made[0].pk)
    problem.description += "另查明，相关资金至今未追回。"
    problem.save()
    timed("edit", county)
    print(f"peak RSS {peak_mb():.0f} MB")
    connections.close_all()
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
