def test_problems_fixture(problems):
    assert [p.kind for p in problems.all].count("lead") == 1
    assert {p.organization.name for p in problems.all} == {"东门村"}
