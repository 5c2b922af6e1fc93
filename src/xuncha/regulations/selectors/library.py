"""Reads of the rules library, always through the access policy: regulations, versions, a
version's table of contents and articles, one article by number or address, and search.

Missing and out-of-scope records both raise Http404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404

from xuncha.access.policy import VIEW, scope
from xuncha.regulations.models import Provision, Regulation, RegulationVersion
from xuncha.regulations.parse import article_label
from xuncha.text.numerals import from_chinese
from xuncha.text.search import query_terms

L = Provision.Level
_REF = re.compile(r"^(?P<number>\d{1,5})(?:-(?P<sub>\d))?$")
_ADDRESS = re.compile(r"^第(?P<number>[零〇一二两三四五六七八九十百千0-9]+)条(?:之(?P<sub>[一二三四五六七八九]))?")


def regulations_for(user, action: str = VIEW) -> QuerySet[Regulation]:
    return (scope(user, Regulation, action).select_related("committee")
            .annotate(version_count=Count("versions")).order_by("committee_id", "title", "pk"))


def get_regulation_for_user(user, pk, action: str = VIEW) -> Regulation:
    try:
        return scope(user, Regulation, action).select_related("committee").get(pk=pk)
    except (Regulation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def versions_of(regulation: Regulation) -> QuerySet[RegulationVersion]:
    """Newest in force first (the model's ordering), with their article counts."""
    from django.db.models import Q

    return (regulation.versions.select_related("created_by")
            .annotate(article_count=Count("provisions", filter=Q(provisions__level=L.ARTICLE))))


def get_version_for_user(user, pk, action: str = VIEW) -> RegulationVersion:
    try:
        return (scope(user, RegulationVersion, action).select_related("regulation__committee", "created_by")
                .get(pk=pk))
    except (RegulationVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def latest_version(regulation: Regulation) -> RegulationVersion | None:
    return regulation.versions.order_by("-effective_on", "-issued_on", "-id").first()


def provisions_of(version: RegulationVersion) -> list[Provision]:
    """Every provision of the version in document order (one query)."""
    return list(Provision.objects.filter(version=version).order_by("position"))


def article_ref(article: Provision) -> str:
    """The article's part of its URL: 32 for 第三十二条, 20-1 for 第二十条之一."""
    sub = article.label.rsplit("之", 1)[1] if "之" in article.label else ""
    return f"{article.number}-{from_chinese(sub)}" if sub else str(article.number)


def address_of_ref(ref: str) -> str | None:
    """第三十二条 for "32", 第二十条之一 for "20-1", the address itself when one is given."""
    ref = (ref or "").strip()
    match = _REF.match(ref)
    if match:
        return article_label(int(match["number"]), int(match["sub"] or 0))
    match = _ADDRESS.match(ref)
    if match:
        try:
            number = from_chinese(match["number"])
            sub = from_chinese(match["sub"]) if match["sub"] else 0
        except ValueError:
            return None
        return article_label(number, sub) + ref[match.end():]
    return None


@dataclass
class ArticleView:
    article: Provision
    units: list[Provision]  # its 款 and 项 in order
    unit: Provision | None = None  # the 款 or 项 the address named, if any
    previous: Provision | None = None
    next: Provision | None = None
    path: list[Provision] = field(default_factory=list)  # 编/章/节 above it


def get_article(version: RegulationVersion, ref: str) -> ArticleView:
    """The article named by `ref` (a number, 20-1, or an address such as 第三条第二款), with its
    款/项 and its neighbours. The version is already checked for the user."""
    address = address_of_ref(ref)
    if address is None:
        raise Http404
    label = _ADDRESS.match(address)
    article_address = address[:label.end()] if label else address
    article = (Provision.objects.filter(version=version, level=L.ARTICLE, address=article_address)
               .select_related("parent__parent__parent").order_by("position").first())
    if article is None:
        raise Http404
    units = list(Provision.objects.filter(version=version, level__gt=L.ARTICLE, address__startswith=article_address)
                 .exclude(address__startswith=article_address + "之").order_by("position"))
    for u in units:  # a 款's text holds its items; the page shows the items on their own lines
        u.own_text = u.text.split("\n", 1)[0] if u.level == L.PARAGRAPH else u.text
    unit = None
    if address != article_address:
        unit = next((u for u in units if u.address == address), None)
        if unit is None and address.startswith(article_address + "第一款"):  # the implicit single 款
            rest = address[len(article_address + "第一款"):]
            unit = next((u for u in units if u.address == article_address + rest), None) if rest else article
        if unit is None:
            raise Http404
    around = Provision.objects.filter(version=version, level=L.ARTICLE)
    previous = around.filter(position__lt=article.position).order_by("-position").first()
    following = around.filter(position__gt=article.position).order_by("position").first()
    path = []
    node = article.parent
    while node is not None:
        path.insert(0, node)
        node = node.parent
    return ArticleView(article=article, units=units, unit=unit if unit is not article else None,
                       previous=previous, next=following, path=path)


# -- the table of contents -------------------------------------------------------------------

@dataclass
class TocEntry:
    provision: Provision
    children: list[TocEntry] = field(default_factory=list)


def table_of_contents(provisions: list[Provision]) -> list[TocEntry]:
    """编/章/节 nested as in the text (from provisions_of, no query)."""
    entries: dict[int, TocEntry] = {}
    roots: list[TocEntry] = []
    for p in provisions:
        if p.level >= L.ARTICLE:
            continue
        entry = entries[p.pk] = TocEntry(p)
        parent = entries.get(p.parent_id) if p.parent_id else None
        (parent.children if parent else roots).append(entry)
    return roots


# -- search ------------------------------------------------------------------------------------

def search_articles(user, q: str, *, regulation: int | None = None) -> QuerySet[Provision]:
    """Articles of every document the user may read whose text holds every word of the query
    (none when the query has no words)."""
    terms = query_terms(q or "")
    if not terms:
        return Provision.objects.none()
    qs = scope(user, Provision, VIEW).filter(level=L.ARTICLE)
    if regulation:
        qs = qs.filter(version__regulation_id=regulation)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs.select_related("version__regulation").order_by("version__regulation__title",
                                                             "version__regulation_id", "-version__effective_on",
                                                             "version_id", "position")
