"""Compare two versions of a report section by section, marking what was inserted (<ins>) and
deleted (<del>) character by character. Text is escaped before marking, so the result is safe
to show as HTML.

Lines are matched first and characters are compared only inside lines that changed, which keeps
long reports fast (a character-level match over a whole report grows quadratically).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    old_title: str
    html: SafeString  # the body with <ins>/<del> marks, escaped
    changed: bool
    status: str  # "same", "changed", "added", "removed"


def _ins(text: str) -> str:
    return f"<ins>{escape(text)}</ins>" if text else ""


def _del(text: str) -> str:
    return f"<del>{escape(text)}</del>" if text else ""


def chars(old: str, new: str) -> str:
    """Character-level marks of `new` against `old` (escaped HTML)."""
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(old[i1:i2]))
        elif op == "delete":
            out.append(_del(old[i1:i2]))
        elif op == "insert":
            out.append(_ins(new[j1:j2]))
        else:
            out.append(_del(old[i1:i2]) + _ins(new[j1:j2]))
    return "".join(out)


def text(old: str, new: str) -> SafeString:
    """Marks of `new` against `old`: lines matched first, then characters within changed lines."""
    old_lines, new_lines = (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        a, b = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            out.append(escape(a))
        elif op == "delete":
            out.append(_del(a))
        elif op == "insert":
            out.append(_ins(b))
        else:
            out.append(chars(a, b))
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped above


def sections(old: list[dict], new: list[dict]) -> list[SectionDiff]:
    """Each section of `new` in its order, matched by key with `old`; then sections only in `old`."""
    before = {s.get("key"): s for s in old or []}
    result: list[SectionDiff] = []
    for section in new or []:
        key = section.get("key")
        previous = before.pop(key, None)
        title, body = section.get("title", ""), section.get("body", "")
        if previous is None:
            result.append(SectionDiff(key, title, "", text("", body), True, "added"))
            continue
        old_title, old_body = previous.get("title", ""), previous.get("body", "")
        changed = old_title != title or old_body != body
        result.append(SectionDiff(key, title, old_title if old_title != title else "", text(old_body, body),
                                  changed, "changed" if changed else "same"))
    for key, previous in before.items():
        result.append(SectionDiff(key, previous.get("title", ""), "", text(previous.get("body", ""), ""),
                                  True, "removed"))
    return result
