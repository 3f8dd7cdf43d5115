"""wardplan.presenters: small given → expected tables, plus the bundled documents' figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wardplan.display import compare, overview, progress, styles
from wardplan.display import detail as detail_view
from wardplan.display import format as fmt
from wardplan.display import intake as intake_view
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
        "pct_of_scenario": NAN, "pct_of_target": NAN, "status": "grey", "status_reason": None,
        "ward_verdict": None, "note": "", "actual_period": None, "cutoff_date": None,
        "carried": False, "scenario_origin": None, "basis_official_pct": NAN,
        "basis_implied_pct": NAN, "basis_derived_pct": NAN, "provisional": False,
        "outlook_value": NAN, "outlook_low": NAN, "outlook_high": NAN,
        "outlook_pct_of_target": NAN, "outlook_method": None, "on_course": False,
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
    assert fmt.format_value(2_810_000, "triệu đồng") == "2.810.000 triệu đồng"  # one scale
    # A status's figures round as the detail page's cards do: no 38.133,73 on a slide.
    assert fmt.format_status_figure(38133.73, "triệu đồng") == "38.134 triệu đồng"
    assert fmt.format_status_figure(95.55, "%") == "95,55%"
    assert fmt.format_status_figure(NAN, "triệu đồng") == "—"
    assert fmt.format_ty(69917.954) == "69,92 tỷ đồng"
    assert fmt.pct(117.97) == "118%"
    assert fmt.pct(99.68) == "99,7%"
    assert fmt.format_amount(89750.727) == "89.751"
    assert fmt.format_amount(95.12) == "95,12"


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
    assert fmt.target_short("relative", 10, None, "%", "dự toán thành phố giao") == \
        "+10% so với dự toán thành phố giao"
    assert fmt.target_short("qualitative", None, None, "") == "định tính"


def test_scenario_basis_and_qualifiers_say_what_a_status_rests_on():
    row = status_rows({"basis_official_pct": 43.1, "basis_implied_pct": 0.0,
                       "basis_derived_pct": 56.9, "provisional": True, "carried": True,
                       "actual_period": "2026-Q1"}).iloc[0]
    assert fmt.scenario_basis(row) == "chính thức 43% · hệ thống 57% (tạm tính)"
    assert styles.qualifiers(row) == ["tạm tính", "số liệu Quý I/2026"]
    assert styles.status_text("grey", "data_error") == "○ Lỗi dữ liệu"
    assert styles.status_text("red") == "▼ Chậm"


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
    assert text.loc["A", "Kiến An"] == "○ Chưa có số liệu"
    assert text.loc["B", "Kiến An"] == ""  # Kiến An set no target B
    assert board.status.set_index("Chỉ tiêu").loc["B", "Phù Liễn"] == "red"
    flagged = overview.status_board(status_rows(
        {"indicator_code": "a", "indicator_name": "A", "actual_to_date": 86450, "status": "red",
         "pct_of_scenario": 87.63, "provisional": True, "carried": True,
         "actual_period": "2026-Q1"},
        {"indicator_code": "b", "indicator_name": "B", "status": "grey",
         "status_reason": "data_error"})).text.set_index("Chỉ tiêu")
    assert flagged.loc["A", "Phù Liễn"] == "▼ 86.450 (87,6% KB)* ↩ Quý I/2026"
    assert flagged.loc["B", "Phù Liễn"] == "○ Lỗi dữ liệu"
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


def test_attention_items_red_before_amber_with_reason_and_verdict():
    items = overview.attention_items(status_rows(
        {"indicator_code": "a", "indicator_name": "A", "status": "amber",
         "pct_of_scenario": 99.7, "note": "Lũy kế: 702.856. Phường đánh giá 'Vượt'.",
         "ward_verdict": "Vượt"},
        {"indicator_code": "b", "indicator_name": "B", "status": "red", "pct_of_scenario": 87.6,
         "actual_to_date": 86450, "note": "Lũy kế: 86.450. Kịch bản gồm 1 tháng chính thức.",
         "provisional": True, "outlook_value": 345800, "outlook_low": 307727,
         "outlook_high": 345800, "outlook_pct_of_target": 98.5, "outlook_method": "run_rate"},
        {"indicator_code": "c", "indicator_name": "C", "status": "green"},
    ))
    assert items["indicator_code"].tolist() == ["b", "a"]
    assert items.loc[0, "status_text"] == "▼ Chậm"
    assert items.loc[0, "figure"] == "86.450 triệu đồng"
    assert items.loc[0, "headline"] == "Lũy kế: 86.450."
    assert items.loc[0, "qualifiers"] == "tạm tính"
    assert items.loc[0, "outlook"].startswith("Dự báo cuối năm: 345.800 triệu đồng (98,5% chỉ tiêu năm)")
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
    history = status_rows(
        {"as_of": "2026-01", "actual_to_date": 20684, "actual_period": "2026-01",
         "target_value": 357450},
        {"as_of": "2026-02", "actual_to_date": 20684, "actual_period": "2026-01", "carried": True,
         "target_value": 357450},
        {"as_of": "2026-03", "actual_to_date": 105879, "actual_period": "2026-Q1",
         "target_value": 357450},
        {"as_of": "2026-04", "actual_to_date": 105879, "actual_period": "2026-Q1", "carried": True,
         "target_value": 357450})
    scenario = pd.DataFrame({
        "period": ["2026-01", "2026-02", "2026-03", "2026-Q1"],
        "planned_value": [21311.14, 21311.14, 30262, 72884.28],
        "origin": ["derived", "derived", "official", "implied"],
        "share_official": [0, 0, 100, 0], "share_implied": [0, 0, 0, 100],
        "share_derived": [100, 100, 0, 0], "source_ref": ["", "", "", ""]})
    series = progress.progress_series(history, scenario, 2026, "flow")
    assert len(series) == 12
    assert series["actual"].tolist()[:4] == [20684, pytest.approx(NAN, nan_ok=True), 105879,
                                             pytest.approx(NAN, nan_ok=True)]
    # The March point is the whole scenario to date: the ward's implied Q1, not "official March".
    assert series.loc[2, "scenario"] == pytest.approx(72884.28)
    assert series.loc[2, "origin"] == "implied" and series.loc[2, "scenario_month"] == 30262
    assert series.loc[0, "origin"] == "derived"
    assert is_missing(series.loc[4, "origin"])  # no scenario rows for April in this table
    assert (series["target"] == 357450).all()


def test_bullet_rows_give_scenario_to_date_as_share_of_target():
    rows = progress.bullet_rows(status_rows(
        {"indicator_code": "a", "indicator_name": "A", "status": "green", "pct_of_target": 29.6,
         "scenario_to_date": 89750.73, "target_value": 357450},
        {"indicator_code": "b", "indicator_name": "B", "status": "red", "pct_of_target": 24.6,
         "scenario_to_date": 98647.91, "target_value": 351147, "provisional": True},
        {"indicator_code": "c", "indicator_name": "C", "status": "grey"},
    ))
    assert rows["indicator_code"].tolist() == ["b", "a"]
    assert rows.loc[1, "scenario_pct_of_target"] == pytest.approx(25.11, abs=0.01)
    assert rows.loc[0, "provisional"]


def test_bullet_rows_are_slowest_first_ties_in_order_unknown_statuses_last():
    rows = progress.bullet_rows(status_rows(
        {"indicator_code": "z", "indicator_name": None, "status": "no such", "pct_of_target": 1.0},
        {"indicator_code": "g2", "indicator_name": "G2", "status": "green", "pct_of_target": 50.0},
        {"indicator_code": "r", "indicator_name": "R", "status": "red", "pct_of_target": 80.0},
        {"indicator_code": "g1", "indicator_name": "G1", "status": "green", "pct_of_target": 50.0},
        {"indicator_code": "low", "indicator_name": "L", "status": "amber", "pct_of_target": 10.0,
         "scenario_to_date": 80.0, "target_value": 100.0, "direction": "lower"},
    ))
    assert rows["indicator_code"].tolist() == ["r", "low", "g2", "g1", "z"]
    assert rows.loc[4, "indicator_name"] == "z"  # no name: its code
    assert rows.loc[1, "scenario_pct_of_target"] == pytest.approx(125.0)  # lower is better
    assert list(rows.columns) == list(progress.bullet_rows(status_rows()).columns)


# --- outlook -------------------------------------------------------------------------

def test_outlook_section_reads_the_status_columns():
    row = status_rows({"outlook_value": 519268.0, "outlook_low": 423516.0,
                       "outlook_high": 519268.0, "outlook_pct_of_target": 145.27,
                       "outlook_method": "scenario_pace"}).iloc[0]
    text = detail_view.outlook_section(row, "flow")
    assert text.startswith("Dự báo cuối năm: 519.268 triệu đồng (145,3% chỉ tiêu năm), theo giữ "
                           "tỷ lệ so với kịch bản")
    assert "423.516 triệu đồng – 519.268 triệu đồng" in text


@pytest.mark.parametrize("kind, expected", [
    ("milestone", "đánh giá khi hoàn thành"), ("rank", "xếp hạng"), ("qualitative", "định tính"),
    ("flow", "Chưa có số liệu")])
def test_outlook_section_says_why_there_is_none(kind, expected):
    assert expected in detail_view.outlook_section(status_rows({}).iloc[0], kind)


def test_target_headline_shows_relations_not_bare_numbers():
    relative = pd.Series({"comparator": "relative", "target_value": 10.0, "target_value_high": NAN,
                          "unit": "%", "base_text": "dự toán thành phố giao",
                          "target_text": "tăng 10% trở lên so với dự toán thành phố giao"})
    assert detail_view.target_headline(relative, "triệu đồng") == "+10% so với dự toán thành phố giao"
    number = pd.Series({"comparator": "=", "target_value": 357450.0, "target_value_high": NAN,
                        "unit": "triệu đồng", "base_text": None, "target_text": "357.450"})
    assert detail_view.target_headline(number, "triệu đồng") == "357.450 triệu đồng"


def test_statements_show_the_figure_as_written_and_converted():
    view = detail_view.statements_view(pd.DataFrame([{
        "statement_kind": "actual", "period": "2026-01", "text": "… 20,684 tỷ đồng …",
        "value": 20684.0, "value_as_written": 20.684, "unit_text": "tỷ đồng", "stated_pct": 6.0,
        "source_ref": "BC T01"}]))
    assert view.loc[0, "Số nêu (như văn bản)"] == "20,68 tỷ đồng" or \
        view.loc[0, "Số nêu (như văn bản)"] == "20,684 tỷ đồng"
    assert view.loc[0, "Quy đổi"] == "20.684 triệu đồng"


# --- the documents' figures through the presenters ---------------------------------------

def test_phu_lien_q1_revenue_is_green_at_105879(db):
    status = queries.status(db, as_of="2026-Q1")
    board = overview.status_board(status).text.set_index("Chỉ tiêu")
    cell = board.loc["Thu ngân sách nhà nước trên địa bàn", "Phù Liễn"]
    assert cell == "▲ 105.879 (145,3% KB)"
    items = overview.attention_items(status).set_index("indicator_code")
    # Judged on the ward's own scenario, Q1 has one red: expenditure, provisional.
    assert "budget_expenditure" in items.index and items.loc["budget_expenditure", "provisional"]
    assert not {"budget_revenue", "new_enterprises", "output_industry_construction"} & set(items.index)


def test_thuy_nguyen_shows_no_report(db):
    status = queries.status(db, as_of="2026-Q1")
    counts = overview.ward_counts(status).set_index("ward_code")
    assert not counts.loc["thuy_nguyen", "has_report"]
    assert counts.loc["thuy_nguyen", "grey"] == counts.loc["thuy_nguyen", "total"]
    targets = progress.targets_view(queries.targets(db, ward="thuy_nguyen", year=2026))
    assert "đạt 578,625 tỷ đồng" in targets["Chỉ tiêu kế hoạch (nguyên văn)"].tolist()


def test_compare_rows_for_budget_revenue(db):
    rows = compare.compare_rows(queries.targets(db, indicator="budget_revenue", year=2026),
                                queries.status(db, as_of="2026-Q1").query(
                                    "indicator_code == 'budget_revenue'"))
    by_ward = rows.set_index("ward_code")
    assert by_ward.loc["phu_lien", "pct_of_target"] == pytest.approx(29.62, abs=0.01)
    assert not by_ward.loc["kien_an", "has_report"]
    view = compare.compare_view(rows).set_index("Phường")
    assert view.loc["Kiến An", "Chỉ tiêu"] == "+10% so với dự toán thành phố giao"
    assert view.loc["Phù Liễn", "% chỉ tiêu năm"] == "29,6%"


def test_shared_matrix_cells(db):
    matrix = compare.shared_matrix(queries.shared_targets(db, 2026),
                                   queries.status(db, as_of="2026-Q1"))
    cell = matrix.set_index("Chỉ tiêu").loc["Thu ngân sách nhà nước trên địa bàn", "Phù Liễn"]
    assert cell == "= 357.450 triệu đồng | ▲ 29,6% CT"


def test_tasks_view_filters_plan_and_report(db):
    tasks = queries.tasks(db, ward="phu_lien", year=2026)
    plan = task_view.tasks_view(tasks, task_view.PLAN)
    report = task_view.tasks_view(tasks, task_view.REPORT)
    assert len(plan) + len(report) == len(tasks)
    assert "Tiến độ / kết quả" in report.columns and "Tiến độ / kết quả" not in plan.columns
    assert report["STT"].tolist()[:3] == ["1.1", "1.2", "1.3"]
    office = task_view.task_offices(tasks)[0]
    assert set(task_view.tasks_view(tasks, task_view.REPORT, [office])["Đơn vị chủ trì"]) <= {office}


def test_projects_view_indents_components_and_sums_groups(db):
    projects = queries.projects(db, ward="phu_lien", year=2026)
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


def test_findings_are_listed_in_the_order_pandas_sorts_them(db):
    """detail.issues_in_order sorts in Python: the same order as pandas' stable six-key
    sort with what is missing last, whatever order the rows come in (an unknown severity
    and missing keys included)."""
    from wardplan.rules.quality import SEVERITY_ORDER

    issues = queries.data_issues(db)
    extra = issues.head(4).copy()
    extra["severity"] = ["mystery", None, issues["severity"].iloc[0], "mystery"]
    extra["indicator_code"] = [None, "a", None, "a"]
    extra["period"] = [None, None, "2026-Q1", None]
    issues = pd.concat([issues, extra, issues.head(3)], ignore_index=True)
    for seed in (1, 2, 3):
        shuffled = issues.sample(frac=1, random_state=seed)
        rank = shuffled["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)})
        expected = shuffled.assign(_rank=rank).sort_values(
            ["_rank", "ward_code", "indicator_code", "period", "check_code", "message"],
            na_position="last", kind="stable").drop(columns="_rank")
        pd.testing.assert_frame_equal(detail_view.issues_in_order(shuffled), expected)
    assert detail_view.issues_in_order(issues.iloc[:0]).empty
    nullable = issues.astype({"period": "string", "indicator_code": "string"})  # pd.NA
    expected = nullable.assign(_rank=nullable["severity"].map(
        {s: i for i, s in enumerate(SEVERITY_ORDER)})).sort_values(
        ["_rank", "ward_code", "indicator_code", "period", "check_code", "message"],
        na_position="last", kind="stable").drop(columns="_rank")
    pd.testing.assert_frame_equal(detail_view.issues_in_order(nullable), expected)


def test_actuals_after_the_chosen_period_are_not_drawn():
    series = pd.DataFrame({"month": [1, 2, 3], "actual": [20684.0, math.nan, 105879.0],
                           "actual_period": ["2026-01", None, "2026-Q1"]})
    january = progress.actuals_up_to(series, "2026-01")
    assert january["actual"].tolist()[0] == 20684.0
    assert math.isnan(january["actual"].tolist()[2]) and pd.isna(january["actual_period"].tolist()[2])
    assert progress.actuals_up_to(series, "2026-Q1")["actual"].tolist()[2] == 105879.0


def test_a_figures_history_is_in_ledger_order_within_a_minute():
    """Two submissions and a revert in the same minute: the ledger's order, after the
    bundled workbook's value, and the revert says which submission it undid."""
    at = pd.Timestamp("2026-05-08 03:15:00")
    revisions = pd.DataFrame({
        "period": ["2026-04", "2026-04", "2026-04", "2026-04"],
        "value": [31500.0, 30000.0, 30000.0, 29000.0],
        "value_text": [None, None, None, None],
        "previous_value": [30000.0, 29000.0, 31500.0, math.nan],
        "previous_text": [None, None, None, None],
        "submission_id": [2, 1, 3, math.nan],
        "submitted_by": ["pl_editor", "pl_editor", "admin1", None],
        "submitted_at": [at, at, at, pd.NaT],
        "source_ref": ["nộp #2", "nộp #1", "Hủy lần nộp #2: Phường báo nhầm số", "sổ tính"],
    })
    view = intake_view.revisions_view(revisions, "triệu đồng")
    assert view["Lần nộp"].tolist() == ["sổ tính gốc", "#1", "#2", "#3"]
    assert view.iloc[3]["Giá trị"] == "30.000 triệu đồng"
    assert view.iloc[3]["Giá trị trước đó"] == "31.500 triệu đồng"
    assert view.iloc[3]["Nguồn"] == "Hủy lần nộp #2: Phường báo nhầm số"
