"""Key tasks by office and the investment projects, as the documents list them."""

from __future__ import annotations

import pandas as pd

from wardplan.display.format import format_ty, natural_key
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.text import fold

PLAN, REPORT = "plan", "report"
TASK_SOURCES = {PLAN: "Kế hoạch năm (nhiệm vụ được giao)", REPORT: "Báo cáo quý I (tiến độ)"}


def task_offices(tasks: pd.DataFrame) -> list[str]:
    return sorted(tasks["office_vi"].dropna().unique().tolist(), key=fold)


def tasks_view(tasks: pd.DataFrame, source: str = PLAN, offices: list[str] | None = None) -> pd.DataFrame:
    frame = tasks[tasks["report_period"].isna()] if source == PLAN else tasks[tasks["report_period"].notna()]
    if offices:
        frame = frame[frame["office_vi"].isin(offices)]
    frame = frame.sort_values("task_no", key=lambda s: s.map(natural_key))
    view = pd.DataFrame({
        "STT": frame["task_no"].map(text_or),
        "Đơn vị chủ trì": frame["office_vi"].map(text_or),
        "Nhiệm vụ": frame["task_text"].map(text_or),
        "Sản phẩm": frame["output_vi"].map(text_or),
        "Thời hạn": frame["deadline_text"].map(text_or),
    })
    if source == REPORT:
        view["Tiến độ / kết quả"] = frame["progress_text"].map(text_or).values
        view["Dự kiến"] = frame["forecast_text"].map(text_or).values
        view["Đề xuất"] = frame["proposal_text"].map(text_or).values
    else:
        view["Phối hợp"] = frame["partners_vi"].map(text_or).values
        view["Cấp trình"] = frame["authority_vi"].map(text_or).values
    view["Nguồn"] = frame["source_ref"].map(text_or).values
    return view.reset_index(drop=True)


_ROW_KIND_LABELS = {"group": "Nhóm", "project": "Dự án", "component": "Hạng mục"}


def projects_view(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects in document order; components indented under their project."""
    def name(row) -> str:
        text = text_or(row.project_name)
        if row.row_kind == "component":
            return f"    ↳ {text}"
        if row.row_kind == "project":
            return f"{text_or(row.project_no)}. {text}"
        return text

    return pd.DataFrame({
        "Nhóm": projects["group_code"].map(lambda g: text_or(g, "—")),
        "Loại dòng": projects["row_kind"].map(lambda k: _ROW_KIND_LABELS.get(k, text_or(k))),
        "Dự án / hạng mục": [name(r) for r in records(projects)],
        "Tổng vốn (triệu đồng)": projects["total_capital_mvnd"].map(
            lambda v: "—" if is_missing(v) else format_number_vi(float(v), 3)),
        "KH giải ngân quý I (triệu đồng)": projects["planned_q1_mvnd"].map(
            lambda v: "—" if is_missing(v) else format_number_vi(float(v), 3)),
        "Giải ngân đến tháng 3": projects["disbursed_march_text"].map(text_or),
        "Tiến độ": projects["progress_text"].map(text_or),
        "Dự kiến": projects["forecast_text"].map(text_or),
        "Đề xuất": projects["proposal_text"].map(text_or),
        "Nguồn": projects["source_ref"].map(text_or),
    })


def project_summary(projects: pd.DataFrame) -> pd.DataFrame:
    """Per group: projects counted, capital and Q1 plan summed over project rows (tỷ đồng)."""
    rows = projects[projects["row_kind"] == "project"].copy()
    if rows.empty:
        return pd.DataFrame(columns=["Nhóm", "Số dự án", "Tổng vốn", "KH giải ngân quý I"])
    rows["group"] = rows["group_code"].map(lambda g: text_or(g, "Khác (không có dòng nhóm)"))
    titles = projects[projects["row_kind"] == "group"].set_index("group_code")["project_name"]
    summary = rows.groupby("group", sort=False).agg(
        n=("project_name", "size"), capital=("total_capital_mvnd", "sum"),
        planned=("planned_q1_mvnd", lambda s: s.sum(min_count=1))).reset_index()
    return pd.DataFrame({
        "Nhóm": [f"{g} — {titles[g]}" if g in titles.index else g for g in summary["group"]],
        "Số dự án": summary["n"].astype(int),
        "Tổng vốn": summary["capital"].map(format_ty),
        "KH giải ngân quý I": summary["planned"].map(format_ty),
    })
