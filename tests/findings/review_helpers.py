"""Peer review in the findings world: signed papers in both groups and a session over them."""

from __future__ import annotations

from xuncha.access import policy
from xuncha.findings import services_review as services

CONSOLE = policy.CONSOLE


def signed_papers(make_paper, findings, n1: int = 3, n2: int = 2) -> tuple[list, list]:
    """n1 signed papers in group 1 (东门村), n2 registered papers in group 2 (城关镇), plus a
    draft in each group that no sample may draw."""
    g1 = [make_paper(state="signed", target=findings.target1, title=f"一组底稿{i}") for i in range(n1)]
    g2 = [make_paper(state="registered", target=findings.target2, title=f"二组底稿{i}") for i in range(n2)]
    make_paper(state="draft", target=findings.target1)
    make_paper(state="draft", target=findings.target2)
    return g1, g2


def open_session(world, reviewers=None, **kwargs):
    rubric = services.rubric_default(actor=CONSOLE, committee=world.county)
    kwargs.setdefault("title", "第一轮底稿评查")
    return services.session_open(
        actor=kwargs.pop("actor", world.office_admin), round=world.round, rubric=rubric,
        reviewers=reviewers if reviewers is not None else [world.office_staff, world.group_member,
                                                           world.group_leader],
        **kwargs)


def full_marks(session) -> dict:
    return {c["name"]: c["max"] for c in session.criteria}
