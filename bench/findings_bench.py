"""Benchmark of the findings pages at city scale: the paper ledger, the problem list, the search
page and the matching API lists, over the demo county multiplied to --problems problems.

    .venv/bin/python bench/findings_bench.py [--problems 30000] [--runs 5] [--keep]

Builds the demo county (`migrate`, `demo`) into a fresh SQLite database in a temporary data
directory (or into the empty database DATABASE_URL names), copies its working papers and
problems with bulk_create into the same groups and targets under new sequence numbers until
there are --problems problems (papers grow in the demo's proportion, authors and paper links
copied too; sign-off history and evidence are not), then times each page with a test client
signed in as the demo's office_admin and group_leader (API lists with a bearer token of the same
account): median of --runs runs after one warm-up, SQL queries, slowest query, response size and
status. The warm-up counts the queries; the timed runs capture nothing.

--sql prints the slowest statement of each page (from FROM on).

Measured on this machine (SQLite, median ms / SQL queries; office_admin sees the whole county,
group_leader one group):
                              30,000 problems (33,115 papers)   100,000 problems (110,385 papers)
  copy rate                   17,900 rows/s (7,000 papers+problems/s)  12,800 rows/s (5,000/s)
                              office_admin    group_leader      office_admin    group_leader
  ledger, first page            39 / 13         35 / 14          210 / 13         40 / 14
  ledger, state=signed          37 / 13         36 / 14          110 / 13         39 / 14
  problems, first page         471 / 12         31 / 12         2018 / 12         54 / 12
  problems, kind=lead          108 / 12         32 / 12          228 / 12         34 / 12
  problems, page=50            559 / 12         31 / 12         1928 / 12         69 / 12
  problems, q=集体资金          121 / 12         22 / 12          275 / 12         36 / 12
  search 集体资金               154 / 10         22 / 10          495 / 10         37 / 10
  search 工程 招标              151 / 10         22 / 10          671 / 10         35 / 10
  search 集體資金               151 / 10         23 / 10          646 / 10         39 / 10
  api papers                    58 / 6          21 / 6           168 / 6          26 / 6
  api problems                 398 / 4          21 / 4          1546 / 4          40 / 4
  api problems offset=2450     697 / 4          17 / 4          1633 / 4          53 / 4
  api search 集体资金           159 / 6          25 / 6           437 / 6          27 / 6
  peak RSS                     244 MB                            245 MB
Every response 200. The unfiltered problem list is the slow one for the office: its
Count("papers", distinct=True) annotation groups and sorts every problem in the committee
(SQLite: temp B-tree for GROUP BY and ORDER BY) before the LIMIT of one page.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

BATCH = 1000

PAGES = [
    # (label, url, API?)
    ("ledger, first page", "/findings/papers/", False),
    ("ledger, state=signed", "/findings/papers/?state=signed", False),
    ("problems, first page", "/findings/problems/", False),
    ("problems, kind=lead", "/findings/problems/?kind=lead", False),
    ("problems, page=50", "/findings/problems/?page=50", False),
    ("problems, q=集体资金", "/findings/problems/?q=集体资金", False),
    ("search 集体资金", "/findings/search/?q=集体资金", False),
    ("search 工程 招标", "/findings/search/?q=工程+招标", False),
    ("search 集體資金", "/findings/search/?q=集體資金", False),
    ("api papers", "/api/v1/papers", True),
    ("api papers state=signed", "/api/v1/papers?state=signed", True),
    ("api problems", "/api/v1/problems", True),
    ("api problems kind=lead", "/api/v1/problems?kind=lead", True),
    ("api problems offset=2450", "/api/v1/problems?offset=2450", True),
    ("api search 集体资金", "/api/v1/problems/search?q=集体资金", True),
    ("api search 工程 招标", "/api/v1/problems/search?q=工程+招标", True),
]
USERS = ("office_admin", "group_leader")


def peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pad(text: str, width: int) -> str:
    """Left-justify for the terminal, where CJK characters take two columns."""
    import unicodedata

    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def copy_fields(obj, skip: set[str]) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in skip}


def multiply(target_problems: int) -> tuple[int, int, int, float]:
    """Copy the demo's papers and problems until there are `target_problems` problems.
    Returns (papers inserted, problems inserted, link rows inserted, seconds)."""
    from django.db import transaction

    from xuncha.findings.models import Problem, WorkingPaper

    papers = list(WorkingPaper.objects.select_related("group__round__term").order_by("pk"))
    problems = list(Problem.objects.order_by("pk"))
    if not problems or target_problems <= len(problems):
        return 0, 0, 0, 0.0
    target_papers = round(target_problems * len(papers) / len(problems))
    authors = {}
    for paper_id, member_id in WorkingPaper.authors.through.objects.values_list("workingpaper_id", "groupmember_id"):
        authors.setdefault(paper_id, []).append(member_id)
    links = {}
    for problem_id, paper_id in Problem.papers.through.objects.values_list("problem_id", "workingpaper_id"):
        links.setdefault(problem_id, []).append(paper_id)
    paper_step, problem_step = {}, {}
    for p in papers:
        paper_step[p.group_id] = max(paper_step.get(p.group_id, 0), p.seq)
    for p in problems:
        problem_step[p.group_id] = max(problem_step.get(p.group_id, 0), p.seq)

    AuthorLink, PaperLink = WorkingPaper.authors.through, Problem.papers.through
    n_papers = n_problems = n_links = 0
    total_papers, total_problems = len(papers), len(problems)
    started = time.perf_counter()
    copy = 0
    while total_problems < target_problems:
        copy += 1
        batch_papers = papers[:max(0, min(len(papers), target_papers - total_papers))]
        batch_problems = problems[:min(len(problems), target_problems - total_problems)]
        with transaction.atomic():
            new_papers = []
            for p in batch_papers:
                seq = p.seq + copy * paper_step[p.group_id]
                number = WorkingPaper.number_for(p.group, seq)
                values = copy_fields(p, {"id", "seq", "number", "search_text", "created_at", "updated_at"})
                new_papers.append(WorkingPaper(**values, seq=seq, number=number,
                                               search_text=p.search_text.replace(p.number, number)))
            WorkingPaper.objects.bulk_create(new_papers, batch_size=BATCH)
            paper_map = {old.pk: new.pk for old, new in zip(batch_papers, new_papers, strict=True)}
            rows = [AuthorLink(workingpaper_id=paper_map[old], groupmember_id=m)
                    for old in paper_map for m in authors.get(old, ())]
            AuthorLink.objects.bulk_create(rows, batch_size=BATCH)
            n_links += len(rows)

            new_problems = []
            for p in batch_problems:
                values = copy_fields(p, {"id", "seq", "split_from_id", "created_at", "updated_at"})
                new_problems.append(Problem(**values, seq=p.seq + copy * problem_step[p.group_id]))
            Problem.objects.bulk_create(new_problems, batch_size=BATCH)
            rows = [PaperLink(problem_id=new.pk, workingpaper_id=paper_map[old_paper])
                    for old, new in zip(batch_problems, new_problems, strict=True)
                    for old_paper in links.get(old.pk, ()) if old_paper in paper_map]
            PaperLink.objects.bulk_create(rows, batch_size=BATCH)
            n_links += len(rows)
        n_papers += len(new_papers)
        n_problems += len(new_problems)
        total_papers += len(new_papers)
        total_problems += len(new_problems)
        sys.stderr.write(f"\r  copies: {copy}, problems {total_problems}/{target_problems}, papers {total_papers}   ")
        sys.stderr.flush()
    sys.stderr.write("\n")
    return n_papers, n_problems, n_links, time.perf_counter() - started


def measure(client, url: str, runs: int, api: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # Read now: the next request's request_started signal empties the connection's query log.
    queries = list(ctx.captured_queries)
    statuses = {response.status_code}
    size = len(response.content)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
    worst = max(queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
    slowest = float(worst["time"]) * 1000
    count = None
    if api and response.status_code == 200:
        body = response.json()
        count = body["count"] if "count" in body else body["papers"]["count"] + body["problems"]["count"]
    return {"ms": statistics.median(times), "queries": len(queries), "slowest": slowest,
            "kb": size / 1024, "status": "/".join(str(s) for s in sorted(statuses)), "count": count, "sql": worst["sql"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", type=int, default=30000, help="problems after copying (default 30000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page (default 5)")
    parser.add_argument("--sql", action="store_true", help="print the slowest SQL statement of each page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="xuncha-findings-bench-"))
    os.environ["XUNCHA_DATA_DIR"] = str(work / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuncha.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    database = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"database: {database} ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}), "
          f"data directory {work}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo", quiet=True, stdout=io.StringIO())
    from xuncha.access import services
    from xuncha.access.models import User
    from xuncha.findings.models import Problem, WorkingPaper

    print(f"demo county: {WorkingPaper.objects.count()} papers, {Problem.objects.count()} problems "
          f"in {time.perf_counter() - started:.1f} s; peak RSS {peak_mb():.0f} MB")

    n_papers, n_problems, n_links, seconds = multiply(args.problems)
    if n_papers or n_problems:
        rows = n_papers + n_problems + n_links
        print(f"copied {n_papers} papers, {n_problems} problems and {n_links} link rows in {seconds:.1f} s "
              f"= {rows / seconds:,.0f} rows/s ({(n_papers + n_problems) / seconds:,.0f} papers+problems/s); "
              f"peak RSS {peak_mb():.0f} MB")
    print(f"now {WorkingPaper.objects.count()} papers and {Problem.objects.count()} problems")

    header = f"{'user':<13} {'page':<26} {'ms':>8} {'SQL':>4} {'slowest':>8} {'KB':>6} {'rows':>6} {'status':>6}"
    print(f"\nmedian of {args.runs} runs after one warm-up (SQL counted in the warm-up):")
    print(header)
    print("-" * len(header))
    failures = []
    for username in USERS:
        user = User.objects.get(username=username)
        web = Client(SERVER_NAME="localhost")
        web.force_login(user)
        _, key = services.token_create(actor=user, user=user, name="bench")
        api = Client(SERVER_NAME="localhost", headers={"Authorization": f"Bearer {key}"})
        for label, url, is_api in PAGES:
            result = measure(api if is_api else web, url, args.runs, is_api)
            rows = "" if result["count"] is None else str(result["count"])
            print(f"{username:<13} {pad(label, 26)} {result['ms']:>8.1f} {result['queries']:>4} "
                  f"{result['slowest']:>8.1f} {result['kb']:>6.0f} {rows:>6} {result['status']:>6}")
            if args.sql:
                sql = result["sql"]
                print(f"    slowest SQL: …{sql[sql.find(' FROM '):][:500]}")
            if result["status"] != "200":
                failures.append(f"{username} {url}: {result['status']}")
    print(f"\npeak RSS {peak_mb():.0f} MB")
    if not args.keep:
        import shutil

        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        raise SystemExit("not 200: " + "; ".join(failures))


if __name__ == "__main__":
    main()
