"""The city board: units as rows, filters, order, search, pages — given → expected frames,
then the overview through AppTest on the bundled wards and on a small SYNTHETIC city
("dữ liệu thử nghiệm", bench/synthetic.py: more units than one page holds)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from test_presenters import status_rows

from apppages import app_on, open_page, plain, tables, texts
from bench import synthetic
from etl.build import build
from ui import nav
from wardplan.display import board
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules.reporting import LATE, REPORTED

UNITS = pd.DataFrame([
    {"ward_code": "phu_lien", "name_vi": "Phù Liễn", "unit_type_vi": "Phường",
     "has_report": True},
    {"ward_code": "an_lao", "name_vi": "An Lão", "unit_type_vi": "Xã", "has_report": True},
    {"ward_code": "thuy_nguyen", "name_vi": "Thủy Nguyên", "unit_type_vi": "Phường",
     "has_report": False},
])


def city() -> board.CityBoard:
    return board.city_board(status_rows(
        {"indicator_code": "rev", "indicator_name": "Thu ngân sách", "status": "green",
         "pct_of_scenario": 145.3, "actual_to_date": 105879, "actual_period": "2026-Q1"},
        {"indicator_code": "exp", "indicator_name": "Tổng chi ngân sách", "status": "red",
         "pct_of_scenario": 87.6, "provisional": True, "ward_verdict": "Đạt",
         "actual_period": "2026-Q1"},
        {"indicator_code": "rent", "indicator_name": "Thu tiền thuê đất", "status": "red",
         "pct_of_scenario": 0.7, "carried": True, "actual_period": "2026-01"},
        {"indicator_code": "fees", "indicator_name": "Phí, lệ phí", "status": "grey",
         "status_reason": "data_error"},
        {"ward_code": "an_lao", "ward_name": "An Lão", "indicator_code": "rev",
         "indicator_name": "Thu ngân sách", "status": "amber", "pct_of_scenario": 95.0,
         "actual_period": "2026-01", "group_vi": "Kinh tế"},
        {"ward_code": "an_lao", "ward_name": "An Lão", "indicator_code": "school",
         "indicator_name": "Trường chuẩn", "status": "green", "group_vi": "Văn hóa - Xã hội",
         "actual_period": "2026-01"},
        {"ward_code": "thuy_nguyen", "ward_name": "Thủy Nguyên", "has_report": False,
         "indicator_code": "rev", "indicator_name": "Thu ngân sách",
         "status_reason": "no_report"},
    ), UNITS, "2026-Q1")


def codes(frame) -> list[str]:
    return frame["ward_code"].tolist()


# --- given → expected ------------------------------------------------------------------

def test_every_unit_is_a_row_worst_first_with_counts_over_the_chosen_groups():
    rows = board.select_units(city(), board.BoardFilter())
    assert codes(rows) == ["phu_lien", "an_lao", "thuy_nguyen"]
    by_unit = rows.set_index("ward_code")
    assert by_unit.loc["phu_lien", ["red", "amber", "green", "grey", "total"]].tolist() == \
        [2, 0, 1, 1, 4]
    culture = board.select_units(city(), board.BoardFilter(groups=("Văn hóa - Xã hội",)))
    assert culture.set_index("ward_code").loc["an_lao", ["amber", "green"]].tolist() == [0, 1]
    assert culture.set_index("ward_code").loc["phu_lien", "total"] == 0


def test_filters_by_type_status_and_a_search_without_diacritics():
    assert codes(board.select_units(city(), board.BoardFilter(types=("Xã",)))) == ["an_lao"]
    assert codes(board.select_units(city(), board.BoardFilter(statuses=("amber",)))) == ["an_lao"]
    assert codes(board.select_units(city(), board.BoardFilter(statuses=("red", "amber")))) == \
        ["phu_lien", "an_lao"]
    # in Văn hóa - Xã hội nothing is red or amber
    assert board.select_units(city(), board.BoardFilter(
        statuses=("red", "amber"), groups=("Văn hóa - Xã hội",))).empty
    for query in ("thuy nguyen", "THỦY", "nguyen", "  Thuy   Nguyên "):
        assert codes(board.select_units(city(), board.BoardFilter(query=query))) == \
            ["thuy_nguyen"], query
    assert board.select_units(city(), board.BoardFilter(query="hải dương")).empty


def test_orders():
    states = {"phu_lien": REPORTED, "an_lao": LATE, "thuy_nguyen": LATE}
    order = {sort: codes(board.select_units(city(), board.BoardFilter(sort=sort), states))
             for sort in board.SORT_LABELS_VI}
    assert order[board.SORT_RED] == ["phu_lien", "an_lao", "thuy_nguyen"]
    assert order[board.SORT_AMBER] == ["an_lao", "phu_lien", "thuy_nguyen"]
    assert order[board.SORT_NAME] == ["an_lao", "phu_lien", "thuy_nguyen"]  # A, P, T
    assert order[board.SORT_UNREPORTED] == ["an_lao", "thuy_nguyen", "phu_lien"]
    assert board.SORT_LABELS_VI[board.SORT_RED] == "Nhiều ▼ Chậm nhất"


def test_a_row_names_what_is_behind_with_every_mark():
    rows = board.select_units(city(), board.BoardFilter(), {"phu_lien": REPORTED})
    view = board.units_view(rows, city(), [], "2026-Q1", 2026)
    text = view.text.set_index("Đơn vị")
    behind = text.loc["Phù Liễn", "Chậm và cần chú ý"].split(board.LINE_BREAK)
    # worst first; * provisional, ≠ the ward's own verdict differs, ↩ carried
    assert behind == ["▼ Thu tiền thuê đất (0,7% KB) ↩", "▼ Tổng chi ngân sách (87,6% KB)* ≠",
                      "○ Lỗi dữ liệu: 1 chỉ tiêu"]
    assert text.loc["Phù Liễn", "Tổng"] == board.Counts({"red": 2, "green": 1, "grey": 1})
    assert text.loc["Phù Liễn", "Kinh tế"] == board.Counts({"red": 2, "green": 1, "grey": 1})
    assert text.loc["Phù Liễn", "Văn hóa - Xã hội"] == board.Counts({})  # no such indicator
    assert text.loc["Phù Liễn", "Báo cáo kỳ Quý I/2026"] == "Đã báo cáo"
    # An Lão reported January only: its statuses are carried
    assert text.loc["An Lão", "Báo cáo kỳ Quý I/2026"] == "↩ số liệu Tháng 1/2026"
    assert text.loc["Thủy Nguyên", "Báo cáo kỳ Quý I/2026"] == "Chưa gửi báo cáo năm 2026"
    assert text.loc["Thủy Nguyên", "Chậm và cần chú ý"] == "Chưa có báo cáo thực hiện"
    assert view.links == {"Đơn vị": "_url"}
    assert text.loc["Phù Liễn", "_url"] == "tien-do?ward=phu_lien&as_of=2026-Q1"


def test_phone_list_is_the_same_page_of_units():
    rows = board.select_units(city(), board.BoardFilter())
    phone = board.phone_units(rows, city(), [], 2026)
    assert [u.ward_code for u in phone] == codes(rows)
    first = phone[0]
    assert [i.indicator_name for i in first.first] == ["Thu tiền thuê đất", "Tổng chi ngân sách"]
    assert first.first[1].qualifiers == ["tạm tính"] and first.data_errors == 1
    assert first.counts == "▼ 2 · ▲ 1 · ○ 1"


def test_pages():
    assert board.page_count(0) == 1 and board.page_count(25) == 1 and board.page_count(26) == 2
    frame = pd.DataFrame({"n": range(114)})
    assert board.page_of(frame, 5)["n"].tolist() == list(range(100, 114))
    assert board.page_of(frame, 9)["n"].tolist() == list(range(100, 114))  # past the end
    assert board.page_caption(114, 2) == "Đơn vị 26–50 trong 114"
    assert board.page_caption(3, 1) == "Cả 3 đơn vị"
    assert board.page_caption(26, 2) == "Đơn vị thứ 26 trong 26"
    assert board.page_caption(6054, 2, 50, "phát hiện") == "Phát hiện 51–100 trong 6.054"


def test_key_indicators_count_units_per_status(db):
    summary = board.key_indicators(queries.status(db, as_of="2026-Q1")).set_index(
        "indicator_code")
    # planned by at least two of the three wards; components (revenue by source) left out
    assert "budget_revenue" in summary.index and "budget_revenue_land_rent" not in summary.index
    revenue = summary.loc["budget_revenue"]
    assert (revenue["units"], revenue["green"], revenue["grey"]) == (3, 1, 2)
    view = board.key_indicators_view(summary.reset_index().head(3))
    assert view.counts == ("▼ Chậm", "● Cần chú ý")


# --- the overview through AppTest ----------------------------------------------------

def board_rows(at) -> list[str]:
    frame = next(f for f in tables(at) if "Chậm và cần chú ý" in f.columns)
    return [cell.split("](")[0].lstrip("[") for cell in frame["Đơn vị"]]


@pytest.fixture
def bundled(built_db):
    return open_page(nav.OVERVIEW, as_of="2026-Q1")


def test_the_board_on_the_bundled_wards(bundled):
    assert board_rows(bundled) == ["Phù Liễn", "Kiến An", "Thủy Nguyên"]
    assert not bundled.get("pagination")  # three wards: one page
    assert "Cả 3 đơn vị" in texts(bundled)
    # a phone gets the same units as a list, each a link to its progress page
    progress = [link.proto.query_string for link in bundled.get("page_link")
                if link.proto.page == nav.PROGRESS.url_path]
    assert progress == ["ward=phu_lien&as_of=2026-Q1", "ward=kien_an&as_of=2026-Q1",
                        "ward=thuy_nguyen&as_of=2026-Q1"]
    summary = next(f for f in tables(bundled) if "Số đơn vị có chỉ tiêu" in f.columns)
    assert "Thu ngân sách nhà nước trên địa bàn" in summary["Chỉ tiêu"].tolist()
    assert "Đơn vị chưa báo cáo kỳ Quý I/2026 (2)" in [e.label for e in bundled.expander]


def test_search_status_group_and_order_on_the_bundled_wards(bundled):
    bundled.text_input(key="board_search").input("thuy nguyen").run()
    assert board_rows(bundled) == ["Thủy Nguyên"]
    bundled.text_input(key="board_search").input("").run()
    bundled.button_group(key="board_statuses").set_value(["red"]).run()
    assert board_rows(bundled) == ["Phù Liễn"]
    # only red items are left in "what needs attention first"
    assert all(link.proto.query_string.startswith("ward=phu_lien")
               for link in bundled.get("page_link") if link.proto.page == nav.DETAIL.url_path)
    bundled.button_group(key="board_statuses").set_value([]).run()
    bundled.button_group(key="board_groups").set_value(["Môi trường"]).run()
    frame = next(f for f in tables(bundled) if "Chậm và cần chú ý" in f.columns)
    assert "Môi trường" in frame.columns and "Kinh tế" not in frame.columns
    bundled.selectbox(key="board_sort").select(board.SORT_NAME).run()
    assert board_rows(bundled) == ["Kiến An", "Phù Liễn", "Thủy Nguyên"]
    assert not bundled.exception
    assert not bundled.get("button_group") or "board_types" not in [
        b.key for b in bundled.get("button_group")]  # one unit type: no type filter


def test_full_list_tab_is_every_unit_and_indicator_worst_first(bundled):
    bundled.session_state["board_view"] = "Danh sách đầy đủ"
    bundled.run()
    listed = next(f for f in tables(bundled) if "Chi tiết" in f.columns)
    assert listed["Trạng thái"].iloc[0].startswith("▼ Chậm")
    assert len(listed) == 50  # the first page of 87 rows
    assert [p.num_pages for p in bundled.get("pagination")] == [2]


@pytest.fixture(scope="module")
def small_city(tmp_path_factory) -> Path:
    """30 units, SYNTHETIC ("dữ liệu thử nghiệm"): more than one page of the board."""
    folder = tmp_path_factory.mktemp("synthetic-city")
    synthetic.write(folder / "data", units=30)
    db = folder / "city.duckdb"
    build(folder / "data", db)
    return db


@pytest.fixture
def on_small_city(small_city: Path, monkeypatch):
    with app_on(monkeypatch, CHITIEU_DB=small_city):
        yield small_city


def test_a_city_board_pages_and_filters_by_unit_type(on_small_city):
    units = queries.wards(Database(on_small_city))
    assert all(synthetic.LABEL in name for code, name in zip(units["ward_code"], units["name_vi"],
                                                             strict=True)
               if code.startswith("synthetic_"))
    at = open_page(nav.OVERVIEW, as_of="2026-Q1")
    first = board_rows(at)
    assert len(first) == board.PAGE_SIZE
    assert [p.num_pages for p in at.get("pagination")] == [2]
    assert "Đơn vị 1–25 trong 30" in texts(at)
    at.get("pagination")[0].select(2).run()
    second = board_rows(at)
    assert len(second) == 5 and not set(first) & set(second)
    # worst first across the pages
    reds = queries.status(Database(on_small_city), as_of="2026-Q1").query("status == 'red'")
    worst = reds.groupby("ward_name").size().sort_values(ascending=False)
    assert first[0] in set(worst[worst == worst.max()].index)
    # a new filter starts again at page 1
    at.button_group(key="board_types").set_value(["Xã"]).run()
    kept = set(board_rows(at))
    xa = set(units.loc[units["unit_type_vi"] == "Xã", "name_vi"])
    assert kept and kept <= xa
    assert "Đơn vị 1–" in texts(at) or "Cả " in texts(at)
    assert not at.exception


# --- the compare page: every unit ranked ---------------------------------------------------

def test_the_ranking_holds_every_unit_and_opens_at_the_chosen_ones_page(on_small_city):
    status = queries.status(Database(on_small_city), as_of="2026-Q1", indicator="budget_revenue")
    planning = set(status["ward_code"])
    assert len(planning) > 25  # more than a page of the table
    # the chosen unit: the last of the ranked ones, so that it is on the second page
    last = status.dropna(subset=["pct_of_scenario"]).sort_values("pct_of_scenario").iloc[0]
    at = open_page(nav.COMPARE, indicator="budget_revenue", as_of="2026-Q1",
                   ward=last["ward_code"])
    spec = next(c for c in at.get("plotly_chart") if c.key == "ranking_chart").proto.spec
    ranking = json.loads(spec)
    assert set(ranking["layout"]["yaxis"]["tickvals"]) == planning  # reported or not
    bold = [t for t in ranking["layout"]["yaxis"]["ticktext"] if t.startswith("<b>")]
    assert len(bold) == 1 and bold[0].endswith(" ◀</b>")
    assert [p.num_pages for p in at.get("pagination")] == [2]
    assert f"{last['ward_name']} ◀" in tables(at)[0]["Đơn vị"].tolist()  # its page, marked
    ranked = int(status["pct_of_scenario"].notna().sum())
    assert f"/{ranked} đơn vị có số liệu theo % kịch bản đến kỳ" in texts(at)


def test_an_attention_item_escapes_the_data_it_shows():
    """ui.board draws an attention item as one Markdown: names, figures, notes and the
    ward's own verdict are data and must read literally (no bold, links or directives)."""
    from types import SimpleNamespace

    from ui.board import _attention_markdown

    item = SimpleNamespace(
        status="red", ward_name="**Phường** [x](http://a.b)", indicator_name=":red[Thu]",
        figure="1.000 triệu đồng", pct_scenario="50%", qualifiers="tạm tính",
        headline="Lũy kế *đến* hết Tháng 3/2026: 86.450 triệu đồng",
        outlook="Dự báo cuối năm: ]] 345.800", verdict_differs=True, ward_verdict="Đạt [1]")
    text = _attention_markdown(item)
    for raw in ("**Phường**", "[x](http", ":red[Thu]", "*đến*", "]] 345", "Đạt [1]"):
        assert raw not in text, raw
    shown = plain(text)
    for said in ("**Phường** [x](http", ":red[Thu]", "*đến* hết Tháng 3/2026",
                 "]] 345.800", "≠ Đơn vị tự đánh giá: “Đạt [1]”", "Cơ sở: tạm tính"):
        assert said in shown, said
