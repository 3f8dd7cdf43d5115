"""What cannot be read exactly is refused, with a message a ward's staff can act on.

Each case breaks a copy of a bundled workbook the way staff or a damaged file
would, and checks that the build refuses with the Vietnamese reason, naming
file, sheet and cell, with no server path and no English library text — and
that the database and data/ are byte-identical afterwards.  A few cases are
the opposite: inputs that used to lose data silently now load in full.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.__main__ import main as etl_main
from etl.build import build
from etl.problems import BuildFailed
from workbooks import (
    PHU_LIEN,
    column_of,
    corrupt_compressed_bytes,
    digest,
    edit_book,
    edit_workbook,
    find_row,
    query,
    rewrite_part,
    sheet_part,
    tree_digest,
)

ROOT = Path(__file__).resolve().parent.parent
# English a library might leak into a message meant for ward staff.
LIBRARY_ENGLISH = re.compile(r"Traceback|Error\b|Errno|Exception|File \"|No such|not supported|"
                             r"zipfile|openpyxl|duckdb|invalid token", re.I)


def assert_plain_message(text: str, tmp_path: Path) -> None:
    assert str(tmp_path) not in text and "/tmp/" not in text, text
    assert not LIBRARY_ENGLISH.search(text), text


def refused(data_dir: Path, db: Path, *fragments: str) -> BuildFailed:
    """Build, expect a refusal containing `fragments`; nothing may change."""
    before_data, before_db = tree_digest(data_dir), digest(db)
    with pytest.raises(BuildFailed) as failure:
        build(data_dir, db)
    report = failure.value.report_vi()
    for fragment in fragments:
        assert fragment in report, report
    assert_plain_message(report, data_dir.parent)
    assert tree_digest(data_dir) == before_data, "a refused build must not touch data/"
    assert digest(db) == before_db, "a refused build must leave the live database unchanged"
    return failure.value


def actual_count(db: Path, ward: str = "phu_lien") -> int:
    return query(db, "SELECT count(*) FROM v_actuals WHERE ward_code = ?", [ward])[0][0]


# --- reading exactly what the cells say ------------------------------------------

def test_declared_dimension_smaller_than_the_sheet_loses_nothing(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    rewrite_part(path, sheet_part(path, "Thực hiện"),
                 lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', xml))
    build(data_dir, live_db)
    assert actual_count(live_db) == 77


def test_the_column_guide_is_never_read_and_an_unknown_sheet_is_refused_by_its_name(
        data_dir: Path, live_db: Path):
    """Only the template's sheets are read: broken XML in the guide every workbook carries
    stops nothing; a sheet the template does not know is refused whatever it holds."""
    path = data_dir / PHU_LIEN
    rewrite_part(path, sheet_part(path, "Hướng dẫn"), lambda xml: xml[: len(xml) // 2])
    build(data_dir, live_db)
    assert actual_count(live_db) == 77
    shutil.copyfile(ROOT / "data" / PHU_LIEN, path)
    edit_book(path, lambda book: setattr(book["Hướng dẫn"], "title", "Ghi chép riêng"))
    rewrite_part(path, sheet_part(path, "Ghi chép riêng"), lambda xml: xml[: len(xml) // 2])
    refused(data_dir, live_db, "phu_lien.xlsx › Ghi chép riêng", "không có trong mẫu")


def test_upper_case_extension_is_a_workbook_like_any_other(data_dir: Path, live_db: Path):
    folder = data_dir / "wards" / "2026"
    (folder / "kien_an.xlsx").rename(folder / "kien_an.XLSX")
    build(data_dir, live_db)
    assert query(live_db, "SELECT count(*) FROM v_targets WHERE ward_code = 'kien_an'") == [(34,)]
    assert query(live_db, "SELECT count(*) FROM v_load_files WHERE file = "
                          "'data/wards/2026/kien_an.XLSX'") == [(1,)]


def test_office_lock_file_beside_the_workbooks_is_ignored(data_dir: Path, live_db: Path):
    (data_dir / "wards" / "2026" / "~$phu_lien.xlsx").write_bytes(b"\x00owner\x00")
    build(data_dir, live_db)
    assert actual_count(live_db) == 77


# --- unknown names ---------------------------------------------------------------

def test_misspelt_optional_sheet_is_refused_with_the_closest_name(data_dir: Path, live_db: Path):
    edit_book(data_dir / PHU_LIEN, lambda wb: setattr(wb["Thực hiện"], "title", "Thuc hien"))
    refused(data_dir, live_db, "data/wards/2026/phu_lien.xlsx › Thuc hien",
            "Trang 'Thuc hien' không có trong mẫu", "Có phải là 'Thực hiện'?")


def test_the_guide_sheet_is_known(data_dir: Path, live_db: Path):
    assert "Hướng dẫn" in __import__("openpyxl").load_workbook(data_dir / PHU_LIEN).sheetnames
    build(data_dir, live_db)  # every bundled workbook carries it


def test_misspelt_optional_column_is_refused(data_dir: Path, live_db: Path):
    def misspell(ws):
        ws.cell(1, column_of(ws, "Đánh giá của phường")).value = "Danh gia cua phuong"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", misspell)
    refused(data_dir, live_db, "Thực hiện › G1", "Cột 'Danh gia cua phuong' không có trong mẫu",
            "Có phải là 'Đánh giá của phường'?")


def test_misspelt_required_column_names_both_sides(data_dir: Path, live_db: Path):
    def misspell(ws):
        ws.cell(1, column_of(ws, "Đơn vị")).value = "Don vi"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", misspell)
    refused(data_dir, live_db, "Có phải là 'Đơn vị'?", "Thiếu cột bắt buộc 'Đơn vị'")


def test_data_under_a_column_without_header(data_dir: Path, live_db: Path):
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", lambda ws: ws.cell(5, 14, "ghi chú lạc"))
    refused(data_dir, live_db, "Thực hiện › N5", "cột không có tiêu đề")


def test_duplicate_column(data_dir: Path, live_db: Path):
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", lambda ws: ws.cell(1, 14, "Giá trị"))
    refused(data_dir, live_db, "Thực hiện › N1", "Cột 'Giá trị' xuất hiện hai lần")


# --- what staff hide, merge or mistype --------------------------------------------

def test_hidden_row_is_refused_naming_the_row(data_dir: Path, live_db: Path):
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện",
                  lambda ws: setattr(ws.row_dimensions[12], "hidden", True))
    refused(data_dir, live_db, "Thực hiện › dòng 12", "Dòng 12 đang bị ẩn")


def test_hidden_column_is_refused(data_dir: Path, live_db: Path):
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện",
                  lambda ws: setattr(ws.column_dimensions["H"], "hidden", True))
    refused(data_dir, live_db, "Thực hiện › cột H", "Cột H đang bị ẩn")


def test_hidden_sheet_is_refused_naming_the_sheet(data_dir: Path, live_db: Path):
    edit_book(data_dir / PHU_LIEN, lambda wb: setattr(wb["Nhiệm vụ"], "sheet_state", "hidden"))
    refused(data_dir, live_db, "phu_lien.xlsx › Nhiệm vụ", "Trang đang bị ẩn")


def test_merged_cells_are_refused(data_dir: Path, live_db: Path):
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", lambda ws: ws.merge_cells("E3:E4"))
    refused(data_dir, live_db, "Thực hiện › E3:E4", "Ô gộp E3:E4")


def test_date_where_a_period_belongs(data_dir: Path, live_db: Path):
    def as_date(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-03"})
        ws.cell(row, column_of(ws, "Kỳ")).value = dt.datetime(2026, 3, 1)
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", as_date)
    refused(data_dir, live_db, "Kỳ báo cáo là một ngày (01/03/2026)", "Văn bản (Text)", "'2026-03'")


def test_excel_error_value_is_refused(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    rewrite_part(path, sheet_part(path, "Thực hiện"), lambda xml: re.sub(
        rb'<c r="D2"([^>]*?) t="\w+"([^>]*)>.*?</c>', rb'<c r="D2"\1 t="e"\2><v>#N/A</v></c>', xml,
        count=1))
    refused(data_dir, live_db, "Thực hiện › D2", "Ô chứa lỗi của Excel")


# --- required cells ----------------------------------------------------------------

def test_empty_unit_on_an_actual(data_dir: Path, live_db: Path):
    def blank(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-01"})
        ws.cell(row, column_of(ws, "Đơn vị")).value = None
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", blank)
    failure = refused(data_dir, live_db, "Thực hiện › E", "Cột 'Đơn vị' không được để trống")
    assert len(failure.problems) == 1, "one empty cell, one message"


def test_empty_unit_on_a_target_with_a_figure_is_not_taken_as_million(data_dir: Path, live_db: Path):
    def blank(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue_fees_charges"})
        ws.cell(row, column_of(ws, "Đơn vị")).value = None  # was 'đồng': 2.000 đồng
    edit_workbook(data_dir / PHU_LIEN, "Chỉ tiêu", blank)
    refused(data_dir, live_db, "phu_lien.xlsx › Chỉ tiêu", "Thiếu đơn vị cho giá trị 2.000")


def test_a_qualitative_target_needs_no_unit(live_db: Path):
    # Kiến An's qualitative targets have none, and load.
    assert query(live_db, "SELECT count(*) FROM v_targets WHERE ward_code='kien_an' "
                          "AND comparator = 'qualitative'")[0][0] > 0


def test_empty_verbatim_text(data_dir: Path, live_db: Path):
    def blank(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-01"})
        ws.cell(row, column_of(ws, "Nguyên văn")).value = None
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", blank)
    refused(data_dir, live_db, "Thực hiện › D", "Cột 'Nguyên văn' không được để trống")


# --- file names and the 'Thông tin' sheet -----------------------------------------

def test_file_named_for_one_ward_declaring_another(data_dir: Path, live_db: Path):
    folder = data_dir / "wards" / "2026"
    shutil.copy2(folder / "phu_lien.xlsx", folder / "kien_an.xlsx")
    refused(data_dir, live_db, "data/wards/2026/kien_an.xlsx › Thông tin › B2",
            "phải đặt tại wards/2026/phu_lien.xlsx")


def test_spreadsheet_in_another_format_or_place(data_dir: Path, live_db: Path):
    shutil.copy2(data_dir / PHU_LIEN, data_dir / "wards" / "2026" / "thuy_nguyen_cu.xls")
    shutil.copy2(data_dir / PHU_LIEN, data_dir / "wards" / "phu_lien.xlsx")
    refused(data_dir, live_db, "data/wards/2026/thuy_nguyen_cu.xls: Tệp không phải định dạng .xlsx",
            "data/wards/phu_lien.xlsx: Tệp đặt sai chỗ")


def test_unknown_item_in_the_info_sheet_names_its_cell(data_dir: Path, live_db: Path):
    def misspell(ws):
        ws.cell(find_row(ws, **{"Mục": "Mã đơn vị"}), 1).value = "Ma don vi"
    edit_workbook(data_dir / PHU_LIEN, "Thông tin", misspell)
    failure = refused(data_dir, live_db, "Thông tin › A2: Mục 'Ma don vi' không có trong mẫu",
                      "Có phải là 'Mã đơn vị'?")
    # Where the missing item would go: the first free row.
    assert re.search(r"Thông tin › A\d+: Thiếu mục 'Mã đơn vị': thêm một dòng", failure.report_vi())


def test_unknown_ward_names_its_cell(data_dir: Path, live_db: Path):
    def rename(ws):
        ws.cell(find_row(ws, **{"Mục": "Mã đơn vị"}), 2).value = "phu_lien_cu"
    edit_workbook(data_dir / PHU_LIEN, "Thông tin", rename)
    refused(data_dir, live_db, "Thông tin › B2: Mã đơn vị 'phu_lien_cu' không có trong danh mục")


# --- damaged files ---------------------------------------------------------------------

def test_corrupt_deflate_stream(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    corrupt_compressed_bytes(path, sheet_part(path, "Thực hiện"))
    refused(data_dir, live_db, "phu_lien.xlsx › Thực hiện", "không giải nén được")


def test_invalid_utf8_in_a_sheet(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    rewrite_part(path, sheet_part(path, "Thực hiện"),
                 lambda xml: xml.replace(b"<sheetPr>", b'<sheetPr><x a="\xff\xfe"/>', 1))
    refused(data_dir, live_db, "phu_lien.xlsx › Thực hiện", "Nội dung trang bị hỏng")


def test_invalid_utf8_outside_the_sheets(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    rewrite_part(path, "xl/styles.xml", lambda xml: xml.replace(b"<fonts", b"<fonts a=\"\xc3\x28\"", 1))
    refused(data_dir, live_db, "phu_lien.xlsx: Không đọc được sổ tính")


def test_rows_out_of_order(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    rewrite_part(path, sheet_part(path, "Thực hiện"),
                 lambda xml: xml.replace(b'<row r="3"', b'<row r="99"', 1))
    refused(data_dir, live_db, "phu_lien.xlsx › Thực hiện", "không theo thứ tự")


# --- the command line: a message, never a traceback ---------------------------------

@pytest.mark.parametrize("given, reason", [
    ("missing.xlsx", "Không tìm thấy tệp này"),
    ("a_folder", "Đây là một thư mục"),
    ("notes.txt", "Tệp không phải định dạng .xlsx"),
    ("garbage.xlsx", "Tệp không phải là sổ tính Excel"),
])
def test_import_of_what_is_not_a_workbook(given: str, reason: str, data_dir: Path, live_db: Path,
                                          tmp_path: Path, capsys):
    (tmp_path / "a_folder").mkdir()
    (tmp_path / "notes.txt").write_text("ghi chú", encoding="utf-8")
    (tmp_path / "garbage.xlsx").write_bytes(b"not a zip at all")
    before_data, before_db = tree_digest(data_dir), digest(live_db)
    assert etl_main(["import", str(tmp_path / given), "--data", str(data_dir),
                     "--db", str(live_db)]) == 1
    err = capsys.readouterr().err
    assert f"{given}: {reason}" in err, err
    assert_plain_message(err, tmp_path)
    assert tree_digest(data_dir) == before_data and digest(live_db) == before_db


def test_import_of_the_installed_file_itself(data_dir: Path, live_db: Path, tmp_path: Path, capsys):
    before_data, before_db = tree_digest(data_dir), digest(live_db)
    assert etl_main(["import", str(data_dir / PHU_LIEN), "--data", str(data_dir),
                     "--db", str(live_db)]) == 1
    err = capsys.readouterr().err
    assert "Đây chính là tệp đang dùng của đơn vị 'phu_lien'" in err
    assert_plain_message(err, tmp_path)
    assert tree_digest(data_dir) == before_data and digest(live_db) == before_db


def test_import_with_a_misspelt_sheet_names_the_users_file(data_dir: Path, live_db: Path,
                                                           tmp_path: Path, capsys):
    new = tmp_path / "bao_cao_thang_3.xlsx"
    shutil.copy2(data_dir / PHU_LIEN, new)
    edit_book(new, lambda wb: setattr(wb["Thực hiện"], "title", "Thưc hiên"))
    before_data, before_db = tree_digest(data_dir), digest(live_db)
    assert etl_main(["import", str(new), "--data", str(data_dir), "--db", str(live_db)]) == 1
    err = capsys.readouterr().err
    assert "bao_cao_thang_3.xlsx › Thưc hiên" in err and "Có phải là 'Thực hiện'?" in err, err
    assert tree_digest(data_dir) == before_data and digest(live_db) == before_db


def test_refused_import_for_a_new_plan_year_leaves_no_folder(data_dir: Path, live_db: Path,
                                                             tmp_path: Path):
    new = tmp_path / "ke_hoach_2027.xlsx"
    shutil.copy2(data_dir / PHU_LIEN, new)

    def next_year(ws):
        ws.cell(find_row(ws, **{"Mục": "Năm kế hoạch"}), 2).value = "2027"
    edit_workbook(new, "Thông tin", next_year)  # its periods stay in 2026: refused
    before_data, before_db = tree_digest(data_dir), digest(live_db)
    assert etl_main(["import", str(new), "--data", str(data_dir), "--db", str(live_db)]) == 1
    assert not (data_dir / "wards" / "2027").exists()
    assert tree_digest(data_dir) == before_data and digest(live_db) == before_db


def test_command_line_process_prints_no_traceback(data_dir: Path, live_db: Path, tmp_path: Path):
    """The real process, so nothing (argparse, logging setup) escapes main()'s handlers."""
    corrupt_compressed_bytes(data_dir / PHU_LIEN, sheet_part(data_dir / PHU_LIEN, "Chỉ tiêu"))
    for args in (["import", str(tmp_path / "khong_co.xlsx")], ["build"], ["nhap"]):
        done = subprocess.run([sys.executable, "-m", "etl", *args, "--data", str(data_dir),
                               "--db", str(live_db)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode in (1, 2), done
        assert done.stderr.strip() and "Traceback" not in done.stderr, done.stderr
        assert_plain_message(done.stderr, tmp_path)
