"""`xuncha normalize` reads stdin and writes the normalized text to stdout, line by line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

XUNCHA = Path(sys.executable).with_name("xuncha")
TEXT = "机(jī)构(gòu)\n\n巡察組（試行）\n  第１条　党委（党组）\n"
EXPECTED = "机构\n\n巡察组(试行)\n第1条 党委(党组)\n"


def _run(text: str, *args: str) -> str:
    out = io.StringIO()
    from xuncha.workbench.management.commands.normalize import Command

    command = Command(stdout=out)
    command.stdin = io.StringIO(text)
    call_command(command, *args)
    return out.getvalue()


def test_it_normalizes_line_by_line_keeping_line_breaks():
    assert _run(TEXT) == EXPECTED


def test_it_keeps_a_last_line_without_a_break_as_it_is():
    assert _run("機(ji1)構(gou4)") == "机构"
    assert _run("") == ""


def test_key_writes_match_keys():
    assert _run("王 建國\nＷＡＮＧ Jian\n", "--key") == "王建国\nwangjian\n"


def test_it_runs_as_the_console_command(tmp_path):
    env = {**os.environ, "XUNCHA_DATA_DIR": str(tmp_path)}
    result = subprocess.run([str(XUNCHA), "normalize"], input=TEXT.encode(), capture_output=True,
                            env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == EXPECTED
