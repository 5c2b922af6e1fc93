"""Encryption at rest for informants' identities and complaint attachments.

The key never enters the database: it comes from XUNCHA_INTAKE_KEY (one or more Fernet keys,
newest first, comma-separated, so keys can be rotated) or from the key file
(XUNCHA_INTAKE_KEY_FILE, by default <data dir>/keys/intake.key), which is generated on first use
with mode 600. Back the key up apart from the database: without it the identities are lost.

`digest` is a keyed hash (HMAC-SHA256 with a key derived from the oldest key) for linking equal
values — a repeat complainant's contact — without storing or revealing them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "decrypt_text", "digest", "encrypt", "encrypt_text", "reset"]


def _key_file(path: Path) -> list[bytes]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".intake.", dir=path.parent)  # mode 600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first; use theirs
        finally:
            os.unlink(tmp)
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, ...]:
    configured = settings.XUNCHA_INTAKE_KEY
    keys = [k.strip().encode() for k in configured.split(",") if k.strip()] if configured \
        else _key_file(Path(settings.XUNCHA_INTAKE_KEY_FILE))
    if not keys:
        raise RuntimeError("no intake encryption key")
    return tuple(keys)


def reset() -> None:
    """Forget the cached keys (after the settings change, in tests)."""
    _keys.cache_clear()


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    """Raises InvalidToken when the token was not made with one of the keys."""
    return _fernet().decrypt(bytes(token))


def encrypt_text(text: str) -> bytes:
    """An empty text stays empty (nothing to hide, nothing stored)."""
    return encrypt(text.encode()) if text else b""


def decrypt_text(token: bytes) -> str:
    return decrypt(token).decode() if token else ""


def digest(value: str) -> str:
    """A keyed hash of `value`; equal values give equal digests, and without the key a digest
    cannot be checked against guesses (phone numbers are few enough to enumerate)."""
    subkey = hmac.new(_keys()[-1], b"xuncha-intake-digest", hashlib.sha256).digest()
    return hmac.new(subkey, value.encode(), hashlib.sha256).hexdigest()
