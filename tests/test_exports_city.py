"""The exports of a city: above CITY_LAYOUT_ABOVE units, a deck a meeting can go through.

On a SYNTHETIC city of 20 units (`city_db`: the bundled wards and copies labelled
"dữ liệu thử nghiệm", some without a report, some with January only).  Expected
figures are counted here from the database's public views, independently of the
export code.
"""

from __future__ import annotations

import io

import duckdb
import pytest
from pptx import Presentation

from decks import NEEDS_POPPLER, assert_pdf_follows_deck, cell_fill, pdf_pages, slide_title, tables, tiny_png
from exports.__main__ import main as cli
from exports.city import ATTENTION_MAX
from exports.deck import build_deck
from exports.report import CITY_LAYOUT_ABOVE, load_report
from wardplan.display import format as fmt
from wardplan.display import styles
from wardplan.rules.numbers import parse_number
from wardplan.rules.scenario import PROVISIONAL_VI

AS_OF = "2026-Q1"
TINT = {s: style.tint.lstrip("#").upper() for s, style in styles.STATUS_STYLES.items()}


@pytest.fixture(scope="module")
def city_report(city_db):
    return load_report(city_db, AS_OF)


@pytest.fixture(scope="module")
def city_deck(city_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("city") / "city.pptx"
    build_deck(city_report).save(path)
    return Presentation(path)


@pytest.fixture(scope="module")
def views(city_db_path):
    con = duckdb.connect(str(city_db_path), read_only=True)
    yield con
    con.close()


def slides_titled(deck, prefix: str):
    return [s for s in deck.slides if slide_title(s).startswith(prefix)]


def rows_of(slides) -> list[list]:
    """Data rows of the first table of each slide, as cells."""
    return [[table.cell(i, j) for j in range(len(table.columns))]
            for slide in slides for table in tables(slide)[:1] for i in range(1, len(table.rows))]


def test_a_city_is_summarised_not_shown_unit_by_unit(city_report, city_deck):
    assert len(city_report.ward_codes) == 20 > CITY_LAYOUT_ABOVE and city_report.city
    titles = [slide_title(s) for s in city_deck.slides]
    assert titles[0] == "Tình hình thực hiện các chỉ tiêu kinh tế - xã hội năm 2026"
    sections = [t.split(" — ")[0] for t in titles[1:]]
    assert sections == sorted(sections, key=["Toàn thành phố", "Đơn vị chưa báo cáo",
                                             "Chậm và cần chú ý"].index)
    assert set(sections) == {"Toàn thành phố", "Đơn vị chưa báo cáo", "Chậm và cần chú ý"}
    assert len(titles) <= 12  # against a slide per unit and indicator (over 250 here)
    cover = "\n".join(s.text_frame.text for s in city_deck.slides[0].shapes if s.has_text_frame)
    assert "Đơn vị: 20 đơn vị (" in cover and "Chưa có báo cáo thực hiện: 4 đơn vị" in cover
    for slide in city_deck.slides:
        assert "Nguồn" in slide.notes_slide.notes_text_frame.text, slide_title(slide)
        assert any(s.text_frame.text.startswith("Nguồn") for s in slide.shapes
                   if s.has_text_frame), slide_title(slide)
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, slide_title(slide)
            assert shape.left + shape.width <= city_deck.slide_width, slide_title(slide)
            assert shape.top + shape.height <= city_deck.slide_height, slide_title(slide)


def test_city_summary_counts_units_per_status_on_each_key_indicator(city_deck, views):
    # Key indicators: reported by some unit at the period, and not a part of another.
    expected = {}
    for name, unit, status, n in views.execute("""
            SELECT i.name_vi, i.unit, s.status, count(*)
            FROM v_status s JOIN v_indicators i USING (indicator_code)
            WHERE s.as_of = $as_of AND i.parent_code IS NULL AND s.indicator_code IN (
                SELECT indicator_code FROM v_status
                WHERE as_of = $as_of AND actual_to_date IS NOT NULL)
            GROUP BY ALL""", {"as_of": AS_OF}).fetchall():
        label = f"{name} ({unit})" if unit else name
        expected.setdefault(label, dict.fromkeys(styles.STATUS_ORDER, 0))[status] = n
    rows = rows_of(slides_titled(city_deck, "Toàn thành phố"))
    shown = {row[0].text: [int(c.text.replace(".", "")) for c in row[1:]] for row in rows}
    assert set(shown) == set(expected)
    for label, counts in shown.items():
        assert counts[:4] == [expected[label][s] for s in styles.STATUS_ORDER], label
        assert counts[4] == sum(counts[:4])  # units that set the indicator
    reds = [counts[0] for counts in shown.values()]
    assert reds == sorted(reds, reverse=True)  # worst first
    for row in rows:  # tinted where there are units, so the eye finds the reds
        assert (cell_fill(row[1]) == TINT["red"]) == (row[1].text != "0")


def test_who_has_not_reported(city_deck, views):
    none = {name for (name,) in views.execute(
        "SELECT w.name_vi FROM v_wards w JOIN v_plans p USING (ward_code) "
        "WHERE p.plan_year = 2026 AND NOT p.has_report").fetchall()}
    january_only = {name for (name,) in views.execute("""
        SELECT w.name_vi FROM v_wards w JOIN v_plans p USING (ward_code)
        WHERE p.plan_year = 2026 AND p.has_report AND NOT EXISTS (
            SELECT 1 FROM v_actuals a WHERE a.ward_code = w.ward_code AND a.value IS NOT NULL
              AND a.period IN ('2026-02', '2026-03', '2026-Q1'))""").fetchall()}
    assert none and january_only
    slides = slides_titled(city_deck, "Đơn vị chưa báo cáo")
    cells = [table.cell(i, j) for s in slides for table in tables(s)
             for i in range(1, len(table.rows)) for j in (0, 2)]
    listed = dict(zip([c.text for c in cells[::2]], [c.text for c in cells[1::2]], strict=True))
    assert {n for n, state in listed.items() if state == "○ Chưa có báo cáo"} == none
    assert {n for n, state in listed.items() if state == "↩ Số liệu đến Tháng 1/2026"} == \
        january_only
    assert len(listed) == len(none) + len(january_only)


def test_red_and_amber_items_worst_first_with_reason_and_the_wards_own_basis(
        city_report, city_deck):
    slides = slides_titled(city_deck, "Chậm và cần chú ý")
    rows = rows_of(slides)
    header = [tables(slides[0])[0].cell(0, j).text for j in range(7)]
    assert header == ["Đơn vị", "Chỉ tiêu (đơn vị)", "Trạng thái", "Thực hiện đến kỳ", "% KB",
                      "Lý do", "Cơ sở kịch bản"]
    now = city_report.status_now
    names = dict(zip(city_report.wards["name_vi"], city_report.wards["ward_code"], strict=True))
    key = {f"{r.name_vi} ({r.unit})" if r.unit else r.name_vi: r.indicator_code
           for r in city_report.indicators.itertuples() if not isinstance(r.parent_code, str)}
    flagged = now[now["status"].isin(["red", "amber"]) & now["indicator_code"].isin(key.values())]
    assert len(rows) == min(len(flagged), ATTENTION_MAX) and len(rows) > 10
    seen = []
    for row in rows:
        status = now[(now["ward_code"] == names[row[0].text])
                     & (now["indicator_code"] == key[row[1].text])].iloc[0]
        first, *rest = row[2].text.split("\n")
        assert first == styles.STATUS_STYLES[status["status"]].text
        assert cell_fill(row[2]) == TINT[status["status"]]
        # "tạm tính" wherever the status rests on our phasing, and only there.
        assert (PROVISIONAL_VI in " ".join(rest)) == bool(status["provisional"])
        assert row[6].text == fmt.scenario_basis(status).removesuffix(f" ({PROVISIONAL_VI})")
        assert row[5].text and row[5].text != "—"
        assert row[4].text == fmt.pct(status["pct_of_scenario"])
        seen.append((status["status"] != "red", parse_number(row[4].text.rstrip("%"), "vi")))
    assert seen == sorted(seen)  # red before amber, each from the lowest % of scenario
    assert any(PROVISIONAL_VI in row[2].text for row in rows)
    subtitle = [s.text_frame.text for s in slides[0].shapes if s.has_text_frame][1]
    red = int((flagged["status"] == "red").sum())
    assert f"{red} chậm" in subtitle
    assert len(flagged) > ATTENTION_MAX  # the fixture's city has more than a deck lists
    assert f"{ATTENTION_MAX} mục đầu, {len(flagged) - ATTENTION_MAX} mục còn lại: sổ Excel" \
        in subtitle


def test_the_units_asked_for_are_shown_in_full(city_db):
    report = load_report(city_db, AS_OF, full=["phu_lien"])
    deck = build_deck(report)
    titles = [slide_title(s) for s in deck.slides]
    assert "Toàn thành phố — Quý I/2026 (1/2)" in titles
    assert "Phù Liễn — Thu ngân sách nhà nước trên địa bàn" in titles
    assert "Phù Liễn — Thực hiện so với chỉ tiêu năm (1/3)" in titles
    matrix = slides_titled(deck, "Trạng thái các chỉ tiêu")
    assert matrix and all(tables(s)[0].cell(0, 1).text == "Phù Liễn" and
                          len(tables(s)[0].columns) == 2 for s in matrix)
    charted = {t.split(" — ")[0] for t in titles[titles.index(slide_title(matrix[0])):]}
    assert charted <= {"Phù Liễn", "Trạng thái các chỉ tiêu"}
    assert titles.index("Phù Liễn — Thu ngân sách nhà nước trên địa bàn") > \
        max(i for i, t in enumerate(titles) if t.startswith("Chậm và cần chú ý"))


def test_a_city_is_read_in_full_only_for_the_units_asked_for(city_db):
    report = load_report(city_db, AS_OF, full=["synthetic_001"], wards=None)
    periods = report.status.groupby("ward_code")["as_of"].nunique()
    assert periods["synthetic_001"] == 17 and periods.drop("synthetic_001").max() == 1
    assert report.full_codes == ["synthetic_001"]
    assert set(report.scenario.dropna(subset=["source_ref"])["ward_code"]) == {"synthetic_001"}
    assert set(report.scenario["ward_code"]) == set(report.ward_codes)  # planned values: all
    with pytest.raises(ValueError):
        report.history("phu_lien", "budget_revenue")
    assert {w for _, w in report.chart_pairs()} == {"synthetic_001"}
    # A few units are all shown in full, whatever `full` says.
    few = load_report(city_db, AS_OF, ["phu_lien", "kien_an"], full=["phu_lien"])
    assert not few.city and few.full_codes == ["phu_lien", "kien_an"]
    # A unit asked for in full joins the selection.
    assert load_report(city_db, AS_OF, ["kien_an"], full=["phu_lien"]).ward_codes == \
        ["kien_an", "phu_lien"]


@NEEDS_POPPLER
def test_city_pdf_has_the_decks_content_in_the_decks_order(city_report, city_deck, tmp_path):
    from exports.pdf import build_pdf

    path = tmp_path / "city.pdf"
    path.write_bytes(build_pdf(city_report, render=tiny_png))
    pages = pdf_pages(path)
    assert_pdf_follows_deck(pages, city_deck)
    text = " ".join(" ".join(pages).split())
    assert "Từ thấp nhất so với kịch bản đến kỳ" in text and PROVISIONAL_VI in text


def test_cli_full_option(city_db_path, tmp_path):
    out = tmp_path / "hop.pptx"
    assert cli(["deck", "--as-of", AS_OF, "--db", str(city_db_path), "--full", "phu_lien",
                "--out", str(out)]) == 0
    titles = [slide_title(s) for s in Presentation(out).slides]
    assert titles[1].startswith("Toàn thành phố")
    assert "Phù Liễn — Thu ngân sách nhà nước trên địa bàn" in titles


def test_the_overviews_own_deck_of_a_city_is_its_summary(city_db):
    from exports.views import board_deck

    deck = Presentation(io.BytesIO(board_deck(load_report(city_db, AS_OF, default="all"))))
    titles = [slide_title(s) for s in deck.slides]
    assert titles[1].startswith("Toàn thành phố — Quý I/2026")
    assert not any(t.startswith(("Trạng thái các chỉ tiêu", "Tổng hợp theo phường"))
                   for t in titles)


def test_every_table_of_the_city_deck_ends_above_the_source_line(city_deck):
    """A table's rows are as tall as their longest cell: one running into the footer hides
    its last item under the source line."""
    from pptx.util import Emu

    from exports.deck import CONTENT_BOTTOM

    for number, slide in enumerate(city_deck.slides, start=1):
        for table_shape in (s for s in slide.shapes if s.has_table):
            height = sum(row.height for row in table_shape.table.rows)
            assert table_shape.top + height <= CONTENT_BOTTOM, \
                f"slide {number} ({slide_title(slide)}): {Emu(height).inches:.2f} in tall"


def test_red_and_amber_items_are_paged_by_the_height_of_their_rows():
    from exports.deck import _pages_by_height

    assert _pages_by_height([4, 4, 4, 4, 4, 4], budget=10) == [[0, 1], [2, 3], [4, 5]]
    assert _pages_by_height([1, 1, 1, 12, 1], budget=10) == [[0, 1, 2], [3], [4]]
    assert _pages_by_height([], budget=10) == [[]]
