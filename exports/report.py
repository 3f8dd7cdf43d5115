"""What an export contains: one selection of wards and indicators at one period.

`load_report` reads everything with a handful of bulk queries
(`wardplan.reads.queries`, section "exports"); the deck, the workbook and the chart
images are then pure functions of the `Report`, so the three always agree
and tests can build them from one database read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from wardplan.display import format as fmt
from wardplan.display import periods as display_periods
from wardplan.display import styles
from wardplan.display.bundle import IndicatorBundle, indicator_bundle
from wardplan.display.scale import CITY_LAYOUT_ABOVE
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules import kinds
from wardplan.rules import status as status_rules
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import (
    parse_period,
    period_label,
    period_sort_key,
)
from wardplan.rules.scenario import ORIGIN_LABELS_VI
from wardplan.rules.text import fold

NO_REPORT = status_rules.REASON_LABELS_VI[status_rules.NO_REPORT]
NO_TARGET = status_rules.REASON_LABELS_VI[status_rules.NO_TARGET]



class SelectionError(ValueError):
    """A ward, indicator or period the database does not know; `message_vi` is for users."""

    def __init__(self, message_en: str, message_vi: str):
        super().__init__(message_en)
        self.message_vi = message_vi


class StatusRow(dict):
    """One status row, read as `row["status"]` or `row.status` as a pandas row would be,
    at a fraction of a Series' memory (a city has 3.321 of them)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Report:
    as_of: str
    produced_on: date
    wards: pd.DataFrame  # ward_code, name_vi, has_report; in the order chosen
    indicators: pd.DataFrame  # the catalogue rows chosen, in display order
    status: pd.DataFrame  # queries.status rows at every period
    targets: pd.DataFrame
    actuals: pd.DataFrame
    scenario: pd.DataFrame
    sources: pd.DataFrame
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)  # v_data_issues rows
    explicit_indicators: bool = False  # the user named the indicators
    bands: dict = field(default_factory=dict)  # v_build: what the statuses were computed with
    # The units read in full (status at every period, scenario, data issues) and shown in
    # full; None: every chosen unit.  The others have their status at `as_of` only.
    full_wards: tuple[str, ...] | None = None
    # Lookups built on first use; `dataclasses.replace` starts a fresh one.
    _cache: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    # --- labels -------------------------------------------------------------------

    @property
    def period_label(self) -> str:
        return period_label(self.as_of)

    @property
    def year(self) -> int:
        """The plan year the chosen period belongs to."""
        return parse_period(self.as_of).year

    @property
    def produced_text(self) -> str:
        return f"{self.produced_on:%d/%m/%Y}"

    @property
    def ward_codes(self) -> list[str]:
        return self.wards["ward_code"].tolist()

    @property
    def indicator_codes(self) -> list[str]:
        return self.indicators["indicator_code"].tolist()

    @property
    def city(self) -> bool:
        """More units than a deck can show one by one: the city layout (`CITY_LAYOUT_ABOVE`)."""
        return len(self.wards) > CITY_LAYOUT_ABOVE

    @property
    def full_codes(self) -> list[str]:
        """The chosen units shown in full, in the chosen order."""
        if self.full_wards is None:
            return self.ward_codes
        return [w for w in self.ward_codes if w in self.full_wards]

    def in_full(self, ward: str) -> bool:
        return self.full_wards is None or ward in self.full_wards

    def unit_type(self, ward: str) -> str:
        types = self._lookup("types", lambda: dict(zip(
            self.wards["ward_code"], self.wards.get("unit_type_vi", pd.Series(dtype=object)),
            strict=False)))
        return text_or(types.get(ward))

    def _lookup(self, name: str, build):
        # Lookups are built once per report: a deck asks for the same rows many times.
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]

    def ward_name(self, ward: str) -> str:
        names = self._lookup("names", lambda: dict(zip(self.wards["ward_code"],
                                                       self.wards["name_vi"], strict=True)))
        return names.get(ward, ward)

    def has_report(self, ward: str) -> bool:
        reports = self._lookup("reports", lambda: dict(zip(self.wards["ward_code"],
                                                           self.wards["has_report"], strict=True)))
        return bool(reports.get(ward, False))

    def indicator(self, code: str) -> pd.Series:
        rows = self._lookup("indicators", lambda: {
            row["indicator_code"]: row for _, row in self.indicators.iterrows()})
        return rows[code]

    # --- status -------------------------------------------------------------------

    @property
    def status_now(self) -> pd.DataFrame:
        """Status rows at the chosen period for the chosen wards and indicators."""
        if "now" not in self._cache:
            frame = self.status[(self.status["as_of"] == self.as_of)
                                & self.status["ward_code"].isin(self.ward_codes)
                                & self.status["indicator_code"].isin(self.indicator_codes)]
            self._cache["now"] = frame.reset_index(drop=True)
        return self._cache["now"]

    def status_row(self, ward: str, indicator: str) -> StatusRow | None:
        rows = self._lookup("status_rows", lambda: {
            (row["ward_code"], row["indicator_code"]): StatusRow(row)
            for row in self.status_now.to_dict("records")})
        return rows.get((ward, indicator))

    def status_label(self, ward: str, indicator: str) -> tuple[str, str | None]:
        """(text, status) for a summary cell; status None when the ward set no target."""
        row = self.status_row(ward, indicator)
        if row is None:
            return NO_TARGET, None
        status = row["status"] if row["status"] in styles.STATUS_STYLES else status_rules.GREY
        return styles.status_text(status, row["status_reason"]), status

    # --- one ward x indicator ---------------------------------------------------------

    def history(self, ward: str, indicator: str) -> pd.DataFrame:
        if not self.in_full(ward):
            # Only the units shown in full were read at every period: a series built from
            # one period's row would be a wrong chart, not a short one.
            raise ValueError(f"{ward} was not read in full (load_report(full=...))")
        return _group(self, "history", self.status, ward, indicator).reset_index(drop=True)

    def bundle(self, ward: str, indicator: str) -> IndicatorBundle:
        """Everything about one ward × indicator, built as the pages build it."""
        key = ("bundle", ward, indicator)
        if key not in self._cache:
            self._cache[key] = indicator_bundle(
                self.history(ward, indicator), _group(self, "scenario", self.scenario, ward, indicator),
                _group(self, "actuals", self.actuals, ward, indicator),
                _group(self, "targets", self.targets, ward, indicator),
                self.indicator(indicator)["kind"], self.year)
        return self._cache[key]

    def series(self, ward: str, indicator: str) -> pd.DataFrame:
        """The progress series as of the chosen period."""
        return self.bundle(ward, indicator).series_as_of(self.as_of)

    def has_chart(self, ward: str, indicator: str) -> bool:
        """A month-by-month chart says something: the ward reported, and there is a line."""
        if not self.has_report(ward) or self.status_row(ward, indicator) is None:
            return False
        # Milestones, ranks and qualitative targets have no monthly path to draw.
        if self.indicator(indicator)["kind"] not in kinds.CHARTED:
            return False
        series = self.series(ward, indicator)
        return bool(series["actual"].notna().any())

    def chart_pairs(self) -> list[tuple[str, str]]:
        """(indicator, ward) of every chart slide/image, indicator by indicator.

        Indicators the user named all get a chart.  By default a level (a rate
        to hold, e.g. insurance coverage) gets one only when it needs attention:
        its monthly line is flat, and the status pages already show it.
        """
        return [(i, w) for i in self.indicator_codes for w in self.full_codes
                if self.has_chart(w, i) and (self.explicit_indicators
                                             or self._worth_a_chart(w, i))]

    def _worth_a_chart(self, ward: str, indicator: str) -> bool:
        if self.indicator(indicator)["kind"] != kinds.LEVEL:
            return True
        row = self.status_row(ward, indicator)
        return row is not None and row["status"] in (status_rules.RED, status_rules.AMBER)

    def target_rows(self, ward: str, indicator: str | None = None) -> pd.DataFrame:
        if indicator is not None:
            return _group(self, "targets", self.targets, ward, indicator)
        return self.targets[self.targets["ward_code"] == ward]

    def actual_rows(self, ward: str, indicator: str) -> pd.DataFrame:
        """Reported figures up to the chosen period, oldest first (the rows
        `IndicatorBundle.actuals_up_to` gives, cut from one sort of the whole selection:
        a bundle per unit and indicator cost 8 ms, 27 s for a city's workbook)."""
        return _group(self, "actuals_to_date", self.actuals_to_date, ward, indicator)

    @property
    def actuals_to_date(self) -> pd.DataFrame:
        """Every chosen unit's reported rows up to the chosen period, oldest first."""
        if "actuals_to_date" not in self._cache:
            frame = self.actuals
            if not frame.empty:
                keys = {p: _sort_key(p) for p in frame["period"].unique()}
                order = frame["period"].map(keys)
                limit = period_sort_key(self.as_of)
                frame = (frame.assign(_order=order)[order.map(lambda k: k <= limit).astype(bool)]
                         .sort_values("_order", kind="stable").drop(columns="_order"))
            self._cache["actuals_to_date"] = frame
        return self._cache["actuals_to_date"]

    def chart_sources(self, ward: str, indicator: str) -> dict[str, list[str]]:
        """Source names in the shape `charts.progress_chart` takes, as the pages give them."""
        return self.bundle(ward, indicator).chart_sources(self.as_of)

    def source_refs(self, ward: str, indicator: str) -> list[tuple[str, str]]:
        """(what, full reference) for every figure behind one ward x indicator."""
        key = ("refs", ward, indicator)
        if key not in self._cache:
            refs: list[tuple[str, str]] = []
            for ref in self.target_rows(ward, indicator)["source_ref"].dropna():
                refs.append(("Chỉ tiêu năm", ref))
            actuals = self.actual_rows(ward, indicator)
            for period, ref in zip(actuals["period"], actuals["source_ref"], strict=True):
                if isinstance(ref, str):
                    refs.append((f"Thực hiện {period_label(period)}", ref))
            self._cache[key] = refs
        return self._cache[key]

    def data_errors(self, ward: str, indicator: str) -> list[str]:
        """Data-quality errors found in this ward x indicator's figures up to the period."""
        if self.issues.empty:
            return []
        rows = _group(self, "issues", self.issues, ward, indicator)
        limit = period_sort_key(self.as_of)
        return [row.message for row in records(rows)
                if row.severity == "error"
                and (not isinstance(row.period, str) or _sort_key(row.period) <= limit)]

    def scenario_note(self, ward: str, indicator: str) -> str:
        """How much of the scenario to date is the ward's own, and whether that makes the
        status provisional."""
        row = self.status_row(ward, indicator)
        basis = fmt.scenario_basis(row) if row is not None else ""
        if not basis:
            return "Không có kịch bản (chỉ tiêu không phân kỳ theo tháng)."
        return f"Kịch bản đến kỳ: {basis}."

    def document_titles(self, refs) -> list[str]:
        return fmt.document_titles(refs)

    def short_sources(self, refs) -> list[str]:
        """Each reference's document named briefly ('Báo cáo số 103/BC-UBND ngày …'), once."""
        titles = self._lookup("titles", lambda: sorted(
            ((str(t), row) for t, row in zip(self.sources["title_vi"],
                                             records(self.sources), strict=True)
             if isinstance(t, str) and t), key=lambda item: -len(item[0])))
        labels = self._lookup("labels", dict)
        out: list[str] = []
        for ref in refs:
            text = text_or(ref)
            if text not in labels:
                match = next((row for title, row in titles if text.startswith(title)), None)
                found = [_document_label(match)] if match is not None else fmt.document_titles([text])
                labels[text] = found[0] if found else ""
            if labels[text] and labels[text] not in out:
                out.append(labels[text])
        return out


def _group(report: Report, name: str, frame: pd.DataFrame, ward: str,
           indicator: str) -> pd.DataFrame:
    """Rows of `frame` for one ward x indicator, from a grouping built once.

    The grouping keeps row positions, not frames: a frame per ward x indicator is
    about 20 KB of bookkeeping, 130 MB for a city's selection.
    """
    groups = report._lookup(f"groups_{name}", lambda: frame.groupby(
        ["ward_code", "indicator_code"], sort=False).indices if not frame.empty else {})
    positions = groups.get((ward, indicator))
    return frame.iloc[positions] if positions is not None else frame.iloc[0:0]


def _document_label(source) -> str:
    """'Phụ lục 3 kèm Báo cáo số 103/BC-UBND ngày 12/03/2026' from a v_sources row."""
    return fmt.document_label(source.title_vi, source.doc_number, source.doc_date)


def _sort_key(code: object) -> tuple:
    try:
        return period_sort_key(str(code))
    except Exception:  # a malformed period sorts last rather than failing an export
        return (10**6, 0, 0)


# --- loading --------------------------------------------------------------------------

def _indicator_order(indicators: pd.DataFrame) -> pd.DataFrame:
    """Group by field, parents before their parts, as the ward plans list them."""
    frame = indicators.copy()
    frame["group_vi"] = frame["group_vi"].fillna("Khác")
    position = {code: i for i, code in enumerate(frame["indicator_code"])}
    frame["_group"] = frame["group_vi"].map(fold)
    frame["_parent"] = [position.get(parent, position[code]) if isinstance(parent, str)
                        else position[code]
                        for code, parent in zip(frame["indicator_code"], frame["parent_code"], strict=True)]
    frame["_child"] = frame["parent_code"].notna().astype(int)
    return (frame.sort_values(["_group", "_parent", "_child", "indicator_code"])
            .drop(columns=["_group", "_parent", "_child"]).reset_index(drop=True))


REPORTED, ALL = "reported", "all"


def load_report(db: Database, as_of: str, wards: list[str] | None = None,
                indicators: list[str] | None = None,
                produced_on: date | None = None, default: str = REPORTED,
                full: list[str] | None = None) -> Report:
    """Read one export's data.  Unknown codes raise `SelectionError`.

    Default wards: all.  Default indicators (when `indicators` is empty):
    with `default=REPORTED`, those with a reported figure at `as_of` in any
    chosen ward (a meeting deck is about what has been reported; the summary
    still lists wards without a report), falling back to every targeted one;
    with `default=ALL`, every indicator a chosen ward targets (the workbook).

    `full`: the units to show in full when more than `CITY_LAYOUT_ABOVE` are
    chosen (added to the selection if missing); up to that many, every chosen
    unit is in full.  Only those are read at every period: the city's history
    is most of what a read would hold, and no city export shows it.
    """
    if not display_periods.valid_period(as_of, queries.plan_years(db)):
        raise SelectionError(f"Unknown period {as_of!r}",
                             f"Kỳ '{as_of}' không hợp lệ (dạng 2026-03, 2026-Q1 hoặc 2026)")
    all_wards = queries.wards(db)
    unknown = [w for w in [*(wards or []), *(full or [])] if w not in set(all_wards["ward_code"])]
    if unknown:
        raise SelectionError(f"Unknown wards: {', '.join(unknown)}",
                             f"Không có phường: {', '.join(unknown)}")
    if wards:
        wanted_wards = list(dict.fromkeys([*wards, *(full or [])]))
        chosen = all_wards.set_index("ward_code").loc[wanted_wards].reset_index()
    else:
        chosen = all_wards.sort_values("name_vi", key=lambda s: s.map(fold))
    chosen = chosen.reset_index(drop=True)
    codes = chosen["ward_code"].tolist()
    in_full = codes if len(codes) <= CITY_LAYOUT_ABOVE else \
        [w for w in codes if w in set(full or [])]
    others = [w for w in codes if w not in set(in_full)]

    year = parse_period(as_of).year
    plans = queries.plans(db)
    reported = set(plans.loc[(plans["plan_year"] == year) & plans["has_report"], "ward_code"])
    chosen["has_report"] = chosen["ward_code"].isin(reported)
    catalogue = queries.indicators(db)
    status = _status(db, as_of, in_full, others)
    status = status[status["as_of"].map(lambda p: parse_period(p).year == year)]
    targets = queries.targets(db, wards=codes, year=year)
    if indicators:
        unknown = [i for i in indicators if i not in set(catalogue["indicator_code"])]
        if unknown:
            raise SelectionError(f"Unknown indicators: {', '.join(unknown)}",
                                 f"Không có chỉ tiêu: {', '.join(unknown)}")
        wanted = list(dict.fromkeys(indicators))
    else:
        wanted = _default_indicators(status[status["as_of"] == as_of], targets, default)
    chosen_indicators = _indicator_order(catalogue[catalogue["indicator_code"].isin(wanted)])
    return Report(
        as_of=as_of,
        produced_on=produced_on or date.today(),
        wards=chosen[["ward_code", "name_vi", "unit_type_vi", "has_report"]],
        indicators=chosen_indicators,
        status=status,
        targets=targets,
        actuals=queries.actuals(db, wards=codes),
        scenario=_scenario(db, in_full, others),
        sources=queries.sources(db, wards=codes),
        issues=queries.data_issues(db, wards=in_full),
        explicit_indicators=bool(indicators),
        bands=queries.build_settings(db),
        full_wards=None if not others else tuple(in_full),
    )


def _status(db: Database, as_of: str, in_full: list[str], others: list[str]) -> pd.DataFrame:
    """Every period for the units in full, `as_of` alone for the others."""
    if not others:
        return queries.status(db, wards=in_full)
    now = queries.status(db, as_of=as_of, wards=others)
    if not in_full:
        return now
    return pd.concat([queries.status(db, wards=in_full), now], ignore_index=True)


def _scenario(db: Database, in_full: list[str], others: list[str]) -> pd.DataFrame:
    """Every scenario column for the units in full; the planned values alone for the others
    (the workbook's period sheet): a city's scenario references alone are 170 MB to read."""
    if not others:
        return queries.scenario(db, wards=in_full)
    planned = queries.planned(db, wards=others)
    if not in_full:
        return planned
    return pd.concat([queries.scenario(db, wards=in_full), planned], ignore_index=True)


# --- flat table ---------------------------------------------------------------------------

def status_table(report: Report) -> pd.DataFrame:
    """Every chosen ward x indicator at the period: figures, status, verdict, sources.

    Plain values (numbers stay numbers) with Vietnamese headers: the CSV
    download and the workbook's ward sheets are both cut from this.
    """
    return pd.DataFrame(status_records(report))


def status_records(report: Report) -> list[dict]:
    """`status_table`'s rows as dicts (the workbook writes them as they come).  Built from
    whole columns, not row lookups: a city is 3.321 rows."""
    now = {(row.ward_code, row.indicator_code): row
           for row in (report.status_row(w, i) for w, i in zip(
               report.status_now["ward_code"], report.status_now["indicator_code"], strict=True))}
    keys = ("ward_code", "indicator_code")
    target_text: dict[tuple, object] = {}
    target_refs: dict[tuple, list[str]] = {}
    targets = report.targets
    for ward, code, text, ref in zip(*(targets[c] for c in (*keys, "target_text", "source_ref")),
                                     strict=True):
        target_text.setdefault((ward, code), text)  # the first row, as the pages show it
        if not is_missing(ref):
            target_refs.setdefault((ward, code), []).append(ref)
    actual_refs: dict[tuple, dict[str, None]] = {}
    actuals = report.actuals_to_date
    for ward, code, ref in zip(*(actuals[c] for c in (*keys, "source_ref")), strict=True):
        if isinstance(ref, str):
            actual_refs.setdefault((ward, code), {})[ref] = None
    meta = {row.indicator_code: row for row in records(report.indicators)}
    rows = []
    for ward in report.ward_codes:
        name = report.ward_name(ward)
        for code in report.indicator_codes:
            status = now.get((ward, code))
            if status is None:
                continue
            info = meta[code]
            label = styles.status_text(status.status if status.status in styles.STATUS_STYLES
                                       else status_rules.GREY, status.status_reason)
            rows.append({
                "ward_code": ward,
                "indicator_code": code,
                "status": status.status,
                "Phường": name,
                "Lĩnh vực": text_or(info.group_vi),
                "Chỉ tiêu": text_or(info.name_vi, code),
                "Đơn vị": text_or(info.unit),
                "Loại chỉ tiêu": kinds.label_vi(info.kind),
                "Chỉ tiêu năm": _number(status.target_value),
                "Chỉ tiêu (nguyên văn)": text_or(target_text.get((ward, code))),
                "Kịch bản đến kỳ": _number(status.scenario_to_date),
                "Nguồn gốc kịch bản": ORIGIN_LABELS_VI.get(status.scenario_origin, "")
                if isinstance(status.scenario_origin, str) else "",
                "Cơ sở kịch bản": fmt.scenario_basis(status),
                "Thực hiện đến kỳ": _number(status.actual_to_date),
                "Kỳ số liệu": period_label(status.actual_period)
                if isinstance(status.actual_period, str) else "",
                "% kịch bản": _number(status.pct_of_scenario),
                "% chỉ tiêu năm": _number(status.pct_of_target),
                "Trạng thái": label,
                "Cơ sở trạng thái": " · ".join(styles.qualifiers(status)),
                "Dự báo cuối năm": _number(status.outlook_value),
                "Dự báo (% chỉ tiêu năm)": _number(status.outlook_pct_of_target),
                "Cách dự báo": fmt.outlook_text(status),
                "Phường tự đánh giá": text_or(status.ward_verdict),
                "Nhận xét": text_or(status.note),
                "Nguồn chỉ tiêu": "\n".join(target_refs.get((ward, code), [])),
                "Nguồn số liệu thực hiện": "\n".join(actual_refs.get((ward, code), {})),
            })
    return rows


def _number(value) -> float | None:
    return None if is_missing(value) else float(value)


def _default_indicators(status_now: pd.DataFrame, targets: pd.DataFrame, default: str) -> list:
    """The indicators an export shows when none are chosen (see `load_report`)."""
    wanted = status_now.dropna(subset=["actual_to_date"])["indicator_code"].unique().tolist()
    if not wanted or default == ALL:
        wanted = targets["indicator_code"].unique().tolist()
    return wanted


def indicator_choices(db: Database, as_of: str, wards: list[str]) -> tuple[list[str], list[str]]:
    """(every indicator the wards target, the ones a deck shows by default), display order:
    what `load_report` would choose, from the two reads it depends on."""
    if not wards:
        return [], []
    catalogue = queries.indicators(db)
    targets = queries.targets(db, wards=wards, year=parse_period(as_of).year)
    now = queries.status(db, as_of=as_of, wards=wards)

    def ordered(wanted: list) -> list[str]:
        return _indicator_order(catalogue[catalogue["indicator_code"].isin(wanted)])[
            "indicator_code"].tolist()
    return (ordered(_default_indicators(now, targets, ALL)),
            ordered(_default_indicators(now, targets, REPORTED)))
