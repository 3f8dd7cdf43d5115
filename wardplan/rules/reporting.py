"""When a period's report is due, and whether a ward is late with it.

The plans ask wards to report monthly and quarterly but set no day; the
finance department's rule is `[reporting] due_days` in settings.toml: the
report is late that many days after the period's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt

from wardplan.rules.periods import parse_period

REPORTED, LATE, NOT_DUE = "reported", "late", "not_due"
LABELS_VI = {REPORTED: "Đã báo cáo", LATE: "Quá hạn, chưa báo cáo", NOT_DUE: "Chưa đến hạn"}


def period_end(code: str) -> dt.date:
    period = parse_period(code)
    month = period.end_month
    return dt.date(period.year, month, calendar.monthrange(period.year, month)[1])


def due_date(code: str, due_days: int) -> dt.date:
    return period_end(code) + dt.timedelta(days=due_days)


def reporting_state(reported: bool, code: str, due_days: int, today: dt.date) -> str:
    if reported:
        return REPORTED
    return LATE if today > due_date(code, due_days) else NOT_DUE
