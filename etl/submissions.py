"""What the ledger adds to the bundled workbooks when the database is built.

The bundled workbooks are the base.  A ward's accepted whole workbook
replaces its bundled one for that plan year; every accepted report in force
is laid on top, oldest first, so a later figure for the same ward ×
indicator × period supersedes an earlier one.  Nothing is lost: every value
each figure has had in force, and who gave it when, goes to the `revisions`
table, and every ledger event to `submissions`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl import ledger
from etl.memo import Kept
from etl.normalise import Catalogue, Rows, stacked
from etl.parallel import forked_map
from etl.problems import BuildFailed, Problem
from etl.reports import ParsedReport, parse_report
from wardplan.reads.tables import TABLES
from wardplan.rules.missing import is_missing

KEY = ["ward_code", "indicator_code", "period"]
# Where a ledger entry's file is: its stored copy, or (while a new one is checked) elsewhere.
Locate = Callable[[ledger.Entry], Path]


def source_code(entry: ledger.Entry) -> str:
    """The source code of a submitted report's figures: 'NOP-12' for ledger entry 12."""
    return f"NOP-{entry.id}"


def file_name(entry: ledger.Entry) -> str:
    """A submitted file's name in messages and provenance: 'nộp #12 (bao_cao_t4.xlsx)'."""
    return f"nộp #{entry.id} ({entry.file_name})"


def reports(entries: list[ledger.Entry], catalogue: Catalogue, locate: Locate,
            ward: str | None = None) -> list[tuple[ledger.Entry, ParsedReport]]:
    """The reports in force (of `ward` only, if given), parsed from their files, or
    BuildFailed naming every problem of each that does not parse.  A city's year of
    reports is more than a thousand files: each core reads a share."""
    wanted = [entry for entry in ledger.in_force(entries)
              if entry.kind == ledger.REPORT and (ward is None or entry.ward_code == ward)]
    parsed = {entry.id: report for entry in wanted
              if (report := _kept(entry, catalogue)) is not None}
    unread = [entry for entry in wanted if entry.id not in parsed]
    for entry, one in zip(unread, forked_map(functools.partial(
            _parsed, catalogue=catalogue, locate=locate), unread), strict=True):
        parsed[entry.id] = one
        if isinstance(one, ParsedReport) and ward is not None:
            _keep(entry, catalogue, one)  # a whole build is rare, and a city's year is big
    problems = [problem for one in parsed.values() if isinstance(one, list) for problem in one]
    if problems:
        raise BuildFailed(problems)
    return [(entry, parsed[entry.id]) for entry in wanted]


def _parsed(entry: ledger.Entry, catalogue: Catalogue,
            locate: Locate) -> ParsedReport | list[Problem]:
    """The report, or its problems: a worker's exception would come back pickled, and
    BuildFailed does not survive that whole."""
    try:
        return parse_report(locate(entry), file_name(entry), catalogue, source_code(entry))
    except BuildFailed as failure:
        return failure.problems


# The reports in force are read on every build of their ward, and a ward reports month
# after month: by December a submission was checked, then published, over a dozen of
# them, twice.  What a report reads as depends on its content, the catalogue's, and its
# number and file name (in its provenance: a preview's number may be another's by the
# publish, and the same bytes may be sent under another name); kept per process, and
# shared by a server's sessions.
_PARSED: Kept[ParsedReport] = Kept(1024)  # a few dozen KB each


def _parsed_key(entry: ledger.Entry, catalogue: Catalogue) -> tuple | None:
    if not catalogue.sha256:
        return None
    return entry.sha256, catalogue.sha256, file_name(entry), source_code(entry)


def _kept(entry: ledger.Entry, catalogue: Catalogue) -> ParsedReport | None:
    key = _parsed_key(entry, catalogue)
    return _PARSED.get(key) if key else None


def _keep(entry: ledger.Entry, catalogue: Catalogue, report: ParsedReport) -> None:
    key = _parsed_key(entry, catalogue)
    if key is not None:
        _PARSED.put(key, report)  # nothing changes a report's rows once read


@dataclass(frozen=True)
class Layer:
    """One step of a figure's history: the figures a workbook or a report put in force
    (some of them no longer are: a workbook a later one replaced, a report older than its
    ward's later workbook, a submission reverted), or a revert taking one step back."""

    entry: ledger.Entry | None  # None: a bundled workbook
    slot: tuple[str, int] | None  # a whole workbook's ward and year (it replaced all of them)
    actuals: Rows
    undoes: int | None = None  # a revert: the ledger entry it undid


def apply(tables: dict[str, pd.DataFrame], in_force: list[tuple[ledger.Entry, ParsedReport]],
          entries: list[ledger.Entry], earlier: list[Layer] = ()) -> None:
    """Reports laid over the workbooks' actuals in `tables`, with every figure's history."""
    by_file = {file_name(e): e for e in entries if e.kind == ledger.WORKBOOK}
    actuals = tables["actuals"]
    plans = tables["ward_plans"]
    slot_of = {f: (w, int(y)) for w, y, f in zip(plans["ward_code"], plans["plan_year"],
                                                  plans["source_file"], strict=True)}
    layers = list(earlier)
    for name, rows in actuals.groupby("source_file", sort=False):
        layers.append(Layer(by_file.get(name), slot_of.get(name), Rows.of_frame("actuals", rows)))
    layers += [Layer(entry, None, report.actuals) for entry, report in in_force]
    actuals = _laid_over(actuals, [report.actuals for _, report in in_force])
    sources = [tables["sources"], pd.DataFrame(
        [{**report.source, "ward_code": report.ward_code, "plan_year": report.plan_year}
         for _, report in in_force], columns=list(TABLES["sources"]))]
    tables["actuals"] = actuals.reset_index(drop=True)
    tables["sources"] = _stack(sources)
    tables["revisions"] = history(layers)
    tables["submissions"] = submissions_table(entries)


def _laid_over(actuals: pd.DataFrame, reports: list[Rows]) -> pd.DataFrame:
    """The figures once each report, oldest first, takes the place of every earlier row of
    the figures it gives: all at once, since laying a city's year of reports one by one
    over the whole table cost a merge of it each (seconds at 114 units)."""
    if not reports:
        return actuals
    every = _stack([actuals, stacked(reports)])
    if every.empty:
        return every
    layer = np.repeat(np.arange(len(reports) + 1), [len(actuals), *map(len, reports)])
    latest = pd.Series(layer).groupby([every[k].to_numpy() for k in KEY],
                                      dropna=False).transform("max")
    return every[layer == latest.to_numpy()]


# A figure as the history holds it: its value, its text, its plan year.
_Figure = tuple[float, object, int]
_NOT_THERE = (math.nan, None)


def history(layers: list[Layer]) -> pd.DataFrame:
    """Every value each figure had in force, oldest first, with the one before it: the
    layers replayed in ledger order (a bundled workbook first), a whole workbook
    replacing every figure of its ward and year, a report the figures it gives, and a
    revert bringing back what the figures would be without the submission it undid."""
    ordered = sorted(layers, key=lambda layer: layer.entry.id if layer.entry else 0)
    # In plain dicts and lists, framed once: a layer changes only its own wards' figures,
    # a few hundred of them, and a year of a city's reports is more than a thousand
    # layers (pandas' overhead on each, merges and frames, cost seconds).
    states: dict[str, dict[tuple, _Figure]] = {}  # the figures in force, per ward
    applied: dict[str, list[Layer]] = {}  # per ward, what made its state (for reverts)
    trail: dict[str, list] = {column: [] for column in TABLES["revisions"]}
    for layer in ordered:
        if layer.undoes is not None:
            _undo(layer, states, applied, trail)
            continue
        if not len(layer.actuals):
            continue
        figures = _figures(layer.actuals)
        before = [states.get(key[0], {}).get(key, _NOT_THERE) for key, _, _ in figures]
        _record(trail, figures, before, layer.actuals.columns["source_ref"], layer.entry)
        for ward in _lay(layer.slot, figures, states):
            applied.setdefault(ward, []).append(layer)
    return pd.DataFrame({
        **{column: pd.Series(values, dtype="str") for column, values in trail.items()
           if column in (*KEY, "value_text", "source_ref", "previous_text", "submitted_by")},
        "value": pd.Series(trail["value"], dtype="float64"),
        "previous_value": pd.Series(trail["previous_value"], dtype="float64"),
        "submission_id": pd.Series(trail["submission_id"], dtype="Int64"),
        "submitted_at": pd.Series(trail["submitted_at"], dtype="datetime64[us]"),
    })[list(TABLES["revisions"])]


def _figures(rows: Rows) -> list[tuple[tuple, float, object]]:
    """Each row's key, value and text, in order."""
    columns = rows.columns
    keys = zip(*(columns[k] for k in KEY), strict=True)
    return list(zip(keys, columns["value"], columns["value_text"], strict=True))


def _record(trail: dict[str, list], figures: list[tuple[tuple, float, object]],
            before: list[tuple], source_refs: list, entry: ledger.Entry | None) -> None:
    """Rows of the history: each figure, what it was before, and who changed it when."""
    for index, column in enumerate(KEY):
        trail[column] += [key[index] for key, _, _ in figures]
    trail["value"] += [value for _, value, _ in figures]
    trail["value_text"] += [text for _, _, text in figures]
    trail["source_ref"] += source_refs
    trail["previous_value"] += [was[0] for was in before]
    trail["previous_text"] += [was[1] for was in before]
    trail["submission_id"] += [entry.id if entry else None] * len(figures)
    trail["submitted_by"] += [entry.submitted_by if entry else None] * len(figures)
    trail["submitted_at"] += [_utc(entry.submitted_at) if entry else None] * len(figures)


def _lay(slot: tuple[str, int] | None, figures: list[tuple[tuple, float, object]],
         states: dict[str, dict[tuple, _Figure]]) -> list[str]:
    """A layer's figures laid over `states`: a whole workbook (`slot`) first takes away
    every figure of its ward and year; a later row of the same figure wins.  The wards it
    changed."""
    if slot is not None:
        ward, year = slot
        state = states.get(ward, {})
        states[ward] = {key: figure for key, figure in state.items() if figure[2] != year}
    wards = dict.fromkeys((slot or ())[:1])
    for key, value, text in figures:
        ward = key[0]
        wards[ward] = None
        states.setdefault(ward, {})[key] = (value, text, _year(key[2]))
    return list(wards)


def _undo(revert: Layer, states: dict[str, dict[tuple, _Figure]],
          applied: dict[str, list[Layer]], trail: dict[str, list]) -> None:
    """The figures a revert changed: what they were with the submission it undid, and what
    they are without it (the layers of the same wards replayed, that one left out); a
    figure only that submission gave is gone, its value empty."""
    def undone(layer: Layer) -> bool:
        return layer.entry is not None and layer.entry.id == revert.undoes
    wards = [w for w, done in applied.items() if any(undone(layer) for layer in done)]
    before = {key: figure for w in wards for key, figure in states[w].items()}
    for ward in wards:
        applied[ward] = [layer for layer in applied[ward] if not undone(layer)]
        replayed: dict[str, dict[tuple, _Figure]] = {}
        for layer in applied[ward]:
            _lay(layer.slot, _figures(layer.actuals), replayed)
        states[ward] = replayed.get(ward, {})
    after = {key: figure for w in wards for key, figure in states[w].items()}
    changed = [(key, after.get(key, _NOT_THERE), before.get(key, _NOT_THERE))
               for key in sorted(before.keys() | after.keys())]
    changed = [(key, now, was) for key, now, was in changed
               if not (_same(now[0], was[0]) and _same(now[1], was[1]))]
    entry = revert.entry
    _record(trail, [(key, now[0], now[1]) for key, now, _ in changed],
            [was for _, _, was in changed],
            [f"Hủy lần nộp #{revert.undoes}: {entry.message}"] * len(changed), entry)


def _same(a: object, b: object) -> bool:
    return a == b or (is_missing(a) and is_missing(b))


# A revert's layer: it gives no figures of its own.
NO_ACTUALS = Rows.of("actuals", [])


def _year(period: object) -> int:
    return int(str(period)[:4])


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if not f.empty]
    return pd.concat(kept, ignore_index=True) if kept else frames[0].iloc[0:0]


def _utc(iso: str) -> pd.Timestamp:
    """The ledger's ISO time (UTC) as the naive UTC timestamp the database stores."""
    return pd.Timestamp(iso).tz_convert("UTC").tz_localize(None)


REVERTED = "reverted"


def submissions_table(entries: list[ledger.Entry]) -> pd.DataFrame:
    """Every ledger event, and the refused uploads (no number: they never entered it)."""
    reverted_by = {e.reverts: e.id for e in entries
                   if e.kind == ledger.REVERT and e.outcome == ledger.ACCEPTED}
    records = [{
        "submission_id": e.id if e.outcome == ledger.ACCEPTED else None, "kind": e.kind,
        "ward_code": e.ward_code, "plan_year": e.plan_year, "period": e.period,
        "submitted_by": e.submitted_by, "submitted_at": _utc(e.submitted_at),
        "outcome": REVERTED if e.id in reverted_by and e.outcome == ledger.ACCEPTED else e.outcome,
        "sha256": e.sha256,
        "file_name": e.file_name, "message": e.message, "reverts": e.reverts,
        "reverted_by": reverted_by.get(e.id),
    } for e in entries]
    frame = pd.DataFrame(records, columns=list(TABLES["submissions"]))
    frame = frame.sort_values("submitted_at", kind="stable", ignore_index=True)
    for column in ("submission_id", "plan_year", "reverts", "reverted_by"):
        frame[column] = frame[column].astype("Int64")
    return frame
