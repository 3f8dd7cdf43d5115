"""The app through Streamlit's AppTest: every page, every ward, an empty period, interactions."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from apppages import app_on, open_page, plain, tables, texts
from bench import synthetic
from etl.build import DATA_DIR, build
from ui import nav
from wardplan.display import board
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules.numbers import format_number_vi

ROOT = Path(__file__).resolve().parent.parent
PAGES = [nav.OVERVIEW, nav.PROGRESS, nav.COMPARE, nav.DETAIL, nav.QUALITY, nav.TASKS]
WARDS = ["phu_lien", "thuy_nguyen", "kien_an"]


def spec_values(values):
    """Plotly JSON arrays may come base64-encoded as {'dtype', 'bdata'}."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def figure(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def trace(spec: dict, name_start: str) -> dict:
    return next(t for t in spec["data"] if t.get("name", "").startswith(name_start))


@pytest.fixture(autouse=True)
def _database(built_db):
    """Every test here reads the session's built database (CHITIEU_DB)."""


# --- smoke: every page, every ward, an empty period ---------------------------------

@pytest.mark.parametrize("ward", WARDS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_every_page_renders_for_every_ward(page, ward):
    at = open_page(page, ward=ward)
    assert at.title, "each page has a title"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_every_page_renders_for_a_period_without_data(page):
    at = open_page(page, ward="phu_lien", as_of="2026-11", indicator="budget_revenue")
    assert at.query_params["as_of"] == "2026-11"


def test_overview_says_when_the_period_has_no_data():
    at = open_page(nav.OVERVIEW, as_of="2026-11")
    assert "Chưa có số liệu thực hiện nào cho kỳ Tháng 11/2026" in texts(at)
    assert "Tháng 11/2026" in at.title[0].value


def test_invalid_url_values_fall_back_to_defaults():
    at = open_page(nav.DETAIL, ward="nowhere", indicator="'; DROP TABLE x; --", as_of="2031-13")
    assert at.selectbox(key="ward").value == "phu_lien"
    assert at.selectbox(key="as_of").value == "2026-Q1"
    assert at.query_params["ward"] == "phu_lien"


def test_a_bad_link_says_so_in_vietnamese():
    # AppTest's first run is the default page, which reads only the period; the ward is
    # read on the progress page.  (In a browser a deep link shows both at once.)
    at = open_page(nav.OVERVIEW, ward="xyz", as_of="2026-13")
    warnings = [w.value for w in at.warning]
    assert any("Đường dẫn có kỳ báo cáo không hợp lệ: “2026\\-13”" in w and "Quý I/2026" in w
               for w in warnings), warnings
    at = open_page(nav.PROGRESS, ward="xyz")
    warnings = [w.value for w in at.warning]
    assert any("Đường dẫn có phường không hợp lệ: “xyz”" in w and "Phù Liễn" in w
               for w in warnings), warnings
    # The link is corrected, so the next run (any widget change) no longer warns.
    at.selectbox(key="as_of").select("2026-01").run()
    assert not [w for w in at.warning if "Đường dẫn" in w.value]


def test_a_good_link_raises_no_warning():
    at = open_page(nav.DETAIL, ward="kien_an", indicator="budget_revenue", as_of="2026-Q1")
    assert not [w for w in at.warning if "Đường dẫn" in w.value]


def test_indicator_search_ignores_diacritics():
    at = open_page(nav.DETAIL, ward="phu_lien", indicator="admin_online", as_of="2026-Q1")
    at.text_input(key="indicator_search").input("ngan sach").run()
    assert not at.exception
    names = [at.selectbox(key="indicator").format_func(o) for o in at.selectbox(key="indicator").options]
    assert names and all("ngân sách" in n.lower() for n in names), names
    assert "Thu ngân sách nhà nước trên địa bàn" in names
    at.text_input(key="indicator_search").input("khong co chi tieu nay").run()
    assert any("Không tìm thấy chỉ tiêu nào khớp" in c.value for c in at.caption)


def test_help_page_explains_every_status_origin_and_kind_with_the_codes_labels():
    from wardplan.display import styles
    from wardplan.rules import kinds
    from wardplan.rules.scenario import ORIGIN_LABELS_VI

    at = open_page(nav.HELP)
    assert at.title[0].value == "Hướng dẫn sử dụng"
    shown = texts(at) + "\n".join(t.to_csv() for t in tables(at))
    for status in styles.STATUS_ORDER:
        assert styles.STATUS_STYLES[status].label in shown
    for label in ORIGIN_LABELS_VI.values():
        assert label in shown
    for label in kinds.LABELS_VI.values():
        assert label in shown
    assert "từ 100% kịch bản đến kỳ trở lên" in shown  # the bands of v_build
    assert "tạm tính" in shown and "chưa có báo cáo kỳ này" in shown and "lỗi dữ liệu" in shown
    assert [s.proto.body for s in at.subheader][:3] == [
        "Trạng thái và ký hiệu", "Kịch bản tăng trưởng và nguồn gốc của nó", "Loại chỉ tiêu"]


@pytest.mark.parametrize("page", [nav.OVERVIEW, nav.PROGRESS, nav.DETAIL, nav.EXPORT],
                         ids=lambda p: p.url_path)
def test_pages_that_use_the_words_link_to_the_help(page):
    at = open_page(page, ward="phu_lien", indicator="budget_revenue", as_of="2026-Q1")
    assert any(link.proto.page == nav.HELP.url_path for link in at.get("page_link"))


def test_load_time_is_shown_in_vietnam_time():
    at = open_page(nav.OVERVIEW)
    footer = " ".join(c.value for c in at.sidebar.caption)
    assert "(giờ Việt Nam)" in footer and "UTC" not in footer


# --- overview ------------------------------------------------------------------------------

def test_overview_lists_red_and_amber_first_with_reasons_and_links():
    at = open_page(nav.OVERVIEW)
    assert at.query_params["as_of"] == "2026-Q1"  # default: latest period with data
    shown = texts(at)
    assert "Quý I/2026" in at.title[0].value
    # On the ward's own scenario, new enterprises and industry are not behind in Q1.
    attention = [link.proto.query_string for link in at.get("page_link")
                 if link.proto.page == nav.DETAIL.url_path]
    assert "ward=phu_lien&indicator=budget_expenditure&as_of=2026-Q1" in attention
    assert not any("indicator=new_enterprises&" in q for q in attention)
    assert "Lũy kế đến hết Tháng 3/2026: 86.450 triệu đồng" in shown  # the note's first sentence
    assert "Cơ sở: tạm tính" in shown
    assert "Dự báo cuối năm: 345.800 triệu đồng" in shown
    assert "≠ Đơn vị tự đánh giá: “Đạt”" in shown
    assert "từ 100% kịch bản đến kỳ" in shown  # the legend reads the bands of the build
    links = [link for link in at.get("page_link") if link.proto.page == nav.DETAIL.url_path]
    queries = [link.proto.query_string for link in links]
    assert "ward=phu_lien&indicator=budget_expenditure&as_of=2026-Q1" in queries
    assert "ward=phu_lien&indicator=output_industry_construction&as_of=2026-Q1" not in queries


def test_overview_board_and_counts():
    """One row per unit: its counts per status, its reporting, what it is behind on."""
    at = open_page(nav.OVERVIEW)
    board = next(f for f in tables(at) if "Chậm và cần chú ý" in f.columns).set_index("Đơn vị")
    assert list(board.index) == ["[Phù Liễn](tien-do?ward=phu_lien&as_of=2026-Q1)",
                                 "[Kiến An](tien-do?ward=kien_an&as_of=2026-Q1)",
                                 "[Thủy Nguyên](tien-do?ward=thuy_nguyen&as_of=2026-Q1)"]
    phu_lien = board.iloc[0]
    # expenditure; land rent and tax (January): three red, as the ward's own scenario says
    assert ":red-badge[▼ 3]" in phu_lien["Tổng"]
    assert phu_lien["Báo cáo kỳ Quý I/2026"] == "Đã báo cáo"
    assert "▼ Tổng chi ngân sách (87,6% KB)* ≠" in phu_lien["Chậm và cần chú ý"]
    assert "↩" in phu_lien["Chậm và cần chú ý"]  # land rent: January's figure
    assert board.iloc[2]["Báo cáo kỳ Quý I/2026"] == "Chưa gửi báo cáo năm 2026"
    assert ":gray-badge[○ 24]" == board.iloc[2]["Tổng"]


def test_overview_grid_shows_each_indicator_of_a_few_units():
    at = open_page(nav.OVERVIEW)
    at.session_state["board_view"] = "Theo chỉ tiêu"
    at.run()
    assert not at.exception
    grid = next(f for f in tables(at) if "Lĩnh vực" in f.columns and "Phù Liễn" in f.columns)
    row = grid.set_index("Chỉ tiêu").loc["Thu ngân sách nhà nước trên địa bàn"]
    assert row["Phù Liễn"].startswith("▲ 105.879")


def test_changing_the_period_changes_the_view_and_the_url():
    at = open_page(nav.OVERVIEW)
    at.selectbox(key="as_of").select("2026-01").run()
    assert not at.exception
    assert "Tháng 1/2026" in at.title[0].value
    assert at.query_params["as_of"] == "2026-01"


# --- ward progress ------------------------------------------------------------------------

def test_core_chart_for_phu_lien_budget_revenue():
    at = open_page(nav.PROGRESS, ward="phu_lien", indicator="budget_revenue", as_of="2026-Q1")
    spec = figure(at)
    actual = trace(spec, "Thực hiện lũy kế")
    assert spec_values(actual["x"]) == [1, None, 3]  # the line breaks at February
    assert [v for v in spec_values(actual["y"]) if v is not None] == [20684, 105879]
    implied = spec_values(trace(spec, "Kịch bản suy từ báo cáo")["y"])
    assert implied[2] == pytest.approx(105879 / 1.4527)  # the ward's own Q1 scenario
    target = trace(spec, "Chỉ tiêu năm 2026")
    assert set(spec_values(target["y"])) == {357450}
    layout = spec["layout"]
    assert layout["separators"] == ",."
    assert "Phù Liễn" in layout["title"]["text"]
    assert "triệu đồng" in layout["title"]["subtitle"]["text"]
    assert any(a.get("text", "").startswith("Nguồn:") for a in layout["annotations"])
    # core chart + bullet summary, each in a wide and a phone form
    assert [c.key for c in at.get("plotly_chart")] == [
        "progress_chart", "progress_chart_narrow", "bullet_chart", "bullet_chart_narrow"]
    phone = figure(at, 1)
    assert spec_values(phone["layout"]["xaxis"]["tickvals"]) == [1, 3, 6, 9, 12]
    assert phone["layout"]["legend"]["entrywidthmode"] == "fraction"  # one entry a row


def test_ward_without_report_shows_its_targets_and_says_so():
    at = open_page(nav.PROGRESS, ward="phu_lien")
    at.selectbox(key="ward").select("thuy_nguyen").run()
    assert not at.exception
    assert "Phường chưa gửi báo cáo thực hiện năm 2026" in texts(at)
    assert at.query_params["ward"] == "thuy_nguyen"
    targets = tables(at)[0]
    assert "đạt 578,625 tỷ đồng" in targets["Chỉ tiêu kế hoạch (nguyên văn)"].tolist()
    assert {"So sánh", "Giá trị", "Đơn vị", "Nguồn"} <= set(targets.columns)
    assert not at.get("plotly_chart")


def test_the_whole_plan_is_drawn_only_once_opened(db):
    at = open_page(nav.PROGRESS, ward="phu_lien", indicator="budget_revenue")
    assert "Toàn bộ chỉ tiêu kế hoạch năm 2026 của phường" in [e.label for e in at.expander]
    assert not tables(at)
    at.session_state["all_targets"] = True
    at.run()
    (plan,) = tables(at)
    assert "357.450" in plan["Chỉ tiêu kế hoạch (nguyên văn)"].tolist()  # the revenue target
    assert len(plan) == len(queries.targets(db, ward="phu_lien", year=2026))


def test_changing_the_indicator_redraws_the_chart():
    at = open_page(nav.PROGRESS, ward="phu_lien", indicator="budget_revenue")
    at.selectbox(key="indicator").select("budget_expenditure").run()
    assert not at.exception
    assert "Tổng chi ngân sách" in figure(at)["layout"]["title"]["text"]
    assert at.query_params["indicator"] == "budget_expenditure"


# --- compare ---------------------------------------------------------------------------------

def test_compare_ranks_every_unit_with_its_target_and_normalised_progress():
    at = open_page(nav.COMPARE, indicator="budget_revenue", as_of="2026-Q1", ward="phu_lien")
    side = tables(at)[0].set_index("Đơn vị")
    assert side.loc["Thủy Nguyên", "Chỉ tiêu (nguyên văn)"] == "đạt 578,625 tỷ đồng"
    assert side.loc["Phù Liễn ◀", "% chỉ tiêu năm"] == "29,6%"  # the chosen unit, marked
    assert side.loc["Phù Liễn ◀", "Hạng"] == "1" and side.loc["Kiến An", "Hạng"] == "—"
    assert side.loc["Kiến An", "Báo cáo"] == "Chưa gửi"
    assert "Phù Liễn: hạng 1/1 đơn vị có số liệu theo % kịch bản đến kỳ (145,3%)" in texts(at)
    matrix = next(f for f in tables(at) if "Kiến An" in f.columns)
    assert not (matrix.drop(columns="Chỉ tiêu") == "").all(axis=1).any()  # no blank rows
    schools = matrix.set_index("Chỉ tiêu").loc["Phòng học thông minh", "Phù Liễn"]
    assert schools == "= 5 phòng | ○ đánh giá cuối năm"  # a milestone, not "0% CT"
    assert {"Kiến An", "Phù Liễn", "Thủy Nguyên"} <= set(matrix.columns)
    assert [c.key for c in at.get("plotly_chart")] == [
        "ranking_chart", "ranking_chart_narrow", "distribution_chart", "distribution_chart_narrow"]
    ranking, distribution = figure(at), figure(at, 2)
    assert "Thu ngân sách" in ranking["layout"]["title"]["text"]
    assert "Quý I/2026" in ranking["layout"]["title"]["subtitle"]["text"]
    assert any(a.get("text", "").startswith("Nguồn:") for a in ranking["layout"]["annotations"])
    assert "Phân bố" in distribution["layout"]["title"]["text"]


def test_compare_ranks_on_the_annual_target_too():
    at = open_page(nav.COMPARE, indicator="budget_revenue", as_of="2026-Q1", ward="kien_an")
    at.segmented_control(key="compare_by").set_value("pct_of_target").run()
    assert not at.exception
    assert "Kiến An: chưa có báo cáo theo % chỉ tiêu năm" in texts(at)
    assert "% chỉ tiêu năm" in figure(at)["layout"]["xaxis"]["title"]["text"]


# --- detail ------------------------------------------------------------------------------------

def test_detail_from_url_params_shows_every_figure_with_its_source():
    at = open_page(nav.DETAIL, ward="phu_lien", indicator="budget_revenue", as_of="2026-Q1")
    assert at.selectbox(key="indicator").value == "budget_revenue"
    shown = texts(at)
    assert "Thu ngân sách nhà nước trên địa bàn — Phù Liễn" in at.title[0].value
    assert "Dự báo cuối năm: 519.268 triệu đồng (145,3% chỉ tiêu năm)" in shown
    assert "khớp kết quả tính" in shown
    assert [m.value for m in at.metric][:3] == ["105.879", "72.884", "357.450 triệu đồng"]
    frames = {tuple(df.columns): df for df in tables(at)}
    actuals = next(f for cols, f in frames.items() if "Nguyên văn" in cols and "Kỳ" in cols
                   and "Phường đánh giá" in cols)
    assert "105,879" in actuals["Nguyên văn"].tolist()
    assert actuals["Nguồn"].str.contains("103/BC-UBND").any()
    scenario = next(f for cols, f in frames.items() if "Nguồn gốc" in cols)
    assert "chính thức (phường lập)" in scenario["Nguồn gốc"].tolist()
    assert "suy từ báo cáo của phường" in scenario["Nguồn gốc"].tolist()
    statements = next(f for cols, f in frames.items() if "Số nêu (như văn bản)" in cols)
    assert "20,684 tỷ đồng" in statements["Số nêu (như văn bản)"].tolist()  # as the prose wrote it
    assert "20.684 triệu đồng" in statements["Quy đổi"].tolist()


def test_detail_shows_a_verdict_that_differs_and_the_findings():
    at = open_page(nav.DETAIL, ward="phu_lien", indicator="serious_crime_clearance",
                   as_of="2026-Q1")
    frames = tables(at)
    findings = next(f for f in frames if "Phát hiện" in f.columns)
    assert "Lỗi" in findings["Mức độ"].tolist()
    at = open_page(nav.DETAIL, ward="phu_lien", indicator="budget_expenditure", as_of="2026-Q1")
    assert "≠ Phường tự đánh giá “Đạt”" in texts(at)


def test_detail_projection_is_not_computable_without_figures():
    at = open_page(nav.DETAIL, ward="kien_an", indicator="budget_revenue", as_of="2026-Q1")
    assert "Chưa có số liệu thực hiện để tính dự báo cuối năm" in texts(at)
    assert "+10% so với dự toán thành phố giao" in [m.value for m in at.metric]
    assert "Phường chưa gửi báo cáo thực hiện năm 2026." in texts(at)


# --- data quality ----------------------------------------------------------------------------------

def test_quality_filters_by_ward_and_severity_with_links():
    at = open_page(nav.QUALITY, ward="thuy_nguyen")
    one_ward = len(tables(at)[0])
    at.toggle(key="dq_all_wards").set_value(True).run()
    everything = tables(at)[0]
    assert len(everything) > one_ward
    links = everything["Chi tiết"][everything["Chi tiết"] != ""]
    assert links.str.match(r"\[Mở\]\(chi-tiet\?ward=\w+&indicator=\w+&as_of=2026-Q1\)$").all()
    at.multiselect(key="dq_severity").set_value(["error"]).run()
    assert set(tables(at)[0]["Mức độ"]) == {"Lỗi"}


@pytest.fixture
def on_city_with_reports(tmp_path: Path, monkeypatch):
    """The bundled wards with four months of reports each in the ledger (SYNTHETIC figures,
    bench/synthetic.write_reports), and a city of findings to page through."""
    data, db = tmp_path / "data", tmp_path / "city.duckdb"
    shutil.copytree(DATA_DIR, data)
    build(data, db)
    synthetic.write_reports(data, db, months=("2026-02", "2026-03", "2026-04", "2026-05"))
    build(data, db)
    with app_on(monkeypatch, CHITIEU_DB=db, CHITIEU_DATA=data):
        yield db


def test_quality_shows_findings_and_submissions_a_page_at_a_time(on_city_with_reports):
    """A city has thousands of findings and a year of reports more than a thousand
    submissions: all of them at once sent 33 MB to the browser and took 5 s a rerun."""
    issues = queries.data_issues(Database(on_city_with_reports))
    submitted = queries.submission_findings(Database(on_city_with_reports))
    numbers = submitted["submission_id"].drop_duplicates().tolist()
    assert len(issues) > 50 and len(numbers) > 10  # more than a page of each
    at = open_page(nav.QUALITY, ward="phu_lien")
    at.toggle(key="dq_all_wards").set_value(True).run()
    first = tables(at)[0]
    assert len(first) == 50
    assert f"Phát hiện 1–50 trong {format_number_vi(len(issues))}" in texts(at)
    listed = [plain(e.label) for e in at.expander if plain(e.label).startswith("Lần nộp #")]
    assert [int(label.split("#")[1].split(" ")[0]) for label in listed] == numbers[:10]
    # A submission's table is drawn and sent only once its expander is opened.
    assert len(tables(at)) == 1
    at.session_state[f"dq-submission-{numbers[0]}"] = True
    at.run()
    opened = tables(at)
    assert len(opened) == 2
    assert len(opened[1]) == (submitted["submission_id"] == numbers[0]).sum()
    pagers = {p.proto.id: p for p in at.get("pagination")}
    assert len(pagers) == 2
    at.get("pagination")[0].select(2).run()
    second = tables(at)[0]

    def rows(table) -> set[tuple]:  # a finding's text alone may repeat
        return set(table[["Phường", "Chỉ tiêu", "Kỳ", "Phát hiện"]].itertuples(index=False))
    assert 0 < len(second) <= 50 and not rows(first) & rows(second)
    at.get("pagination")[1].select(2).run()
    listed = [plain(e.label) for e in at.expander if plain(e.label).startswith("Lần nộp #")]
    assert [int(label.split("#")[1].split(" ")[0]) for label in listed] == numbers[10:20]
    # Another choice of severities starts again at its first page.
    at.multiselect(key="dq_severity").set_value(["error", "warning"]).run()
    chosen = issues[issues["severity"].isin(["error", "warning"])]
    assert board.page_caption(len(chosen), 1, 50, "phát hiện") in texts(at)
    assert {plain(m) for m in tables(at)[0]["Phát hiện"]} <= set(chosen["message"])


# --- tasks and projects ----------------------------------------------------------------------------

def test_tasks_switch_between_plan_and_report_and_filter_by_office():
    at = open_page(nav.TASKS, ward="phu_lien")
    plan = tables(at)[0]
    assert "Phối hợp" in plan.columns
    at.segmented_control(key="task_source").set_value("report").run()
    report = tables(at)[0]
    assert "Tiến độ / kết quả" in report.columns
    office = report["Đơn vị chủ trì"].iloc[0]
    at.multiselect(key="task_offices").set_value([office]).run()
    assert set(tables(at)[0]["Đơn vị chủ trì"]) == {office}


def test_projects_show_money_and_group_warnings():
    at = open_page(nav.TASKS, ward="phu_lien")
    frames = tables(at)
    projects = next(f for f in frames if "Dự án / hạng mục" in f.columns)
    assert projects.loc[0, "Tổng vốn (triệu đồng)"] == "69.917,954"
    assert any("Nhóm B" in w.value for w in at.warning)
    at = open_page(nav.TASKS, ward="kien_an")
    assert "Phường chưa có danh mục dự án trong cơ sở dữ liệu." in texts(at)


# --- text from workbooks stays text ---------------------------------------------------------------

def test_markdown_in_data_is_escaped():
    from ui.components import md_escape

    hostile = "*PAR index* :red[x] <b>y</b> $z$ [a](http://e.x)"
    escaped = md_escape(hostile)
    for special in ("*", ":", "<", "$", "[", "("):
        assert f"\\{special}" in escaped
    assert md_escape(None) == ""


def test_indicator_names_with_markup_characters_render_literally():
    at = open_page(nav.DETAIL, ward="phu_lien", indicator="output_industry_construction",
                   as_of="2026-Q1")
    # The name holds '-', which markdown would read as a list or rule if unescaped.
    assert at.title[0].value.startswith("Giá trị sản phẩm ngành công nghiệp \\- xây dựng")
