"""Cross-checks of a ward's own figures (wardplan.rules.quality), on small given tables."""

from __future__ import annotations

import math

import pandas as pd

from wardplan.rules import quality

INDICATORS = pd.DataFrame({
    "indicator_code": ["revenue", "land_rent", "fees", "other"],
    "parent_code": [None, "revenue", "revenue", "revenue"],
})


def _actuals(rows):
    return pd.DataFrame(rows, columns=["ward_code", "indicator_code", "period", "value",
                                       "value_text", "source_ref"])


def test_components_that_do_not_add_up_to_their_total_are_found():
    actuals = _actuals([
        ("a", "revenue", "2026-01", 100.0, "100", "ref a"),
        ("a", "land_rent", "2026-01", 40.0, "40", ""), ("a", "fees", "2026-01", 50.0, "50", ""),
        ("b", "revenue", "2026-01", 100.0, "100", "ref b"),  # 40 + 60: adds up
        ("b", "land_rent", "2026-01", 40.0, "40", ""), ("b", "fees", "2026-01", 60.0, "60", ""),
        ("c", "revenue", "2026-01", 100.0, "100", "ref c"),  # one component: nothing to add
        ("c", "land_rent", "2026-01", 10.0, "10", ""),
        ("d", "revenue", "2026-01", 99.6, "99,6", "ref d"),  # within the total's rounding: 99,55–99,65
        ("d", "land_rent", "2026-01", 49.6, "49,6", ""), ("d", "fees", "2026-01", 50.0, "50", ""),
        ("d", "other", "2026-01", math.nan, "", ""),  # no figure: not a component given
    ])
    [finding] = quality.components_vs_parent(actuals, INDICATORS)
    assert (finding.ward_code, finding.indicator_code, finding.period, finding.check_code) == \
        ("a", "revenue", "2026-01", "components_not_sum")
    assert finding.message == ("Tháng 1/2026: tổng 2 khoản thành phần là 90 nhưng tổng số "
                               "ghi 100.") and finding.source_ref == "ref a"


def test_a_group_row_its_projects_do_not_add_up_to_is_found():
    projects = pd.DataFrame([
        ("a", 2026, "I", "group", 10.0, None, "ref I"),
        ("a", 2026, "I", "project", 3.0, 1.0, ""), ("a", 2026, "I", "project", 4.0, None, ""),
        ("a", 2026, "II", "group", 5.0, 2.0, "ref II"),
        ("a", 2026, "II", "project", 5.0, 2.0, ""),  # adds up
        ("a", 2026, "III", "group", 1.5, None, "ref III"),  # no project under it
        ("a", 2026, None, "project", 9.0, None, ""),  # in no group
    ], columns=["ward_code", "plan_year", "group_code", "row_kind", "total_capital_mvnd",
                "planned_q1_mvnd", "source_ref"])
    findings = quality.project_totals(projects)
    assert [(f.period, f.message, f.source_ref) for f in findings] == [
        ("2026-Q1", "Nhóm I: dòng nhóm ghi tổng vốn 10 triệu đồng nhưng 2 dự án cộng lại 7 "
                    "triệu đồng.", "ref I"),
        ("2026-Q1", "Nhóm III: dòng nhóm ghi tổng vốn 1,5 triệu đồng nhưng 0 dự án cộng lại 0 "
                    "triệu đồng.", "ref III")]
