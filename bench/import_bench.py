"""Benchmark of the registry's Excel import: 20,000 organizations and 20,000 people.

    .venv/bin/python bench/import_bench.py [--townships 200] [--villages 99] [--people 20000]

Runs against a fresh SQLite database in a temporary data directory (migrated first), with
the real importers, and prints rows per second, seconds and peak memory (max RSS) per step.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_orgs(path: Path, townships: int, villages: int) -> int:
    from openpyxl import Workbook

    from xuncha.registry.io import columns as c

    book = Workbook(write_only=True)
    sheet = book.create_sheet(c.ORG_SHEET)
    sheet.append([col.header for col in c.ORG_COLUMNS])
    rows = 0
    for t in range(townships):
        town = f"第{t + 1}镇"
        # Villages first, their township after them: parents may come later in the file.
        for v in range(villages):
            sheet.append([None, f"第{v + 1}村", "", "村/社区", town, "", "是", ""])
            rows += 1
        sheet.append([None, town, "", "乡镇/街道", "", "", "是", ""])
        rows += 1
    book.save(path)
    return rows


def write_people(path: Path, count: int, townships: int, villages: int) -> int:
    import random

    from openpyxl import Workbook

    from xuncha.registry.io import columns as c

    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志文红玉"
    rng = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(c.PEOPLE_SHEET)
    sheet.append([col.header for col in c.PEOPLE_COLUMNS])
    for n in range(count):
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        town, village = rng.randrange(townships) + 1, rng.randrange(villages) + 1
        birth = f"{1950 + n % 50}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        sheet.append([None, n + 1, name, "男" if n % 2 else "女", birth, f"第{town}镇/第{village}村",
                      "村委会委员", f"13{n % 10}{n:08d}"])
    book.save(path)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--villages", type=int, default=99)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="xuncha-import-bench-"))
    os.environ["XUNCHA_DATA_DIR"] = str(work / "data")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuncha.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from xuncha.access.policy import CONSOLE
    from xuncha.registry.io import OrganizationImporter, PersonImporter, export_people
    from xuncha.registry.models import Committee, Organization, Person

    committee = Committee.objects.create(name="基准县委", level=Committee.Level.COUNTY)
    orgs_path, people_path = work / "orgs.xlsx", work / "people.xlsx"
    started = time.perf_counter()
    n_orgs = write_orgs(orgs_path, args.townships, args.villages)
    n_people = write_people(people_path, args.people, args.townships, args.villages)
    print(f"generated {n_orgs} organization rows and {n_people} people rows in "
          f"{time.perf_counter() - started:.1f} s ({orgs_path.stat().st_size // 1024} KB, "
          f"{people_path.stat().st_size // 1024} KB) under {work}")

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\r  rows checked: {done}/{total}   ")
        sys.stderr.flush()

    def step(label: str, importer_class, path: Path, rows: int, **kwargs) -> None:
        started = time.perf_counter()
        result = importer_class(actor=CONSOLE, committee=committee, progress=progress,
                                file_name=path.name, **kwargs).run(path)
        seconds = time.perf_counter() - started
        sys.stderr.write("\n")
        if result.errors:
            for error in result.errors[:10]:
                print("  ", error)
            raise SystemExit(f"{label}: {len(result.errors)} errors")
        print(f"{label}: {rows} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s; "
              f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}; "
              f"peak RSS {peak_mb():.0f} MB")

    step("organizations import", OrganizationImporter, orgs_path, n_orgs)
    step("people import       ", PersonImporter, people_path, n_people)
    started = time.perf_counter()
    export_path = work / "people-export.xlsx"
    export_people(actor=CONSOLE, committee=committee, target=str(export_path))
    seconds = time.perf_counter() - started
    print(f"people export       : {n_people} rows in {seconds:.1f} s; peak RSS {peak_mb():.0f} MB")
    step("people re-import (export, no changes, dry run)", PersonImporter, export_path, n_people,
         dry_run=True)
    assert Organization.objects.filter(committee=committee).count() == n_orgs
    assert Person.objects.filter(committee=committee).count() == n_people
    if not args.keep:
        import shutil

        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
