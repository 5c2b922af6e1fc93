"""Citations of articles: 条例(2024)第三十二条, 条例（2024）第三十二条第二款,
《条例》(2024)第三十二条第二款第（一）项, 《条例》第三十二条 (the version in force, i.e. the
newest).

`find_citations(text, titles)` finds them in free text (pure, no database): a citation is an
article address 第X条 [第X款] [第（X）项] preceded by a version in brackets and/or a title,
where the title is in 《》 or is one of `titles` (the short and full titles of the user's
regulations) written right before. `resolve` finds the cited provision among the regulations
the user may read, preferring the user's own committee when several committees use the same
short title. `linked(text, user)` is the text escaped with each resolvable citation a link to
its article and the cited text as the link's hover title; the rest stays plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from xuncha.access import policy
from xuncha.access.policy import VIEW, scope
from xuncha.regulations.models import Provision, Regulation, RegulationVersion
from xuncha.regulations.parse import article_label, item_label
from xuncha.text.numerals import from_chinese, to_chinese

_NUM = r"[零〇一二两三四五六七八九十百千0-9０-９]+"
_S = r"[ \u3000]*"
_CORE = re.compile(
    rf"(?:[(（]{_S}(?P<label>[^()（）《》\s]{{1,20}}?){_S}[)）]{_S})?"
    rf"第{_S}(?P<article>{_NUM}){_S}条(?:{_S}之{_S}(?P<sub>[一二三四五六七八九]))?"
    rf"(?:{_S}第{_S}(?P<para>{_NUM}){_S}款)?"
    rf"(?:{_S}第{_S}[(（]{_S}(?P<item>{_NUM}){_S}[)）]{_S}项)?")
_BOOK = re.compile(rf"《(?P<title>[^《》\n]{{1,80}})》{_S}$")
MAX_CITATIONS = 50
HOVER_CHARS = 400


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    title: str
    version: str  # "" = the newest version
    article: int
    sub: int = 0
    paragraph: int = 0
    item: int = 0

    @property
    def address(self) -> str:
        """Within the version: 第三十二条第二款第（一）项."""
        out = article_label(self.article, self.sub)
        if self.paragraph:
            out += f"第{to_chinese(self.paragraph)}款"
        if self.item:
            out += f"第{item_label(self.item)}项"
        return out

    def __str__(self) -> str:
        return f"{self.title}({self.version}){self.address}" if self.version else f"《{self.title}》{self.address}"


def find_citations(text: str, titles=()) -> list[Citation]:
    """The citations in `text`, in order (see the module's docstring)."""
    text = text or ""
    known = sorted({t for t in titles if t}, key=len, reverse=True)
    found: list[Citation] = []
    for match in _CORE.finditer(text):
        before = text[:match.start()]
        book = _BOOK.search(before[-90:])
        start = match.start()
        if book:
            title = book["title"].strip()
            start -= len(book.group(0))
        else:
            stripped = before.rstrip(" \u3000")
            title = next((t for t in known if stripped.endswith(t)), "")
            if not title:
                continue
            start = len(stripped) - len(title)
        if not title or (not match["label"] and not book):
            continue  # 条例第三条 without a version or 《》 is too often something else (本条例第三条)
        try:
            citation = Citation(start=start, end=match.end(), title=title, version=(match["label"] or "").strip(),
                                article=from_chinese(match["article"]),
                                sub=from_chinese(match["sub"]) if match["sub"] else 0,
                                paragraph=from_chinese(match["para"]) if match["para"] else 0,
                                item=from_chinese(match["item"]) if match["item"] else 0)
        except ValueError:
            continue
        found.append(citation)
        if len(found) >= MAX_CITATIONS:
            break
    return found


def parse_citation(text: str, titles=()) -> Citation | None:
    """One citation written alone (an API's or a form's input); None if it is not one."""
    text = (text or "").strip()
    found = find_citations(text, titles) or find_citations(text, (_title_guess(text),))
    return found[0] if found and found[0].start == 0 and found[0].end == len(text) else None


def _title_guess(text: str) -> str:
    """The leading words of a citation written alone: 条例 in 条例(2024)第三条."""
    match = re.match(r"^([^()（）《》\s]+?)[ \u3000]*[(（]", text)
    return match.group(1) if match else ""


# -- resolution -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Resolved:
    citation: Citation
    regulation: Regulation
    version: RegulationVersion
    article: Provision
    provision: Provision  # the article, or the 款/项 the citation names

    @property
    def url(self) -> str:
        from xuncha.regulations.selectors.library import article_ref

        url = reverse("regulations:article", args=[self.version.pk, article_ref(self.article)])
        return url + (f"#p{self.provision.position}" if self.provision is not self.article else "")

    @property
    def hover(self) -> str:
        text = self.provision.text
        if len(text) > HOVER_CHARS:
            text = text[:HOVER_CHARS] + "…"
        return f"{self.regulation.short_title}({self.version.label}){self.provision.address}\n{text}"


def _own_committees(user) -> set[int]:
    ids = set()
    for a in policy.assignments(user):
        if a.committee_id:
            ids.add(a.committee_id)
        elif a.organization_id:
            ids.add(a.organization.committee_id)
        elif a.group_id:
            ids.add(a.group.round.term.committee_id)
    return ids


def _regulations(user, titles: set[str], committee=None) -> list[Regulation]:
    if not titles:
        return []
    qs = scope(user, Regulation, VIEW).filter(Q(short_title__in=titles) | Q(title__in=titles))
    if committee is not None:
        qs = qs.filter(committee=committee)
    return list(qs)


def _pick(regulations: list[Regulation], title: str, own: set[int]) -> Regulation | None:
    matching = [r for r in regulations if title in (r.short_title, r.title)]
    if len(matching) > 1:
        matching = [r for r in matching if r.committee_id in own]
    return matching[0] if len(matching) == 1 else None


def _provision(regulation: Regulation, citation: Citation) -> tuple[RegulationVersion, Provision, Provision] | None:
    versions = regulation.versions.all()
    version = (versions.filter(label=citation.version).first() if citation.version
               else versions.order_by("-effective_on", "-issued_on", "-id").first())
    if version is None:
        return None
    article_address = article_label(citation.article, citation.sub)
    wanted = {citation.address, article_address}
    if citation.paragraph == 1:  # the implicit single 款 of a one-paragraph article
        wanted.add(article_address + (f"第{item_label(citation.item)}项" if citation.item else ""))
    found = {p.address: p for p in Provision.objects.filter(version=version, address__in=wanted).order_by("-position")}
    article = found.get(article_address)
    if article is None or article.level != Provision.Level.ARTICLE:
        return None
    provision = found.get(citation.address)
    if provision is None and citation.paragraph == 1:
        provision = found.get(article_address + (f"第{item_label(citation.item)}项" if citation.item else ""))
    if provision is None:
        return None
    return version, article, provision


def resolve_all(user, citations: list[Citation], *, committee=None) -> list[Resolved | None]:
    """Each citation's provision among the regulations `user` may read, or None."""
    regulations = _regulations(user, {c.title for c in citations}, committee)
    own = _own_committees(user) if len(regulations) > 1 else set()
    out: list[Resolved | None] = []
    for citation in citations:
        regulation = _pick(regulations, citation.title, own)
        found = _provision(regulation, citation) if regulation else None
        out.append(Resolved(citation, regulation, *found) if found and regulation else None)
    return out


def resolve(user, text: str, *, committee=None) -> Resolved | None:
    """One citation written alone (e.g. 条例(2024)第三十二条第二款), resolved for `user`."""
    citation = parse_citation(text, titles=known_titles(user, committee=committee))
    return resolve_all(user, [citation], committee=committee)[0] if citation else None


def known_titles(user, *, committee=None) -> set[str]:
    """The titles and short titles the user may cite; kept on the user object for the request
    (a page citing in many paragraphs reads them once)."""
    cache = user.__dict__.setdefault("_xuncha_citation_titles", {})
    key = getattr(committee, "pk", None)
    if key not in cache:
        cache[key] = _titles(user, committee)
    return cache[key]


def _titles(user, committee) -> set[str]:
    qs = scope(user, Regulation, VIEW)
    if committee is not None:
        qs = qs.filter(committee=committee)
    titles: set[str] = set()
    for short, title in qs.values_list("short_title", "title"):
        titles.update((short, title))
    return titles


def linked(text: str, user, *, committee=None) -> SafeString:
    """`text` escaped, each resolvable citation a link to its article with the cited text as
    its hover title (see the module's docstring)."""
    text = text or ""
    if not text or user is None or not getattr(user, "is_authenticated", False):
        return escape(text)
    titles = known_titles(user, committee=committee)
    citations = find_citations(text, titles)
    if not citations:
        return escape(text)
    out: list[str] = []
    at = 0
    for citation, resolved in zip(citations, resolve_all(user, citations, committee=committee), strict=True):
        out.append(escape(text[at:citation.start]))
        piece = text[citation.start:citation.end]
        if resolved is None:
            out.append(escape(piece))
        else:
            out.append(format_html('<a href="{}" class="citation" title="{}" data-bs-toggle="tooltip">{}</a>',
                                   resolved.url, resolved.hover, piece))
        at = citation.end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped above
