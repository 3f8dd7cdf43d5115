"""wardplan.charts: the figures hold the right series, titles, units and sources."""

from __future__ import annotations

import pandas as pd
import pytest

from wardplan.display import charts, compare, progress
from wardplan.display.styles import STATUS_STYLES
from wardplan.reads import queries


@pytest.fixture(scope="module")
def revenue_figure(db):
    history = queries.status(db, ward="phu_lien", indicator="budget_revenue")
    scenario = queries.scenario(db, ward="phu_lien", indicator="budget_revenue")
    series = progress.progress_series(history, scenario, 2026, "flow")
    return charts.progress_chart(
        series, ward_name="Phù Liễn", indicator_name="Thu ngân sách nhà nước trên địa bàn",
        unit="triệu đồng", kind="flow", as_of="2026-Q1",
        sources={"actual": ["Báo cáo số 103/BC-UBND"], "target": ["Kế hoạch 08/KH-UBND"]})


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_core_chart_actual_scenario_and_target(revenue_figure):
    actual = trace(revenue_figure, charts.ACTUAL_NAME)
    assert list(actual.y) == [20684, None, 105879]  # broken where February is missing
    assert list(actual.x) == [1, None, 3]
    assert actual.line.dash in (None, "solid")
    implied = trace(revenue_figure, charts.IMPLIED_NAME)
    derived = trace(revenue_figure, charts.DERIVED_NAME)
    assert implied.marker.symbol == "diamond-open" and derived.marker.symbol == "circle-open"
    assert implied.line.dash == "dash"
    # The March point is the ward's own Q1 scenario to date (implied from "vượt kịch bản
    # 45,27%"), not "official March" with two derived months under it.
    assert implied.y[2] == pytest.approx(105879 / 1.4527)
    # Later points stay "the ward's" while more than half of the cumulative scenario is.
    assert [m for m, y in enumerate(implied.y, start=1) if y is not None] == [3, 4, 5]
    assert [m for m, y in enumerate(derived.y, start=1) if y is not None] == [1, 2, *range(6, 13)]
    assert not any(t.name == charts.OFFICIAL_NAME for t in revenue_figure.data)
    target = next(t for t in revenue_figure.data if t.name.startswith("Chỉ tiêu năm 2026"))
    assert set(target.y) == {357450}
    assert target.name == "Chỉ tiêu năm 2026: 357.450 triệu đồng"


def test_core_chart_is_complete_for_a_slide(revenue_figure):
    layout = revenue_figure.layout
    assert layout.separators == ",."
    assert "Phù Liễn" in layout.title.text and "Thu ngân sách" in layout.title.text
    assert "triệu đồng" in layout.title.subtitle.text and "Quý I/2026" in layout.title.subtitle.text
    source = next(a for a in layout.annotations if a.name == "source")
    assert source.text.startswith("Nguồn: ") and "103/BC-UBND" in source.text
    actual = trace(revenue_figure, charts.ACTUAL_NAME)
    assert "%{y:,.0f}" in actual.hovertemplate
    assert layout.font.size >= 14 and layout.title.font.size >= 20


def test_large_money_stays_in_the_unit_the_notes_and_tables_use(db):
    history = queries.status(db, ward="phu_lien", indicator="output_industry_construction")
    scenario = queries.scenario(db, ward="phu_lien", indicator="output_industry_construction")
    fig = charts.progress_chart(progress.progress_series(history, scenario, 2026, "flow"),
                                ward_name="Phù Liễn", indicator_name="GTSP CN-XD",
                                unit="triệu đồng", kind="flow", as_of="2026-Q1")
    assert "triệu đồng" in fig.layout.title.subtitle.text
    assert "tỷ đồng" not in fig.layout.title.subtitle.text
    assert trace(fig, charts.ACTUAL_NAME).y[-1] == pytest.approx(702856)


def test_data_text_is_escaped():
    fig = charts.progress_chart(
        progress.progress_series(pd.DataFrame(
            columns=["as_of", "actual_to_date", "actual_period", "scenario_to_date",
                     "target_value", "carried"]), pd.DataFrame(), 2026, "level"),
        ward_name="<b>X</b>", indicator_name="A & B", unit="", kind="level", as_of="2026-11")
    assert "&lt;b&gt;X&lt;/b&gt;" in fig.layout.title.text
    assert "A &amp; B" in fig.layout.title.text
    assert any("Chưa có số liệu" in (a.text or "") for a in fig.layout.annotations)


def test_bullet_chart_bars_by_status_with_scenario_ticks(db):
    status = queries.status(db, as_of="2026-Q1")
    rows = progress.bullet_rows(status[status["ward_code"] == "phu_lien"])
    fig = charts.bullet_chart(rows, ward_name="Phù Liễn", as_of="2026-Q1", sources=["KH 08"])
    names = [t.name for t in fig.data]
    assert "▼ Chậm" in names and "▲ Đạt/Vượt" in names and "Kịch bản đến kỳ" in names
    red = trace(fig, "▼ Chậm")
    assert red.marker.color == STATUS_STYLES["red"].colour
    assert all(text.startswith("▼ ") for text in red.text)
    labels = next(t for t in fig.data if getattr(t, "mode", None) == "text")
    assert any(text.endswith("%*") for text in labels.text)  # provisional expenditure
    assert fig.layout.separators == ",."


def test_compare_chart_normalises_by_each_wards_target(db):
    rows = compare.compare_rows(queries.targets(db, indicator="budget_revenue", year=2026),
                                queries.status(db, as_of="2026-Q1")
                                .query("indicator_code == 'budget_revenue'"))
    fig = charts.compare_chart(rows, indicator_name="Thu ngân sách", unit="triệu đồng",
                               as_of="2026-Q1")
    share = trace(fig, "% chỉ tiêu năm của phường")
    by_ward = dict(zip(share.y, share.x, strict=True))
    assert by_ward["Phù Liễn"] == pytest.approx(29.62, abs=0.01)
    assert by_ward["Kiến An"] is None
    assert any("chưa có báo cáo" in (a.text or "") for a in fig.layout.annotations)


def test_figure_values_helper(revenue_figure):
    assert charts.figure_values(revenue_figure, charts.ACTUAL_NAME) == [20684, 105879]
    with pytest.raises(KeyError):
        charts.figure_values(revenue_figure, "nope")
