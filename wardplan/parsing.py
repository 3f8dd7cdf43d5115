"""Parsing of numbers, targets, units and periods from the ward documents.

The sources write numbers in two conventions: Vietnamese ('vi': `357.450`,
`95,5`) and English ('en': `357,450`, `27.68`).  Every function here is pure;
failures raise `ParseError`, whose `message_vi` is shown to staff.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

CONVENTIONS = ("vi", "en")
COMPARATORS = (">=", ">", "<=", "<", "=", "range", "top", "relative", "qualitative")


class ParseError(ValueError):
    """A value that cannot be read; str() is English, `message_vi` is for users."""

    def __init__(self, message_en: str, message_vi: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_vi = message_vi


# --- text ------------------------------------------------------------------

# Cyrillic letters that look like Latin ones; п is included because the source
# writes the word "топ" for "top".
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "т": "t", "к": "k", "м": "m", "н": "h", "в": "b", "п": "p", "і": "i",
    "ј": "j", "ѕ": "s",
    "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "У": "Y", "Х": "X",
    "Т": "T", "К": "K", "М": "M", "Н": "H", "В": "B", "П": "P", "І": "I",
    "Ј": "J", "Ѕ": "S",
})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise_text(text: str) -> str:
    """NFC-normalise, map Cyrillic look-alikes to Latin and collapse whitespace."""
    text = unicodedata.normalize("NFC", str(text))
    text = text.translate(_INVISIBLE).translate(_CYRILLIC_TO_LATIN)
    # str.split() without arguments also splits on NBSP and thin spaces.
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Lower-case and strip diacritics (đ → d), for lenient word matching."""
    decomposed = unicodedata.normalize("NFD", normalise_text(text).lower())
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d")


# --- numbers ---------------------------------------------------------------

_NUMBER_PATTERNS = {
    "vi": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
}
_CONVENTION_VI = {
    "vi": "quy ước Việt Nam (dấu chấm phân cách hàng nghìn, dấu phẩy thập phân)",
    "en": "quy ước tiếng Anh (dấu phẩy phân cách hàng nghìn, dấu chấm thập phân)",
}
_CONVENTION_EN = {
    "vi": "the Vietnamese convention ('.' thousands, ',' decimal)",
    "en": "the English convention (',' thousands, '.' decimal)",
}
_SIGNED = re.compile(r"([+-]?)\s*(.*?)\s*%?")


def _check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise ParseError(
            f"Unknown number convention {convention!r} (expected 'vi' or 'en')",
            f"Quy ước số '{convention}' không hợp lệ (chỉ dùng 'vi' hoặc 'en')",
        )


def parse_number(text: str, convention: str) -> float:
    """Read one number written in `convention` ('vi' or 'en'); a trailing % is ignored."""
    _check_convention(convention)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)  # Excel cells arrive already numeric
    cleaned = normalise_text(text)
    if not cleaned:
        raise ParseError("Empty text is not a number", "Ô trống, cần nhập một số")
    sign, body = _SIGNED.fullmatch(cleaned).groups()
    if not _NUMBER_PATTERNS[convention].fullmatch(body):
        raise ParseError(
            f"{cleaned!r} is not a valid number in {_CONVENTION_EN[convention]}",
            f"'{cleaned}' không phải là số hợp lệ theo {_CONVENTION_VI[convention]}",
        )
    group, decimal = (".", ",") if convention == "vi" else (",", ".")
    value = float(body.replace(group, "").replace(decimal, "."))
    return -value if sign == "-" else value


# --- reported values --------------------------------------------------------

@dataclass(frozen=True)
class ParsedValue:
    """A reported figure: a number (maybe qualified, e.g. '>90') or a placeholder."""

    value: float | None
    qualifier: str | None = None
    placeholder: str | None = None


_PLACEHOLDERS = {"", "-", "–", "—", "--", "đang thực hiện"}
_VALUE_QUALIFIERS = (
    (">=", ">="), ("≥", ">="), ("<=", "<="), ("≤", "<="),
    (">", ">"), ("<", "<"), ("trên ", ">"), ("dưới ", "<"),
)


def parse_value(text: str, convention: str) -> ParsedValue:
    """Read a reported actual figure: '20.684', '>90', 'trên 90' or a placeholder."""
    _check_convention(convention)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return ParsedValue(float(text))
    cleaned = normalise_text(text if text is not None else "")
    if cleaned.lower() in _PLACEHOLDERS:
        return ParsedValue(None, placeholder=cleaned)
    for prefix, qualifier in _VALUE_QUALIFIERS:
        if cleaned.lower().startswith(prefix):
            return ParsedValue(parse_number(cleaned[len(prefix):], convention), qualifier)
    return ParsedValue(parse_number(cleaned, convention))


# --- targets ---------------------------------------------------------------

@dataclass(frozen=True)
class ParsedTarget:
    """A plan target: comparator and value(s), base for relative targets, unit seen."""

    comparator: str
    value: float | None = None
    value_high: float | None = None
    base_text: str | None = None
    unit_in_text: str | None = None


_TARGET_UNITS = ("triệu đồng", "tỷ đồng", "đồng", "doanh nghiệp", "tiêu chí",
                 "triệu", "tỷ", "trđ", "cây", "cột", "trường", "phòng", "hộ", "%")
_UNIT_RE = "|".join(re.escape(u) for u in _TARGET_UNITS)
_NUM = r"\d+(?:[.,]\d+)*"
_NUMBER_IN_TEXT = re.compile(rf"(?<![\w.,]){_NUM}(?!\w)")
_RANGE = re.compile(rf"(?<![\w.,])({_NUM})\s*%?\s*(?:-|–|—|đến)\s*({_NUM})(?!\w)")
_UNIT_AFTER = re.compile(rf"\s*({_UNIT_RE})(?!\w)", re.IGNORECASE)
_AT_LEAST_AFTER = re.compile(rf"\s*(?:(?:{_UNIT_RE})(?!\w))?\s*(?:/\s*năm)?\s*trở lên", re.I)
_AT_MOST_AFTER = re.compile(rf"\s*(?:(?:{_UNIT_RE})(?!\w))?\s*(?:/\s*năm)?\s*trở xuống", re.I)
# Checked in order against the words just before the number.
_PREFIX_COMPARATORS = (
    (">=", ">="), ("≥", ">="), ("<=", "<="), ("≤", "<="), (">", ">"), ("<", "<"),
    ("không quá", "<="), ("không vượt quá", "<="), ("tối đa", "<="),
    ("không dưới", ">="), ("tối thiểu", ">="), ("ít nhất", ">="), ("từ", ">="),
    ("trên", ">"), ("dưới", "<"),
)
_RANK_NUMBER = re.compile(r"\b(?:top|tốp)\s+(\d+)(?!\w)|\bnhóm\s+(\d+)\b[^.;]*?dẫn đầu",
                          re.IGNORECASE)
_RANK_VAGUE = re.compile(r"\b(?:top|tốp)\s+đầu\b|\bnhóm\s+dẫn đầu\b", re.IGNORECASE)
_COMPARED_TO = re.compile(r"\bso với\b", re.IGNORECASE)
_MEET_OR_EXCEED = re.compile(
    r"\bvượt\s+((?:chỉ tiêu|kế hoạch|dự toán|mục tiêu)\b.*)", re.IGNORECASE)
# Digits inside these are names, not targets: documents, dates, standards, years.
_NOISE = [re.compile(p, re.IGNORECASE) for p in (
    r"\([^()]*\)",
    r"\b\d+(?:/\d+)*[/-][^\W\d_][^\s,;)]*",
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    r"\b(?:\d{1,2}|[IVX]+)/(?:19|20)\d{2}\b",
    r"\b(?:TCVN\s+)?(?:ISO|TCVN|QCVN)\s*\d[\d:.\-]*",
    r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b",
    r"\b(?:năm|giai đoạn|nhiệm kỳ)\s+(?:19|20)\d{2}\b",
)]


def _strip_noise(text: str) -> str:
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def _unit_after(text: str, pos: int) -> str | None:
    match = _UNIT_AFTER.match(text, pos)
    return match.group(1).lower() if match else None


def _prefix_comparator(before: str) -> str:
    """The comparator named by the words just before a number, '=' if none."""
    before = before.rstrip().lower()
    for word, comparator in _PREFIX_COMPARATORS:
        whole_word = not word[0].isalpha() or before[:-len(word)][-1:] in ("", " ")
        if before.endswith(word) and whole_word:
            return comparator
    return "="


def _find_quantity(text: str, convention: str) -> ParsedTarget | None:
    """The first number (or range) in `text` with its comparator, or None."""
    text = _strip_noise(text)
    range_match = _RANGE.search(text)
    single = _NUMBER_IN_TEXT.search(text)
    if range_match and range_match.start() <= single.start():
        return ParsedTarget(
            "range", parse_number(range_match.group(1), convention),
            parse_number(range_match.group(2), convention),
            unit_in_text=_unit_after(text, range_match.end()))
    if not single:
        return None
    value = parse_number(single.group(), convention)
    comparator = _prefix_comparator(text[:single.start()])
    if comparator == "=" and _AT_LEAST_AFTER.match(text, single.end()):
        comparator = ">="
    elif comparator == "=" and _AT_MOST_AFTER.match(text, single.end()):
        comparator = "<="
    return ParsedTarget(comparator, value, unit_in_text=_unit_after(text, single.end()))


def _clean_base(text: str) -> str:
    return re.split(r"[(;]", text, maxsplit=1)[0].strip(" .,;:")


def parse_target(text: str, convention: str,
                 unit_is_percent_indicator: bool = False) -> ParsedTarget:
    """Classify a written target: comparator, value(s), base of a relative target, unit."""
    _check_convention(convention)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return ParsedTarget("=", float(text))
    cleaned = normalise_text(text if text is not None else "")
    if cleaned.strip("-–— ") == "":
        raise ParseError("Empty target", "Chỉ tiêu kế hoạch đang để trống")

    try:  # a bare number, possibly signed: the common case in appendix tables
        return ParsedTarget("=", parse_number(cleaned, convention),
                            unit_in_text="%" if cleaned.endswith("%") else None)
    except ParseError:
        pass

    rank = _RANK_NUMBER.search(cleaned)
    if rank:
        return ParsedTarget("top", parse_number(rank.group(1) or rank.group(2), convention))
    if _RANK_VAGUE.search(cleaned):
        return ParsedTarget("top")

    compared = _COMPARED_TO.search(cleaned)
    if compared:
        head, base = cleaned[:compared.start()], _clean_base(cleaned[compared.end():])
        found = _find_quantity(head, convention)
        if unit_is_percent_indicator and found:
            return ParsedTarget(found.comparator, found.value, found.value_high,
                                base, found.unit_in_text)
        if not found:
            return ParsedTarget("relative", base_text=base)
        low, high = found.value, found.value_high
        if re.search(r"\bgiảm\b", head, re.IGNORECASE):
            # A decrease against a base is a negative change.
            low, high = (-high, -low) if high is not None else (-low, None)
        return ParsedTarget("relative", low, high, base, found.unit_in_text)

    exceed = _MEET_OR_EXCEED.search(cleaned)
    if exceed and not _find_quantity(cleaned[:exceed.start()], convention):
        return ParsedTarget("relative", base_text=_clean_base(exceed.group(1)))

    return _find_quantity(cleaned, convention) or ParsedTarget("qualitative")


# --- units -----------------------------------------------------------------

_MONEY_FACTORS = {
    "dong": 1e-6, "vnd": 1e-6, "nghin dong": 1e-3, "ngan dong": 1e-3,
    "trieu dong": 1.0, "trieu": 1.0, "trd": 1.0,
    "ty dong": 1000.0, "ty": 1000.0,
}
_UNIT_ALIASES = {
    "%": "%", "doanh nghiệp": "doanh nghiệp", "dn": "doanh nghiệp", "hộ": "hộ",
    "trường": "trường", "phòng": "phòng", "điểm": "điểm", "thứ hạng": "thứ hạng",
}
_UNITLESS_CANONICAL = ("", "thứ hạng", "điểm")


def _split_rate(unit_text: str) -> tuple[str, str]:
    """'triệu đồng/người' → ('triệu đồng', 'người'); brackets like '(Trđ)' dropped."""
    cleaned = normalise_text(unit_text or "").strip("()[] ")
    numerator, _, denominator = cleaned.partition("/")
    return numerator.strip(), denominator.strip().lower()


def money_factor_to_million(unit_text: str) -> float | None:
    """Factor turning an amount in `unit_text` into million VND; None if not money.

    For a rate such as 'tỷ đồng/người' the factor of the money part is returned.
    """
    numerator, _ = _split_rate(unit_text)
    return _MONEY_FACTORS.get(_fold(numerator))


def canonical_unit(unit_text: str) -> str:
    """The canonical spelling of a written unit ('Trđ' → 'triệu đồng', 'DN' → 'doanh nghiệp')."""
    numerator, denominator = _split_rate(unit_text)
    if numerator.strip("-–— ") == "":
        return ""
    if _fold(numerator) in _MONEY_FACTORS:
        unit = "triệu đồng"
    else:
        unit = _UNIT_ALIASES.get(numerator.lower(), numerator.lower())
    return f"{unit}/{denominator}" if denominator else unit


def convert_to_canonical(value: float, unit_text: str, canonical: str) -> float:
    """Convert `value` written in `unit_text` to the indicator's `canonical` unit."""
    target = canonical_unit(canonical)
    written = canonical_unit(unit_text)
    # Ranks and scores carry no convertible quantity, and a missing unit means
    # the figure is already in the indicator's unit.
    if target in _UNITLESS_CANONICAL or written == "":
        return value
    if written != target:
        raise ParseError(
            f"Unit {unit_text!r} does not match an indicator measured in {target!r}",
            f"Đơn vị '{normalise_text(unit_text)}' không phù hợp với chỉ tiêu tính bằng '{target}'",
        )
    factor = money_factor_to_million(unit_text)
    return value * factor if factor is not None else value


# --- periods ---------------------------------------------------------------

PeriodKind = Literal["month", "quarter", "year"]
# At equal end month a month sorts before its quarter, a quarter before the year.
_KIND_RANK = {"month": 0, "quarter": 1, "year": 2}
# Where period_sort_key puts anything that is not a period code: last.
_UNKNOWN_PERIOD_KEY = (10**6, 0, 0)


@dataclass(frozen=True)
class Period:
    """A reporting period: a month (index 1-12), a quarter (1-4) or the year (0)."""

    code: str
    year: int
    kind: PeriodKind
    index: int

    @classmethod
    def of(cls, year: int, kind: PeriodKind, index: int = 0) -> Period:
        code = {"month": f"{year}-{index:02d}", "quarter": f"{year}-Q{index}",
                "year": f"{year}"}[kind]
        return cls(code, year, kind, index)

    @property
    def end_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index, "year": 12}[self.kind]

    @property
    def months(self) -> tuple[int, ...]:
        if self.kind == "month":
            return (self.index,)
        if self.kind == "quarter":
            return tuple(range(3 * self.index - 2, 3 * self.index + 1))
        return tuple(range(1, 13))

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """A quarter sorts right after its last month, the year after December."""
        return (self.year, self.end_month, _KIND_RANK[self.kind])


_PERIOD_PATTERNS = (
    (re.compile(r"(\d{4})(?:\.0+)?"), "year"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})-[Qq]([1-4])"), "quarter"),
)


def _bad_period(text: object) -> ParseError:
    return ParseError(
        f"{text!r} is not a valid period (expected 2026-01, 2026-Q1 or 2026)",
        f"'{text}' không phải là kỳ báo cáo hợp lệ (dạng 2026-01, 2026-Q1 hoặc 2026)",
    )


def _read_period(text: object) -> Period:
    if isinstance(text, date):  # datetime and pandas Timestamp are dates too
        return Period.of(text.year, "month", text.month)
    if isinstance(text, bool):
        raise _bad_period(text)
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not text.is_integer():
            raise _bad_period(text)
        return Period.of(int(text), "year")
    cleaned = normalise_text(text) if isinstance(text, str) else ""
    for pattern, kind in _PERIOD_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if kind != "year" else 0
            if kind == "month" and not 1 <= index <= 12:
                raise _bad_period(cleaned)
            return Period.of(year, kind, index)
    raise _bad_period(text)


def parse_period(text: str | int | float | date, expected_year: int | None = 2026) -> Period:
    """Read a period code ('2026-03', '2026-Q1', '2026'), an Excel year or a date."""
    period = _read_period(text)
    if expected_year is not None and period.year != expected_year:
        raise ParseError(
            f"Period {period.code!r} is outside the plan year {expected_year}",
            f"Kỳ '{period.code}' nằm ngoài năm kế hoạch {expected_year}",
        )
    return period


def period_from_code(code: object) -> Period | None:
    """A stored period code ('2026-03', '2026-Q1', '2026') of any year; None if not one.

    Only text is read: numbers and dates are not codes.
    """
    if not isinstance(code, str):
        return None
    try:
        return parse_period(code, expected_year=None)
    except ParseError:
        return None


def period_sort_key(code: object) -> tuple[int, int, int]:
    """Chronological key of a period code (see `Period.sort_key`); non-codes sort last."""
    period = period_from_code(code)
    return period.sort_key if period else _UNKNOWN_PERIOD_KEY


def all_periods(year: int) -> list[Period]:
    """The 12 months, the 4 quarters and the year, in that order."""
    return ([Period.of(year, "month", m) for m in range(1, 13)]
            + [Period.of(year, "quarter", q) for q in range(1, 5)]
            + [Period.of(year, "year")])


def periods_in_display_order(year: int) -> list[str]:
    """The 17 codes of a year: Jan, Feb, Mar, Q1, Apr, ..., Dec, Q4, the year."""
    return [p.code for p in sorted(all_periods(year), key=lambda p: p.sort_key)]


# --- formatting ------------------------------------------------------------

def _format(x: float, decimals: int, trim: bool) -> str:
    text = f"{abs(x):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.translate(str.maketrans(",.", ".,"))
    negative = x < 0 and any(c not in "0.," for c in text)
    return f"-{text}" if negative else text


def format_number_vi(x: float | None, decimals: int | None = None) -> str:
    """Vietnamese number: 357450 → '357.450', 95.5 → '95,5'; None → '—'.

    With `decimals` the number of decimals is fixed; without, up to 2 are shown.
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return _format(x, 2, trim=True) if decimals is None else _format(x, decimals, trim=False)


def format_pct_vi(x: float | None, decimals: int = 1) -> str:
    """Vietnamese percentage with up to `decimals` decimals: 95.5 → '95,5%'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{_format(x, decimals, trim=True)}%"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(code: str) -> str:
    """'2026-03' → 'Tháng 3/2026', '2026-Q1' → 'Quý I/2026', '2026' → 'Năm 2026'.

    Codes joined with '+' (a to-date figure built from several periods) are
    labelled one by one; anything unparseable is returned unchanged.
    """
    if "+" in str(code):
        return " + ".join(period_label(part) for part in str(code).split("+"))
    try:
        period = parse_period(code, expected_year=None)
    except ParseError:
        return str(code)
    if period.kind == "month":
        return f"Tháng {period.index}/{period.year}"
    if period.kind == "quarter":
        return f"Quý {_ROMAN[period.index]}/{period.year}"
    return f"Năm {period.year}"


def month_runs(months) -> list[list[int]]:
    """Consecutive months grouped: [1, 2, 4, 5, 6] → [[1, 2], [4, 5, 6]]."""
    runs: list[list[int]] = []
    for month in months:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs
