"""Several server processes write to one SQLite file at once without "database is locked":
WAL, a busy timeout and IMMEDIATE transactions (settings.DATABASES)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

WRITER = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
django.setup()
from xuncha.access import audit, policy
for i in range({n}):
    audit.record(actor=policy.CONSOLE, action="test.concurrent", summary="writer {w} event %d" % i)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file locking")
def test_four_processes_write_one_unbroken_audit_chain(tmp_path):
    env = {**os.environ, "XUNCHA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    xuncha = str(Path(sys.executable).parent / "xuncha")
    subprocess.run([xuncha, "migrate", "-v0"], env=env, check=True)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER.format(n=40, w=w)], env=env,
                         stderr=subprocess.PIPE, text=True)
        for w in range(4)
    ]
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    result = subprocess.run([xuncha, "audit", "verify"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "160 events" in result.stdout
    journal = subprocess.run(
        [sys.executable, "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])",
         str(tmp_path / "xuncha.sqlite3")], capture_output=True, text=True, check=True)
    assert journal.stdout.strip() == "wal"
