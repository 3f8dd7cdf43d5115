"""Hand in a period's report or a whole ward workbook: check, preview, publish; revert.

One path for the browser ("Nộp báo cáo") and the command line (`python -m etl
import`).  `check` reads only what the file touches — the catalogue and its
ward — and compares the result with the database readers see now: figures
added, changed and removed, new data-quality findings, statuses that move.
`publish` does the same again under the writer lock (another submission may
have landed since the preview, so nothing is lost), keeps the file under its
hash, builds the new database beside the live one, appends the ledger line —
the moment the submission is in — and swaps the database in.  A crash before
the ledger line leaves everything as it was; after it, the next writer
finishes the swap by rebuilding (`build.settle`).  Every step checks the
user's role here, on the server, whatever the page showed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from accounts.store import PermissionDenied, User, require_admin, require_submit
from etl import build, crashpoints, ledger, submissions
from etl.load import prepare, reading, swap_in
from etl.lock import WAIT_SECONDS, writer_lock
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, read_workbook
from etl.reports import is_workbook, parse_report, plan_of
from wardplan.reads.db import database_path
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import period_label
from wardplan.rules.settings import Settings, load_settings

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # a ward workbook is ~100 kB; a report ~20 kB
ZIP_MAGIC = b"PK\x03\x04"
KEY = ["indicator_code", "period"]


@dataclass(frozen=True)
class Upload:
    file_name: str  # as the user named it; shown, never used as a path
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class Preview:
    """What publishing the upload would change, for the editor to confirm."""

    upload: Upload
    kind: str  # ledger.REPORT or ledger.WORKBOOK
    ward_code: str
    plan_year: int
    period: str | None  # the report's period; None for a whole workbook
    changes: pd.DataFrame  # change, indicator_code, period, old/new value and text, diff_pct
    findings: pd.DataFrame  # data-quality findings the upload brings
    moves: pd.DataFrame  # indicator_code, period, status before and after
    seconds: float = 0.0

    @property
    def changes_anything(self) -> bool:
        return not self.changes.empty


@dataclass
class Published:
    entry: ledger.Entry
    preview: Preview | None
    seconds: float
    warnings: list[str] = field(default_factory=list)


CHANGE_COLUMNS = ["change", "indicator_code", "period", "old_value", "new_value", "old_text",
                  "new_text", "diff_pct", "source_ref"]
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


def upload_from_path(path: Path) -> Upload:
    """A file named on the command line, as an upload (checked before it is read)."""
    if not path.exists():
        raise _refuse(path.name, "Không tìm thấy tệp này.")
    if path.is_dir():
        raise _refuse(path.name, "Đây là một thư mục, không phải tệp Excel; hãy chọn tệp .xlsx.")
    if not path.is_file():
        raise _refuse(path.name, "Đây không phải là một tệp thông thường; hãy chọn tệp .xlsx.")
    if path.suffix.lower() != ".xlsx":
        raise _refuse(path.name, "Tệp không phải định dạng .xlsx; hãy lưu lại dưới dạng Excel "
                                 "Workbook (.xlsx).")
    if path.stat().st_size > MAX_BYTES:
        raise _refuse(path.name, f"Tệp vượt giới hạn {MAX_BYTES // (1024 * 1024)} MB.")
    return Upload(path.name, path.read_bytes())


def summary_vi(preview: Preview | None) -> str:
    """'2 số liệu mới, 1 số liệu sửa, 0 số liệu bỏ; 1 trạng thái thay đổi'."""
    if preview is None:
        return "không đổi số liệu"
    counts = preview.changes["change"].value_counts()
    return (f"{counts.get(ADDED, 0)} số liệu mới, {counts.get(CHANGED, 0)} số liệu sửa, "
            f"{counts.get(REMOVED, 0)} số liệu bỏ; {len(preview.moves)} trạng thái thay đổi; "
            f"{len(preview.findings)} phát hiện chất lượng dữ liệu mới")


def _refuse(name: str, reason_vi: str) -> BuildFailed:
    return BuildFailed([Problem(name, "", "", reason_vi)])


def check_upload(upload: Upload) -> None:
    """Size and type, checked on the server before anything is read."""
    if not upload.file_name.lower().endswith(".xlsx"):
        raise _refuse(upload.file_name, "Tệp không phải định dạng .xlsx; hãy lưu lại dưới dạng "
                                        "Excel Workbook (.xlsx).")
    if not upload.content:
        raise _refuse(upload.file_name, "Tệp rỗng (0 byte).")
    if len(upload.content) > MAX_BYTES:
        raise _refuse(upload.file_name, f"Tệp lớn {len(upload.content) / 1e6:.1f} MB, vượt giới "
                                        f"hạn {MAX_BYTES // (1024 * 1024)} MB của một báo cáo.")
    if not upload.content.startswith(ZIP_MAGIC):
        raise _refuse(upload.file_name, "Tệp không phải là sổ tính Excel .xlsx hợp lệ (hỏng hoặc "
                                        "sai định dạng).")


@contextlib.contextmanager
def _staged(upload: Upload) -> Iterator[Path]:
    """The upload in a private temporary file, removed afterwards whatever happens."""
    with tempfile.TemporaryDirectory(prefix="chitieu-upload-") as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(upload.content)
        yield path


@dataclass
class _Noted:
    who: _Identity | None = None


@contextlib.contextmanager
def _refusals_noted(upload: Upload, user: User | None, folder: Path) -> Iterator[_Noted]:
    """Record an upload refused for its content or its sender (refused.jsonl), then re-raise."""
    noted = _Noted()
    try:
        yield noted
    except (BuildFailed, PermissionDenied) as refused:
        reasons = (refused.message_vi if isinstance(refused, PermissionDenied) else
                   "; ".join(str(p) for p in refused.problems[:3])
                   + (f" (và {len(refused.problems) - 3} lỗi khác)"
                      if len(refused.problems) > 3 else ""))
        who = noted.who
        ledger.note_refusal(ledger.Entry(
            id=0, kind=who.kind if who else ledger.REPORT, ward_code=who.ward_code if who else None,
            plan_year=who.plan_year if who else None, period=who.period if who else None,
            submitted_by=user.username if user else "(chưa đăng nhập)",
            submitted_at=ledger.now_iso(), outcome=ledger.REFUSED, sha256=upload.sha256,
            file_name=upload.file_name, message=reasons), folder)
        raise


@dataclass(frozen=True)
class _Identity:
    kind: str
    ward_code: str
    plan_year: int
    period: str | None


def _identify(path: Path, upload: Upload, data_dir: Path) -> _Identity:
    """Which ward, year and period the file is for, and whether it is a whole workbook."""
    try:
        raw = read_workbook(path)
    except FileRejected as exc:
        raise BuildFailed([Problem(upload.file_name, exc.sheet, exc.cell, exc.reason_vi)]) from exc
    if is_workbook(raw):
        ward_code, plan_year = plan_of(raw, upload.file_name)
        return _Identity(ledger.WORKBOOK, ward_code, plan_year, None)
    report = parse_report(path, upload.file_name, build.read_catalogue(data_dir), "NOP")
    return _Identity(ledger.REPORT, report.ward_code, report.plan_year, report.period.code)


def _new_entry(entries: list[ledger.Entry], who: _Identity, upload: Upload, user: User,
               message: str) -> ledger.Entry:
    return ledger.next_entry(entries, kind=who.kind, ward_code=who.ward_code,
                             plan_year=who.plan_year, period=who.period,
                             submitted_by=user.username, outcome=ledger.ACCEPTED,
                             sha256=upload.sha256, file_name=upload.file_name, message=message)


def _derive(data_dir: Path, settings: Settings, entries: list[ledger.Entry], ward: str,
            staged: dict[int, Path]) -> dict[str, pd.DataFrame]:
    try:
        return build.derive_ward(data_dir, settings, entries, ward, staged)
    except BuildFailed as failure:
        # The new file's problems name the user's file, not its ledger number.
        names = {submissions.file_name(e): e.file_name for e in entries if e.id in staged}
        raise BuildFailed([Problem(names.get(p.file, p.file), p.sheet, p.cell, p.reason_vi)
                           for p in failure.problems]) from None


def check(upload: Upload, user: User | None, data_dir: Path | None = None,
          db_path: Path | None = None, settings: Settings | None = None) -> Preview:
    """The preview of `upload`, or BuildFailed listing every problem, or PermissionDenied.
    Changes nothing anywhere."""
    started = time.perf_counter()
    data_dir, db_path = data_dir or build.data_path(), db_path or database_path()
    settings = settings or load_settings()
    folder = ledger.submissions_dir(data_dir)
    with _refusals_noted(upload, user, folder) as noted:
        check_upload(upload)
        with _staged(upload) as path:
            noted.who = who = _identify(path, upload, data_dir)
            require_submit(user, who.ward_code)
            if _in_use(db_path, who.ward_code, upload.sha256):
                raise _refuse(upload.file_name, f"Đây chính là tệp đang dùng của đơn vị "
                                                f"'{who.ward_code}'; không có gì mới để nộp.")
            entries = ledger.read_all(folder)
            new = _new_entry(entries, who, upload, user, "")
            tables = _derive(data_dir, settings, [*entries, new], who.ward_code, {new.id: path})
    preview = compare(db_path, tables, who, upload)
    preview.seconds = time.perf_counter() - started
    return preview


def publish(upload: Upload, user: User | None, data_dir: Path | None = None,
            db_path: Path | None = None, settings: Settings | None = None, *,
            wait_seconds: float = WAIT_SECONDS,
            notify: Callable[[str], None] = log.info) -> Published:
    """Accept `upload` into the ledger and the database, all or nothing."""
    started = time.perf_counter()
    data_dir, db_path = data_dir or build.data_path(), db_path or database_path()
    settings = settings or load_settings()
    folder = ledger.submissions_dir(data_dir)
    with _refusals_noted(upload, user, folder) as noted, _staged(upload) as path, \
            writer_lock(db_path, wait_seconds, notify):
        check_upload(upload)
        build.settle(data_dir, db_path, settings, notify)
        if not db_path.exists():
            build.rebuild(data_dir, db_path, settings)
        noted.who = who = _identify(path, upload, data_dir)
        user = require_submit(user, who.ward_code)
        entries = ledger.read_all(folder)
        if _in_use(db_path, who.ward_code, upload.sha256):
            raise _refuse(upload.file_name, f"Đây chính là tệp đang dùng của đơn vị "
                                            f"'{who.ward_code}'; không có gì mới để nộp.")
        message = (f"Nộp báo cáo {period_label(who.period)}" if who.kind == ledger.REPORT
                   else f"Nộp sổ kế hoạch và thực hiện năm {who.plan_year}")
        new = _new_entry(entries, who, upload, user, message)
        tables = _derive(data_dir, settings, [*entries, new], who.ward_code, {new.id: path})
        preview = compare(db_path, tables, who, upload)
        whole, others = build.tables_after(db_path, data_dir, settings, [*entries, new],
                                           who.ward_code, {new.id: path}, ward_tables=tables)
        ledger.store(upload.content, folder)
        crashpoints.reached("after_stored")
        building = prepare(whole, db_path, others)
        crashpoints.reached("after_new_db_built")
        ledger.append(new, folder)
        crashpoints.reached("after_ledger_appended")
        swap_in(building, db_path)
        crashpoints.reached("after_db_swapped")
    log.info("submission %s accepted: %s %s by %s", new.id, new.ward_code, new.period or new.kind,
             new.submitted_by)
    return Published(new, preview, time.perf_counter() - started)


def revert(entry_id: int, user: User | None, reason: str, data_dir: Path | None = None,
           db_path: Path | None = None, settings: Settings | None = None, *,
           wait_seconds: float = WAIT_SECONDS,
           notify: Callable[[str], None] = log.info) -> Published:
    """Take an accepted submission out of force (an admin only); itself a ledger event."""
    started = time.perf_counter()
    user = require_admin(user)
    data_dir, db_path = data_dir or build.data_path(), db_path or database_path()
    settings = settings or load_settings()
    folder = ledger.submissions_dir(data_dir)
    with writer_lock(db_path, wait_seconds, notify):
        build.settle(data_dir, db_path, settings, notify)
        entries = ledger.read_all(folder)
        target = ledger.revertible(entries, entry_id)
        new = ledger.next_entry(entries, kind=ledger.REVERT, ward_code=target.ward_code,
                                plan_year=target.plan_year, period=target.period,
                                submitted_by=user.username, outcome=ledger.ACCEPTED,
                                sha256=None, file_name=target.file_name,
                                message=reason.strip() or "Hủy lần nộp", reverts=target.id)
        tables, others = build.tables_after(db_path, data_dir, settings, [*entries, new],
                                            target.ward_code)
        building = prepare(tables, db_path, others)
        crashpoints.reached("after_new_db_built")
        ledger.append(new, folder)
        crashpoints.reached("after_ledger_appended")
        swap_in(building, db_path)
    return Published(new, None, time.perf_counter() - started)


def _in_use(db_path: Path, ward: str, sha256: str) -> bool:
    """True when the database was built from exactly this file for this ward."""
    with reading(db_path) as con:
        return bool(con.execute("SELECT count(*) FROM v_load_files WHERE ward_code = $ward AND "
                                "sha256 = $sha", {"ward": ward, "sha": sha256}).fetchone()[0])


# --- the preview --------------------------------------------------------------------

def compare(db_path: Path, tables: dict[str, pd.DataFrame], who: _Identity,
            upload: Upload) -> Preview:
    """The would-be tables of the upload's ward against the live database."""
    ward = who.ward_code
    with reading(db_path) as con:
        def live(sql: str) -> pd.DataFrame:
            return con.execute(sql, {"ward": ward}).df()

        old_actuals = live("SELECT indicator_code, period, value, value_text, source_ref "
                           "FROM v_actuals WHERE ward_code = $ward")
        old_issues = live("SELECT indicator_code, period, severity, check_code, message "
                          "FROM v_data_issues WHERE ward_code = $ward")
        old_status = live("SELECT indicator_code, as_of AS period, status, status_reason, "
                          "pct_of_scenario FROM v_status WHERE ward_code = $ward")
    mine = {name: frame[frame["ward_code"] == ward] if "ward_code" in frame else frame
            for name, frame in tables.items()}
    return Preview(upload, who.kind, ward, who.plan_year, who.period,
                   changes=_changes(old_actuals, mine["actuals"]),
                   findings=_new_findings(old_issues, mine["data_issues"]),
                   moves=_moves(old_status, mine["status"].rename(columns={"as_of": "period"}),
                                who.period))


def _changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    both = old.merge(new[[*KEY, "value", "value_text", "source_ref"]], on=KEY, how="outer",
                     suffixes=("_old", "_new"), indicator="side")
    rows = []
    for r in both.to_dict("records"):
        old_value, new_value = _number(r["value_old"]), _number(r["value_new"])
        old_text, new_text = text_or(r["value_text_old"]), text_or(r["value_text_new"])
        if r["side"] == "left_only":
            change = REMOVED
        elif r["side"] == "right_only":
            change = ADDED
        elif _same(old_value, new_value) and old_text == new_text:
            continue
        else:
            change = CHANGED
        diff = None
        if change == CHANGED and old_value is not None and new_value is not None and old_value:
            diff = (new_value - old_value) / abs(old_value) * 100
        rows.append({"change": change, "indicator_code": r["indicator_code"],
                     "period": r["period"], "old_value": old_value, "new_value": new_value,
                     "old_text": old_text or None, "new_text": new_text or None, "diff_pct": diff,
                     "source_ref": r["source_ref_new" if change != REMOVED else "source_ref_old"]})
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    return frame.sort_values(["change", "indicator_code", "period"], ignore_index=True)


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


def _new_findings(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    key = ["indicator_code", "period", "check_code", "message"]
    merged = new.merge(old[key].drop_duplicates(), on=key, how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge").reset_index(drop=True)


MOVE_COLUMNS = ["indicator_code", "period", "status_before", "reason_before", "pct_before",
                "status_after", "reason_after", "pct_after"]


def _moves(old: pd.DataFrame, new: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Statuses that change: at the report's period, or anywhere for a whole workbook."""
    columns = [*KEY, "status", "status_reason", "pct_of_scenario"]
    both = old[columns].merge(new[columns], on=KEY, how="outer", suffixes=("_before", "_after"))
    if period is not None:
        both = both[both["period"] == period]
    moved = both[(both["status_before"].fillna("") != both["status_after"].fillna(""))
                 | (both["status_reason_before"].fillna("") != both["status_reason_after"].fillna(""))]
    moved = moved.rename(columns={"status_reason_before": "reason_before",
                                  "status_reason_after": "reason_after",
                                  "pct_of_scenario_before": "pct_before",
                                  "pct_of_scenario_after": "pct_after"})
    return moved[MOVE_COLUMNS].reset_index(drop=True)
