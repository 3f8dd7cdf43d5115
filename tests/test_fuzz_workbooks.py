"""Whole workbooks under random cell mutations (hypothesis).

A copy of Phù Liễn's workbook gets one to three cells overwritten with
anything staff might type (text, numbers, dates, booleans, formulas, blanks,
codes from elsewhere in the sheet).  The check then either refuses, with a
Vietnamese message for every problem and no traceback, or loads exactly what
the cells say: one record per non-empty data row of every sheet, each
mutated text as written (up to the text normalisation all cells get) and each
mutated figure as typed (converted to the indicator's unit).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from etl.build import read_and_check
from etl.normalise import stacked
from etl.problems import BuildFailed
from wardplan.rules import template
from wardplan.rules.parsing import convert_to_canonical
from wardplan.rules.text import normalise_text
from workbooks import PHU_LIEN, copy_data

WARD_FILE = "data/" + PHU_LIEN
# Which loaded table each sheet's rows become.
TABLE_OF = {template.TARGETS.name: "targets", template.SCENARIO.name: "scenario",
            template.ACTUALS.name: "actuals", template.STATEMENTS.name: "statements",
            template.BASELINES.name: "baselines", template.TASKS.name: "tasks",
            template.PROJECTS.name: "projects", template.SOURCES.name: "sources",
            template.NOTES.name: "notes"}
SPECS = {s.name: s for s in template.WARD_SHEETS}
# Fields stored under another shape (a code, a mapped word, a converted or parsed figure).
RESHAPED = {"period", "report_period", "statement_kind", "row_kind", "severity", "value_high",
            "total_capital", "planned_q1", "key"}
PERIOD_SHEETS = {template.SCENARIO.name, template.ACTUALS.name, template.BASELINES.name}
STAFF_TYPED = st.sampled_from([
    "-", "Đang thực hiện", ">90", "2026-03", "2026-Q2", "2025", "2027", "triệu đồng", "đồng",
    "tỷ đồng", "%", "phu_lien", "kien_an", "budget_revenue", "vi", "en", "lỗi", "dự án",
    "=SUM(1,2)", "357.450", "357,450", "  ", "Thuộc топ 30", "Vượt"])
VALUES = st.one_of(
    # Control characters cannot be typed into a cell (openpyxl refuses to write them).
    st.none(), STAFF_TYPED, st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.booleans(),
    st.integers(-10**7, 10**7), st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
)
LIBRARY_ENGLISH = re.compile(r"Traceback|Error\b|Errno|Exception|openpyxl|zipfile", re.I)


@pytest.fixture(scope="module")
def one_ward(tmp_path_factory) -> Path:
    """The catalogue and Phù Liễn's workbook alone: every sheet, quick to read."""
    data = copy_data(tmp_path_factory.mktemp("fuzz") / "data")
    for other in ("kien_an", "thuy_nguyen"):
        (data / "wards" / "2026" / f"{other}.xlsx").unlink()
    return data


def _text(value: object) -> str:
    """A cell as the loaded text: what every text column gets (see validate.Row.text);
    a missing value (None in a cell, NaN in a loaded frame) is empty text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_text(str(value))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled_rows(ws) -> int:
    return sum(1 for row in ws.iter_rows(min_row=2, values_only=True)
               if any(not _blank(v) for v in row))


def _record_at(frame, row_number: int) -> dict | None:
    """The loaded record made from a sheet row (its provenance names the cell)."""
    if "source_cell" not in frame:
        return None
    cells = frame["source_cell"].astype(str).str.extract(r"(\d+)$")[0].astype(int)
    matches = frame[cells == row_number]
    return matches.iloc[0].to_dict() if len(matches) == 1 else None


def _assert_loaded_as_written(ward, units: dict, sheet: str, row_number: int, column: int,
                              value, ws) -> None:
    header = _text(ws.cell(1, column).value)
    spec_column = next((c for c in SPECS[sheet].columns if c.header == header), None)
    if row_number < 2 or sheet not in TABLE_OF or spec_column is None:
        return
    record = _record_at(stacked([getattr(ward, TABLE_OF[sheet])]), row_number)
    if record is None or spec_column.field in RESHAPED:
        return
    field = spec_column.field
    if not spec_column.numeric and field in record:
        assert _text(record[field]) == _text(value), (sheet, row_number, field)
    elif field == "value" and sheet in PERIOD_SHEETS and isinstance(value, (int, float)):
        expected = convert_to_canonical(float(value), record["unit_text"],
                                        units[record["indicator_code"]])
        assert math.isclose(record["value"], expected, rel_tol=1e-9), (sheet, row_number)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_mutated_workbook_is_refused_with_messages_or_loaded_exactly(one_ward: Path, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(one_ward, folder)
        path = folder / PHU_LIEN
        book = load_workbook(path)
        mutations = []
        for _ in range(data.draw(st.integers(1, 3), label="mutations")):
            sheet = data.draw(st.sampled_from([s.name for s in template.WARD_SHEETS]), label="sheet")
            ws = book[sheet]
            row = data.draw(st.integers(1, ws.max_row + 1), label="row")
            column = data.draw(st.integers(1, ws.max_column), label="column")
            value = data.draw(VALUES, label="value")
            ws.cell(row, column).value = value
            mutations.append((sheet, row, column, value))
        book.save(path)
        try:
            checked = read_and_check(folder)
        except BuildFailed as failure:
            assert failure.problems
            for problem in failure.problems:
                assert problem.reason_vi and problem.file in (WARD_FILE, "data/catalogue.xlsx")
                assert tmp not in str(problem) and not LIBRARY_ENGLISH.search(str(problem))
            return
        saved = load_workbook(path, data_only=True)
        [ward] = checked.wards
        units = checked.catalogue.indicators.set_index("indicator_code")["unit"].to_dict()
        for sheet, table in TABLE_OF.items():
            assert len(getattr(ward, table)) == _filled_rows(saved[sheet]), sheet
        for sheet, row, column, _ in mutations:
            loaded_value = saved[sheet].cell(row, column).value
            _assert_loaded_as_written(ward, units, sheet, row, column, loaded_value,
                                      saved[sheet])
