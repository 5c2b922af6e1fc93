"""The demo's transfers: leads to the discipline commission, cadre-selection problems to the
organization department, a few general problems to the functional department of their kind,
with the receivers' handling and answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import Q

from xuncha.demo import rectification_text as text
from xuncha.demo.catalog import DISCIPLINE, ORGANIZATION_DEPARTMENT
from xuncha.demo.findings_build import TERM
from xuncha.demo.rectification_plans import Builder
from xuncha.demo.rectification_rows import at, insert, stamp
from xuncha.findings.models import Kind, Problem
from xuncha.rectification.deadlines import add_months
from xuncha.rectification.models import DeadlinePolicy, Transfer, TransferAction
from xuncha.registry.models import Committee, Organization
from xuncha.rounds.models import Round

FED_BACK = (Round.State.FEEDBACK, Round.State.RECTIFYING, Round.State.COMPLETED)
# General problems handed to a functional department, by family.
DEPARTMENTS = {"subsidy": "县民政局", "assets": "县农业农村局", "projects": "县住房和城乡建设局", "cash": "县财政局"}


def transfers(builder: Builder, county: Committee, policies: list[DeadlinePolicy], fed_on: dict[int, date],
              people: dict[int, list[tuple[str, str]]], families: dict[int, str]) -> dict[str, int]:
    """Leads to the discipline commission, cadre-selection problems to the organization department,
    two general problems a round to a functional department; handled and answered, but for two
    overdue and one handed over later in the rectifying round."""
    rng, today = builder.rng, builder.today
    names = {DISCIPLINE: "discipline", ORGANIZATION_DEPARTMENT: "organization"}
    receivers = {o.name: o for o in Organization.objects.filter(
        committee=county, name__in=[*names, *DEPARTMENTS.values()])}
    rounds = dict(Round.objects.filter(committee=county, term__number=TERM, state__in=FED_BACK)
                  .values_list("pk", "state"))
    general: list[int] = []
    by_round = defaultdict(list)
    for pk, rnd in (Problem.objects.filter(round__in=list(rounds), kind=Kind.GENERAL, amount__isnull=False,
                                           fed_back=True).order_by("round__number", "pk").values_list("pk", "round_id")):
        if families.get(pk) in DEPARTMENTS:
            by_round[rnd].append(pk)
    for pks in by_round.values():
        general += rng.sample(pks, min(2, len(pks)))
    rows = list(Problem.objects.filter(Q(kind__in=(Kind.LEAD, Kind.CADRE)) | Q(pk__in=general), round__in=list(rounds))
                .order_by("round__number", "assignment_id", "pk").values_list(
                    "pk", "round_id", "assignment_id", "organization_id", "title", "description", "kind", "amount"))
    made, actions, seq = [], [], Counter()
    held_back = 0  # leads of the rectifying round left unanswered (two overdue, one recent)
    for pk, rnd, assignment, organization, title, description, kind, amount in rows:
        name = (DISCIPLINE if kind == Kind.LEAD else ORGANIZATION_DEPARTMENT if kind == Kind.CADRE
                else DEPARTMENTS[families[pk]])
        receiver = receivers.get(name)
        if receiver is None or receiver.pk == organization or assignment not in fed_on:
            continue  # an organization's own problems are not handed to itself
        who = names.get(name, "department")
        pending = rounds[rnd] != Round.State.COMPLETED and kind == Kind.LEAD and held_back < 3
        handed = fed_on[assignment] + timedelta(days=rng.randint(2, 8))
        if pending and held_back == 2:
            handed = max(handed, today - timedelta(days=20))  # handed over later, still in time
        held_back += pending
        rules = max((p for p in policies if p.effective_from <= handed), key=lambda p: p.effective_from)
        seq[handed.year] += 1
        staff = people.get(receiver.pk) or [("", "")]
        row = Transfer(round_id=rnd, problem_id=pk, receiver=receiver, summary=f"{title}\n{description}".strip(),
                       number=f"{county.name[0]}巡移〔{handed.year}〕{seq[handed.year]}号", transferred_on=handed,
                       handler=builder.clerk(), policy=rules, feedback_due=add_months(handed, rules.transfer_feedback_months),
                       created_by=builder.office[0])
        received = min(handed + timedelta(days=rng.randint(0, 3)), today)
        row.state, row.received_on = Transfer.State.RECEIVED, received
        row.receiver_handler = f"{text.HANDLERS[who]} {staff[rng.randrange(len(staff))][0]}".strip()
        methods, disciplined, handled, money, systems = text.handling(who, amount, rng)
        late = rounds[rnd] == Round.State.COMPLETED and rng.random() < 0.08
        answered = (row.feedback_due + timedelta(days=rng.randint(3, 30)) if late
                    else builder.days(received + timedelta(days=20), row.feedback_due - timedelta(days=1)))
        if pending or answered >= today:
            methods, answered = methods[:1], None
        span = ((answered or today) - received).days
        days = sorted(received + timedelta(days=rng.randint(1, max(1, span - 1))) for _ in methods)
        if answered and methods[-1] == "concluded" and "case" in methods and rng.random() < 0.3:
            days[-1] = min(answered + timedelta(days=rng.randint(10, 40)), today)  # concluded after reporting back
        for method, day in zip(methods, days, strict=True):
            action = TransferAction(transfer=row, on=day, method=method, note=text.action_note(method, rng))
            stamp(action, created_at=at(day, 16, rng.randint(0, 59)))
            actions.append(action)
        if answered:
            row.state, row.answered_on, row.people_disciplined, row.people_handled = (
                Transfer.State.ANSWERED, answered, disciplined, handled)
            row.money_recovered, row.systems_established = money, systems
            row.result = text.transfer_result(name, disciplined=disciplined, handled=handled, money=money,
                                              systems=systems)
        stamp(row, created_at=at(handed, 10, rng.randint(0, 59)),
              updated_at=at(max([answered or received, *days]), 17))
        made.append(row)
    insert(Transfer, made)
    insert(TransferAction, actions)
    overdue = sum(1 for t in made if t.answered_on is None and t.feedback_due < today)
    return {"transfers": len(made), "transfer_actions": len(actions), "transfers_overdue": overdue}
