"""What the ledger adds to the bundled workbooks when the database is built.

The bundled workbooks are the base.  A ward's accepted whole workbook
replaces its bundled one for that plan year; every accepted report in force
is laid on top, oldest first, so a later figure for the same ward ×
indicator × period supersedes an earlier one.  Nothing is lost: every value
each figure has had in force, and who gave it when, goes to the `revisions`
table, and every ledger event to `submissions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl import ledger
from etl.normalise import Catalogue
from etl.reports import ParsedReport, parse_report
from wardplan.reads.tables import TABLES

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
    """The reports in force (of `ward` only, if given), parsed from their files."""
    return [(entry, parse_report(locate(entry), file_name(entry), catalogue, source_code(entry)))
            for entry in ledger.in_force(entries)
            if entry.kind == ledger.REPORT and (ward is None or entry.ward_code == ward)]


@dataclass(frozen=True)
class Layer:
    """One step of a figure's history: the figures a workbook or a report put in force
    (some of them no longer are: a workbook a later one replaced, a report older than its
    ward's later workbook, a submission reverted), or a revert taking one step back."""

    entry: ledger.Entry | None  # None: a bundled workbook
    slot: tuple[str, int] | None  # a whole workbook's ward and year (it replaced all of them)
    actuals: pd.DataFrame
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
        layers.append(Layer(by_file.get(name), slot_of.get(name), rows))
    sources = [tables["sources"]]
    for entry, report in in_force:
        layers.append(Layer(entry, None, report.actuals))
        superseded = actuals.merge(report.actuals[KEY].drop_duplicates(), on=KEY, how="left",
                                   indicator=True)["_merge"].eq("both").to_numpy()
        actuals = _stack([actuals[~superseded], report.actuals])
        sources.append(pd.DataFrame([{**report.source, "ward_code": report.ward_code,
                                      "plan_year": report.plan_year}],
                                    columns=list(TABLES["sources"])))
    tables["actuals"] = actuals.reset_index(drop=True)
    tables["sources"] = _stack(sources)
    tables["revisions"] = history(layers)
    tables["submissions"] = submissions_table(entries)


def history(layers: list[Layer]) -> pd.DataFrame:
    """Every value each figure had in force, oldest first, with the one before it: the
    layers replayed in ledger order (a bundled workbook first), a whole workbook
    replacing every figure of its ward and year, a report the figures it gives, and a
    revert bringing back what the figures would be without the submission it undid."""
    ordered = sorted(layers, key=lambda layer: layer.entry.id if layer.entry else 0)
    # The figures in force, per ward: a layer changes only its own wards' figures, and
    # replaying a city's 115 layers over one growing table cost a second.
    states: dict[str, pd.DataFrame] = {}
    applied: dict[str, list[Layer]] = {}  # per ward, what made its state (for reverts)
    revisions = []
    for layer in ordered:
        if layer.undoes is not None:
            revisions.append(_undo(layer, states, applied))
            continue
        rows = layer.actuals
        if rows.empty:
            continue
        wards = _wards_of(layer)
        state = _stack([states.get(w, _NO_STATE) for w in wards])
        revisions.append(_revisions(rows, layer.entry, state))
        _keep(_applied(state, layer), wards, states)
        for ward in wards:
            applied.setdefault(ward, []).append(layer)
    columns = list(TABLES["revisions"])
    kept = [r for r in revisions if not r.empty]
    return _stack(kept)[columns] if kept else pd.DataFrame(columns=columns)


def _wards_of(layer: Layer) -> list[str]:
    return list(dict.fromkeys([*layer.actuals["ward_code"], *(layer.slot or ())[:1]]))


def _applied(state: pd.DataFrame, layer: Layer) -> pd.DataFrame:
    """The figures in force once `layer` is laid over `state`."""
    rows = layer.actuals
    fresh = rows[[*KEY, "value", "value_text"]].assign(_year=rows["period"].map(_year))
    if state.empty:  # a ward's first layer: every ward's, in a build with no submissions
        return fresh.reset_index(drop=True)
    if layer.slot is not None:
        ward, year = layer.slot
        state = state[~((state["ward_code"] == ward) & (state["_year"] == year))]
    else:
        state = state.merge(rows[KEY].drop_duplicates(), on=KEY, how="left", indicator=True)
        state = state[state.pop("_merge") == "left_only"]
    return _stack([state, fresh])


def _keep(state: pd.DataFrame, wards: list[str], states: dict[str, pd.DataFrame]) -> None:
    states.update({w: state[state["ward_code"] == w] for w in wards} if len(wards) > 1
                  else {wards[0]: state})


def _undo(revert: Layer, states: dict[str, pd.DataFrame],
          applied: dict[str, list[Layer]]) -> pd.DataFrame:
    """The figures a revert changed: what they were with the submission it undid, and what
    they are without it (the layers of the same wards replayed, that one left out); a
    figure only that submission gave is gone, its value empty."""
    wards = [w for w, done in applied.items()
             if any(layer.entry and layer.entry.id == revert.undoes for layer in done)]
    if not wards:
        return _NO_STATE.iloc[0:0]
    before = _stack([states[w] for w in wards])
    for ward in wards:
        applied[ward] = [layer for layer in applied[ward]
                         if not (layer.entry and layer.entry.id == revert.undoes)]
        after = _NO_STATE
        for layer in applied[ward]:
            after = _applied(after, layer)
        states[ward] = after[after["ward_code"] == ward]
    after = _stack([states[w] for w in wards])
    both = before.merge(after, on=KEY, how="outer", suffixes=("_before", "_after"))
    changed = both[~(_same(both["value_before"], both["value_after"])
                     & _same(both["value_text_before"], both["value_text_after"]))]
    entry = revert.entry
    return pd.DataFrame({
        **{k: changed[k].to_numpy() for k in KEY},
        "value": changed["value_after"].to_numpy(),
        "value_text": changed["value_text_after"].to_numpy(),
        "source_ref": f"Hủy lần nộp #{revert.undoes}: {entry.message}",
        "previous_value": changed["value_before"].to_numpy(),
        "previous_text": changed["value_text_before"].to_numpy(),
        "submission_id": entry.id, "submitted_by": entry.submitted_by,
        "submitted_at": _utc(entry.submitted_at)})


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a == b).fillna(False) | (a.isna() & b.isna())


_NO_STATE = pd.DataFrame(columns=[*KEY, "value", "value_text", "_year"])
# A revert's layer: it gives no figures of its own.
NO_ACTUALS = pd.DataFrame(columns=[*KEY, "value", "value_text", "source_ref"])


def _year(period: object) -> int:
    return int(str(period)[:4])


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if not f.empty]
    return pd.concat(kept, ignore_index=True) if kept else frames[0].iloc[0:0]


def _revisions(rows: pd.DataFrame, entry: ledger.Entry | None,
               state: pd.DataFrame) -> pd.DataFrame:
    frame = rows[[*KEY, "value", "value_text", "source_ref"]].reset_index(drop=True)
    if state.empty:  # nothing before: the merge below, without its cost (115 of them)
        nothing = np.full(len(frame), np.nan, dtype=object)
        frame = frame.assign(previous_value=nothing, previous_text=nothing.copy())
    else:
        before = state[[*KEY, "value", "value_text"]].drop_duplicates(KEY, keep="last").rename(
            columns={"value": "previous_value", "value_text": "previous_text"})
        frame = frame.merge(before, on=KEY, how="left")
    frame["submission_id"] = entry.id if entry else None
    frame["submitted_by"] = entry.submitted_by if entry else None
    frame["submitted_at"] = _utc(entry.submitted_at) if entry else pd.NaT
    return frame


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
