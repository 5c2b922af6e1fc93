"""`xuncha stats --committee <id|name> [--term <number|id>] [--round <id>] [--json]`: the term
statistics and the summary paragraph at the console, the same figures as the statistics page.

The console has no scope of its own (policy.CONSOLE): it reads through
statistics_sources.CONSOLE_READER, every row of the committee and its subtree. A term is looked
up by its number among the committee's terms, else by its id; a round by its id within the
committee's subtree.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from xuncha.analytics import statistics
from xuncha.analytics.filters import Filters
from xuncha.analytics.statistics_sources import CONSOLE_READER
from xuncha.analytics.summary import summary
from xuncha.registry.models import Committee
from xuncha.rounds.models import Round, Term


def _committee(value: str) -> Committee:
    committee = Committee.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if committee is None:
        matches = list(Committee.objects.filter(name=value)[:2])
        if len(matches) > 1:
            raise CommandError(f"more than one committee is named {value!r}; give its id")
        committee = matches[0] if matches else None
    if committee is None:
        raise CommandError(f"no committee {value!r}")
    return committee


def _term(committee: Committee, value: str) -> Term:
    if not value.isdigit():
        raise CommandError(f"--term {value!r}: give the term's number or id")
    terms = Term.objects.filter(committee=committee)
    term = terms.filter(number=int(value)).first() or terms.filter(pk=int(value)).first()
    if term is None:
        raise CommandError(f"{committee.name} has no term {value}")
    return term


def _round(committee: Committee, value: int) -> Round:
    found = Round.objects.filter(pk=value, committee__path__startswith=committee.path).select_related("term").first()
    if found is None:
        raise CommandError(f"no round {value} in {committee.name} or the committees under it")
    return found


def _plain(value):
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value


def as_json(stats: statistics.Statistics, text: str) -> dict:
    f = stats.filters
    rows = lambda items: [{"key": r.key, "label": r.label, "value": r.value} for r in items]  # noqa: E731
    return {
        "committee": {"id": f.committee.pk, "name": f.committee.name},
        "term": f.term and {"id": f.term.pk, "number": f.term.number, "name": f.term.name},
        "round": f.round and {"id": f.round.pk, "label": f.round.label},
        "figures": {key: _plain(figure.value) for key, figure in stats.figures.items()},
        "breakdowns": {
            "by_focus": rows(stats.by_focus), "by_point": rows(stats.by_point),
            "by_problem_kind": rows(stats.by_problem_kind), "addressees": rows(stats.addressees),
            "complaints_by_category": rows(stats.complaints_by_category),
            "inspected": [{"kind": r.kind_code, "kind_name": r.kind_name, "level": r.level, "mode": r.mode,
                           "value": r.value}
                          for r in stats.inspected],
        },
        "summary": text,
    }


class Command(BaseCommand):
    help = "Term statistics of a committee and its subtree, with the summary paragraph."

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="Committee id or exact name.")
        parser.add_argument("--term", help="The term's number (e.g. 14) or id.")
        parser.add_argument("--round", dest="round_id", type=int, help="A round's id.")
        parser.add_argument("--json", action="store_true", help="Print a JSON object instead of a table.")

    def handle(self, *args, **opts):
        committee = _committee(opts["committee"])
        term = _term(committee, opts["term"]) if opts["term"] else None
        round_ = _round(committee, opts["round_id"]) if opts["round_id"] is not None else None
        chosen = Filters(committee=committee, term=term, round=round_)
        stats = statistics.compute(CONSOLE_READER, chosen)
        text = summary(stats, chosen)
        if opts["json"]:
            self.stdout.write(json.dumps(as_json(stats, text), ensure_ascii=False, indent=2))
            return
        width = max((len(str(f.label)) for f in stats.figures.values()), default=0)
        for figure in stats.figures.values():
            value = "—" if figure.value is None else _plain(figure.value)
            self.stdout.write(f"{str(figure.label):<{width}}  {value} {figure.unit}".rstrip())
        self.stdout.write("")
        self.stdout.write(text or "(nothing to summarize)")
