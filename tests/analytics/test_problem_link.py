"""The findings problem page links to its near-duplicates for those who may read them."""

from __future__ import annotations


def test_the_problem_page_links_to_near_duplicates_only_for_those_who_read_them(world):
    from django.test import Client

    from tests.conftest import PASSWORD
    from xuncha.checklist.models import Item, Library, Version
    from xuncha.findings.models import Problem
    from xuncha.rounds.models import Assignment

    library = Library.objects.create(committee=world.county, kind=world.kinds["village"], name="指引")
    version = Version.objects.create(library=library, number=1)
    focus = Item.objects.create(version=version, level=1, key="F", title="重点")
    point = Item.objects.create(version=version, level=2, parent=focus, key="F.1", title="要点")
    item = Item.objects.create(version=version, level=3, parent=point, key="F.1.1", title="表现")
    assignment = Assignment.objects.create(group=world.group1, organization=world.village)
    problem = Problem.objects.create(assignment=assignment, seq=1, title="白条入账", description="……",
                                     classification=item)
    url = f"/findings/problems/{problem.pk}/"
    for username, shown in (("office_admin", True), ("group_leader", False)):
        client = Client()
        client.login(username=username, password=PASSWORD)
        response = client.get(url)
        assert response.status_code == 200
        assert (b'data-testid="problem-matches"' in response.content) is shown, username
