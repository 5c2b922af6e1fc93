"""Sandboxed rendering of Word templates (docxtpl over Jinja2).

A template — above all one the office uploads — runs in an ImmutableSandboxedEnvironment with
autoescape on, no loader (no {% include %}, {% import %} or {% extends %}: refused when parsed),
no globals but a bounded `range`, a few formatting filters, and limits on time and output size.
It sees only plain data (dicts, lists, strings, numbers): never a model instance. Every refusal
is a TemplateRefused with a message for the user.
"""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100
MAX_OUTPUT_CHARS = 40 * 1024 * 1024
MAX_SECONDS = 5.0
MAX_RANGE = 10_000
MAX_SEQUENCE = 100_000

PLAIN = (str, int, float, Decimal, bool, type(None))


class TemplateRefused(Exception):
    """A template (or its rendering) the sandbox refuses; str() is the user's message."""


def plain(value: Any, *, _depth: int = 0) -> Any:
    """The value as plain data, or TemplateRefused: dicts with string keys, lists, tuples and
    scalars only. Dates must be given already formatted (2024年6月20日)."""
    if _depth > 12:
        raise TemplateRefused(_("The data given to the template is nested too deeply."))
    if isinstance(value, PLAIN):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v, _depth=_depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, _depth=_depth + 1) for v in value]
    raise TypeError(f"not plain data for a template: {type(value).__name__}")


def _amount(value) -> str:
    if value in (None, ""):
        return ""
    return f"{Decimal(value):,.2f}"


def _ten_thousand(value) -> str:
    if value in (None, ""):
        return ""
    return f"{(Decimal(value) / 10000).quantize(Decimal('0.01'))}万元"


FILTERS = {"amount": _amount, "wan": _ten_thousand}
SAFE_BUILTIN_FILTERS = {
    "default", "d", "e", "escape", "first", "last", "length", "count", "join", "lower", "upper", "trim",
    "replace", "round", "int", "float", "string", "truncate", "wordcount", "list", "sort", "reverse",
    "batch", "slice", "sum", "min", "max", "unique", "abs", "center", "indent", "title", "capitalize",
    "selectattr", "rejectattr", "select", "reject", "map", "groupby", "striptags", "safe",
}


class _Deadline:
    def __init__(self, seconds: float):
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise TemplateRefused(_("The template took too long to render (more than %(seconds)s seconds).")
                                  % {"seconds": int(MAX_SECONDS)})


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, *, seconds: float = MAX_SECONDS):
        super().__init__(autoescape=True, loader=None, cache_size=0, extensions=(), undefined=StrictUndefined)
        self.deadline = _Deadline(seconds)
        self.globals.clear()
        self.globals["range"] = self._range
        self.filters = {name: f for name, f in self.filters.items() if name in SAFE_BUILTIN_FILTERS}
        self.filters.update(FILTERS)
        self.tests = dict(self.tests)

    # --- limits -------------------------------------------------------------------------
    def _range(self, *args):
        bounds = range(*args)
        if len(bounds) > MAX_RANGE:
            raise TemplateRefused(_("The template asks for a range of more than %(n)d numbers.") % {"n": MAX_RANGE})
        for i in bounds:
            self.deadline.check()
            yield i

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        __self.deadline.check()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj, attribute):
        self.deadline.check()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self.deadline.check()
        return super().getitem(obj, argument)

    def call_binop(self, context, operator, left, right):
        self.deadline.check()
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("exponent too large")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str | list | tuple) and len(result) > MAX_SEQUENCE:
            raise TemplateRefused(_("The template builds a value that is too large."))
        return result

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        refuse_loading(tree)
        return tree


def refuse_loading(tree: nodes.Template) -> None:
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        tag = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import",
               nodes.Extends: "extends"}[type(node)]
        raise TemplateRefused(_("The template uses {%% %(tag)s %%}, which is not allowed: a template can "
                                "only show the data it is given.") % {"tag": tag})


def check_package(data: bytes) -> None:
    """Refuse what is not a plain, reasonably sized .docx: by content, not by name."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateRefused(_("The template is larger than %(mb)d MB.") % {"mb": MAX_TEMPLATE_BYTES // 1024 // 1024})
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateRefused(_("The file is not a Word document (.docx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateRefused(_("The file is not a Word document (.docx).")) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise TemplateRefused(_("The file is not a Word document (.docx)."))
    if any(n.lower().endswith("vbaproject.bin") or "vbadata" in n.lower() for n in names):
        raise TemplateRefused(_("The template contains macros; save it as a plain .docx without macros."))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1):
        raise TemplateRefused(_("The template unpacks to far more than its size; it is refused."))
    if any(info.filename.startswith("/") or ".." in info.filename.split("/") for info in infos):
        raise TemplateRefused(_("The file is not a Word document (.docx)."))


def variables(source: bytes | str) -> set[str]:
    """The names a template reads from its data."""
    template = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else source)
    try:
        return set(template.get_undeclared_template_variables(SandboxEnvironment()))
    except TemplateRefused:
        raise
    except TemplateError as exc:
        raise TemplateRefused(_("The template has a placeholder error: %(error)s") % {"error": exc.message}) from exc
    except Exception as exc:  # a broken document part
        raise TemplateRefused(_("The template cannot be read: %(error)s") % {"error": exc}) from exc


def render(source: bytes | str, context: dict, *, seconds: float = MAX_SECONDS) -> bytes:
    """Render a .docx template (bytes or a path) with plain data in the sandbox; .docx bytes."""
    data = plain(context)
    template = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else source)
    env = SandboxEnvironment(seconds=seconds)
    try:
        template.render(data, jinja_env=env, autoescape=True)
    except TemplateRefused:
        raise
    except SecurityError as exc:
        raise TemplateRefused(_("The template tries to reach something it may not: %(error)s")
                              % {"error": exc}) from exc
    except TemplateError as exc:
        raise TemplateRefused(_("The template has a placeholder error: %(error)s") % {"error": exc}) from exc
    except (MemoryError, RecursionError, OverflowError) as exc:
        raise TemplateRefused(_("The template could not be rendered within the limits.")) from exc
    env.deadline.check()
    out = io.BytesIO()
    template.save(out)
    result = out.getvalue()
    if len(result) > MAX_OUTPUT_CHARS:
        raise TemplateRefused(_("The rendered document is too large."))
    return result
