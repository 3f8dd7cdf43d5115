"""The periods the app offers and the one it opens on.

The plan years come from the database (each ward's workbook declares its
own); nothing here assumes a year.
"""

from __future__ import annotations

from collections.abc import Iterable

from wardplan.rules.periods import period_sort_key, periods_in_display_order


def period_options(years: Iterable[int]) -> list[str]:
    """Every period of every plan year, each quarter right after its last month."""
    return [code for year in sorted(set(years)) for code in periods_in_display_order(year)]


def valid_period(code: object, years: Iterable[int]) -> bool:
    return isinstance(code, str) and code in period_options(years)


def default_as_of(periods_with_actuals: list[str], years: Iterable[int]) -> str | None:
    """The latest period with any reported figure; else the first month of the
    latest plan year; None when the database holds no plan."""
    options = period_options(years)
    reported = [p for p in periods_with_actuals if p in options]
    if reported:
        return max(reported, key=period_sort_key)
    return options[-17] if options else None


def next_to_report(periods_with_actuals: list[str], years: Iterable[int]) -> str | None:
    """The month after the latest month anyone reported (a ward's next report), else the
    first month of the latest plan year."""
    months = [p for p in period_options(years) if "-Q" not in p]
    reported = [p for p in periods_with_actuals if p in months]
    if not reported:
        return months[-12] if months else None
    latest = months.index(max(reported, key=period_sort_key))
    return months[min(latest + 1, len(months) - 1)]
