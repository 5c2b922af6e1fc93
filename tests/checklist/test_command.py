"""`xuncha checklist install-defaults | export | import` at the console."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.checklist.conftest import SMALL_YAML
from xuncha.checklist import services
from xuncha.checklist.models import Library, Version


def test_it_installs_exports_and_imports(world, shipped, tmp_path, capsys):
    call_command("checklist", "install-defaults", "--committee", "示例县委")
    assert "village: installed" in capsys.readouterr().out
    library = Library.objects.get(committee=world.county)
    v1 = library.versions.get()
    call_command("checklist", "install-defaults", "--committee", str(world.county.pk))
    assert "skipped" in capsys.readouterr().out
    out = tmp_path / "v1.xlsx"
    call_command("checklist", "export", "--version", str(v1.pk), "--format", "xlsx", "-o", str(out))
    call_command("checklist", "import", "--library", str(library.pk), str(out))
    assert "imported 10 items into draft version 2" in capsys.readouterr().out
    draft = library.versions.get(state=Version.State.DRAFT)
    assert {r.status for r in services.compare(v1, draft)} == {services.UNCHANGED}
    yml = tmp_path / "v1.yaml"
    call_command("checklist", "export", "--version", str(v1.pk), "--format", "yaml", "-o", str(yml))
    assert yml.read_text(encoding="utf-8").startswith("kind: village")


def test_it_says_what_is_wrong(world, shipped, tmp_path):
    with pytest.raises(CommandError, match="no committee"):
        call_command("checklist", "install-defaults", "--committee", "不存在")
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("checklist", "install-defaults", "--committee", "示例县委", "--kind", "township")
    call_command("checklist", "install-defaults", "--committee", "示例县委", "--kind", "village")
    library = Library.objects.get(committee=world.county)
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL_YAML.replace("title: 个别谈话", "titel: 个别谈话"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"items\[1\]\.children\[0\]\.children\[0\]\.children\[1\]"):
        call_command("checklist", "import", "--library", str(library.pk), str(bad))
    assert not library.versions.filter(state=Version.State.DRAFT).exists()
    with pytest.raises(CommandError, match="no checklist version"):
        call_command("checklist", "export", "--version", "999999", "-o", str(tmp_path / "x.yaml"))
