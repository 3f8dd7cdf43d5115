"""Figures and short texts for display: Vietnamese numbers with units, targets in a few
characters, source references cut to their document, links to the detail page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wardplan.rules.missing import as_float, is_missing, is_true, text_or
from wardplan.rules.numbers import (
    format_amount_vi,
    format_number_vi,
    format_pct_vi,
    format_quantity_vi,
)
from wardplan.rules.projection import METHOD_LABELS_VI, Outlook, describe
from wardplan.rules.scenario import ORIGIN_SHORT_VI, ORIGINS, PROVISIONAL_VI

COMPARATOR_LABELS = {
    ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "range": "khoảng",
    "top": "nhóm đầu", "relative": "so với mốc", "qualitative": "định tính",
}


def natural_key(text: object) -> tuple:
    """'1.10' after '1.9', numbers before words."""
    parts = re.split(r"(\d+)", text_or(text))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def detail_link(ward: str, indicator: str, as_of: str, base: str = "chi-tiet") -> str:
    """Relative URL of the indicator detail page, for link columns."""
    return f"{base}?{urlencode({'ward': ward, 'indicator': indicator, 'as_of': as_of})}"


def progress_link(ward: str, as_of: str, base: str = "tien-do") -> str:
    """Relative URL of a ward's progress page at a period, for link columns."""
    return f"{base}?{urlencode({'ward': ward, 'as_of': as_of})}"


# --- numbers ---------------------------------------------------------------------

def format_value(value: object, unit: str | None = None) -> str:
    """A figure with its unit, Vietnamese style: '105.879 triệu đồng', '95,1%'."""
    if is_missing(value):
        return "—"
    number = format_number_vi(float(value))
    unit = text_or(unit)
    if not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def format_amount(value: object) -> str:
    """A bare figure for a metric card or a cell: whole numbers from 1.000 up."""
    return "—" if is_missing(value) else format_amount_vi(float(value))


def format_status_figure(value: object, unit: str | None = None) -> str:
    """A status's figure to date (actual, scenario) with its unit, as the status's note
    and the detail page's cards say it: '38.134 triệu đồng', never '38.133,73' (a
    scenario to date is our phasing).  A target keeps the document's own decimals
    (`format_value`)."""
    return "—" if is_missing(value) else format_quantity_vi(float(value), text_or(unit))


def format_ty(value_mvnd: object) -> str:
    """Million VND shown in tỷ đồng with two decimals: 69917.954 → '69,92 tỷ đồng'."""
    if is_missing(value_mvnd):
        return "—"
    return f"{format_number_vi(float(value_mvnd) / 1000, 2)} tỷ đồng"


def pct(value: object, decimals: int = 1) -> str:
    return "—" if is_missing(value) else format_pct_vi(float(value), decimals)

def first_sentence(note: object) -> str:
    text = text_or(note).strip()
    match = re.search(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text)
    return text[:match.start()] if match else text

def target_value_text(row) -> str:
    if is_missing(row.target_value):
        return "—"
    low = format_number_vi(float(row.target_value))
    if not is_missing(getattr(row, "target_value_high", None)):
        return f"{low}–{format_number_vi(float(row.target_value_high))}"
    return low


def target_short(comparator: object, value: object, value_high: object, unit: object,
                 base_text: object = None) -> str:
    """A target as its relation: '≥ 96%', '= 357.450 triệu đồng', 'top 30',
    '+10% so với dự toán thành phố giao' (never a bare number with a money unit)."""
    comparator, unit = text_or(comparator), text_or(unit)
    number = "" if is_missing(value) else format_number_vi(float(value))
    if not is_missing(value_high) and number:
        number = f"{number}–{format_number_vi(float(value_high))}"
    with_unit = f"{number}%" if unit == "%" else (f"{number} {unit}" if unit else number)
    if comparator == "qualitative":
        return "định tính"
    if comparator == "top":
        return f"top {number}" if number else "nhóm đầu"
    if comparator == "relative":
        base = f"so với {text_or(base_text)}" if text_or(base_text) else "so với mốc"
        sign = "+" if number and not number.startswith("-") else ""
        return f"{sign}{number}% {base}" if number else base
    if comparator == "range":
        return f"khoảng {with_unit}"
    if not number:
        return COMPARATOR_LABELS.get(comparator, comparator) or "—"
    return f"{COMPARATOR_LABELS.get(comparator, comparator)} {with_unit}"

_DOC_KINDS = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "CV": "Công văn"}


def document_label(title: object, number: object, date: object) -> str:
    """'Phụ lục 3 kèm Báo cáo số 103/BC-UBND ngày 12/03/2026' from a document's
    title, number and date (a v_sources row); a long title without number is cut."""
    title, number = text_or(title), text_or(number)
    if not number:
        short = title.split(" (")[0].split(";")[0]
        return short if len(short) <= 100 else short[:99].rstrip(" ,") + "…"
    parts = number.split("/")
    kind = _DOC_KINDS.get(parts[1].split("-")[0], "Văn bản") if len(parts) > 1 else "Văn bản"
    label = f"{kind} số {number}"
    if text_or(date):
        label += f" ngày {date}"
    appendix = title.split(" kèm")[0] if title.startswith("Phụ lục") else ""
    if appendix and len(appendix) <= 40:
        label = f"{appendix} kèm {label}"
    return label


# --- source references -------------------------------------------------------------------
# The ETL writes each figure's source as "<document title> — <place in the document>
# [<workbook> › <sheet>!<cell>]"; several sources are joined with " | ", and a derived
# scenario month says how it was derived.  Readers get the document's short name and
# the place in a table cell, and the whole reference, in words, in a detail row.

_CELL = re.compile(r"\s*\[(?P<book>[^\]]*?)\s*›\s*(?P<sheet>[^\]]*)!(?P<cell>\$?[A-Z]+\$?\d+)\]\s*$")
_LEAD = re.compile(r"^(?P<lead>Gồm số chính thức|Phần còn lại):\s*")
_DERIVED = re.compile(r"^Suy ra từ chỉ tiêu năm(?: \([^)]*\))?:\s*")
DERIVED_SOURCE = "suy ra từ chỉ tiêu năm (phân bổ đều phần còn lại)"


@dataclass(frozen=True)
class SourcePart:
    lead: str  # "Gồm số chính thức", "Phần còn lại" or ""
    derived: bool  # the figure was worked out from the annual target, not written
    document: str  # the document's title as the reference gives it
    place: str  # where in the document: "Phụ lục 1, STT 1, cột '…'"
    sheet: str  # the data-entry workbook's sheet and cell the figure was read from
    cell: str


def source_parts(ref: object) -> list[SourcePart]:
    parts = []
    for piece in text_or(ref).split(" | "):
        piece = piece.strip()
        if not piece:
            continue
        lead = _LEAD.match(piece)
        piece = piece[lead.end():] if lead else piece
        derived = _DERIVED.match(piece)
        piece = piece[derived.end():] if derived else piece
        cell = _CELL.search(piece)
        sheet, where = (cell.group("sheet").strip(), cell.group("cell")) if cell else ("", "")
        piece = piece[:cell.start()] if cell else piece
        document, _, place = piece.partition(" — ")
        parts.append(SourcePart(lead.group("lead") if lead else "", bool(derived),
                                document.strip(), place.strip(), sheet, where))
    return parts


class SourceLabels:
    """Short and full wording of source references, naming documents by number and date.

    `documents` is a v_sources frame (title_vi, doc_number, doc_date); a reference whose
    document is not in it keeps a shortened title.
    """

    def __init__(self, documents=None):
        rows = [] if documents is None or len(documents) == 0 else [
            (text_or(t), document_label(t, n, d)) for t, n, d in zip(
                documents["title_vi"], documents["doc_number"], documents["doc_date"],
                strict=True) if text_or(t)]
        self._titles = sorted(rows, key=lambda item: -len(item[0]))
        # Each title looked up once: the scan over every document (over 500 at 114 units)
        # was most of a source column's cost, and tables are redrawn on every rerun.
        self._documents: dict[str, str] = {}

    def document(self, title: str) -> str:
        label = self._documents.get(title)
        if label is None:
            label = self._documents[title] = self._document(title)
        return label

    def _document(self, title: str) -> str:
        match = next((label for known, label in self._titles if title.startswith(known)), None)
        if match:
            return match
        short = title.split(" (")[0]
        return short if len(short) <= 90 else short[:89].rstrip(" ,") + "…"

    def _head(self, part: SourcePart) -> str:
        head = f"{part.lead}: " if part.lead else ""
        return head + (f"{DERIVED_SOURCE} theo " if part.derived else "")

    def short(self, ref: object, place_chars: int = 60) -> str:
        """'Báo cáo số 103/BC-UBND ngày 12/03/2026, Phụ lục 3, STT 20' for a table cell."""
        out = []
        for part in source_parts(ref):
            document = self.document(part.document)
            place = part.place
            appendix = document.split(" kèm ")[0]
            if appendix != document and place.startswith(appendix + ", "):
                place = place[len(appendix) + 2:]  # 'Phụ lục 3 kèm …, Phụ lục 3, STT 20'
            text = self._head(part) + document
            if place:
                place = place if len(place) <= place_chars else \
                    place[:place_chars - 1].rstrip(" ,(") + "…"
                text += f", {place}"
            text = text[:1].upper() + text[1:]
            if text not in out:
                out.append(text)
        return "; ".join(out)

    def full(self, ref: object) -> str:
        """Every part in words: document, place, and the data-entry sheet and cell."""
        out = []
        for part in source_parts(ref):
            text = self._head(part) + part.document
            if part.place:
                text += f" — {part.place}"
            if part.sheet:
                text += f" (sổ nhập liệu của phường: trang “{part.sheet}”, ô {part.cell})"
            out.append(text[:1].upper() + text[1:])
        return " | ".join(out)


def document_titles(refs) -> list[str]:
    """Source references cut to the document (before ' — ' or ' ['), deduplicated:
    the short form a chart's source line has room for."""
    titles: list[str] = []
    for ref in refs:
        text = text_or(ref)
        for cut in (" — ", " ["):
            text = text.split(cut)[0]
        if text and text not in titles:
            titles.append(text)
    return titles


# --- what a status rests on --------------------------------------------------------

def scenario_basis(row) -> str:
    """'chính thức 43% · hệ thống 57% (tạm tính)': how much of the scenario to date is
    the ward's own; '' where there is no scenario."""
    shares = [(origin, getattr(row, f"basis_{origin}_pct", None)) for origin in ORIGINS]
    parts = [f"{ORIGIN_SHORT_VI[o]} {format_number_vi(v, max_decimals=0)}%"
             for o, v in shares if not is_missing(v) and v >= 0.5]
    if not parts:
        return ""
    tail = f" ({PROVISIONAL_VI})" if is_true(getattr(row, "provisional", False)) else ""
    return " · ".join(parts) + tail


def _outlook(row) -> Outlook:
    return Outlook(*(as_float(getattr(row, f"outlook_{c}", None))
                     for c in ("value", "low", "high", "pct_of_target")),
                   text_or(getattr(row, "outlook_method", None)),
                   is_true(getattr(row, "on_course", False)))


def outlook_text(row) -> str:
    """The year-end outlook sentence, from a status row's outlook columns."""
    return describe(_outlook(row), text_or(getattr(row, "unit", None)))


def outlook_short(row) -> str:
    """'≈ 98,5% chỉ tiêu năm (nhịp độ bình quân tháng)' for a table cell; '' if none."""
    outlook = _outlook(row)
    if not outlook.method or is_missing(outlook.pct_of_target):
        return ""
    return f"≈ {pct(outlook.pct_of_target)} chỉ tiêu năm ({METHOD_LABELS_VI[outlook.method]})"
# --- times ----------------------------------------------------------------------------

def _vietnam() -> dt.tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database on the machine: Vietnam is UTC+7, no DST
        return dt.timezone(dt.timedelta(hours=7), "ICT")


VIETNAM = _vietnam()


def today_in_vietnam() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def local_time_text(utc: object) -> str:
    """A UTC time (naive, as the database stores it) in Vietnam: '01/12/2026 16:42'."""
    moment = utc if isinstance(utc, dt.datetime) else dt.datetime.fromisoformat(str(utc))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
