"""Figures and short texts for display: Vietnamese numbers with units, targets in a few
characters, source references cut to their document, links to the detail page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.numbers import format_number_vi, format_pct_vi

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

MONEY_UNIT = "triệu đồng"
# From a million million-VND (1.000 tỷ) on, tỷ đồng reads better on a slide.
_TY_FROM_MVND = 1_000_000


@dataclass(frozen=True)
class DisplayUnit:
    unit: str
    divisor: float = 1.0

    def scale(self, value: float | None) -> float | None:
        return None if is_missing(value) else float(value) / self.divisor


def display_unit(unit: str | None, values) -> DisplayUnit:
    """The unit to show figures of `unit` in: tỷ đồng for very large money amounts."""
    unit = unit or ""
    if unit != MONEY_UNIT:
        return DisplayUnit(unit)
    finite = [abs(float(v)) for v in values if not is_missing(v)]
    if finite and max(finite) >= _TY_FROM_MVND:
        return DisplayUnit("tỷ đồng", 1000.0)
    return DisplayUnit(unit)


def format_value(value: object, unit: str | None = None) -> str:
    """A figure with its unit, Vietnamese style: '105.879 triệu đồng', '95,1%'."""
    if is_missing(value):
        return "—"
    number = format_number_vi(float(value))
    unit = text_or(unit)
    if not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def format_compact(value: object) -> str:
    """A bare figure for a metric card: no decimals from 1.000 up."""
    if is_missing(value):
        return "—"
    value = float(value)
    return format_number_vi(value, 0) if abs(value) >= 1000 else format_number_vi(value)


def format_money_mvnd(value: object) -> str:
    """Money given in million VND, in triệu đồng or, from 1.000 tỷ, tỷ đồng."""
    if is_missing(value):
        return "—"
    value = float(value)
    if abs(value) >= _TY_FROM_MVND:
        return f"{format_number_vi(value / 1000)} tỷ đồng"
    return f"{format_number_vi(value)} triệu đồng"


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


def target_short(comparator: object, value: object, value_high: object, unit: object) -> str:
    """A target in a few characters: '≥ 96%', '= 357.450 triệu đồng', 'top 30', '+10% so với mốc'."""
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
        return f"{'+' if number and not number.startswith('-') else ''}{with_unit} so với mốc" \
            if number else "so với mốc"
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
