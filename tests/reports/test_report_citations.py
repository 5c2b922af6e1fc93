"""Citations of the rules library link to their article, with its text on hover, in a problem's
description and a report's text."""

from django.urls import reverse

from tests.regulations.library_sample import import_rules
from xuncha.findings.models import Problem
from xuncha.reports import services_reports as services


def test_a_problem_and_its_report_link_their_citations(client, world, problems):
    import_rules(world)
    Problem.objects.filter(pk=problems.general[1].pk).update(
        description="违反规则(2024)第三条有关规定，2023年租金3万元未入账。")
    client.force_login(world.group_leader)
    page = client.get(reverse("findings:problem_detail", args=[problems.general[1].pk])).content.decode()
    assert 'class="citation"' in page and ">规则(2024)第三条</a>" in page
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert page.count('class="citation"') == 1
