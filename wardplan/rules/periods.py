"""Reporting periods: months, quarters and the plan year, their codes and labels.

Codes: `2026-03` (March), `2026-Q1` (the first quarter), `2026` (the year).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from wardplan.rules.numbers import ParseError
from wardplan.rules.text import normalise_text

# --- periods ---------------------------------------------------------------

PeriodKind = Literal["month", "quarter", "year"]
# At equal end month a month sorts before its quarter, a quarter before the year.
_KIND_RANK = {"month": 0, "quarter": 1, "year": 2}
# Where period_sort_key puts anything that is not a period code: last.
_UNKNOWN_PERIOD_KEY = (10**6, 0, 0)


@dataclass(frozen=True)
class Period:
    """A reporting period: a month (index 1-12), a quarter (1-4) or the year (0)."""

    code: str
    year: int
    kind: PeriodKind
    index: int

    @classmethod
    @functools.lru_cache(maxsize=4096, typed=True)
    def of(cls, year: int, kind: PeriodKind, index: int = 0) -> Period:
        # Kept, by the arguments' types too (each caller gets the types it gave): the
        # rules ask for the same few hundred periods 100.000 times in a city's build, and
        # a Period never changes.
        code = {"month": f"{year}-{index:02d}", "quarter": f"{year}-Q{index}",
                "year": f"{year}"}[kind]
        return cls(code, year, kind, index)

    @property
    def end_month(self) -> int:
        kind = self.kind
        if kind == "month":
            return self.index
        if kind == "quarter":
            return 3 * self.index
        if kind == "year":
            return 12
        raise KeyError(kind)

    @property
    def months(self) -> tuple[int, ...]:
        if self.kind == "month":
            return (self.index,)
        if self.kind == "quarter":
            return tuple(range(3 * self.index - 2, 3 * self.index + 1))
        return tuple(range(1, 13))

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """A quarter sorts right after its last month, the year after December."""
        return (self.year, self.end_month, _KIND_RANK[self.kind])


_PERIOD_PATTERNS = (
    (re.compile(r"(\d{4})(?:\.0+)?"), "year"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})-[Qq]([1-4])"), "quarter"),
)


def _bad_period(text: object) -> ParseError:
    return ParseError(
        f"{text!r} is not a valid period (expected 2026-01, 2026-Q1 or 2026)",
        f"'{text}' không phải là kỳ báo cáo hợp lệ (dạng 2026-01, 2026-Q1 hoặc 2026)",
    )


def _read_period(text: object) -> Period:
    if isinstance(text, date):  # datetime and pandas Timestamp are dates too
        return Period.of(text.year, "month", text.month)
    if isinstance(text, bool):
        raise _bad_period(text)
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not text.is_integer():
            raise _bad_period(text)
        return Period.of(int(text), "year")
    cleaned = normalise_text(text) if isinstance(text, str) else ""
    for pattern, kind in _PERIOD_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if kind != "year" else 0
            if kind == "month" and not 1 <= index <= 12:
                raise _bad_period(cleaned)
            return Period.of(year, kind, index)
    raise _bad_period(text)


def parse_period(text: str | int | float | date, expected_year: int | None = None) -> Period:
    """Read a period code ('2026-03', '2026-Q1', '2026'), an Excel year or a date."""
    period = _read_period(text)
    if expected_year is not None and period.year != expected_year:
        raise ParseError(
            f"Period {period.code!r} is outside the plan year {expected_year}",
            f"Kỳ '{period.code}' nằm ngoài năm kế hoạch {expected_year}",
        )
    return period


def period_from_code(code: object) -> Period | None:
    """A stored period code ('2026-03', '2026-Q1', '2026') of any year; None if not one.

    Only text is read: numbers and dates are not codes.
    """
    if not isinstance(code, str):
        return None
    return _period_of_code(code)


@functools.lru_cache(maxsize=4096)
def _period_of_code(code: str) -> Period | None:
    # A build looks up the same few dozen codes hundreds of thousands of times; a Period
    # is immutable, so every caller may share one.
    try:
        return parse_period(code, expected_year=None)
    except ParseError:
        return None


def period_sort_key(code: object) -> tuple[int, int, int]:
    """Chronological key of a period code (see `Period.sort_key`); non-codes sort last."""
    period = period_from_code(code)
    return period.sort_key if period else _UNKNOWN_PERIOD_KEY


def all_periods(year: int) -> list[Period]:
    """The 12 months, the 4 quarters and the year, in that order."""
    return ([Period.of(year, "month", m) for m in range(1, 13)]
            + [Period.of(year, "quarter", q) for q in range(1, 5)]
            + [Period.of(year, "year")])


def periods_in_display_order(year: int) -> list[str]:
    """The 17 codes of a year: Jan, Feb, Mar, Q1, Apr, ..., Dec, Q4, the year."""
    return [p.code for p in sorted(all_periods(year), key=lambda p: p.sort_key)]


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(code: str) -> str:
    """'2026-03' → 'Tháng 3/2026', '2026-Q1' → 'Quý I/2026', '2026' → 'Năm 2026'.

    Codes joined with '+' (a to-date figure built from several periods) are
    labelled one by one; anything unparseable is returned unchanged.
    """
    if "+" in str(code):
        return " + ".join(period_label(part) for part in str(code).split("+"))
    period = period_from_code(code) if isinstance(code, str) else None
    if period is None:
        try:
            period = parse_period(code, expected_year=None)
        except ParseError:
            return str(code)
    if period.kind == "month":
        return f"Tháng {period.index}/{period.year}"
    if period.kind == "quarter":
        return f"Quý {_ROMAN[period.index]}/{period.year}"
    return f"Năm {period.year}"


def month_runs(months) -> list[list[int]]:
    """Consecutive months grouped: [1, 2, 4, 5, 6] → [[1, 2], [4, 5, 6]]."""
    runs: list[list[int]] = []
    for month in months:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def latest_part(code: str) -> str:
    """The latest period of a to-date code joined with '+': '2026-Q1+2026-04' → '2026-04'."""
    return max(str(code).split("+"), key=period_sort_key)


def end_month(code: str) -> int:
    """The last month (1-12) of a period code: '2026-Q1' → 3."""
    return parse_period(code).end_month
