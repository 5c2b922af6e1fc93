"""The detection services and their pages: who may run the detector (incremental, full), change
the thresholds and map points to departments; validation naming the field; audit; the CLI."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.analytics.clusters_helpers import build_checklist, county_fixture  # noqa: F401 - fixtures
from tests.analytics.test_clusters_pages import client_for
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.analytics import services_detection as services
from xuncha.analytics.models import (
    DepartmentMapping,
    DetectionSettings,
    ProblemFingerprint,
    ProblemMatch,
)
from xuncha.analytics.selectors.clusters import pending
from xuncha.checklist.models import Version
from xuncha.findings.models import Problem
from xuncha.registry.models import Organization

SETTINGS = reverse("analytics:detection_settings")
RUN = reverse("analytics:detection_run")
MAPPING = reverse("analytics:department_mapping")
ADD = reverse("analytics:mapping_add")


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


# -- running ---------------------------------------------------------------------------------

def test_office_admin_runs_and_gets_a_settings_row(county):
    world = county.world
    result = services.run_detection(actor=world.office_admin, committee=world.county)
    assert result.pairs > 0 and DetectionSettings.objects.filter(committee=world.county).exists()
    assert actions()[-2:] == ["detection.settings_create", "detection.run"]
    services.run_detection(actor=world.office_admin, committee=world.county, full=True)
    assert actions()[-1] == "detection.run"


def test_office_staff_runs_incrementally_only(county):
    world = county.world
    result = services.run_detection(actor=world.office_staff, committee=world.county)
    assert result.fingerprinted > 0
    assert not DetectionSettings.objects.exists()  # staff never creates the settings row
    with pytest.raises(PermissionDenied):
        services.run_detection(actor=world.office_staff, committee=world.county, full=True)


@pytest.mark.parametrize("name", ["leader", "supervisor", "group_leader", "unit_liaison", "receiver", "sysadmin"])
def test_others_may_not_run(county, name):
    with pytest.raises(PermissionDenied):
        services.run_detection(actor=county.world.users[name], committee=county.world.county)
    assert not ProblemMatch.objects.exists()


def test_office_of_one_county_may_not_run_another(county):
    with pytest.raises(PermissionDenied):
        services.run_detection(actor=county.world.office_admin, committee=county.world.other, full=True)


# -- thresholds ------------------------------------------------------------------------------

def test_threshold_change_requires_a_full_rerun(county):
    world = county.world
    services.run_detection(actor=world.office_admin, committee=world.county)
    assert pending(world.county) == 0
    services.update_settings(actor=world.office_admin, committee=world.county, threshold=0.95,
                             common_min_organizations=3)
    assert not ProblemFingerprint.objects.exists()
    assert pending(world.county) == Problem.objects.filter(round__committee=world.county).count() == 12
    result = services.run_detection(actor=world.office_staff, committee=world.county)
    assert result.fingerprinted == result.problems
    assert not ProblemMatch.objects.filter(problem=county.late, earlier=county.early).exists()
    # Only the number of organizations: nothing to recompute.
    services.update_settings(actor=world.office_admin, committee=world.county, threshold=0.95,
                             common_min_organizations=2)
    assert pending(world.county) == 0
    assert actions().count("detection.settings_update") == 2


@pytest.mark.parametrize(("threshold", "count", "field"), [
    (0.1, 3, "threshold"), (1.5, 3, "threshold"), ("x", 3, "threshold"), (0.6, 1, "common_min_organizations"),
    (0.6, None, "common_min_organizations"),
])
def test_bad_thresholds_name_the_field(county, threshold, count, field):
    with pytest.raises(ValidationError) as caught:
        services.update_settings(actor=county.world.office_admin, committee=county.world.county,
                                 threshold=threshold, common_min_organizations=count)
    assert field in caught.value.message_dict
    assert not DetectionSettings.objects.exists()


@pytest.mark.parametrize("name", ["office_staff", "leader", "supervisor"])
def test_only_the_administrator_changes_thresholds(county, name):
    with pytest.raises(PermissionDenied):
        services.update_settings(actor=county.world.users[name], committee=county.world.county, threshold=0.7,
                                 common_min_organizations=3)


def test_settings_page(county):
    world = county.world
    admin = client_for(world.office_admin)
    html = admin.get(SETTINGS).content.decode()
    assert 'data-testid="settings-form"' in html and 'data-testid="run-full"' in html
    assert f'data-testid="pending">{len(county.noise) + 9}<' in html
    response = admin.post(RUN, {"committee": world.county.pk})
    assert response.status_code == 302
    assert 'data-testid="pending">0<' in admin.get(response.url).content.decode()
    response = admin.post(SETTINGS, {"committee": world.county.pk, "threshold": "0.75",
                                     "common_min_organizations": "4"})
    assert response.status_code == 302
    row = DetectionSettings.objects.get(committee=world.county)
    assert (row.threshold, row.common_min_organizations, row.updated_by) == (0.75, 4, world.office_admin)
    response = admin.post(SETTINGS, {"committee": world.county.pk, "threshold": "0.1",
                                     "common_min_organizations": "4"})
    assert response.status_code == 400 and 'data-testid="error-threshold"' in response.content.decode()
    # Staff: runs, no form, no full run.
    staff = client_for(world.office_staff)
    html = staff.get(SETTINGS).content.decode()
    assert 'data-testid="run"' in html and "run-full" not in html and "settings-form" not in html
    assert staff.post(RUN, {"committee": world.county.pk}).status_code == 302
    assert staff.post(RUN, {"committee": world.county.pk, "full": "1"}).status_code == 403
    assert staff.post(SETTINGS, {"committee": world.county.pk, "threshold": "0.7",
                                 "common_min_organizations": "3"}).status_code == 403
    # The leading group reads only.
    leader = client_for(world.leader)
    html = leader.get(SETTINGS).content.decode()
    assert 'data-testid="threshold"' in html and 'data-testid="run"' not in html
    assert leader.post(RUN, {"committee": world.county.pk}).status_code == 403
    # Another committee: 404; roles that read nothing of it: 403.
    assert admin.get(SETTINGS, {"committee": world.other.pk}).status_code == 404
    assert admin.post(RUN, {"committee": world.other.pk}).status_code == 404
    for name in ("group_leader", "unit_liaison", "receiver", "auditor"):
        assert client_for(world.users[name]).get(SETTINGS).status_code == 403


# -- the mapping -----------------------------------------------------------------------------

def test_map_and_unmap(county):
    world = county.world
    mapping = services.map_point(actor=world.office_staff, committee=world.county, point=county.items["C1.2"],
                                 department=world.department)
    assert actions()[-1] == "detection.map_point"
    with pytest.raises(ValidationError) as caught:
        services.map_point(actor=world.office_admin, committee=world.county, point=county.items["C1.2"],
                           department=world.department)
    assert "department" in caught.value.message_dict
    services.unmap_point(actor=world.office_admin, mapping=mapping)
    assert not DepartmentMapping.objects.exists() and actions()[-1] == "detection.unmap_point"


def test_mapping_refusals(county):
    world = county.world
    cases = [
        (county.items["C1.2.1"], world.department, "point"),  # a manifestation, not a point
        (county.items["C1"], world.department, "point"),  # a focus
        (county.items["C1.2"], world.village, "department"),  # a village is no functional department
        (county.items["C1.2"], None, "department"),
        (None, world.department, "point"),
    ]
    other_department = Organization.objects.create(committee=world.other, name="邻县财政局",
                                                   kind=world.kinds["department"])
    cases.append((county.items["C1.2"], other_department, "department"))
    for point, department, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.map_point(actor=world.office_admin, committee=world.county, point=point, department=department)
        assert field in caught.value.message_dict, (point, department)
    draft = Version.objects.create(library=county.items["C1"].version.library, number=2)
    draft_point = draft.items.create(level=2, key="C9", title="草稿要点", parent=draft.items.create(
        level=1, key="C9F", title="草稿重点"))
    with pytest.raises(ValidationError):
        services.map_point(actor=world.office_admin, committee=world.county, point=draft_point,
                           department=world.department)
    for name in ("leader", "supervisor", "group_leader", "receiver"):
        with pytest.raises(PermissionDenied):
            services.map_point(actor=world.users[name], committee=world.county, point=county.items["C1.2"],
                               department=world.department)
    assert not DepartmentMapping.objects.exists()


def test_mapping_page(county):
    world = county.world
    staff = client_for(world.office_staff)
    html = staff.get(MAPPING).content.decode()
    assert f'data-testid="point-{county.items["C1.2"].pk}"' in html
    assert f'data-testid="point-{county.items["C1.2.1"].pk}"' not in html  # points only
    response = staff.post(ADD, {"committee": world.county.pk, "point": county.items["C1.2"].pk,
                                "department": world.department.pk})
    assert response.status_code == 302
    mapping = DepartmentMapping.objects.get()
    assert f'data-testid="mapping-{mapping.pk}"' in staff.get(MAPPING).content.decode()
    response = staff.post(ADD, {"committee": world.county.pk, "point": county.items["C1.2"].pk,
                                "department": world.village.pk})
    assert response.status_code == 400
    leader = client_for(world.leader)
    assert f'data-testid="mapping-{mapping.pk}"' in leader.get(MAPPING).content.decode()
    assert leader.post(ADD, {"committee": world.county.pk, "point": county.items["C1.2"].pk,
                             "department": world.department.pk}).status_code == 403
    remove = reverse("analytics:mapping_remove", args=[mapping.pk])
    assert leader.post(remove).status_code == 403
    assert client_for(world.receiver).post(remove).status_code == 403
    assert staff.post(remove).status_code == 302 and not DepartmentMapping.objects.exists()
    assert staff.post(remove).status_code == 404


def test_mapping_covers_later_versions_of_the_point(county):
    """A mapping names a point of one version; clusters classified under another version of the
    same checklist count as systemic through the point's key."""
    from xuncha.analytics import detection
    from xuncha.analytics.filters import Filters
    from xuncha.analytics.selectors import clusters as selectors

    world = county.world
    detection.detect(world.county)
    library = county.items["C1"].version.library
    v2 = Version.objects.create(library=library, number=2, state=Version.State.PUBLISHED)
    focus = v2.items.create(level=1, key="C1", title="落实全面从严治党责任")
    point_v2 = v2.items.create(level=2, key="C1.2", title="惠民政策落实", parent=focus)
    DepartmentMapping.objects.create(committee=world.county, point=point_v2, department=world.department)
    systemic = list(selectors.clusters(world.office_admin, Filters(committee=world.county), tab="systemic"))
    assert [c.key for c in systemic] == [min(p.pk for p in county.common)]
    assert selectors.departments_of(systemic) == {systemic[0].pk: [world.department]}
    # Mapped through v2, the same point of v1 is already the department's: no second mapping.
    with pytest.raises(ValidationError) as caught:
        services.map_point(actor=world.office_admin, committee=world.county, point=county.items["C1.2"],
                           department=world.department)
    assert "department" in caught.value.message_dict


# -- the CLI ---------------------------------------------------------------------------------

def test_analyze_command(county):
    out = StringIO()
    call_command("analyze", committee=county.world.county.pk, stdout=out)
    text = out.getvalue()
    assert "incremental" in text and "pairs stored" in text and "matched" in text
    assert ProblemMatch.objects.filter(problem=county.late, earlier=county.early).exists()
    out = StringIO()
    call_command("analyze", full=True, stdout=out)
    assert out.getvalue().count("full run") == 3  # every committee
    assert AuditEvent.objects.filter(action="detection.run").count() == 4
    with pytest.raises(CommandError, match="no committee"):
        call_command("analyze", committee=999999, stdout=StringIO())
