"""The naive baseline's reading and reshaping (plain pandas, no database)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("CHITIEU_BENCH_DATA", ROOT / "data"))


def read_all(folder: str) -> pd.DataFrame:
    """Every ward's targets and latest actual, read straight from the workbooks."""
    folder = Path(folder)
    names = pd.read_excel(folder / "catalogue.xlsx", sheet_name="Đơn vị hành chính")
    rows = []
    for path in sorted((folder / "wards").glob("*/*.xlsx")):
        sheets = pd.read_excel(path, sheet_name=None)
        targets = sheets["Chỉ tiêu"][["Mã chỉ tiêu", "Giá trị"]].dropna()
        actuals = sheets.get("Thực hiện", pd.DataFrame(columns=["Mã chỉ tiêu", "Kỳ", "Giá trị"]))
        latest = (actuals.sort_values("Kỳ").groupby("Mã chỉ tiêu", as_index=False).last()
                  [["Mã chỉ tiêu", "Giá trị"]])
        merged = targets.merge(latest, on="Mã chỉ tiêu", how="left", suffixes=("_kh", "_th"))
        merged["Mã đơn vị"] = path.stem
        rows.append(merged)
    frame = pd.concat(rows, ignore_index=True)
    frame = frame.merge(names[["Mã đơn vị", "Tên đơn vị"]], on="Mã đơn vị", how="left")
    frame["% KH"] = pd.to_numeric(frame["Giá trị_th"], errors="coerce") / pd.to_numeric(
        frame["Giá trị_kh"], errors="coerce") * 100
    return frame


def render(st, frame: pd.DataFrame) -> None:
    st.title("BASELINE (trang thử nghiệm, không thuộc ứng dụng)")
    st.metric("Số chỉ tiêu có số thực hiện", int(frame["% KH"].notna().sum()))
    board = frame.pivot_table(index="Tên đơn vị", columns="Mã chỉ tiêu", values="% KH", aggfunc="first")
    st.dataframe(board.round(1))
