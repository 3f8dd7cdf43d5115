"""What the city layout of the deck and the PDF says, as plain tables (no PowerPoint).

Above `report.CITY_LAYOUT_ABOVE` units a slide per unit and indicator is a deck
nobody can go through (1.698 slides at 114 units), so the deck and the PDF say
instead, in this order:

- the city summary: on each key indicator, how many units are red, amber, green
  and grey (`indicator_counts`);
- who has not reported: no report for the plan year, or not for this period
  (the status then rests on an earlier figure) (`not_reported`);
- the red and amber items, worst first, with the reason and the unit's own
  scenario basis, "tạm tính" where the status rests on our phasing
  (`attention_rows`; the first `ATTENTION_MAX`, and how many more there are);
- then, in full as for a few wards, the units asked for (`Report.full_codes`).

Key indicators: those that are not a part of another (the revenue lines of
"Thu ngân sách" stay in the workbook), or every indicator the user named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from exports.report import Report
from wardplan.display import format as fmt
from wardplan.display import overview, styles
from wardplan.rules import status as status_rules
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, is_true, text_or
from wardplan.rules.periods import end_month, period_label, period_sort_key
from wardplan.rules.scenario import PROVISIONAL_VI
from wardplan.rules.text import fold

# The red and amber items a deck lists (the dashboard's overview shows 20): enough for a
# meeting to go through, worst first; the workbook and the overview list every one.
ATTENTION_MAX = 36

NONE, STALE = "none", "stale"  # no report for the plan year; nothing for this period


def key_indicators(report: Report) -> list[str]:
    """The indicators the city summary counts, in display order."""
    if report.explicit_indicators:
        return report.indicator_codes
    parents = report.indicators.set_index("indicator_code")["parent_code"]
    return [c for c in report.indicator_codes if is_missing(parents.get(c))]


def indicator_label(report: Report, code: str) -> str:
    row = report.indicator(code)
    unit = text_or(row["unit"])
    return f"{row['name_vi']} ({unit})" if unit else str(row["name_vi"])


def indicator_counts(report: Report) -> pd.DataFrame:
    """Per key indicator: units red, amber, green, grey and units that set it; worst first
    (most red, then most amber, then the catalogue's order)."""
    codes = key_indicators(report)
    now = report.status_now[report.status_now["indicator_code"].isin(codes)]
    statuses = now["status"].where(now["status"].isin(list(styles.STATUS_ORDER)),
                                   status_rules.GREY)
    counts = (pd.crosstab(now["indicator_code"], statuses)
              .reindex(index=codes, columns=list(styles.STATUS_ORDER), fill_value=0))
    counts.columns.name = None
    counts["units"] = counts[list(styles.STATUS_ORDER)].sum(axis=1)
    counts = counts[counts["units"] > 0]
    counts["position"] = [codes.index(c) for c in counts.index]
    counts = counts.sort_values([status_rules.RED, status_rules.AMBER, "position"],
                                ascending=[False, False, True])
    counts = counts.drop(columns="position").rename_axis("indicator_code").reset_index()
    counts.insert(1, "label", [indicator_label(report, c) for c in counts["indicator_code"]])
    return counts


@dataclass(frozen=True)
class Reporting:
    units: int
    reported: int  # units with a report for the plan year
    stale: int  # of those, units with nothing for this period
    types: dict[str, int]  # unit type -> units, in the order first met

    @property
    def missing(self) -> int:
        return self.units - self.reported


def reporting(report: Report) -> Reporting:
    """How many units there are, of which type, and how many have reported."""
    types: dict[str, int] = {}
    for ward in report.ward_codes:
        kind = report.unit_type(ward) or "Đơn vị"
        types[kind] = types.get(kind, 0) + 1
    late = not_reported(report)
    return Reporting(len(report.ward_codes), sum(report.has_report(w) for w in report.ward_codes),
                     int((late["state"] == STALE).sum()) if not late.empty else 0, types)


def not_reported(report: Report) -> pd.DataFrame:
    """Units without a report for the plan year, then units whose latest figure is older
    than the period (their statuses are carried): ward_code, name, type, state, latest."""
    columns = ["ward_code", "name", "type", "state", "latest"]
    limit = end_month(report.as_of)
    latest: dict[str, str] = {}
    now = report.status_now
    for ward, period in zip(now["ward_code"], now["actual_period"], strict=True):
        if isinstance(period, str) and (ward not in latest or
                                        period_sort_key(period) > period_sort_key(latest[ward])):
            latest[ward] = period
    rows = []
    for ward in report.ward_codes:
        if not report.has_report(ward):
            rows.append((ward, report.ward_name(ward), report.unit_type(ward), NONE, ""))
        elif ward in latest and end_month(latest[ward]) < limit:
            rows.append((ward, report.ward_name(ward), report.unit_type(ward), STALE,
                         period_label(latest[ward])))
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    frame["_state"] = frame["state"].map({NONE: 0, STALE: 1})
    frame = frame.sort_values(["_state", "name"], key=lambda s: s.map(fold) if s.name == "name"
                              else s, kind="stable")
    return frame.drop(columns="_state").reset_index(drop=True)


def not_reported_text(row) -> str:
    """'○ Chưa có báo cáo' (none for the plan year) or '↩ Số liệu đến Tháng 1/2026'."""
    if row.state == NONE:
        return f"○ {status_rules.REASON_LABELS_VI[status_rules.NO_REPORT]}"
    return f"↩ Số liệu đến {row.latest}"


def attention_rows(report: Report) -> pd.DataFrame:
    """The red and amber items on the key indicators, worst first, as the overview orders
    them (`overview.attention_items`), with what each cell of the deck's table says."""
    now = report.status_now[report.status_now["indicator_code"].isin(key_indicators(report))]
    items = overview.attention_items(now)
    if items.empty:
        return items.assign(status_cell=[], basis=[], reason=[], label=[])
    rows = {(r.ward_code, r.indicator_code): r for r in records(now)}
    status_cells, bases, reasons = [], [], []
    for item in records(items):
        row = rows[(item.ward_code, item.indicator_code)]
        status_cells.append([styles.STATUS_STYLES[item.status].text,
                             *([item.qualifiers] if item.qualifiers else [])])
        # The basis column says whose scenario it is; "tạm tính" is in the status cell.
        bases.append(fmt.scenario_basis(row).removesuffix(f" ({PROVISIONAL_VI})") or "—")
        reason = item.headline
        if is_true(row.carried):
            # Its first sentence says the figure is an earlier period's, as the status
            # cell does already; the next one gives the figures.
            reason = fmt.first_sentence(item.note[len(item.headline):].strip()) or reason
        reason = reason or "—"
        if item.verdict_differs:
            reason += f" Phường tự đánh giá: “{item.ward_verdict}”."
        reasons.append(reason)
    items = items.assign(status_cell=status_cells, basis=bases, reason=reasons,
                         label=[indicator_label(report, c) for c in items["indicator_code"]])
    return items


def attention_summary(items: pd.DataFrame) -> str:
    """'293 chậm, 107 cần chú ý' (the counts behind the list)."""
    if items.empty:
        return "không có mục nào"
    red = int((items["status"] == status_rules.RED).sum())
    amber = int((items["status"] == status_rules.AMBER).sum())
    return (f"{red} {styles.STATUS_STYLES[status_rules.RED].label.lower()}, "
            f"{amber} {styles.STATUS_STYLES[status_rules.AMBER].label.lower()}")


def attention_subtitle(items: pd.DataFrame) -> str:
    """'Từ thấp nhất so với kịch bản đến kỳ · 293 chậm, 107 cần chú ý · 36 mục đầu, 364 mục
    còn lại: sổ Excel' (one line on a slide)."""
    text = f"Từ thấp nhất so với kịch bản đến kỳ · {attention_summary(items)}"
    if len(items) > ATTENTION_MAX:
        text += (f" · {ATTENTION_MAX} mục đầu, {len(items) - ATTENTION_MAX} mục còn lại: "
                 "sổ Excel")
    return text


def units_text(info: Reporting) -> str:
    """'114 đơn vị (45 phường, 67 xã, 2 đặc khu)'."""
    parts = ", ".join(f"{n} {kind.lower()}" for kind, n in info.types.items())
    return f"{info.units} đơn vị ({parts})" if info.types else f"{info.units} đơn vị"


# --- the order of the deck and the PDF ---------------------------------------------------

Progress = Callable[[float, str], None]  # (share done, 0 to 1; what is being made, Vietnamese)


def layout(report: Report) -> list[tuple[str, str, tuple]]:
    """The sections of the deck and of the PDF, in order: (builder method, what it makes in
    Vietnamese, arguments).  Both builders run this list, so they stay in step."""
    if report.city:
        steps = [("title", "Trang bìa", ()),
                 ("city_summary", "Tổng hợp toàn thành phố", ()),
                 ("not_reported", "Đơn vị chưa báo cáo", ()),
                 ("attention", "Chỉ tiêu chậm và cần chú ý", ())]
        full = report.full_codes  # the units asked for, each as in a deck of a few wards
        if full:
            steps += [("status_matrix", "Bảng trạng thái của các đơn vị trình bày đầy đủ",
                       (full,)),
                      ("no_report", "Đơn vị chưa có báo cáo", (full,)),
                      ("ward_bars", "Tiến độ từng đơn vị", (full,))]
        return steps
    return [("title", "Trang bìa", ()),
            ("ward_summary", "Tổng hợp theo phường", ()),
            ("status_matrix", "Bảng trạng thái các chỉ tiêu", ()),
            ("no_report", "Phường chưa có báo cáo", ()),
            ("ward_bars", "Tiến độ từng phường", ())]


def build_in_order(builder, report: Report, progress: Progress | None = None,
                   span: tuple[float, float] = (0.0, 1.0)) -> None:
    """Run `layout(report)` on a deck or PDF builder, then one chart per
    `Report.chart_pairs`, saying how far it got (the charts are most of the work)."""
    steps = [(label, getattr(builder, name), args) for name, label, args in layout(report)]
    pairs = report.chart_pairs()
    steps += [(f"Biểu đồ {i}/{len(pairs)}: {report.ward_name(ward)} — "
               f"{report.indicator(code)['name_vi']}", builder.chart, (ward, code))
              for i, (code, ward) in enumerate(pairs, start=1)]
    start, end = span
    for i, (label, step, args) in enumerate(steps):
        if progress is not None:
            progress(start + (end - start) * i / len(steps), label)
        step(*args)
