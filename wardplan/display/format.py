"""Figures and short texts for display: Vietnamese numbers with units, targets in a few
characters, source references cut to their document, links to the detail page."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from wardplan.rules.missing import as_float, is_missing, is_true, text_or
from wardplan.rules.numbers import format_amount_vi, format_number_vi, format_pct_vi
from wardplan.rules.projection import METHOD_LABELS_VI, Outlook, describe
from wardplan.rules.scenario import ORIGIN_SHORT_VI, ORIGINS, PROVISIONAL_VI

COMPARATOR_LABELS = {
    ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "range": "khoảng",
    "top": "nhóm đầu", "relative": "so với mốc", "qualitative": "định tính",
}


def natural_key(text: object) -> tuple:
    """'1.10' after '1.9', numbers before words."""
    parts = re.split(r"(\d+)", text_or(text))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def detail_link(ward: str, indicator: str, as_of: str, base: str = "chi-tiet") -> str:
    """Relative URL of the indicator detail page, for link columns."""
    return f"{base}?{urlencode({'ward': ward, 'indicator': indicator, 'as_of': as_of})}"

# --- numbers ---------------------------------------------------------------------

def format_value(value: object, unit: str | None = None) -> str:
    """A figure with its unit, Vietnamese style: '105.879 triệu đồng', '95,1%'."""
    if is_missing(value):
        return "—"
    number = format_number_vi(float(value))
    unit = text_or(unit)
    if not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def format_amount(value: object) -> str:
    """A bare figure for a metric card or a cell: whole numbers from 1.000 up."""
    return "—" if is_missing(value) else format_amount_vi(float(value))


def format_ty(value_mvnd: object) -> str:
    """Million VND shown in tỷ đồng with two decimals: 69917.954 → '69,92 tỷ đồng'."""
    if is_missing(value_mvnd):
        return "—"
    return f"{format_number_vi(float(value_mvnd) / 1000, 2)} tỷ đồng"


def pct(value: object, decimals: int = 1) -> str:
    return "—" if is_missing(value) else format_pct_vi(float(value), decimals)

def first_sentence(note: object) -> str:
    text = text_or(note).strip()
    match = re.search(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text)
    return text[:match.start()] if match else text

def target_value_text(row) -> str:
    if is_missing(row.target_value):
        return "—"
    low = format_number_vi(float(row.target_value))
    if not is_missing(getattr(row, "target_value_high", None)):
        return f"{low}–{format_number_vi(float(row.target_value_high))}"
    return low


def target_short(comparator: object, value: object, value_high: object, unit: object,
                 base_text: object = None) -> str:
    """A target as its relation: '≥ 96%', '= 357.450 triệu đồng', 'top 30',
    '+10% so với dự toán thành phố giao' (never a bare number with a money unit)."""
    comparator, unit = text_or(comparator), text_or(unit)
    number = "" if is_missing(value) else format_number_vi(float(value))
    if not is_missing(value_high) and number:
        number = f"{number}–{format_number_vi(float(value_high))}"
    with_unit = f"{number}%" if unit == "%" else (f"{number} {unit}" if unit else number)
    if comparator == "qualitative":
        return "định tính"
    if comparator == "top":
        return f"top {number}" if number else "nhóm đầu"
    if comparator == "relative":
        base = f"so với {text_or(base_text)}" if text_or(base_text) else "so với mốc"
        sign = "+" if number and not number.startswith("-") else ""
        return f"{sign}{number}% {base}" if number else base
    if comparator == "range":
        return f"khoảng {with_unit}"
    if not number:
        return COMPARATOR_LABELS.get(comparator, comparator) or "—"
    return f"{COMPARATOR_LABELS.get(comparator, comparator)} {with_unit}"

def document_titles(refs) -> list[str]:
    """Source references cut to the document (before ' — ' or ' ['), deduplicated:
    the short form a chart's source line has room for."""
    titles: list[str] = []
    for ref in refs:
        text = text_or(ref)
        for cut in (" — ", " ["):
            text = text.split(cut)[0]
        if text and text not in titles:
            titles.append(text)
    return titles


# --- what a status rests on --------------------------------------------------------

def scenario_basis(row) -> str:
    """'chính thức 43% · hệ thống 57% (tạm tính)': how much of the scenario to date is
    the ward's own; '' where there is no scenario."""
    shares = [(origin, getattr(row, f"basis_{origin}_pct", None)) for origin in ORIGINS]
    parts = [f"{ORIGIN_SHORT_VI[o]} {format_number_vi(v, max_decimals=0)}%"
             for o, v in shares if not is_missing(v) and v >= 0.5]
    if not parts:
        return ""
    tail = f" ({PROVISIONAL_VI})" if is_true(getattr(row, "provisional", False)) else ""
    return " · ".join(parts) + tail


def _outlook(row) -> Outlook:
    return Outlook(*(as_float(getattr(row, f"outlook_{c}", None))
                     for c in ("value", "low", "high", "pct_of_target")),
                   text_or(getattr(row, "outlook_method", None)),
                   is_true(getattr(row, "on_course", False)))


def outlook_text(row) -> str:
    """The year-end outlook sentence, from a status row's outlook columns."""
    return describe(_outlook(row), text_or(getattr(row, "unit", None)))


def outlook_short(row) -> str:
    """'≈ 98,5% chỉ tiêu năm (nhịp độ bình quân tháng)' for a table cell; '' if none."""
    outlook = _outlook(row)
    if not outlook.method or is_missing(outlook.pct_of_target):
        return ""
    return f"≈ {pct(outlook.pct_of_target)} chỉ tiêu năm ({METHOD_LABELS_VI[outlook.method]})"
