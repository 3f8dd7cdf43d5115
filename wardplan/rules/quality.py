"""Data-quality checks: find and record problems in the source figures.

Nothing here changes a figure.  Each check returns findings (severity,
Vietnamese message, source references); the ETL stores them in
`data_issues` and the app shows them beside the figures they touch.

Severities: 'error' — a figure that cannot be right as written (a unit slip,
a percentage above 100 where that is impossible, a stated ratio that does not
follow from its own numbers); 'warning' — two statements of one fact that
disagree, or a figure that looks implausible; 'info' — agreement only after
rounding, kept so the reader knows both forms exist.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass

import pandas as pd

from wardplan.rules import kinds, plausibility
from wardplan.rules.frames import records
from wardplan.rules.numbers import ParseError, format_number_vi, parse_number
from wardplan.rules.parsing import canonical_unit, money_factor_to_million, parse_target
from wardplan.rules.periods import period_from_code, period_label
from wardplan.rules.text import shorten

# A flow's annual target this many times its previous-year estimate (or less than its
# inverse) is implausible enough to ask the ward about.
BASELINE_JUMP_RATIO = 5.0
# A ratio that only works after scaling one side by these was written in the wrong unit
# (đồng / triệu đồng / tỷ đồng differ by a thousand or a million).
UNIT_SLIP_FACTORS = (1e3, 1e6, 1e-3, 1e-6)


SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_LABELS_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


@dataclass(frozen=True)
class Finding:
    ward_code: str
    indicator_code: str | None
    period: str | None
    severity: str
    check_code: str
    message: str
    source_ref: str
    # Which figure an error makes unusable for status: the 'target', the
    # 'actual' of `period`, or None (the finding is about the source text).
    flagged_figure: str | None = None


FINDING_COLUMNS = list(Finding.__dataclass_fields__)
_fields = operator.attrgetter(*FINDING_COLUMNS)


def rounding_tolerance(text: str) -> float:
    """Half a unit of the last digit written: '8,18%' -> 0.005, '6%' -> 0.5."""
    match = re.search(r"[.,](\d+)\s*%?\s*$", text.strip())
    decimals = len(match.group(1)) if match and len(match.group(1)) != 3 else 0
    return 0.5 * 10 ** -decimals + 1e-9


def _pct_text(text: str) -> tuple[float, float] | None:
    """The percentage a ward wrote ('đạt 8,18%', '01%', '203% dự toán'), with its tolerance."""
    match = re.search(r"(\d+(?:[.,]\d+)?)\s*%", text)
    if not match:
        return None
    try:
        return parse_number(match.group(1), "vi"), rounding_tolerance(match.group(1))
    except ParseError:
        return None


def _pct(x: float) -> str:
    text = format_number_vi(x, 3)
    return (text.rstrip("0").rstrip(",") if "," in text else text) + "%"


def _truncated(computed: float, stated: float, tolerance: float) -> bool:
    """'9,33%' for 9,339%: digits cut off rather than rounded."""
    step = 2 * (tolerance - 1e-9)
    return 0 <= computed - stated < step


def _ratio_finding(ward, indicator, period, numerator, denominator, stated, tolerance,
                   context_vi, source_ref, figures=(None, None)) -> Finding | None:
    """`figures`: which loaded figure the numerator and the denominator are ('actual',
    'target'), so a unit slip flags the one that is wrong."""
    if denominator in (0, None) or numerator is None or stated is None:
        return None
    computed = numerator / denominator * 100
    if abs(computed - stated) <= tolerance:
        return None
    for factor in UNIT_SLIP_FACTORS:
        if abs(numerator / (denominator * factor) * 100 - stated) <= tolerance:
            side = "mẫu số" if factor > 1 else "tử số"
            figure = figures[1] if factor > 1 else figures[0]
            return Finding(ward, indicator, period, "error", "unit_slip",
                           f"{context_vi}: tỷ lệ nêu {_pct(stated)} chỉ đúng nếu {side} lớn gấp "
                           f"{format_number_vi(max(factor, 1 / factor))} lần (viết sai đơn vị, "
                           f"ví dụ 'đồng' thay cho 'triệu đồng'); theo số như viết thì là "
                           f"{_pct(computed)}.", source_ref, figure)
    if _truncated(computed, stated, tolerance):
        return Finding(ward, indicator, period, "info", "stated_pct_truncated",
                       f"{context_vi}: tỷ lệ nêu {_pct(stated)}, tính ra {_pct(computed)} — văn bản "
                       "cắt bớt chữ số thay vì làm tròn.", source_ref)
    return Finding(ward, indicator, period, "warning", "stated_pct_mismatch",
                   f"{context_vi}: tỷ lệ nêu {_pct(stated)} nhưng "
                   f"{format_number_vi(round(numerator, 6))}/{format_number_vi(round(denominator, 6))} = "
                   f"{_pct(computed)}.",
                   source_ref)


def stated_pct_of_plan(actuals: pd.DataFrame, targets: pd.DataFrame) -> list[Finding]:
    """'đạt X% kế hoạch' next to an actual: X must be actual / annual target.

    For indicators that are themselves percentages the column repeats the level.
    """
    findings = []
    plan = _rows_by(targets, _TARGET_KEY, ("target_value",))
    amounts = actuals[actuals["unit"] != "%"]
    for row in records(_given(amounts, "stated_pct_text", "value")):
        target = plan.get((row.ward_code, row.indicator_code, _year(row.period)))
        stated = _pct_text(row.stated_pct_text)
        if stated is None or target is None or pd.isna(target.target_value) \
                or target.target_value == 0:
            continue
        finding = _ratio_finding(row.ward_code, row.indicator_code, row.period, row.value,
                                 float(target.target_value), stated[0], stated[1],
                                 f"{period_label(row.period)}, '{row.value_text}' so với kế "
                                 "hoạch năm", row.source_ref, figures=("actual", "target"))
        if finding:
            findings.append(finding)
    return findings


def _given(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The rows with a value in each of `columns` (`dropna(subset=…)`, at a third of its
    cost on the few rows of one ward)."""
    given = frame[columns[0]].notna()
    for column in columns[1:]:
        given &= frame[column].notna()
    return frame[given]


# The primary keys of the targets and of the figures: the workbook checks keep them unique.
_TARGET_KEY = ("ward_code", "indicator_code", "year")
_FIGURE_KEY = ("ward_code", "indicator_code", "period")


def _rows_by(frame: pd.DataFrame, key: tuple[str, ...],
             columns: tuple[str, ...]) -> dict[tuple, tuple]:
    """Each row of `frame` by its `key`, as a record of the key and `columns`.  A dict, not
    an index: one ward's checks ran on a few dozen rows, and pandas' cost per index and
    per look-up (a tenth of a millisecond, thousands of times a build) was most of them."""
    return {tuple(row[:len(key)]): row for row in records(frame[[*key, *columns]])}


def stated_ratios(statements: pd.DataFrame) -> list[Finding]:
    """'4.031/4.032 hồ sơ = 99,99%': the stated ratio must follow from its own numbers."""
    findings = []
    rows = _given(statements, "numerator", "denominator", "stated_pct")
    for row in records(rows):
        pct_match = re.findall(r"(\d+(?:[.,]\d+)?)\s*%", row.text)
        tolerance = rounding_tolerance(pct_match[-1]) if pct_match else 0.005
        finding = _ratio_finding(row.ward_code, row.indicator_code, row.period, row.numerator,
                                 row.denominator, row.stated_pct, tolerance,
                                 f"{period_label(row.period)}, '{row.text}'", row.source_ref)
        if finding:
            findings.append(finding)
    return findings


def quarter_not_sum_of_months(actuals: pd.DataFrame, indicators: pd.DataFrame) -> list[Finding]:
    flows = set(indicators.loc[indicators["kind"] == kinds.FLOW, "indicator_code"])
    known = _given(actuals, "value")
    known = known[known["indicator_code"].isin(flows)]
    values = _rows_by(known, _FIGURE_KEY, ("value",))
    findings = []
    for row in records(known[known["period_kind"] == "quarter"]):
        year, quarter = row.period.split("-Q")
        months = [f"{year}-{3 * (int(quarter) - 1) + m:02d}" for m in (1, 2, 3)]
        keys = [(row.ward_code, row.indicator_code, m) for m in months]
        if not all(k in values for k in keys):
            continue
        total = sum(float(values[k].value) for k in keys)
        if not math.isclose(total, row.value, abs_tol=rounding_tolerance(row.value_text)):
            findings.append(Finding(
                row.ward_code, row.indicator_code, row.period, "warning", "quarter_not_sum",
                f"Số {period_label(row.period)} là {format_number_vi(row.value)} nhưng tổng ba tháng là "
                f"{format_number_vi(total)}.", row.source_ref))
    return findings


def same_figure_for_two_indicators(actuals: pd.DataFrame, indicators: pd.DataFrame) -> list[Finding]:
    """Two different flows with the same non-trivial figure in one period: likely a copy slip."""
    flows = set(indicators.loc[indicators["kind"] == kinds.FLOW, "indicator_code"])
    names = dict(zip(indicators["indicator_code"].tolist(), indicators["name_vi"].tolist(),
                     strict=True))
    given: dict[tuple, list] = {}  # (ward, period, figure): the rows that give it
    figures = _given(actuals, "ward_code", "period", "value")
    for row in records(figures[["ward_code", "indicator_code", "period", "value", "source_ref"]]):
        if row.indicator_code in flows and abs(row.value) >= 100:
            given.setdefault((row.ward_code, row.period, row.value), []).append(row)
    findings = []
    for (ward, period, value) in sorted(k for k, rows in given.items() if len(rows) > 1):
        rows = given[(ward, period, value)]
        listed = ", ".join(f"'{names[r.indicator_code]}'" for r in rows)
        for row in rows:
            findings.append(Finding(
                ward, row.indicator_code, period, "warning", "same_figure",
                f"{period_label(period)}: {listed} cùng số {format_number_vi(value)} triệu đồng — "
                "nhiều khả "
                "năng chép nhầm số của chỉ tiêu này sang chỉ tiêu kia.", row.source_ref))
    return findings


def table_vs_statement(actuals: pd.DataFrame, statements: pd.DataFrame) -> list[Finding]:
    """A figure restated in prose must agree with the table, within the table's rounding."""
    table = _rows_by(_given(actuals, "value"), _FIGURE_KEY, ("value", "value_text", "source_ref"))
    findings = []
    said = _given(statements[statements["statement_kind"] == "actual"], "value")
    for row in records(said):
        cell = table.get((row.ward_code, row.indicator_code, row.period))
        if cell is None:
            continue
        difference = abs(float(cell.value) - row.value)
        if difference == 0:
            continue
        tolerance = rounding_tolerance(str(cell.value_text))
        refs = f"{cell.source_ref} | {row.source_ref}"
        if difference <= tolerance:
            findings.append(Finding(
                row.ward_code, row.indicator_code, row.period, "info", "table_vs_text_rounded",
                f"Bảng ghi '{cell.value_text}', lời văn ghi {format_number_vi(row.value)}: "
                "khớp sau làm tròn.", refs))
        else:
            findings.append(Finding(
                row.ward_code, row.indicator_code, row.period, "warning", "table_vs_text",
                f"Bảng ghi '{cell.value_text}' nhưng lời văn ghi {format_number_vi(row.value)} "
                f"('{shorten(row.text, 140)}').", refs))
    return findings


def target_statements(targets: pd.DataFrame, statements: pd.DataFrame) -> list[Finding]:
    """A target restated elsewhere with another level or comparator."""
    table = _rows_by(targets, _TARGET_KEY,
                     ("target_value", "target_text", "comparator", "unit", "source_ref"))
    findings = []
    said = statements[statements["statement_kind"] == "target"]
    for row in records(said):
        target = table.get((row.ward_code, row.indicator_code, _year(row.period)))
        if target is None:
            continue
        if pd.isna(row.value) or pd.isna(target.target_value):
            continue
        refs = f"{target.source_ref} | {row.source_ref}"
        if not _same_unit(row.unit_text, target.unit):
            continue  # an equivalent in other units ('tương ứng 15 hộ'), not a restatement
        if not math.isclose(row.value, target.target_value):
            findings.append(Finding(
                row.ward_code, row.indicator_code, row.period, "warning", "target_restated",
                f"Chỉ tiêu ghi '{target.target_text}' nhưng nơi khác ghi "
                f"'{shorten(row.text, 140)}'.", refs))
            continue
        comparator = _comparator_of(row.text, row.value)
        if comparator and comparator != target.comparator:
            findings.append(Finding(
                row.ward_code, row.indicator_code, row.period, "info", "target_comparator",
                f"Bảng chỉ tiêu ghi '{target.target_text}' ({_comparison(target.comparator)}), "
                f"lời văn ghi '{shorten(row.text, 140)}' ({_comparison(comparator)}).", refs))
    return findings


# How a finding names a comparator: in words, never as the code stored in the database.
_COMPARISON_VI = {">": "lớn hơn", ">=": "từ mức đó trở lên", "<": "nhỏ hơn",
                  "<=": "không quá mức đó", "=": "bằng", "range": "trong khoảng"}


def _comparison(comparator: object) -> str:
    return f"so sánh: {_COMPARISON_VI.get(str(comparator), str(comparator))}"


def _same_unit(unit_text: str | None, canonical: str) -> bool:
    return canonical_unit(unit_text or "") in ("", canonical) or (
        money_factor_to_million(unit_text or "") is not None and canonical == "triệu đồng")


def _year(period: object) -> int | None:
    parsed = period_from_code(period)
    return parsed.year if parsed else None


def _comparator_of(text: str, value: float) -> str | None:
    """The comparator a sentence states, when its parse lands on the same number."""
    try:
        parsed = parse_target(text, "vi")
    except ParseError:
        return None
    if parsed.value is None or not math.isclose(parsed.value, value):
        return None
    return parsed.comparator


def components_vs_parent(actuals: pd.DataFrame, indicators: pd.DataFrame) -> list[Finding]:
    """A total the ward wrote that its components, two or more of them given, do not add up
    to.  Summed in one pass over the figures: a frame per ward and period was a quarter of
    the checks' time, and grouping and merging frames most of one ward's."""
    parents = _given(indicators, "parent_code")
    parent_of = dict(zip(parents["indicator_code"].tolist(), parents["parent_code"].tolist(),
                         strict=True))
    components: dict[tuple, list[float]] = {}  # (ward, period, parent): the components given
    written: dict[tuple, tuple] = {}  # (ward, period, indicator): its first row
    known = _given(actuals, "ward_code", "period", "value")
    for row in records(known[["ward_code", "period", "indicator_code", "value", "value_text",
                              "source_ref"]]):
        parent = parent_of.get(row.indicator_code)
        if parent is not None:
            components.setdefault((row.ward_code, row.period, parent), []).append(row.value)
        written.setdefault((row.ward_code, row.period, row.indicator_code), row)
    findings = []
    for key in sorted(components):
        values, total_row = components[key], written.get(key)
        if len(values) < 2 or total_row is None:
            continue
        total = math.fsum(values)  # as pandas' compensated sum did, to the last digit
        if abs(total - total_row.value) > rounding_tolerance(total_row.value_text):
            ward, period, parent = key
            findings.append(Finding(
                ward, parent, period, "warning", "components_not_sum",
                f"{period_label(period)}: tổng {len(values)} khoản thành phần là "
                f"{format_number_vi(total)} "
                f"nhưng tổng số ghi {format_number_vi(float(total_row.value))}.",
                total_row.source_ref))
    return findings


def implausible_baseline(baselines: pd.DataFrame, targets: pd.DataFrame,
                         indicators: pd.DataFrame) -> list[Finding]:
    flows = set(indicators.loc[indicators["kind"] == kinds.FLOW, "indicator_code"])
    planned = _rows_by(targets, _TARGET_KEY, ("target_value", "target_text", "source_ref"))
    findings = []
    for row in records(_given(baselines, "value")):
        year = (_year(row.period) or 0) + 1
        target = planned.get((row.ward_code, row.indicator_code, year))
        if target is None or row.indicator_code not in flows or not row.value \
                or pd.isna(target.target_value):
            continue
        ratio = target.target_value / row.value
        if ratio > BASELINE_JUMP_RATIO or ratio < 1 / BASELINE_JUMP_RATIO:
            findings.append(Finding(
                row.ward_code, row.indicator_code, row.period, "warning", "implausible_baseline",
                f"Ước thực hiện {year - 1} '{row.value_text}' so với kế hoạch {year} "
                f"'{target.target_text}' gấp {format_number_vi(ratio, 1)} lần: số năm {year - 1} "
                "khó tin, cần phường xác nhận.", f"{row.source_ref} | {target.source_ref}"))
    return findings


def impossible_percent_targets(targets: pd.DataFrame) -> list[Finding]:
    findings = []
    for row in records(targets[(targets["unit"] == "%")]):
        over = (row.comparator == ">" and row.target_value is not None and row.target_value >= 100) or (
            row.target_value is not None and row.target_value > 100 and row.comparator != "relative")
        if over:
            findings.append(Finding(
                row.ward_code, row.indicator_code, str(row.year), "error", "impossible_target",
                f"Chỉ tiêu '{row.target_text}' %: một tỷ lệ không thể vượt 100%.", row.source_ref,
                "target"))
    return findings


def project_totals(projects: pd.DataFrame) -> list[Finding]:
    """A group row whose total the group's projects do not add up to (summed in one pass:
    a frame per group was a quarter of the checks' time at 114 units)."""
    columns = (("total_capital_mvnd", "tổng vốn"), ("planned_q1_mvnd", "kế hoạch giải ngân quý I"))
    headers: dict[tuple, tuple] = {}  # (ward, plan year, group): its first group row
    members: dict[tuple, list[tuple]] = {}  # the same key: its projects' rows
    for row in records(_given(projects, "ward_code", "plan_year", "group_code")):
        key = (row.ward_code, row.plan_year, row.group_code)
        if row.row_kind == "group":
            headers.setdefault(key, row)
        elif row.row_kind == "project":
            members.setdefault(key, []).append(row)
    findings = []
    for key in sorted(headers):
        header, rows = headers[key], members.get(key, [])
        for column, label in columns:
            stated = getattr(header, column)
            if pd.isna(stated):
                continue
            total = math.fsum(v for r in rows if not pd.isna(v := getattr(r, column)))
            if not math.isclose(total, float(stated), abs_tol=0.001):
                findings.append(Finding(
                    header.ward_code, None, f"{header.plan_year}-Q1", "warning",
                    "project_group_total",
                    f"Nhóm {header.group_code}: dòng nhóm ghi {label} "
                    f"{format_number_vi(stated, max_decimals=3)} triệu đồng nhưng "
                    f"{len(rows)} dự án cộng lại "
                    f"{format_number_vi(total, max_decimals=3)} triệu đồng.", header.source_ref))
    return findings


def run_checks(indicators: pd.DataFrame, targets: pd.DataFrame, actuals: pd.DataFrame,
               statements: pd.DataFrame, baselines: pd.DataFrame,
               projects: pd.DataFrame) -> list[Finding]:
    """Every check's findings, check by check (`findings_frame` frames and sorts them)."""
    return [
        *stated_pct_of_plan(actuals, targets),
        *stated_ratios(statements),
        *quarter_not_sum_of_months(actuals, indicators),
        *same_figure_for_two_indicators(actuals, indicators),
        *table_vs_statement(actuals, statements),
        *target_statements(targets, statements),
        *components_vs_parent(actuals, indicators),
        *implausible_baseline(baselines, targets, indicators),
        *impossible_percent_targets(targets),
        *project_totals(projects),
        *plausibility.run_checks(indicators, targets, actuals, baselines, projects),
    ]


def findings_frame(findings) -> pd.DataFrame:
    """Findings (or the scenario's readings, which have the same fields) as a sorted frame."""
    # Their fields read directly: asdict copies each value deeply, and a year-end build has
    # twenty thousand findings.
    frame = pd.DataFrame([_fields(f) for f in findings], columns=FINDING_COLUMNS)
    return frame.sort_values(["ward_code", "indicator_code", "period", "check_code"],
                             na_position="last", ignore_index=True)
