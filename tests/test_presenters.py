"""wardplan.presenters: small given → expected tables, plus the bundled documents' figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wardplan.display import compare, overview, progress, styles
from wardplan.display import detail as detail_view
from wardplan.display import format as fmt
from wardplan.display import periods as display_periods
from wardplan.display import tasks as task_view
from wardplan.reads import queries
from wardplan.rules import status as status_rules
from wardplan.rules.missing import is_missing
from wardplan.rules.periods import period_label

NAN = math.nan


def status_rows(*rows: dict) -> pd.DataFrame:
    base = {
        "ward_code": "phu_lien", "ward_name": "Phù Liễn", "has_report": True,
        "indicator_code": "x", "indicator_name": "X", "unit": "triệu đồng", "kind": "flow",
        "direction": "higher", "group_vi": "Kinh tế", "parent_code": None, "as_of": "2026-Q1",
        "actual_to_date": NAN, "scenario_to_date": NAN, "target_value": NAN,
        "pct_of_scenario": NAN, "pct_of_target": NAN, "status": "grey", "ward_verdict": None,
        "note": "", "actual_period": None, "scenario_origin": None,
    }
    return pd.DataFrame([{**base, **row} for row in rows])


# --- periods and numbers ---------------------------------------------------------

def test_period_labels_in_vietnamese():
    assert period_label("2026-03") == "Tháng 3/2026"
    assert period_label("2026-Q1") == "Quý I/2026"
    assert period_label("2026-Q4") == "Quý IV/2026"
    assert period_label("2026") == "Năm 2026"


def test_period_options_put_each_quarter_after_its_last_month():
    options = display_periods.period_options([2026])
    assert len(options) == 17
    assert options[:5] == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04"]
    assert options[-2:] == ["2026-Q4", "2026"]


def test_default_as_of_is_the_latest_reported_period():
    assert display_periods.default_as_of(["2026-01", "2026-03", "2026-Q1"], [2026]) == "2026-Q1"
    assert display_periods.default_as_of(["2026-01"], [2026]) == "2026-01"
    assert display_periods.default_as_of([], [2026]) == "2026-01"
    assert display_periods.default_as_of(["2025-Q4", "garbage"], [2026]) == "2026-01"
    # Several plan years: the latest report wins; with none, the latest year opens.
    assert display_periods.default_as_of(["2026-Q1"], [2026, 2027]) == "2026-Q1"
    assert display_periods.default_as_of([], [2026, 2027]) == "2027-01"
    assert display_periods.default_as_of([], []) is None


def test_numbers_and_money_in_vietnamese_format():
    assert fmt.format_value(105879, "triệu đồng") == "105.879 triệu đồng"
    assert fmt.format_value(95.5, "%") == "95,5%"
    assert fmt.format_value(NAN, "%") == "—"
    assert fmt.format_value(5, NAN) == "5"
    assert fmt.format_money_mvnd(357450) == "357.450 triệu đồng"
    assert fmt.format_money_mvnd(2_810_000) == "2.810 tỷ đồng"
    assert fmt.format_ty(69917.954) == "69,92 tỷ đồng"
    assert fmt.pct(117.97) == "118%"
    assert fmt.pct(99.68) == "99,7%"
    assert fmt.format_compact(89750.727) == "89.751"


def test_display_unit_switches_to_ty_dong_for_very_large_amounts():
    assert fmt.display_unit("triệu đồng", [105879, 357450]) == fmt.DisplayUnit("triệu đồng", 1.0)
    big = fmt.display_unit("triệu đồng", [702856, 2_810_000])
    assert big.unit == "tỷ đồng" and big.scale(2_810_000) == 2810
    assert fmt.display_unit("%", [95.1]).unit == "%"


def test_verdicts():
    assert status_rules.verdict_claim("Đạt") == "green"
    assert status_rules.verdict_claim(" Không  đạt ") == "red"
    assert status_rules.verdict_claim("Đang thực hiện") is None
    assert status_rules.verdict_differs("red", "Đạt")
    assert status_rules.verdict_differs("amber", "Vượt")
    assert not status_rules.verdict_differs("green", "Vượt")
    assert not status_rules.verdict_differs("grey", "Đạt")
    assert not status_rules.verdict_differs("red", None)


def test_target_short():
    assert fmt.target_short(">=", 96, None, "%") == "≥ 96%"
    assert fmt.target_short("=", 357450, None, "triệu đồng") == "= 357.450 triệu đồng"
    assert fmt.target_short("top", 30, None, "thứ hạng") == "top 30"
    assert fmt.target_short("relative", 15, 17, "%") == "+15–17% so với mốc"
    assert fmt.target_short("qualitative", None, None, "") == "định tính"


# --- overview ------------------------------------------------------------------------

def test_board_cells_carry_symbol_figure_and_pct_of_scenario():
    board = overview.status_board(status_rows(
        {"indicator_code": "a", "indicator_name": "A", "actual_to_date": 105879,
         "pct_of_scenario": 117.97, "status": "green", "ward_verdict": "Vượt"},
        {"indicator_code": "b", "indicator_name": "B", "actual_to_date": 86450,
         "pct_of_scenario": 87.63, "status": "red", "ward_verdict": "Đạt"},
        {"ward_code": "kien_an", "ward_name": "Kiến An", "has_report": False,
         "indicator_code": "a", "indicator_name": "A"},
    ))
    text = board.text.set_index("Chỉ tiêu")
    assert list(board.text.columns) == ["Lĩnh vực", "Chỉ tiêu", "Đơn vị", "Kiến An", "Phù Liễn"]
    assert text.loc["A", "Phù Liễn"] == "▲ 105.879 (118% KB)"
    assert text.loc["B", "Phù Liễn"] == "▼ 86.450 (87,6% KB) ≠"
    assert text.loc["A", "Kiến An"] == "○ —"
    assert text.loc["B", "Kiến An"] == ""  # Kiến An set no target B
    assert board.status.set_index("Chỉ tiêu").loc["B", "Phù Liễn"] == "red"
    styled = overview.style_board(board).to_html()
    assert styles.STATUS_STYLES["red"].tint.lower() in styled.lower()


def test_ward_counts_worst_first():
    counts = overview.ward_counts(status_rows(
        {"indicator_code": "a", "status": "green"},
        {"indicator_code": "b", "status": "red"},
        {"ward_code": "kien_an", "ward_name": "Kiến An", "has_report": False,
         "indicator_code": "a", "status": "grey"},
    ))
    assert counts["ward_code"].tolist() == ["phu_lien", "kien_an"]
    assert counts.set_index("ward_code").loc["phu_lien", ["red", "green", "total"]].tolist() == [1, 1, 2]
    view = overview.ward_counts_view(counts)
    assert "▼ Chậm" in view.columns and view["Báo cáo"].tolist() == ["Đã có", "Chưa gửi"]


def test_attention_items_red_before_amber_with_reason_and_verdict():
    items = overview.attention_items(status_rows(
        {"indicator_code": "a", "indicator_name": "A", "status": "amber",
         "pct_of_scenario": 99.7, "note": "Lũy kế: 702.856. Phường đánh giá 'Vượt'.",
         "ward_verdict": "Vượt"},
        {"indicator_code": "b", "indicator_name": "B", "status": "red", "pct_of_scenario": 87.6,
         "actual_to_date": 86450, "note": "Lũy kế: 86.450. Kịch bản gồm 1 tháng chính thức."},
        {"indicator_code": "c", "indicator_name": "C", "status": "green"},
    ))
    assert items["indicator_code"].tolist() == ["b", "a"]
    assert items.loc[0, "status_text"] == "▼ Chậm"
    assert items.loc[0, "figure"] == "86.450 triệu đồng"
    assert items.loc[0, "headline"] == "Lũy kế: 86.450."
    assert items.loc[1, "verdict_differs"]
    assert overview.attention_items(status_rows({"status": "green"})).empty


def test_detail_links_carry_ward_indicator_and_period():
    assert fmt.detail_link("phu_lien", "budget_revenue", "2026-Q1") == \
        "chi-tiet?ward=phu_lien&indicator=budget_revenue&as_of=2026-Q1"


def test_period_has_actuals():
    q1 = status_rows({"actual_period": "2026-Q1", "actual_to_date": 1})
    assert overview.period_has_actuals(q1, "2026-Q1")
    assert overview.period_has_actuals(q1, "2026-03")
    assert not overview.period_has_actuals(q1, "2026-11")
    assert not overview.period_has_actuals(status_rows({}), "2026-Q1")
    assert overview.latest_data_period(q1) == "2026-Q1"


# --- progress ------------------------------------------------------------------------

def test_progress_series_places_actuals_only_where_reported():
    history = pd.DataFrame({
        "as_of": ["2026-01", "2026-02", "2026-03", "2026-04"],
        "actual_to_date": [20684, NAN, 105879, 105879],
        "actual_period": ["2026-01", None, "2026-Q1", "2026-Q1"],
        "scenario_to_date": [29744.36, 59488.73, 89750.73, 119495.09],
        "target_value": [357450] * 4,
    })
    scenario = pd.DataFrame({"period": ["2026-01", "2026-03", "2026-Q1"],
                             "planned_value": [29744.36, 30262, 89750.73],
                             "origin": ["derived", "official", "derived"]})
    series = progress.progress_series(history, scenario, 2026)
    assert len(series) == 12
    assert series["actual"].tolist()[:4] == [20684, pytest.approx(NAN, nan_ok=True), 105879,
                                             pytest.approx(NAN, nan_ok=True)]
    assert series.loc[2, "origin"] == "official" and series.loc[2, "scenario_month"] == 30262
    assert is_missing(series.loc[1, "origin"])
    assert (series["target"] == 357450).all()


def test_bullet_rows_give_scenario_to_date_as_share_of_target():
    rows = progress.bullet_rows(status_rows(
        {"indicator_code": "a", "indicator_name": "A", "status": "green", "pct_of_target": 29.6,
         "scenario_to_date": 89750.73, "target_value": 357450},
        {"indicator_code": "b", "indicator_name": "B", "status": "red", "pct_of_target": 24.6,
         "scenario_to_date": 98647.91, "target_value": 351147},
        {"indicator_code": "c", "indicator_name": "C", "status": "grey"},
    ))
    assert rows["indicator_code"].tolist() == ["b", "a"]
    assert rows.loc[1, "scenario_pct_of_target"] == pytest.approx(25.11, abs=0.01)


# --- projection ----------------------------------------------------------------------

def test_projection_of_a_flow_at_the_current_pace():
    projection = detail_view.project_year_end("flow", 105879, "2026-Q1", 357450, "triệu đồng")
    assert projection.computable
    assert projection.value == pytest.approx(423516)
    assert projection.pct_of_target == pytest.approx(118.48, abs=0.01)
    assert "423.516 triệu đồng" in projection.text_vi
    assert projection.text_vi.startswith("Nếu giữ nhịp độ hiện tại")
    assert "÷ 3 × 12" in projection.method_vi


def test_projection_of_a_level_is_the_latest_level():
    projection = detail_view.project_year_end("level", 95.1, "2026-Q1", 95.5, "%")
    assert projection.value == 95.1
    assert "mức mới nhất" in projection.method_vi


def test_projection_of_a_cumulative_share_is_capped_at_100():
    projection = detail_view.project_year_end("cumulative_pct", 27.68, "2026-Q1", 100, "%")
    assert projection.value == 100


@pytest.mark.parametrize("kind,actual,period", [
    ("milestone", 0, "2026-01"), ("rank", 7, "2026-Q1"), ("qualitative", None, None),
    ("flow", None, None)])
def test_projection_not_computable_says_so(kind, actual, period):
    projection = detail_view.project_year_end(kind, actual, period, 10, "")
    assert not projection.computable
    assert projection.text_vi.startswith(("Không tính được", "Chưa có số liệu"))


def test_latest_actual_looks_back_from_an_empty_period(db):
    history = queries.status_history(db, "phu_lien", "budget_revenue")
    latest = detail_view.latest_actual(history, "2026-11")
    assert latest["actual_period"] == "2026-Q1" and latest["actual_to_date"] == 105879
    assert detail_view.latest_actual(history, "2026-01")["actual_to_date"] == 20684


# --- the documents' figures through the presenters ---------------------------------------

def test_phu_lien_q1_revenue_is_green_at_105879(db):
    status = queries.status_at(db, "2026-Q1")
    board = overview.status_board(status).text.set_index("Chỉ tiêu")
    cell = board.loc["Thu ngân sách nhà nước trên địa bàn", "Phù Liễn"]
    assert cell.startswith("▲ 105.879")
    items = overview.attention_items(status)
    assert set(items["indicator_code"]) >= {"budget_expenditure", "new_enterprises"}
    assert "budget_revenue" not in set(items["indicator_code"])


def test_thuy_nguyen_shows_no_report(db):
    status = queries.status_at(db, "2026-Q1")
    counts = overview.ward_counts(status).set_index("ward_code")
    assert not counts.loc["thuy_nguyen", "has_report"]
    assert counts.loc["thuy_nguyen", "grey"] == counts.loc["thuy_nguyen", "total"]
    targets = progress.targets_view(queries.ward_targets(db, "thuy_nguyen"))
    assert "đạt 578,625 tỷ đồng" in targets["Chỉ tiêu kế hoạch (nguyên văn)"].tolist()


def test_compare_rows_for_budget_revenue(db):
    rows = compare.compare_rows(queries.indicator_targets(db, "budget_revenue"),
                          queries.status_at(db, "2026-Q1").query("indicator_code == 'budget_revenue'"))
    by_ward = rows.set_index("ward_code")
    assert by_ward.loc["phu_lien", "pct_of_target"] == pytest.approx(29.62, abs=0.01)
    assert not by_ward.loc["kien_an", "has_report"]
    view = compare.compare_view(rows).set_index("Phường")
    assert view.loc["Kiến An", "Chỉ tiêu"] == "+10% so với mốc"
    assert view.loc["Phù Liễn", "% chỉ tiêu năm"] == "29,6%"


def test_shared_matrix_cells(db):
    matrix = compare.shared_matrix(queries.shared_targets(db), queries.status_at(db, "2026-Q1"))
    cell = matrix.set_index("Chỉ tiêu").loc["Thu ngân sách nhà nước trên địa bàn", "Phù Liễn"]
    assert cell == "= 357.450 triệu đồng | ▲ 29,6% CT"


def test_tasks_view_filters_plan_and_report(db):
    tasks = queries.tasks(db, "phu_lien")
    plan = task_view.tasks_view(tasks, task_view.PLAN)
    report = task_view.tasks_view(tasks, task_view.REPORT)
    assert len(plan) + len(report) == len(tasks)
    assert "Tiến độ / kết quả" in report.columns and "Tiến độ / kết quả" not in plan.columns
    assert report["STT"].tolist()[:3] == ["1.1", "1.2", "1.3"]
    office = task_view.task_offices(tasks)[0]
    assert set(task_view.tasks_view(tasks, task_view.REPORT, [office])["Đơn vị chủ trì"]) <= {office}


def test_projects_view_indents_components_and_sums_groups(db):
    projects = queries.projects(db, "phu_lien")
    view = task_view.projects_view(projects)
    components = view[view["Loại dòng"] == "Hạng mục"]
    assert components["Dự án / hạng mục"].str.startswith("    ↳ ").all()
    assert view.loc[0, "Tổng vốn (triệu đồng)"] == "69.917,954"
    summary = task_view.project_summary(projects)
    group_a = summary[summary["Nhóm"].str.startswith("A — ")].iloc[0]
    assert group_a["Số dự án"] == 8
    assert group_a["Tổng vốn"] == "69,92 tỷ đồng"


def test_issues_view_links_to_detail_and_sorts_errors_first(db):
    view = detail_view.issues_view(queries.data_issues(db), "2026-Q1")
    assert view.loc[0, "Mức độ"] == "Lỗi"
    linked = view.dropna(subset=["Chi tiết"])
    assert linked["Chi tiết"].str.startswith("chi-tiet?ward=").all()
    assert view["Chi tiết"].isna().any()  # project-group findings have no indicator


def test_actuals_after_the_chosen_period_are_not_drawn():
    series = pd.DataFrame({"month": [1, 2, 3], "actual": [20684.0, math.nan, 105879.0],
                           "actual_period": ["2026-01", None, "2026-Q1"]})
    january = progress.actuals_up_to(series, "2026-01")
    assert january["actual"].tolist()[0] == 20684.0
    assert math.isnan(january["actual"].tolist()[2]) and pd.isna(january["actual_period"].tolist()[2])
    assert progress.actuals_up_to(series, "2026-Q1")["actual"].tolist()[2] == 105879.0
