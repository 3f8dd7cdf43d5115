"""Turn validated rows into canonical tables: units converted, targets parsed,
each row carrying its provenance (document, location, workbook cell).

One function per sheet; each takes the rows and a `Checker` and returns the
table's rows (`Rows`).  Problems found here (a wrong unit, a number that does
not match its verbatim text) are added to the checker like any other.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from etl.read import RawWorkbook, sheet_key
from etl.validate import Checker, Row
from wardplan.reads.tables import TABLES
from wardplan.rules import kinds, parsing, template
from wardplan.rules.numbers import ParseError, format_number_vi, parse_number
from wardplan.rules.scenario import NON_NUMERIC_COMPARATORS
from wardplan.rules.template import (
    DIRECTIONS,
    NUMBER_CONVENTIONS,
    SEVERITIES,
    WARD_INFO_KEYS,
)

# Plan years a workbook may declare: anything else is a typing slip.
PLAN_YEARS = range(2000, 2101)
# Relative error allowed between a typed number and its verbatim text: only float noise.
SAME_NUMBER = 1e-9


@dataclass
class Catalogue:
    indicators: pd.DataFrame
    wards: pd.DataFrame
    sha256: str = ""  # of the file it was read from: what a report read against it depends on

    @functools.cached_property
    def indicator_rows(self) -> dict[str, dict]:
        """Each indicator's catalogue row by code (read-only).  Made once, not once a file:
        at year end a city's build reads more than a thousand reports against it."""
        return self.indicators.set_index("indicator_code").to_dict("index")


@dataclass(frozen=True)
class Rows:
    """One workbook's rows of a table, column by column, made into a frame only with every
    other workbook's (`stacked`).  A city's build made a small frame of each of its
    workbooks' sheets, a thousand of them, pickled each back from the worker that read it
    and stacked them: about 2 s of CPU in all, against 0,2 s for these columns."""

    table: str  # its columns are TABLES[table]'s
    # Tuples: a server's sessions share the rows of the files it has read (the memos).
    columns: dict[str, tuple]

    @classmethod
    def of(cls, table: str, records: list[dict]) -> Rows:
        # A column no record has is None throughout, as it is where some records lack it.
        return cls(table, {name: tuple([r.get(name) for r in records]) for name in TABLES[table]})

    @classmethod
    def of_frame(cls, table: str, frame: pd.DataFrame) -> Rows:
        return cls(table, {name: tuple(frame[name].tolist()) for name in TABLES[table]})

    def __len__(self) -> int:
        return len(self.columns[TABLES[self.table][0]])


def stacked(parts: list[Rows]) -> pd.DataFrame:
    """The rows of `parts`, of one table, in one frame in their order."""
    (table,) = {part.table for part in parts}
    return pd.DataFrame({name: [value for part in parts for value in part.columns[name]]
                         for name in TABLES[table]}, columns=list(TABLES[table]))


@dataclass
class WardData:
    ward_code: str
    plan_year: int
    file: str
    sources: Rows
    targets: Rows
    scenario: Rows  # a figure per indicator and period, in the baselines' columns
    actuals: Rows
    statements: Rows
    baselines: Rows
    tasks: Rows
    projects: Rows
    notes: Rows  # of TABLES["data_issues"]' columns


# --- catalogue -------------------------------------------------------------

def catalogue_from(raw: RawWorkbook, check: Checker) -> Catalogue:
    indicators = []
    for row in check.rows(raw.sheets.get(template.INDICATORS.name), template.INDICATORS):
        code = check.required_text(row, "indicator_code", "Mã chỉ tiêu")
        direction = DIRECTIONS.get(row.text("direction"))
        kind = kinds.WORKBOOK_LABELS.get(row.text("kind"))
        if direction is None:
            check.at(row, "direction", f"Chiều '{row.text('direction')}' không hợp lệ; dùng "
                     + " hoặc ".join(f"'{d}'" for d in DIRECTIONS) + ".")
        if kind is None:
            check.at(row, "kind", f"Kiểu '{row.text('kind')}' không hợp lệ; dùng một trong "
                     + ", ".join(f"'{k}'" for k in kinds.WORKBOOK_LABELS) + ".")
        indicators.append({
            "indicator_code": code, "name_vi": row.text("name_vi"), "group_vi": row.text("group_vi"),
            "unit": parsing.canonical_unit(row.text("unit")) if row.text("unit") else "",
            "direction": direction, "kind": kind,
            "parent_code": row.text("parent_code") or None, "note_vi": row.text("note_vi") or None,
        })
    wards = []
    for row in check.rows(raw.sheets.get(template.UNITS.name), template.UNITS):
        wards.append({"ward_code": check.required_text(row, "ward_code", "Mã đơn vị"),
                      "name_vi": check.required_text(row, "name_vi", "Tên đơn vị"),
                      "unit_type_vi": row.text("unit_type_vi")})
    indicators_df = pd.DataFrame(indicators, columns=TABLES["indicators"])
    wards_df = pd.DataFrame(wards, columns=TABLES["wards"])
    _no_duplicate_codes(check, indicators_df, template.INDICATORS.name, "mã chỉ tiêu")
    _no_duplicate_codes(check, wards_df.rename(columns={"ward_code": "indicator_code"}),
                        template.UNITS.name, "mã đơn vị")
    return Catalogue(indicators_df, wards_df, raw.sha256)


def _no_duplicate_codes(check: Checker, frame: pd.DataFrame, sheet: str, what_vi: str) -> None:
    for code in frame.loc[frame["indicator_code"].duplicated(), "indicator_code"]:
        check.add(sheet, "", f"Trùng {what_vi} '{code}'.")


# --- ward workbook -------------------------------------------------------------

def ward_from(raw: RawWorkbook, file: str, check: Checker, catalogue: Catalogue) -> WardData | None:
    ctx = _ward_context(raw, file, check, catalogue)
    if ctx is None:
        return None
    ward_code, plan_year, sources = ctx.ward_code, ctx.plan_year, ctx.sources
    def rows(spec):
        return _rows(raw, spec, check)
    return WardData(
        ward_code=ward_code, plan_year=plan_year, file=file,
        sources=Rows.of("sources", [{**s, "ward_code": ward_code, "plan_year": plan_year}
                                    for s in sources.values()]),
        targets=_targets(rows(template.TARGETS), ctx),
        scenario=_period_values(rows(template.SCENARIO), ctx, "kịch bản", plan_year),
        actuals=_actuals(rows(template.ACTUALS), ctx),
        statements=_statements(rows(template.STATEMENTS), ctx),
        baselines=_period_values(rows(template.BASELINES), ctx, "ước thực hiện năm trước", None),
        tasks=_tasks(rows(template.TASKS), ctx),
        projects=_projects(rows(template.PROJECTS), ctx),
        notes=_notes(rows(template.NOTES), ctx),
    )


# The sheets `ward_actuals` reads: a workbook no longer in force is read for them alone.
ACTUALS_SHEETS = frozenset(sheet_key(s.name) for s in (template.WARD_INFO, template.SOURCES,
                                                       template.ACTUALS))


def ward_actuals(raw: RawWorkbook, file: str, check: Checker,
                 catalogue: Catalogue) -> Rows | None:
    """A ward workbook's actuals alone, as `ward_from` gives them: for a workbook no longer
    in force, whose other sheets only the history would have read."""
    ctx = _ward_context(raw, file, check, catalogue)
    return None if ctx is None else _actuals(_rows(raw, template.ACTUALS, check), ctx)


def _ward_context(raw: RawWorkbook, file: str, check: Checker,
                  catalogue: Catalogue) -> _Context | None:
    """The ward, plan year and sources every sheet's rows are read with (None if unknown)."""
    sheets = raw.sheets
    info, cells = _ward_info(check.rows(sheets.get(template.WARD_INFO.name), template.WARD_INFO),
                             check)
    ward_code = info.get("ward_code")
    if ward_code and ward_code not in set(catalogue.wards["ward_code"]):
        check.at(cells["ward_code"], "value", f"Mã đơn vị '{ward_code}' không có trong danh mục "
                 "đơn vị hành chính (data/catalogue.xlsx).")
        ward_code = None
    sources = _sources(check.rows(sheets.get(template.SOURCES.name), template.SOURCES), check)
    plan_year = info.get("plan_year")
    if not ward_code or plan_year is None:
        return None
    return _Context(ward_code, plan_year, file, check, catalogue, sources)


def _rows(raw: RawWorkbook, spec, check: Checker) -> list[Row]:
    return check.rows(raw.sheets.get(spec.name), spec,
                      optional=spec.name in template.OPTIONAL_WARD_SHEETS)


def _ward_info(rows: list[Row], check: Checker) -> tuple[dict, dict[str, Row]]:
    """Ward code, name and plan year (an int, or absent if unreadable), and their rows."""
    info: dict = {}
    cells: dict[str, Row] = {}
    check.info_keys(rows, WARD_INFO_KEYS)
    for row in rows:
        key = WARD_INFO_KEYS.get(row.text("key"))
        if key:
            info[key] = row.text("value")
            cells[key] = row
    free_row = max((row.row_number for row in rows), default=1) + 1
    for label, key in WARD_INFO_KEYS.items():
        if key not in cells:  # an empty value is reported where it is
            check.add(template.WARD_INFO.name, f"A{free_row}", f"Thiếu mục '{label}': thêm một "
                      f"dòng, cột 'Mục' ghi '{label}', cột 'Giá trị' ghi giá trị.")
    year_text = info.pop("plan_year", "")
    if year_text:
        if year_text.isdigit() and int(year_text) in PLAN_YEARS:
            info["plan_year"] = int(year_text)
        else:
            check.at(cells["plan_year"], "value",
                     f"Năm kế hoạch '{year_text}' không hợp lệ (ghi bốn chữ số, ví dụ 2026).")
    return info, cells


def _sources(rows: list[Row], check: Checker) -> dict[str, dict]:
    sources = {}
    for row in rows:
        code = check.required_text(row, "source_code", "Mã nguồn")
        convention = row.text("number_convention")
        if convention not in NUMBER_CONVENTIONS:
            check.at(row, "number_convention",
                     f"Quy ước số '{convention}' không hợp lệ; dùng 'vi' hoặc 'en'.")
        if code in sources:
            check.at(row, "source_code", f"Trùng mã nguồn '{code}'.")
        sources[code] = {"source_code": code, "title_vi": row.text("title_vi"),
                         "doc_number": row.text("doc_number") or None,
                         "doc_date": row.text("doc_date") or None,
                         "original_file": row.text("original_file") or None,
                         "number_convention": convention}
    return sources


@dataclass
class _Context:
    ward_code: str
    plan_year: int
    file: str
    check: Checker
    catalogue: Catalogue
    sources: dict[str, dict]

    def __post_init__(self):
        self.indicators = self.catalogue.indicator_rows

    def source(self, row: Row) -> dict | None:
        code = row.text("source_code")
        if code not in self.sources:
            self.check.at(row, "source_code", f"Mã nguồn '{code}' chưa khai báo ở trang 'Nguồn'.")
            return None
        return self.sources[code]

    def provenance(self, row: Row, source: dict | None, main_field: str) -> dict:
        location = row.text("source_location")
        if not location:
            self.check.at(row, "source_location", "Thiếu vị trí trong văn bản nguồn.")
        title = source["title_vi"] if source else row.text("source_code")
        cell = row.where(main_field)
        return {
            "source_code": row.text("source_code"), "source_location": location,
            "source_file": self.file, "source_sheet": row.sheet, "source_cell": cell,
            "source_ref": f"{title} — {location} [{self.file} › {row.sheet}!{cell}]",
        }

    def indicator(self, row: Row) -> dict | None:
        code = self.check.code(row, "indicator_code", self.indicators, "mã chỉ tiêu")
        return None if code is None else {"indicator_code": code, **self.indicators[code]}

    def to_canonical(self, row: Row, field: str, value: float | None, unit_text: str,
                     indicator: dict) -> float | None:
        if value is None or indicator["kind"] not in kinds.CONVERTIBLE:
            return value
        if not unit_text and indicator["unit"]:
            # An empty unit would be read as the canonical one: '2.000 đồng' as 2.000 triệu.
            self.check.at(row, "unit_text", f"Thiếu đơn vị cho giá trị {format_number_vi(value)}; "
                          f"ghi đơn vị như văn bản nguồn (chỉ tiêu tính bằng '{indicator['unit']}').")
            return None
        try:
            return parsing.convert_to_canonical(value, unit_text, indicator["unit"])
        except ParseError as exc:
            self.check.at(row, "unit_text", exc.message_vi)
            return None

    def same_number(self, row: Row, field: str, typed: float | None, text_value: float | None,
                    text: str, convention: str) -> None:
        """Catch a number typed in the wrong convention (357.450 entered as 357,45)."""
        if typed is None or text_value is None:
            return
        if not math.isclose(typed, text_value, rel_tol=SAME_NUMBER, abs_tol=SAME_NUMBER):
            self.check.at(row, field, (
                f"Giá trị {_exact(typed)} không khớp với nguyên văn '{text}' "
                f"(= {_exact(text_value)} theo quy ước số '{convention}' "
                "của văn bản nguồn). Kiểm tra dấu chấm/phẩy hàng nghìn và thập phân."))


def _exact(x: float) -> str:
    """All significant decimals, Vietnamese style: 357,45 and 357.450 must look different."""
    text = format_number_vi(x, 6)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _targets(rows: list[Row], ctx: _Context) -> Rows:
    records, keys = [], []
    for row in rows:
        indicator = ctx.indicator(row)
        source = ctx.source(row)
        period = ctx.check.period(row, "period", ctx.plan_year)
        target_text = ctx.check.required_verbatim(row, "target_text", "Chỉ tiêu (nguyên văn)")
        value = ctx.check.number(row, "value", "Giá trị", source and source["number_convention"])
        value_high = ctx.check.number(row, "value_high", "Giá trị cận trên",
                                      source and source["number_convention"])
        if not (indicator and source and period and target_text):
            continue
        unit_text = row.text("unit_text")
        try:
            parsed = parsing.parse_target(target_text, source["number_convention"],
                                          indicator_unit=indicator["unit"])
        except ParseError as exc:
            ctx.check.at(row, "target_text", exc.message_vi)
            continue
        ctx.same_number(row, "value", value, parsed.value, target_text, source["number_convention"])
        ctx.same_number(row, "value_high", value_high, parsed.value_high, target_text,
                        source["number_convention"])
        if value is not None and parsed.value is None:
            ctx.check.at(row, "value", f"Có giá trị {format_number_vi(value)} nhưng nguyên "
                         f"văn '{target_text}' không nêu con số nào.")
        value = parsed.value if value is None else value
        value_high = parsed.value_high if value_high is None else value_high
        if parsed.comparator in NON_NUMERIC_COMPARATORS:
            canonical_value, canonical_high = value, value_high
            unit = "%" if parsed.comparator == "relative" else indicator["unit"]
        else:
            canonical_value = ctx.to_canonical(row, "value", value, unit_text, indicator)
            canonical_high = ctx.to_canonical(row, "value_high", value_high, unit_text, indicator)
            unit = indicator["unit"]
        keys.append(((indicator["indicator_code"], period.code), row))
        records.append({
            "ward_code": ctx.ward_code, "indicator_code": indicator["indicator_code"],
            "year": period.year, "item_no": row.text("item_no") or None,
            "name_text": row.verbatim("name_text"), "comparator": parsed.comparator,
            "target_value": canonical_value, "target_value_high": canonical_high,
            "unit": unit, "unit_text": unit_text, "target_text": target_text,
            "base_text": parsed.base_text, "responsible_vi": row.verbatim("responsible_vi") or None,
            **ctx.provenance(row, source, "target_text"),
        })
    ctx.check.no_duplicates(keys, "indicator_code", "chỉ tiêu × kỳ")
    return Rows.of("targets", records)


def _period_value(row: Row, ctx: _Context, expected_year: int | None):
    """Shared by actuals, scenario and baselines: indicator, period, value checked against text."""
    indicator = ctx.indicator(row)
    source = ctx.source(row)
    period = ctx.check.period(row, "period", expected_year)
    value_text = row.verbatim("value_text")
    convention = source and source["number_convention"]
    value = ctx.check.number(row, "value", "Giá trị", convention)
    if not (indicator and source and period):
        return None
    qualifier = placeholder = None
    if indicator["kind"] in kinds.CONVERTIBLE:
        try:
            parsed = parsing.parse_value(value_text, convention)
            qualifier, placeholder = parsed.qualifier, parsed.placeholder
            ctx.same_number(row, "value", value, parsed.value, value_text, convention)
            if value is not None and parsed.value is None:
                ctx.check.at(row, "value", f"Có giá trị {format_number_vi(value)} nhưng "
                             f"nguyên văn là '{value_text}'.")
            value = parsed.value if value is None else value
        except ParseError as exc:
            ctx.check.at(row, "value_text", exc.message_vi)
            return None
    unit_text = row.text("unit_text")
    record = {
        "ward_code": ctx.ward_code, "indicator_code": indicator["indicator_code"],
        "period": period.code, "period_kind": period.kind,
        "value": ctx.to_canonical(row, "value", value, unit_text, indicator),
        "value_text": value_text, "qualifier": qualifier, "placeholder": placeholder,
        "unit": indicator["unit"], "unit_text": unit_text,
    }
    return record, source, (indicator["indicator_code"], period.code)


def _period_values(rows: list[Row], ctx: _Context, what_vi: str,
                   expected_year: int | None) -> Rows:
    records, keys = [], []
    for row in rows:
        result = _period_value(row, ctx, expected_year)
        if result:
            record, source, key = result
            records.append({**record, **ctx.provenance(row, source, "value")})
            keys.append((key, row))
    ctx.check.no_duplicates(keys, "indicator_code", f"{what_vi} chỉ tiêu × kỳ")
    return Rows.of("baselines", records)


def _actuals(rows: list[Row], ctx: _Context) -> Rows:
    records, keys = [], []
    for row in rows:
        result = _period_value(row, ctx, ctx.plan_year)
        if result:
            record, source, key = result
            records.append({**record,
                            "stated_pct_text": row.verbatim("stated_pct_text") or None,
                            "ward_verdict": row.text("ward_verdict") or None,
                            "ward_summary": row.verbatim("ward_summary") or None,
                            "cutoff_date": ctx.check.date(row, "cutoff_date", "Số liệu đến ngày"),
                            **ctx.provenance(row, source, "value")})
            keys.append((key, row))
    ctx.check.no_duplicates(keys, "indicator_code", "số thực hiện chỉ tiêu × kỳ")
    return Rows.of("actuals", records)


STATEMENT_KINDS = {"thực hiện": "actual", "chỉ tiêu": "target"}


def _statements(rows: list[Row], ctx: _Context) -> Rows:
    records = []
    for row in rows:
        kind = STATEMENT_KINDS.get(row.text("statement_kind"))
        if kind is None:
            ctx.check.at(row, "statement_kind", "Loại phải là 'thực hiện' hoặc 'chỉ tiêu'.")
        indicator = ctx.indicator(row)
        source = ctx.source(row)
        period = ctx.check.period(row, "period", ctx.plan_year)
        convention = source and source["number_convention"]
        numbers = {f: ctx.check.number(row, f, f, convention)
                   for f in ("value", "numerator", "denominator", "stated_pct",
                             "stated_over_scenario_pct")}
        text = ctx.check.required_verbatim(row, "text", "Nguyên văn")
        if not (kind and indicator and source and period and text):
            continue
        unit_text = row.text("unit_text")
        written = value = numbers["value"]
        if value is not None and unit_text and parsing.money_factor_to_million(unit_text):
            value = ctx.to_canonical(row, "value", value, unit_text, indicator)
        records.append({
            "ward_code": ctx.ward_code, "statement_kind": kind,
            "indicator_code": indicator["indicator_code"], "period": period.code,
            "value": value, "value_as_written": written, "unit_text": unit_text,
            "numerator": numbers["numerator"],
            "denominator": numbers["denominator"], "stated_pct": numbers["stated_pct"],
            "stated_over_scenario_pct": numbers["stated_over_scenario_pct"], "text": text,
            **ctx.provenance(row, source, "text"),
        })
    return Rows.of("statements", records)


def _tasks(rows: list[Row], ctx: _Context) -> Rows:
    records, keys = [], []
    for row in rows:
        source = ctx.source(row)
        task_no = ctx.check.required_text(row, "task_no", "STT")
        task_text = ctx.check.required_verbatim(row, "task_text", "Nhiệm vụ (nguyên văn)")
        report_period = None
        if row.text("report_period"):
            period = ctx.check.period(row, "report_period", ctx.plan_year)
            report_period = period.code if period else None
        if not (source and task_no and task_text):
            continue
        keys.append(((row.text("source_code"), task_no, report_period or ""), row))
        records.append({
            "ward_code": ctx.ward_code, "plan_year": ctx.plan_year, "task_no": task_no,
            "office_vi": row.text("office_vi"),
            "task_text": task_text, "output_vi": row.verbatim("output_vi") or None,
            "partners_vi": row.verbatim("partners_vi") or None,
            "deadline_text": row.verbatim("deadline_text") or None,
            "authority_vi": row.text("authority_vi") or None, "report_period": report_period,
            "progress_text": row.verbatim("progress_text") or None,
            "forecast_text": row.verbatim("forecast_text") or None,
            "proposal_text": row.verbatim("proposal_text") or None,
            **ctx.provenance(row, source, "task_text"),
        })
    ctx.check.no_duplicates(keys, "task_no", "nhiệm vụ")
    return Rows.of("tasks", records)


PROJECT_ROW_KINDS = {"nhóm": "group", "dự án": "project", "hạng mục": "component"}


def _projects(rows: list[Row], ctx: _Context) -> Rows:
    records = []
    for row in rows:
        source = ctx.source(row)
        row_kind = PROJECT_ROW_KINDS.get(row.text("row_kind"))
        if row_kind is None:
            ctx.check.at(row, "row_kind", "Loại dòng phải là 'nhóm', 'dự án' hoặc 'hạng mục'.")
        name = ctx.check.required_verbatim(row, "project_name", "Tên dự án / hạng mục")
        convention = source and source["number_convention"]
        capital = ctx.check.number(row, "total_capital", "Tổng vốn đầu tư", convention)
        planned = ctx.check.number(row, "planned_q1", "Dự kiến giải ngân hết quý I", convention)
        unit_text = row.text("unit_text")
        factor = parsing.money_factor_to_million(unit_text) if unit_text else None
        if factor is None:
            ctx.check.at(row, "unit_text", f"Đơn vị tiền '{unit_text}' không hợp lệ; dùng 'đồng', "
                         "'triệu đồng' hoặc 'tỷ đồng'.")
        if not (source and row_kind and name and factor):
            continue
        for field, typed in (("total_capital", capital), ("planned_q1", planned)):
            text = row.text(f"{field}_text")
            if text:
                try:
                    ctx.same_number(row, field, typed, parse_number(text, convention),
                                    text, convention)
                except ParseError as exc:
                    ctx.check.at(row, f"{field}_text", exc.message_vi)
        records.append({
            "ward_code": ctx.ward_code, "plan_year": ctx.plan_year,
            "group_code": row.text("group_code") or None,
            "project_no": row.text("project_no") or None, "project_name": name,
            "row_kind": row_kind,
            "total_capital_mvnd": None if capital is None else capital * factor,
            "total_capital_text": row.verbatim("total_capital_text") or None,
            "planned_q1_mvnd": None if planned is None else planned * factor,
            "planned_q1_text": row.verbatim("planned_q1_text") or None, "unit_text": unit_text,
            "disbursed_march_text": row.verbatim("disbursed_march_text") or None,
            "location_vi": row.verbatim("location_vi") or None,
            "progress_text": row.verbatim("progress_text") or None,
            "forecast_text": row.verbatim("forecast_text") or None,
            "proposal_text": row.verbatim("proposal_text") or None,
            **ctx.provenance(row, source, "project_name"),
        })
    return Rows.of("projects", records)


def _notes(rows: list[Row], ctx: _Context) -> Rows:
    """Source anomalies noted by whoever transcribed the documents: shown as data issues."""
    records = []
    for row in rows:
        severity = SEVERITIES.get(row.text("severity"))
        if severity is None:
            ctx.check.at(row, "severity", "Mức độ phải là 'lỗi', 'cảnh báo' hoặc 'thông tin'.")
        indicator_code = None
        if row.text("indicator_code"):
            indicator = ctx.indicator(row)
            indicator_code = indicator and indicator["indicator_code"]
        period = None
        if row.text("period"):
            parsed = ctx.check.period(row, "period", None)
            period = parsed and parsed.code
        source = ctx.source(row)
        message = ctx.check.required_verbatim(row, "message", "Nội dung")
        if not (severity and source and message):
            continue
        records.append({"ward_code": ctx.ward_code, "indicator_code": indicator_code,
                        "period": period, "severity": severity,
                        "check_code": "source_note", "message": message,
                        "source_ref": ctx.provenance(row, source, "message")["source_ref"]})
    return Rows.of("data_issues", records)


# --- a period's report (the "mẫu báo cáo" a ward fills in) ---------------------------

def report_actuals(rows: list[Row], ward_code: str, plan_year: int, file: str, check: Checker,
                   catalogue: Catalogue, source: dict) -> Rows:
    """Actual rows from a report's lines, checked exactly as a workbook's 'Thực hiện' sheet
    (number against its verbatim text, units, placeholders, duplicates)."""
    ctx = _Context(ward_code, plan_year, file, check, catalogue, {source["source_code"]: source})
    return _actuals(rows, ctx)
