"""The UI is Chinese first: every msgid in the code has a zh_Hans translation, and the
committed .mo matches the .po."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "xuncha"
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools missing")


def _untranslated(po: Path) -> list[str]:
    out = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(po)],
                         capture_output=True, text=True, check=True).stdout
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", str(po)],
                           capture_output=True, text=True, check=True).stdout
    found = []
    for text in (out, fuzzy):
        found += [line[len("msgid "):] for line in text.splitlines()
                  if line.startswith("msgid ") and line != 'msgid ""']
    return found


def test_every_string_in_the_code_is_translated(tmp_path, monkeypatch, settings):
    """Extract the strings afresh from a copy of the code, merged with the committed catalogue."""
    copy = tmp_path / "xuncha"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], no_location=True, no_obsolete=True,
                 verbosity=0, ignore_patterns=["static/*"])
    missing = _untranslated(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert not missing, "untranslated or fuzzy msgids (run `make messages` and translate):\n" + "\n".join(missing)


def test_the_committed_mo_matches_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)
    with open(compiled, "rb") as fresh, open(MO, "rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog


def test_the_default_language_is_chinese(client):
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    response = client.get("/accounts/login/")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()
