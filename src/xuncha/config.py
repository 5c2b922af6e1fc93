"""Typed readers of the environment. A bad value stops start-up with a message naming it."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


class ConfigError(Exception):
    pass


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} must be at most {maximum}")
    return value


def env_url(name: str, default: str) -> str:
    """An http(s) address without the trailing slash, e.g. the address users open xuncha at."""
    value = env_str(name, default).rstrip("/")
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest or any(c.isspace() for c in value):
        raise ConfigError(f"{name}={value!r} is not an http:// or https:// address")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ConfigError(f"{name}={raw!r} holds no value; give a comma-separated list")
    return items


def env_database_url(name: str) -> str | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    value = raw.strip()
    if not value.startswith(("postgres://", "postgresql://")):
        raise ConfigError(f"{name} must be a postgres:// URL (SQLite is the default when it is unset)")
    return value


def data_dir(name: str, default: Path) -> Path:
    path = Path(env_str(name, str(default))).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{name}={path} cannot be created: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise ConfigError(f"{name}={path} is not writable")
    return path


def secret_key(data: Path) -> str:
    """The key is generated once and kept in the data directory, so sessions survive restarts.

    It is written to a private temporary file and linked into place, so workers starting
    together on a fresh installation agree on one key and never read a half-written file."""
    key_file = data / "secret_key"
    if not key_file.exists():
        key = secrets.token_urlsafe(64)
        fd, tmp = tempfile.mkstemp(prefix=".secret_key.", dir=data)  # mode 600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key)
            os.link(tmp, key_file)
        except FileExistsError:
            pass  # another process won the race; read its key below
        finally:
            os.unlink(tmp)
    key = key_file.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise ConfigError(f"{key_file} holds a key shorter than 50 characters")
    return key
