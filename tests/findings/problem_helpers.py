"""Making problems straight through the service, for the problem tests."""

from __future__ import annotations

from xuncha.findings import services_problems as services


def problem(world, make_paper, *, actor=None, state="signed", target=None, papers=None, **fields):
    """A problem of group 1 (or `target`) made from one new signed paper, or from `papers`."""
    papers = papers or [make_paper(state, target=target)]
    return services.problem_create(actor=actor or world.group_leader, papers=papers, **fields)
