"""A small streaming .xlsx writer: what the meeting workbook needs, and nothing else.

Why not the XlsxWriter package or openpyxl: a city's workbook is about 650.000 cells, nearly all
in one sheet of figures by period.  openpyxl hashed each cell's style into its style
table (most of 73 s) and held every cell (730 MB); XlsxWriter in `constant_memory`
mode took 4,9 s for that sheet alone on this two-core machine (8 µs a cell, most of it
building each cell's XML), and without it holds every cell in memory.  Here a row is
one string written straight into the zip stream: the same sheet in 0,45 s, memory
flat whatever the size.

What it writes (SpreadsheetML, ECMA-376 part 1, elements in the schema's order):
text as inline strings only (no formula element is ever written, so text cannot run
as a formula), numbers, blank styled cells, a fixed set of cell formats (font, fill,
thin border, alignment, number format), column widths, row heights, a frozen header,
an autofilter, and print settings (landscape A4, fit to width, margins, repeated
header row and columns, print area, footer).  No theme, shared strings, formulas,
merged cells or images.

    book = StreamingWorkbook(path_or_file)
    bold = book.style(bold=True, fill="#F2F2F2", border=True)
    sheet = book.sheet("Tổng hợp", widths=[16, 46], freeze=(6, 3))
    sheet.row([("Chỉ tiêu", bold), (357450, book.style(number_format="#,##0"))])
    sheet.finish(header_row=6, print_columns=2, footer="Tổng hợp")
    book.close()
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# Excel's built-in number formats (ECMA-376 18.8.30) need no numFmt element.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10}
# Characters XML 1.0 cannot hold.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
MAX_TEXT = 32767  # characters Excel keeps in a cell


def column_name(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _colour(hex_colour: str) -> str:
    return "FF" + hex_colour.lstrip("#").upper()


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    italic: bool = False
    size: float = 11
    colour: str | None = None
    fill: str | None = None
    border: str | None = None  # the colour of a thin border on all four sides
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    number_format: str = "General"


class StreamingWorkbook:
    """One workbook, its sheets written one after another, each row by row."""

    def __init__(self, target):
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self._styles: dict[_Style, int] = {_Style(): 0}
        self._sheets: list[_Sheet] = []
        self._open: _Sheet | None = None

    def style(self, *, bold: bool = False, italic: bool = False, size: float = 11,
              colour: str | None = None, fill: str | None = None, border: str | None = None,
              horizontal: str | None = None, vertical: str | None = None, wrap: bool = False,
              number_format: str = "General") -> int:
        """The index of a cell format (made on first use)."""
        key = _Style(bold, italic, size, colour, fill, border, horizontal, vertical, wrap,
                     number_format)
        return self._styles.setdefault(key, len(self._styles))

    def sheet(self, name: str, widths: Sequence[float], freeze: tuple[int, int] = (0, 0),
              fit_to_page: bool = True) -> _Sheet:
        """Start the next sheet (the previous one must be finished).  `freeze`: rows and
        columns kept in view; `widths` in Excel's stored units, one per column."""
        if self._open is not None:
            raise RuntimeError(f"sheet {self._open.name!r} is not finished")
        sheet = _Sheet(self, name, len(self._sheets), list(widths), freeze, fit_to_page)
        self._sheets.append(sheet)
        self._open = sheet
        return sheet

    def close(self) -> None:
        if self._open is not None:
            raise RuntimeError(f"sheet {self._open.name!r} is not finished")
        z = self._zip
        z.writestr("[Content_Types].xml", self._content_types())
        z.writestr("_rels/.rels", HEAD + f'<Relationships xmlns="{PACKAGE_RELS}">'
                   f'<Relationship Id="rId1" Type="{RELS}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", self._workbook())
        z.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
        z.writestr("xl/styles.xml", self._stylesheet())
        z.close()

    # --- package parts -----------------------------------------------------------------

    def _content_types(self) -> str:
        base = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{s.index + 1}.xml" '
                            f'ContentType="{SHEET_TYPE}"/>' for s in self._sheets)
        return (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-'
                'types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                'package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                f'xml"/><Override PartName="/xl/workbook.xml" ContentType="{base}.sheet.main+xml"'
                f'/><Override PartName="/xl/styles.xml" ContentType="{base}.styles+xml"/>'
                f"{overrides}</Types>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{s.index + 1}" '
                         f'r:id="rId{s.index + 1}"/>' for s in self._sheets)
        names = []
        for kind in ("_FilterDatabase", "Print_Area", "Print_Titles"):
            for s in self._sheets:
                value = s.defined_names.get(kind)
                if value:
                    hidden = ' hidden="1"' if kind == "_FilterDatabase" else ""
                    names.append(f'<definedName name="_xlnm.{kind}" localSheetId="{s.index}"'
                                 f"{hidden}>{escape(value)}</definedName>")
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/>'
                f"</bookViews><sheets>{sheets}</sheets>{defined}</workbook>")

    def _workbook_rels(self) -> str:
        rels = "".join(f'<Relationship Id="rId{s.index + 1}" Type="{RELS}/worksheet" '
                       f'Target="worksheets/sheet{s.index + 1}.xml"/>' for s in self._sheets)
        styles = (f'<Relationship Id="rId{len(self._sheets) + 1}" Type="{RELS}/styles" '
                  'Target="styles.xml"/>')
        return HEAD + f'<Relationships xmlns="{PACKAGE_RELS}">{rels}{styles}</Relationships>'

    def _stylesheet(self) -> str:
        formats: dict[str, int] = {}
        fonts: dict[tuple, int] = {}
        fills: dict[str | None, int] = {None: 0, "gray125": 1}
        borders: dict[str | None, int] = {None: 0}
        xfs = []
        for style in sorted(self._styles, key=self._styles.get):
            number = BUILTIN_FORMATS.get(style.number_format)
            if number is None:
                number = formats.setdefault(style.number_format, 164 + len(formats))
            font = fonts.setdefault((style.bold, style.italic, style.size, style.colour),
                                    len(fonts))
            fill = fills.setdefault(style.fill, len(fills))
            border = borders.setdefault(style.border, len(borders))
            align = {k: v for k, v in (("horizontal", style.horizontal),
                                       ("vertical", style.vertical)) if v}
            if style.wrap:
                align["wrapText"] = "1"
            alignment = ("<alignment " + " ".join(f'{k}="{v}"' for k, v in align.items())
                         + "/>") if align else ""
            applied = "".join(f' apply{name}="1"' for name, on in (
                ("NumberFormat", number), ("Font", font), ("Fill", fill), ("Border", border),
                ("Alignment", alignment)) if on)
            xfs.append(f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" '
                       f'borderId="{border}" xfId="0"{applied}>{alignment}</xf>')
        num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
                           for code, i in formats.items())
        font_xml = "".join(
            "<font>" + ("<b/>" if bold else "") + ("<i/>" if italic else "")
            + f'<sz val="{size:g}"/>' + (f'<color rgb="{_colour(colour)}"/>' if colour else "")
            + '<name val="Calibri"/><family val="2"/></font>'
            for bold, italic, size, colour in fonts)
        fill_xml = ['<fill><patternFill patternType="none"/></fill>',
                    '<fill><patternFill patternType="gray125"/></fill>']
        fill_xml += [f'<fill><patternFill patternType="solid"><fgColor rgb="{_colour(c)}"/>'
                     '<bgColor indexed="64"/></patternFill></fill>'
                     for c in list(fills)[2:]]
        border_xml = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
        for colour in list(borders)[1:]:
            side = f'style="thin"><color rgb="{_colour(colour)}"/>'
            border_xml.append(f"<border><left {side}</left><right {side}</right><top {side}"
                              f"</top><bottom {side}</bottom><diagonal/></border>")
        return (HEAD + f'<styleSheet xmlns="{MAIN}">'
                + (f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>' if formats else "")
                + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
                + f'<fills count="{len(fill_xml)}">{"".join(fill_xml)}</fills>'
                + f'<borders count="{len(border_xml)}">{"".join(border_xml)}</borders>'
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
                + f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                + "</cellStyles></styleSheet>")


class _Sheet:
    """A worksheet being written: `row` for each row in order, then `finish`."""

    def __init__(self, book: StreamingWorkbook, name: str, index: int, widths: list[float],
                 freeze: tuple[int, int], fit_to_page: bool):
        self.book, self.name, self.index = book, name, index
        self.rows = 0
        self.defined_names: dict[str, str] = {}
        self._columns = [column_name(i) for i in range(len(widths))]
        self._raw = book._zip.open(f"xl/worksheets/sheet{index + 1}.xml", "w")
        self._out = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
        self._escaped: dict[str, str] = {}
        rows, cols = freeze
        pane = ""
        if rows or cols:
            split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
            active = "bottomRight" if rows and cols else "bottomLeft" if rows else "topRight"
            pane = (f'<pane{split} topLeftCell="{column_name(cols)}{rows + 1}" '
                    f'activePane="{active}" state="frozen"/><selection pane="{active}"/>')
        cols_xml = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:g}" customWidth="1"/>'
                           for i, w in enumerate(widths))
        selected = ' tabSelected="1"' if index == 0 else ""
        self._out.write(
            HEAD + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
            + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if fit_to_page else "")
            + f'<sheetViews><sheetView{selected} workbookViewId="0">'
            + f"{pane}</sheetView></sheetViews>"
            + f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols_xml}</cols><sheetData>')

    def row(self, cells: Sequence[tuple[object, int]], height: float | None = None) -> None:
        """Cells from column A: (value, style); a value is text, a number or None (a blank
        cell that keeps its style)."""
        self.rows += 1
        r = self.rows
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        parts = [f'<row r="{r}"{ht}>']
        columns, escaped = self._columns, self._escaped
        for i, (value, style) in enumerate(cells):
            ref = f"{columns[i]}{r}"
            if value is None or value == "":
                parts.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, str):
                text = escaped.get(value)
                if text is None:
                    clean = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_TEXT]
                    space = ' xml:space="preserve"' if clean != clean.strip() or "\n" in clean \
                        else ""
                    text = f"<t{space}>{escape(clean)}</t>"
                    if len(value) <= 80:  # names, units, periods repeat; notes, references do not
                        escaped[value] = text
                parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is>{text}</is></c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
                parts.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
            else:
                parts.append(f'<c r="{ref}" s="{style}"/>')  # NaN and infinities: no value
        parts.append("</row>")
        self._out.write("".join(parts))

    def finish(self, *, header_row: int | None = None, print_columns: int | None = None,
               repeat_columns: int = 0, fit_width: bool = True, footer: str = "",
               autofilter: bool = True) -> None:
        """Close the sheet: autofilter on the header row (1-based) down to the last row,
        and set up to print: landscape A4, centred, one page wide (`fit_width`) or across
        pages with the first `repeat_columns` on each, the header row on every page, the
        first `print_columns` printed, `footer` on the left and 'Trang x/y' on the right."""
        last_row = max(self.rows, header_row or 1)
        columns = len(self._columns)
        quoted = "'" + self.name.replace("'", "''") + "'"
        tail = []
        if header_row and autofilter:
            ref = f"A{header_row}:{self._columns[-1]}{last_row}"
            tail.append(f'<autoFilter ref="{ref}"/>')
            self.defined_names["_FilterDatabase"] = (
                f"{quoted}!$A${header_row}:${self._columns[-1]}${last_row}")
        printed = column_name((print_columns or columns) - 1)
        self.defined_names["Print_Area"] = f"{quoted}!$A$1:${printed}${last_row}"
        titles = []
        if repeat_columns:
            titles.append(f"{quoted}!$A:${column_name(repeat_columns - 1)}")
        if header_row:
            titles.append(f"{quoted}!${header_row}:${header_row}")
        if titles:
            self.defined_names["Print_Titles"] = ",".join(titles)
        footer_text = (f"&L&8{footer.replace('&', '&&')}" if footer else "") + "&R&8Trang &P/&N"
        tail += ['<printOptions horizontalCentered="1"/>',
                 '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.25" '
                 'footer="0.25"/>',
                 f'<pageSetup paperSize="9" orientation="landscape" '
                 f'fitToWidth="{1 if fit_width else 0}" fitToHeight="0"/>',
                 f"<headerFooter><oddFooter>{escape(footer_text)}</oddFooter></headerFooter>"]
        self._out.write("</sheetData>" + "".join(tail) + "</worksheet>")
        self._out.flush()
        self._out.detach()
        self._raw.close()
        self.book._open = None
