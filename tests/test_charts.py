"""wardplan.charts: the figures hold the right series, titles, units and sources."""

from __future__ import annotations

import copy
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from wardplan.display import charts, compare, progress
from wardplan.display.styles import STATUS_STYLES
from wardplan.reads import queries
from wardplan.rules.scenario import PROVISIONAL_VI


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
    go.Figure(revenue_figure.to_dict())  # built without validation: it must still be valid
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
    for form in (fig, charts.bullet_chart(rows, ward_name="Phù Liễn", as_of="2026-Q1",
                                          narrow=True)):
        go.Figure(form.to_dict())  # built without validation: it must still be valid
    names = [t.name for t in fig.data]
    assert "▼ Chậm" in names and "▲ Đạt/Vượt" in names and "Kịch bản đến kỳ" in names
    red = trace(fig, "▼ Chậm")
    assert red.marker.color == STATUS_STYLES["red"].colour
    assert all(text.startswith("▼ ") for text in red.text)
    labels = next(t for t in fig.data if getattr(t, "mode", None) == "text")
    assert any(text.endswith("%*") for text in labels.text)  # provisional expenditure
    assert fig.layout.separators == ",."


BANDS = {"green_min_pct": 100.0, "amber_min_pct": 90.0}


@pytest.fixture(scope="module")
def ranked_revenue(db):
    rows = compare.compare_rows(queries.targets(db, indicator="budget_revenue", year=2026),
                                queries.status(db, as_of="2026-Q1", indicator="budget_revenue"))
    return compare.ranking(rows, compare.BY_SCENARIO, queries.wards(db))


def test_ranking_chart_puts_every_unit_in_order_with_the_chosen_one_marked(ranked_revenue):
    fig = charts.ranking_chart(ranked_revenue, indicator_name="Thu ngân sách",
                               unit="triệu đồng", as_of="2026-Q1", by=compare.BY_SCENARIO,
                               ward="phu_lien", bands=BANDS, source="Nguồn: x")
    go.Figure(fig.to_dict())  # built without validation: it must still be a valid figure
    green = trace(fig, STATUS_STYLES["green"].text)
    assert list(green.y) == ["phu_lien"] and green.x[0] == pytest.approx(145.27, abs=0.01)
    assert green.marker.color == STATUS_STYLES["green"].colour
    assert list(green.marker.line.width) == [3]  # the chosen unit is outlined
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert ticks["phu_lien"] == "<b>Phù Liễn ◀</b>" and ticks["kien_an"] == "Kiến An"
    assert list(fig.layout.yaxis.categoryarray) == ["thuy_nguyen", "kien_an", "phu_lien"]
    target = trace(fig, "Vạch đen: % chỉ tiêu năm")
    assert target.x[0] == pytest.approx(29.62, abs=0.01) and target.x[1] is None
    unranked = next(t for t in fig.data if getattr(t, "mode", None) == "text")
    assert list(unranked.text) == ["○ chưa có báo cáo", "○ chưa có báo cáo"]
    lines = sorted(shape.x0 for shape in fig.layout.shapes)
    assert lines == [90.0, 100.0]  # the bands of the build
    layout = fig.layout
    assert "Xếp hạng" in layout.title.text and "Quý I/2026" in layout.title.subtitle.text
    assert "triệu đồng" in layout.title.subtitle.text and layout.separators == ",."
    assert any(a.name == "source" for a in layout.annotations)


def test_ranking_chart_hatches_a_provisional_status(db):
    rows = compare.compare_rows(
        queries.targets(db, indicator="budget_expenditure", year=2026),
        queries.status(db, as_of="2026-Q1", indicator="budget_expenditure"))
    ranked = compare.ranking(rows, compare.BY_TARGET)
    fig = charts.ranking_chart(ranked, indicator_name="Tổng chi", unit="triệu đồng",
                               as_of="2026-Q1", by=compare.BY_TARGET, ward=None, bands=BANDS,
                               source="Nguồn: x")
    red = trace(fig, STATUS_STYLES["red"].text)
    assert list(red.marker.pattern.shape) == [charts.PROVISIONAL_PATTERN]
    assert any(t.name == f"Sọc chéo: {PROVISIONAL_VI}" for t in fig.data)
    assert [shape.x0 for shape in fig.layout.shapes] == [100.0]  # 100 % of the target


def test_distribution_chart_spreads_both_measures(ranked_revenue):
    fig = charts.distribution_chart(ranked_revenue, indicator_name="Thu ngân sách",
                                    as_of="2026-Q1", ward="phu_lien", bands=BANDS,
                                    source="Nguồn: x")
    go.Figure(fig.to_dict())
    dots = [t for t in fig.data if t.name == STATUS_STYLES["green"].text]
    assert [round(t.x[0], 1) for t in dots] == [145.3, 29.6]  # one row per measure
    assert list(fig.layout.yaxis.ticktext) == ["% kịch bản đến kỳ", "% chỉ tiêu năm"]
    labels = [a.text for a in fig.layout.annotations]
    assert "<b>Phù Liễn: 145,3%</b>" in labels and "trung vị 145,3%" in labels
    narrow = charts.distribution_chart(ranked_revenue, indicator_name="Thu ngân sách",
                                       as_of="2026-Q1", ward="phu_lien", bands=BANDS,
                                       source="Nguồn: x", narrow=True)
    assert narrow.layout.height < fig.layout.height + 200


def test_a_unit_is_highlighted_on_a_shared_chart_without_changing_it(city_db):
    """The compare page builds a ranking once and highlights each unit on a copy: the
    copy marks that unit alone, and the shared chart stays as built."""
    rows = compare.compare_rows(queries.targets(city_db, indicator="budget_revenue", year=2026),
                                queries.status(city_db, as_of="2026-Q1", indicator="budget_revenue"))
    ranked = compare.ranking(rows, compare.BY_SCENARIO, queries.wards(city_db))
    common = dict(indicator_name="Thu ngân sách", as_of="2026-Q1", bands=BANDS, source="Nguồn: x")
    ranking = go.Figure(charts.ranking_spec(ranked, unit="triệu đồng", by=compare.BY_SCENARIO,
                                            **common), _validate=False).to_dict()
    spread = go.Figure(charts.distribution_spec(ranked, **common), _validate=False).to_dict()
    before = copy.deepcopy((ranking, spread))
    for ward in ranked["ward_code"]:
        marked = charts.highlight_ranking(ranking, ward)
        outlined = [y for t in marked["data"] if isinstance(t.get("marker", {}).get(
                    "line", {}).get("width"), list)
                    for y, w in zip(t["y"], t["marker"]["line"]["width"], strict=True) if w]
        bold = [v for v, text in zip(marked["layout"]["yaxis"]["tickvals"],
                                     marked["layout"]["yaxis"]["ticktext"], strict=True) if "◀" in text]
        has_figure = ranked.loc[ranked["ward_code"] == ward, compare.BY_SCENARIO].notna().all()
        assert bold == [ward] and outlined == ([ward] if has_figure else [])
        shown = charts.highlight_distribution(spread, ranked, ward)
        diamonds = [t for t in shown["data"] if t.get("marker", {}).get("symbol") == "diamond"]
        assert len(shown["data"]) - len(spread["data"]) == len(diamonds) <= 2
        assert shown["layout"]["annotations"][-1] == spread["layout"]["annotations"][-1]
    assert json.dumps((ranking, spread), sort_keys=True, default=str) == \
        json.dumps(before, sort_keys=True, default=str)
    assert charts.highlight_ranking(ranking, None) is ranking


def test_compare_source_line_names_few_documents_and_counts_many():
    assert charts.compare_sources(["Kế hoạch 08/KH-UBND"], 3) == \
        "Nguồn: Chỉ tiêu và thực hiện: Kế hoạch 08/KH-UBND."
    many = charts.compare_sources([f"Kế hoạch {i}" for i in range(40)], 114)
    assert "114 đơn vị" in many and "40 văn bản" in many


def test_figure_values_helper(revenue_figure):
    assert charts.figure_values(revenue_figure, charts.ACTUAL_NAME) == [20684, 105879]
    with pytest.raises(KeyError):
        charts.figure_values(revenue_figure, "nope")


def test_a_pages_chart_dict_is_the_chart_it_shows(db):
    """The progress and bullet charts a page caches are dicts made without a go.Figure
    (`*_spec`): each must be the dict the figure gives, and a valid figure."""
    history = queries.status(db, ward="phu_lien", indicator="budget_revenue")
    scenario = queries.scenario(db, ward="phu_lien", indicator="budget_revenue")
    series = progress.progress_series(history, scenario, 2026, "flow")
    status = queries.status(db, as_of="2026-Q1")
    rows = progress.bullet_rows(status[status["ward_code"] == "phu_lien"])
    for narrow in (False, True):
        common = dict(ward_name="Phù Liễn", as_of="2026-Q1", narrow=narrow)
        progress_args = dict(series=series, indicator_name="Thu", unit="triệu đồng", kind="flow",
                             sources={"actual": ["BC 103"]}, **common)
        for chart, spec in ((charts.progress_chart(**progress_args),
                             charts.progress_spec(**progress_args)),
                            (charts.bullet_chart(rows, sources=["KH 08"], **common),
                             charts.bullet_spec(rows, sources=["KH 08"], **common))):
            assert spec == chart.to_dict()
            go.Figure(spec)  # validated: what the page sends is a valid figure


def test_a_drawn_figure_gives_streamlit_what_plotly_would(revenue_figure, ranked_revenue):
    """ui.data.DrawnFigure hands st.plotly_chart the dict it was made from instead of
    making one: the chart sent must be the one plotly would send."""
    import pickle

    import plotly.io as pio
    import plotly.tools

    from ui.data import DrawnFigure

    for fig in (revenue_figure, charts.ranking_chart(ranked_revenue, indicator_name="Thu",
                                                     unit="triệu đồng", as_of="2026-Q1",
                                                     by=compare.BY_SCENARIO, ward="kien_an",
                                                     bands=BANDS, source="Nguồn: x")):
        spec = pickle.loads(pickle.dumps(fig.to_dict()))  # as a cache gives it back
        plain = go.Figure(spec, _validate=False)
        drawn = DrawnFigure(copy.deepcopy(spec))
        # What Streamlit does with a figure: its dict, validated, then to JSON.
        sent = plotly.tools.return_figure_from_figure_or_data(drawn, validate_figure=True)
        assert sent == plotly.tools.return_figure_from_figure_or_data(plain, True)
        assert pio.to_json(sent, validate=False) == pio.to_json(plain, validate=False)
        assert drawn.to_json() == plain.to_json()  # the image buttons' input
        assert json.loads(drawn.to_json())["layout"]["title"] == plain.to_dict()["layout"]["title"]
        with pytest.raises(AttributeError):  # only its dict: nothing can change it unseen
            drawn.update_layout(title="x")
