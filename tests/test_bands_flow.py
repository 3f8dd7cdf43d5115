"""A band changed in settings.toml and rebuilt changes the board, its legend, the deck and
the workbook together: each reads the bands the database was built with (v_build)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from apppages import app_on, tables
from etl.build import build
from exports.deck import build_deck
from exports.report import load_report
from exports.workbook import workbook_bytes
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def strict_db(tmp_path_factory) -> Path:
    settings_file = tmp_path_factory.mktemp("settings") / "settings.toml"
    settings_file.write_text('[status]\ngreen_min_pct = 150.0\namber_min_pct = 120.0\n'
                             '[scenario]\nderive = "pattern"\n', encoding="utf-8")
    db = settings_file.parent / "strict.duckdb"
    build(db_path=db, settings=load_settings(settings_file))
    return db


@pytest.fixture
def on_strict_db(strict_db: Path, monkeypatch):
    with app_on(monkeypatch, CHITIEU_DB=strict_db):
        yield strict_db


def test_the_build_records_its_bands(strict_db: Path):
    assert queries.build_settings(Database(strict_db)) == {
        "green_min_pct": 150.0, "amber_min_pct": 120.0, "scenario_rule": "pattern",
        "ledger_entries": 0}


def test_the_board_and_its_legend_follow(on_strict_db: Path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-Q1"
    at.session_state["board_view"] = "Theo chỉ tiêu"  # the indicator × unit grid
    at.run()
    assert not at.exception
    captions = "\n".join(c.value for c in at.caption)
    assert "từ 150% kịch bản đến kỳ" in captions and "từ 120% đến dưới 150%" in captions
    board = next(df for df in tables(at) if "Lĩnh vực" in df.columns and "Phù Liễn" in df.columns)
    revenue = board.set_index("Chỉ tiêu").loc["Thu ngân sách nhà nước trên địa bàn", "Phù Liễn"]
    assert revenue.startswith("●")  # 145,3% of scenario: amber under these bands


def test_the_deck_and_the_workbook_follow(strict_db: Path):
    report = load_report(Database(strict_db), "2026-Q1", ["phu_lien"], ["budget_revenue"],
                         produced_on=date(2026, 4, 2))
    deck = build_deck(report)
    summary = "\n".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
    assert "từ 150% kịch bản đến kỳ" in summary
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report)))
    legend = "\n".join(str(c.value) for c in workbook["Tổng hợp"]["A"] if c.value)
    assert "từ 120% đến dưới 150%" in legend
