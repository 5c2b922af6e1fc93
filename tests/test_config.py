"""Settings read the environment through typed helpers that fail loudly, naming the variable."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from xuncha.config import (
    ConfigError,
    data_dir,
    env_bool,
    env_database_url,
    env_int,
    env_list,
    env_str,
    secret_key,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", True), ("true", True), ("YES", True), (" on ", True),
    ("0", False), ("false", False), ("No", False), ("off", False),
])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("XC_FLAG", raw)
    assert env_bool("XC_FLAG", not expected) is expected


def test_env_helpers_use_the_default_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv("XC_UNSET", raising=False)
    monkeypatch.setenv("XC_BLANK", "  ")
    for name in ("XC_UNSET", "XC_BLANK"):
        assert env_bool(name, True) is True
        assert env_int(name, 7) == 7
        assert env_list(name, ["a"]) == ["a"]
        assert env_str(name, "x") == "x"
        assert env_database_url(name) is None


@pytest.mark.parametrize(("helper", "raw"), [
    (lambda: env_bool("XC_VALUE", False), "maybe"),
    (lambda: env_int("XC_VALUE", 1), "twenty"),
    (lambda: env_int("XC_VALUE", 1), "2.5"),
    (lambda: env_int("XC_VALUE", 1, minimum=1), "0"),
    (lambda: env_list("XC_VALUE", ["a"]), " , ,"),
    (lambda: env_database_url("XC_VALUE"), "mysql://x@y/z"),
    (lambda: env_database_url("XC_VALUE"), "sqlite:///x.db"),
])
def test_bad_values_raise_config_error_naming_the_variable(monkeypatch, helper, raw):
    monkeypatch.setenv("XC_VALUE", raw)
    with pytest.raises(ConfigError, match="XC_VALUE"):
        helper()


def test_env_int_and_list_parse_good_values(monkeypatch):
    monkeypatch.setenv("XC_INT", " 42 ")
    monkeypatch.setenv("XC_LIST", "a.example, b.example ,")
    monkeypatch.setenv("XC_DB", "postgres://u@h/db")
    assert env_int("XC_INT", 1, minimum=1) == 42
    assert env_list("XC_LIST", []) == ["a.example", "b.example"]
    assert env_database_url("XC_DB") == "postgres://u@h/db"


def test_data_dir_is_created(monkeypatch, tmp_path):
    target = tmp_path / "nested" / "data"
    monkeypatch.setenv("XC_DATA", str(target))
    assert data_dir("XC_DATA", tmp_path / "unused") == target.resolve()
    assert target.is_dir()


def test_data_dir_that_cannot_be_created_names_the_variable(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XC_DATA", str(blocker / "sub"))
    with pytest.raises(ConfigError, match="XC_DATA"):
        data_dir("XC_DATA", tmp_path)


def test_secret_key_is_generated_once_with_mode_600(tmp_path):
    key = secret_key(tmp_path)
    key_file = tmp_path / "secret_key"
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text(encoding="ascii") == key
    assert secret_key(tmp_path) == key
    assert secret_key(tmp_path) == key


def test_a_short_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("too-short\n", encoding="ascii")
    with pytest.raises(ConfigError, match="shorter than 50"):
        secret_key(tmp_path)


def _import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("XUNCHA_", "DATABASE_URL"))}
    environment.update({"XUNCHA_DATA_DIR": str(tmp_path / "data")}, **env)
    return subprocess.run(
        [sys.executable, "-c", "import xuncha.settings"],
        env=environment, capture_output=True, text=True, timeout=60,
    )


def test_importing_settings_with_a_bad_value_exits_2_naming_it(tmp_path):
    result = _import_settings(tmp_path, XUNCHA_DEBUG="maybe")
    assert result.returncode == 2
    assert "XUNCHA_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_importing_settings_with_good_values_succeeds(tmp_path):
    result = _import_settings(tmp_path, XUNCHA_DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "secret_key").exists()


def test_processes_starting_together_agree_on_one_key(tmp_path):
    code = "import sys; from pathlib import Path; from xuncha.config import secret_key; print(secret_key(Path(sys.argv[1])))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    assert len({out.strip() for out, _ in results}) == 1
    assert sorted(f.name for f in tmp_path.iterdir()) == ["secret_key"]
