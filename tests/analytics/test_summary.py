"""The summary paragraph: exact strings for constructed datasets (all figures, many zeros, one
round, nothing), and its wording rules (numerals, 万元, kinds of organization)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.analytics.stats_helpers import TODAY, dataset, stats_build  # noqa: F401
from xuncha.analytics import filters, statistics
from xuncha.analytics.models import Recommendation
from xuncha.analytics.statistics import InspectedRow, Row, Statistics
from xuncha.analytics.summary import _joined, chinese_count, summary, wan_yuan
from xuncha.registry.models import Committee
from xuncha.rounds.models import Round


def text(user, **params) -> str:
    chosen = filters.parse(user, params)
    return summary(statistics.compute(user, chosen, today=TODAY), chosen)


def test_every_figure_of_a_term(world, dataset):  # noqa: F811
    assert text(world.office_admin, term=dataset.term.pk) == (
        "十四届示例县委巡察工作开展以来，共开展了两轮巡察，对1个乡（镇、街道）党组织、1个县级部门（单位）党组织、"
        "3个村级党组织开展直巡，对1个村级党组织开展下沉巡察，覆盖率达85.7%，受理信访举报3件，"
        "发现问题6个（其中问题线索1条），完成整改2个，整改完成率50.0%，1项整改任务逾期未完成；"
        "移交问题和线索2件，推动给予党纪政务处分2人、组织处理4人，挽回经济损失12.35万元；"
        "对乡（镇、街道）及县级职能部门发出巡察建议书2份，推动建立完善制度3项，开展专项治理1项。")


def test_a_single_round(world, dataset):  # noqa: F811
    assert text(world.office_admin, round=dataset.rounds[0].pk) == (
        "十四届示例县委第一轮巡察，对1个乡（镇、街道）党组织、2个村级党组织开展直巡，受理信访举报1件，"
        "发现问题5个（其中问题线索1条），完成整改2个，整改完成率50.0%，1项整改任务逾期未完成；"
        "移交问题和线索2件，推动给予党纪政务处分2人、组织处理4人，挽回经济损失12.35万元；"
        "对乡（镇、街道）及县级职能部门发出巡察建议书1份，推动建立完善制度2项。")


def test_zeros_are_left_out_with_their_clauses(world, stats_build):  # noqa: F811
    b = stats_build
    term = b.term(world.county, 15, date(2026, 1, 1))
    rounds = [b.round(term, n, Round.State.COMPLETED, date(2026, n, 1)) for n in range(1, 10)]
    targets = [b.target(b.group(r), world.village) for r in rounds]
    b.problem(targets[0])
    # 3 organizations to cover (城关镇, 东门村, 县财政局), one covered; nothing transferred or recommended
    assert text(world.office_admin, term=term.pk) == (
        "十五届示例县委巡察工作开展以来，共开展了九轮巡察，对1个村级党组织开展直巡，覆盖率达33.3%，发现问题1个。")


def test_only_a_recommendation(world, stats_build):  # noqa: F811
    term = stats_build.term(world.county, 15, date(2026, 1, 1))
    stats_build.recommendation(term, Recommendation.State.ISSUED, issued_on=date(2026, 3, 1))
    assert text(world.office_admin, term=term.pk) == "十五届示例县委巡察工作开展以来，发出巡察建议书1份。"


def test_nothing_to_say_is_an_empty_summary(world, stats_build):  # noqa: F811
    term = stats_build.term(world.county, 15, date(2026, 1, 1))
    assert text(world.office_admin, term=term.pk) == ""


def test_without_a_term_the_committee_speaks_since_the_work_began(world):
    stats = Statistics(filters=filters.Filters(committee=world.county), today=TODAY)
    stats.figures["problems"] = statistics.Figure("problems", "", 3058, "", None)
    stats.figures["rectified"] = statistics.Figure("rectified", "", 2473, "", None)
    assert summary(stats) == "示例县委巡察工作开展以来，发现问题3058个，完成整改2473个。"


def test_wording_follows_the_kinds_and_their_committees_levels(world):
    city = Committee.objects.create(name="示例市委", short_name="市委", level=Committee.Level.CITY)
    stats = Statistics(filters=filters.Filters(committee=city), today=TODAY)
    stats.inspected = [InspectedRow(1, "department", "县级部门", "upgraded", "", 4, None, "county"),
                       InspectedRow(1, "department", "县级部门", "upgraded", "", 3, None, "city"),
                       InspectedRow(2, "soe", "国有企业", "direct", "", 2, None, "city"),
                       InspectedRow(3, "village", "村/社区", "direct", "", 108, None, "county"),
                       InspectedRow(4, "other", "其他", "other", "", 0, None, "county")]
    stats.figures["recommendations"] = statistics.Figure("recommendations", "", 6, "", None)
    stats.addressees = [Row("1", "市财政局", 2, None, "department", "县级部门", "city"),
                        Row("2", "城关镇", 1, None, "township", "乡镇/街道", "county"),
                        Row("3", "市供销社", 1, None, "cooperative", "供销社", "city"),
                        Row("4", "市农业农村局", 2, None, "department", "县级部门", "city"),
                        Row("5", "县农业农村局", 1, None, "department", "县级部门", "county")]
    stats.figures["money_recovered"] = statistics.Figure("money_recovered", "", Decimal("40"), "", None)
    # 县级 or 市级 by the level of each organization's own committee, not the one summarized
    assert summary(stats) == (
        "示例市委巡察工作开展以来，对108个村级党组织、2个国有企业党组织开展直巡，"
        "对3个市级部门（单位）党组织、4个县级部门（单位）党组织开展提级巡察；"
        "对乡（镇、街道）、市级职能部门、县级职能部门及供销社发出巡察建议书6份。")


@pytest.mark.parametrize(("yuan", "wan"), [(Decimal("123456.78"), "12.35"), (Decimal("50"), "0.01"),
                                           (Decimal("49.99"), "0.00"), (Decimal("30000000"), "3000.00"),
                                           (0, "0.00")])
def test_money_in_wan_yuan_two_decimals_half_up(yuan, wan):
    assert wan_yuan(yuan) == wan


@pytest.mark.parametrize(("n", "words"), [(1, "一"), (2, "两"), (9, "九"), (12, "十二"), (20, "二十")])
def test_rounds_are_counted_in_chinese(n, words):
    assert chinese_count(n) == words


def test_joined_lists_end_with_ji():
    assert _joined([]) == "" and _joined(["甲"]) == "甲"
    assert _joined(["甲", "乙"]) == "甲及乙" and _joined(["甲", "乙", "丙"]) == "甲、乙及丙"
