"""Safe output everywhere, and safe server defaults.

Text from a workbook is data: it never becomes a formula in a file we write
(the deck's embedded chart workbooks included), a link in Markdown, HTML in
a Plotly label, or a traceback on a viewer's screen.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from apppages import app_on
from exports.deck import build_deck
from exports.report import load_report
from ui.components import md_escape
from wardplan.display import charts, compare
from wardplan.reads import queries

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_NAME = '=HYPERLINK("http://evil.example","Bấm vào")'
LINK_NAME = '<a href="http://evil.example">Phù Liễn</a> www.evil.example'
# The autolink literals of GitHub-flavoured Markdown (mdast-util-gfm-autolink-literal),
# matched against the text after Markdown escapes are read.
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.I)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


# --- the deck's embedded chart workbooks ------------------------------------------------

def embedded_workbooks(pptx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("ppt/embeddings/")]


def test_deck_chart_data_keeps_formula_like_text_as_text(db):
    report = load_report(db, "2026-Q1", ["phu_lien"])
    hostile = report.indicators.assign(name_vi=HOSTILE_NAME)
    buffer = io.BytesIO()
    build_deck(dataclasses.replace(report, indicators=hostile)).save(buffer)
    books = embedded_workbooks(buffer.getvalue())
    assert books, "the deck has native charts"
    seen = []
    for blob in books:
        with zipfile.ZipFile(io.BytesIO(blob)) as xlsx:
            sheet_xml = b"".join(xlsx.read(n) for n in xlsx.namelist() if "worksheets/" in n)
            assert b"<f>" not in sheet_xml and b"<hyperlink" not in sheet_xml
        book = openpyxl.load_workbook(io.BytesIO(blob))
        cells = [c for ws in book for row in ws.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)
        seen += [c.value for c in cells if isinstance(c.value, str)]
    assert any(v.startswith('=HYPERLINK("http://evil.example"') for v in seen), seen[:5]


# --- Markdown ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Xem http://evil.example/x?a=1", "HTTPS://EVIL.EXAMPLE", "www.evil.example",
    "liên hệ ke.toan@phuong.gov.vn", LINK_NAME, "[bấm](javascript:alert(1))",
])
def test_md_escape_leaves_no_markdown_link(text: str):
    escaped = md_escape(text)
    as_read = re.sub(r"\\(.)", r"\1", escaped)  # what Markdown sees once escapes are read
    assert not GFM_URL.search(as_read) and not GFM_EMAIL.search(as_read), escaped
    assert not re.search(r"(?<!\\)[<\[\]()]", escaped), "no unescaped tag or link syntax"
    assert as_read.replace("\u2060", "") == text, "the text itself is unchanged"


def test_md_escape_keeps_plain_vietnamese_and_figures_untouched():
    assert md_escape("Phường Phù Liễn: 357.450 triệu đồng") == \
        r"Phường Phù Liễn\: 357\.450 triệu đồng"


# --- Plotly labels ---------------------------------------------------------------------

def test_ranking_chart_shows_a_ward_name_with_html_as_text(db):
    rows = compare.compare_rows(queries.targets(db, indicator="budget_revenue", year=2026),
                                queries.status(db, as_of="2026-Q1")
                                .query("indicator_code == 'budget_revenue'"))
    rows["ward_name"] = rows["ward_name"].where(rows["ward_code"] != "phu_lien", LINK_NAME)
    ranked = compare.ranking(rows)  # Phù Liễn has figures: on the axis, in hovers, named
    for build in (charts.ranking_chart, charts.distribution_chart):
        extra = {"unit": "triệu đồng", "by": compare.BY_SCENARIO} \
            if build is charts.ranking_chart else {}
        fig = build(ranked, indicator_name="<b>Thu</b>", as_of="2026-Q1", ward="phu_lien",
                    bands={"green_min_pct": 100.0, "amber_min_pct": 90.0},
                    source="Nguồn: <i>x</i>", **extra)
        spec = fig.to_json()
        assert "<a " not in spec and "<b>Thu" not in spec
        assert "&lt;a href=" in spec  # shown as the characters the ward typed


# --- server defaults -------------------------------------------------------------------

def test_streamlit_config_hides_errors_and_binds_locally():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["showErrorLinks"] is False
    assert config["client"]["disableDataExport"] is True  # the tables' unescaped CSV
    assert config["server"]["address"] == "127.0.0.1"
    # Every way of serving (scripts/run, scripts/serve, the tests) without a module walk
    # after each rerun: it doubled the server's CPU per interaction.
    assert config["server"]["fileWatcherType"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


@pytest.fixture
def broken_database(tmp_path: Path, monkeypatch):
    """The app pointed at a file that is not a database: every read fails."""
    path = tmp_path / "hong.duckdb"
    path.write_bytes(b"not a duckdb file" * 100)
    with app_on(monkeypatch, CHITIEU_DB=path):
        yield path


def test_unexpected_error_shows_a_vietnamese_message_with_an_error_id(broken_database, caplog):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    [error] = at.error
    match = re.search(r"mã lỗi: ([0-9a-f]{8})", error.value)
    assert match and error.value.startswith("Đã xảy ra lỗi không mong đợi"), error.value
    assert str(broken_database) not in error.value and "Traceback" not in error.value
    logged = [r for r in caplog.records if r.name == "chitieu.app"]
    assert logged and match.group(1) in logged[0].getMessage() and logged[0].exc_info
