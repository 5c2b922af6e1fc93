"""The demo accounts file ($XUNCHA_DATA_DIR/demo-accounts.json) and its table for the console.

The file keeps the demo passwords so that a second `make run` can show them again; it is
readable by the owner only, like the secret key beside it.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

FILENAME = "demo-accounts.json"
FIELDS = ("username", "password", "role", "scope")
URL = "http://127.0.0.1:8000"


def path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


def write(data_dir: Path, rows: list[dict[str, str]]) -> Path:
    """Replace the file in one step, so that a reader never sees half of it."""
    target = path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump([{k: row[k] for k in FIELDS} for row in rows], handle,
                  ensure_ascii=False, indent=2)
        handle.write("\n")
    os.replace(temporary, target)
    return target


def read(data_dir: Path) -> list[dict[str, str]] | None:
    """The accounts, or None when there is no readable file."""
    try:
        rows = json.loads(path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return None
    return [{k: str(r.get(k, "")) for k in FIELDS} for r in rows]


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[dict[str, str]]) -> str:
    """The accounts as an aligned plain-text table."""
    widths = {k: max([_width(k), *(_width(r[k]) for r in rows)]) for k in FIELDS}
    lines = ["  ".join(_pad(k, widths[k]) for k in FIELDS).rstrip(),
             "  ".join("-" * widths[k] for k in FIELDS)]
    for row in rows:
        lines.append("  ".join(_pad(row[k] or "—", widths[k]) for k in FIELDS).rstrip())
    return "\n".join(lines)
