"""Parsing of reported values, written targets and units from the ward documents.

Every function here is pure; failures raise `ParseError`, whose `message_vi`
is shown to staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wardplan.rules.numbers import ParseError, check_convention, parse_number
from wardplan.rules.text import fold, normalise_text

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
    check_convention(convention)
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
# "(duy trì) không còn hộ nghèo", "không có hộ nghèo": a count of households that is zero.
# "không phát sinh hộ nghèo" (no new ones) is not: it says nothing of those already there.
_NONE_LEFT = re.compile(r"\bkhông\s+(?:còn|có)\s+hộ\b", re.IGNORECASE)
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


def parse_target(text: str, convention: str, indicator_unit: str = "") -> ParsedTarget:
    """Classify a written target: comparator, value(s), base of a relative target, unit.

    `indicator_unit` is the canonical unit of the indicator the target is for:
    a percentage indicator reads "tăng 10% so với …" as its level, and a count
    of households reads "không còn hộ nghèo" as zero.
    """
    unit_is_percent_indicator = indicator_unit == "%"
    check_convention(convention)
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

    found = _find_quantity(cleaned, convention)
    if found is None and indicator_unit == "hộ" and _NONE_LEFT.search(cleaned):
        return ParsedTarget("=", 0.0, unit_in_text="hộ")
    return found or ParsedTarget("qualitative")


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
    return _MONEY_FACTORS.get(fold(numerator))


def canonical_unit(unit_text: str) -> str:
    """The canonical spelling of a written unit ('Trđ' → 'triệu đồng', 'DN' → 'doanh nghiệp')."""
    numerator, denominator = _split_rate(unit_text)
    if numerator.strip("-–— ") == "":
        return ""
    if fold(numerator) in _MONEY_FACTORS:
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


