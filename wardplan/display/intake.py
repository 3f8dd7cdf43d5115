"""What the submit page, the history and the reporting line show: Vietnamese tables.

Pure pandas: the page lays them out, `intake.submit` computes them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wardplan.display.format import format_value, local_time_text, pct
from wardplan.display.styles import status_text
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import period_label, period_sort_key
from wardplan.rules.quality import SEVERITY_LABELS_VI
from wardplan.rules.reporting import LABELS_VI as REPORTING_LABELS_VI
from wardplan.rules.reporting import LATE, NOT_DUE, REPORTED, due_date, reporting_state
from wardplan.rules.text import fold

CHANGE_LABELS_VI = {"added": "Số liệu mới", "changed": "Sửa số liệu", "removed": "Bỏ số liệu"}
KIND_LABELS_VI = {"report": "Báo cáo kỳ", "workbook": "Sổ kế hoạch và thực hiện cả năm",
                  "revert": "Hủy lần nộp"}
OUTCOME_LABELS_VI = {"accepted": "Đã nhận", "reverted": "Đã hủy", "refused": "Bị từ chối"}


def _when(value: object) -> str:
    return "" if is_missing(value) else local_time_text(value)


def problems_view(problems) -> pd.DataFrame:
    """Every problem of a refused file: tệp, trang, ô, lý do."""
    return pd.DataFrame([{"Tệp": p.file, "Trang": p.sheet or "—", "Ô": p.cell or "—",
                          "Lý do": p.reason_vi} for p in problems],
                        columns=["Tệp", "Trang", "Ô", "Lý do"])


def changes_view(changes: pd.DataFrame, names: dict[str, str], units: dict[str, str]) -> pd.DataFrame:
    """Figures added, changed (old → new, % difference) and removed."""
    rows = []
    for r in changes.to_dict("records"):
        unit = units.get(r["indicator_code"], "")
        rows.append({
            "Thay đổi": CHANGE_LABELS_VI[r["change"]],
            "Chỉ tiêu": names.get(r["indicator_code"], r["indicator_code"]),
            "Kỳ": period_label(r["period"]),
            "Số cũ": _figure(r["old_value"], r["old_text"], unit),
            "Số mới": _figure(r["new_value"], r["new_text"], unit),
            "Chênh lệch": "" if is_missing(r["diff_pct"]) else
            ("+" if r["diff_pct"] > 0 else "") + pct(r["diff_pct"]),
        })
    return pd.DataFrame(rows, columns=["Thay đổi", "Chỉ tiêu", "Kỳ", "Số cũ", "Số mới",
                                       "Chênh lệch"])


def _figure(value: object, text: object, unit: str) -> str:
    if is_missing(value):
        return text_or(text) or "—"
    return format_value(value, unit)


def moves_view(moves: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Statuses the submission would move, before → after."""
    rows = [{
        "Chỉ tiêu": names.get(r["indicator_code"], r["indicator_code"]),
        "Kỳ": period_label(r["period"]),
        "Trước": _status(r["status_before"], r["reason_before"], r["pct_before"]),
        "Sau": _status(r["status_after"], r["reason_after"], r["pct_after"]),
    } for r in moves.to_dict("records")]
    return pd.DataFrame(rows, columns=["Chỉ tiêu", "Kỳ", "Trước", "Sau"])


def _status(status: object, reason: object, pct_of_scenario: object) -> str:
    if is_missing(status):
        return "—"
    text = status_text(status, reason)
    return text if is_missing(pct_of_scenario) else f"{text} ({pct(pct_of_scenario)} KB)"


def findings_view(findings: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    rows = [{
        "Mức độ": SEVERITY_LABELS_VI.get(r["severity"], r["severity"]),
        "Chỉ tiêu": names.get(text_or(r["indicator_code"]), text_or(r["indicator_code"])) or "—",
        "Kỳ": period_label(r["period"]) if isinstance(r["period"], str) else "—",
        "Nội dung": r["message"],
    } for r in findings.to_dict("records")]
    return pd.DataFrame(rows, columns=["Mức độ", "Chỉ tiêu", "Kỳ", "Nội dung"])


def submissions_view(submissions: pd.DataFrame) -> pd.DataFrame:
    """The ledger for people: number, what, for whom, who, when (Vietnam time), outcome."""
    rows = [{
        "Số": "" if is_missing(r["submission_id"]) else f"#{int(r['submission_id'])}",
        "Loại": KIND_LABELS_VI.get(r["kind"], r["kind"]),
        "Đơn vị": text_or(r["ward_name"]) or text_or(r["ward_code"]) or "—",
        "Kỳ": period_label(r["period"]) if isinstance(r["period"], str) else
        (f"Năm {int(r['plan_year'])}" if not is_missing(r["plan_year"]) else "—"),
        "Người nộp": r["submitted_by"],
        "Thời điểm (giờ VN)": _when(r["submitted_at"]),
        "Kết quả": OUTCOME_LABELS_VI.get(r["outcome"], r["outcome"])
        + (f" (hủy bởi #{int(r['reverted_by'])})" if not is_missing(r["reverted_by"]) else "")
        + (f" (hủy #{int(r['reverts'])})" if not is_missing(r["reverts"]) else ""),
        "Tệp": text_or(r["file_name"]),
        "Ghi chú": text_or(r["message"]),
    } for r in submissions.to_dict("records")]
    return pd.DataFrame(rows, columns=["Số", "Loại", "Đơn vị", "Kỳ", "Người nộp",
                                       "Thời điểm (giờ VN)", "Kết quả", "Tệp", "Ghi chú"])


def revertible(submissions: pd.DataFrame) -> pd.DataFrame:
    """The submissions an admin may revert: accepted ones that are not themselves reverts."""
    return submissions[(submissions["outcome"] == "accepted")
                       & (submissions["kind"] != "revert")]


def revert_choices(revertible: pd.DataFrame) -> dict[int, str]:
    """Each submission as the revert box names it, newest first: '#12 · Phù Liễn ·
    Tháng 4/2026 · pl_editor' (a whole workbook is 'sổ tính')."""
    return {int(r["submission_id"]):
            f"#{int(r['submission_id'])} · {r['ward_name']} · "
            f"{period_label(r['period']) if isinstance(r['period'], str) else 'sổ tính'} · "
            f"{r['submitted_by']}"
            for r in revertible.to_dict("records")}


def revisions_view(revisions: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Each value a figure has had, oldest first per period."""
    # Submissions a second apart share their minute: the ledger's order settles them.
    frame = revisions.sort_values(["period", "submitted_at", "submission_id"], key=lambda s: s.map(
        period_sort_key) if s.name == "period" else s, na_position="first", kind="stable")
    rows = [{
        "Kỳ": period_label(r["period"]),
        "Giá trị": _figure(r["value"], r["value_text"], unit),
        "Giá trị trước đó": "" if is_missing(r["previous_value"]) and is_missing(
            r["previous_text"]) else _figure(r["previous_value"], r["previous_text"], unit),
        "Lần nộp": "sổ tính gốc" if is_missing(r["submission_id"])
        else f"#{int(r['submission_id'])}",
        "Người nộp": text_or(r["submitted_by"]) or "—",
        "Thời điểm (giờ VN)": _when(r["submitted_at"]) or "—",
        "Nguồn": r["source_ref"],
    } for r in frame.to_dict("records")]
    return pd.DataFrame(rows, columns=["Kỳ", "Giá trị", "Giá trị trước đó", "Lần nộp",
                                       "Người nộp", "Thời điểm (giờ VN)", "Nguồn"])


def reporting_view(reporting: pd.DataFrame, period: str, due_days: int,
                   today: dt.date) -> pd.DataFrame:
    """Per ward: reported for `period`, late or not yet due; and when it last submitted."""
    rows = []
    for r in reporting.to_dict("records"):
        state = reporting_state(bool(r["reported"]), period, due_days, today)
        rows.append({"ward_code": r["ward_code"], "state": state,
                     "Đơn vị": r["ward_name"], "Kỳ " + period_label(period): REPORTING_LABELS_VI[state],
                     "Lần nộp gần nhất": (f"{_when(r['last_submitted_at'])} ({r['last_submitted_by']})"
                                          if not is_missing(r["last_submitted_at"])
                                          else "chưa nộp qua hệ thống")})
    return pd.DataFrame(rows)


def unreported(view: pd.DataFrame) -> pd.DataFrame:
    """The rows of `reporting_view` for the units that have not reported, late ones first."""
    if view.empty:
        return view
    late = view[view["state"] != REPORTED]
    late = late.assign(_late=(late["state"] != LATE).astype(int)).sort_values(
        ["_late", "Đơn vị"], key=lambda s: s.map(fold) if s.name == "Đơn vị" else s)
    return late.drop(columns=["ward_code", "state", "_late"]).reset_index(drop=True)


def reporting_states(view: pd.DataFrame) -> dict[str, str]:
    """ward_code → its `rules.reporting` state for the period of `reporting_view`."""
    return dict(zip(view["ward_code"], view["state"], strict=True)) if not view.empty else {}


def reporting_sentence(view: pd.DataFrame, period: str, due_days: int) -> str:
    """'Kỳ Tháng 4/2026 (hạn 10/05/2026): 1/3 đơn vị đã báo cáo; quá hạn: Kiến An, Thủy Nguyên.'"""
    if view.empty:
        return ""
    counts = view["state"].value_counts()
    parts = [f"Kỳ {period_label(period)} (hạn nộp {due_date(period, due_days):%d/%m/%Y}): "
             f"{counts.get(REPORTED, 0)}/{len(view)} đơn vị đã báo cáo"]
    for state in (LATE, NOT_DUE):
        names = view.loc[view["state"] == state, "Đơn vị"].tolist()
        if names:
            shown = ", ".join(names[:8]) + (f" và {len(names) - 8} đơn vị khác"
                                            if len(names) > 8 else "")
            parts.append(f"{REPORTING_LABELS_VI[state].lower()}: {shown}")
    return "; ".join(parts) + "."
