"""Exports for meetings: PowerPoint deck, Excel workbook, chart images, safe CSV.

    report = load_report(db, "2026-Q1", wards=["phu_lien"])
    deck_bytes(report); workbook_bytes(report); render_export(figure, "png")

Command line: `python -m exports --help`.
"""

from exports.csv import escape_cell, frame_to_csv
from exports.deck import build_deck, deck_bytes, write_deck
from exports.report import (
    ALL,
    REPORTED,
    Report,
    SelectionError,
    load_report,
    status_table,
)
from exports.workbook import build_workbook, workbook_bytes, write_workbook

__all__ = [
    "ALL", "REPORTED", "Report", "SelectionError", "build_deck", "build_workbook", "deck_bytes",
    "escape_cell", "frame_to_csv", "load_report", "status_table", "workbook_bytes",
    "write_deck", "write_workbook",
]
