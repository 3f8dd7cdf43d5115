"""Exports for meetings: PowerPoint deck, Excel workbook, PDF briefing, chart images, safe CSV.

    report = exports.report.load_report(db, "2026-Q1", wards=["phu_lien"])
    exports.deck.deck_bytes(report); exports.workbook.workbook_bytes(report)
    exports.images.render_export(figure, "png")

Command line: `python -m exports --help`.  Nothing is imported here: each export's
process imports what it writes with (a workbook or a CSV did not need python-pptx and
Plotly, a tenth of its memory).
"""
