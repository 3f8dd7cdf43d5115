"""Numbers and text as the ward documents write them.

The sources write numbers in two conventions: Vietnamese ('vi': `357.450`,
`95,5`) and English ('en': `357,450`, `27.68`).  Reading and writing numbers
both live here, so a figure is formatted one way everywhere (`357.450`,
`95,5%`, and "—" for no value).  Failures raise `ParseError`, whose
`message_vi` is shown to staff.
"""

from __future__ import annotations

import math
import re

from wardplan.rules.text import normalise_text

CONVENTIONS = ("vi", "en")
NO_VALUE = "—"


class ParseError(ValueError):
    """A value that cannot be read; str() is English, `message_vi` is for users."""

    def __init__(self, message_en: str, message_vi: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_vi = message_vi


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


def check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise ParseError(
            f"Unknown number convention {convention!r} (expected 'vi' or 'en')",
            f"Quy ước số '{convention}' không hợp lệ (chỉ dùng 'vi' hoặc 'en')",
        )


def parse_number(text: str, convention: str) -> float:
    """Read one number written in `convention` ('vi' or 'en'); a trailing % is ignored."""
    check_convention(convention)
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



# --- formatting ------------------------------------------------------------

def _format(x: float, decimals: int, trim: bool) -> str:
    text = f"{abs(x):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.translate(str.maketrans(",.", ".,"))
    negative = x < 0 and any(c not in "0.," for c in text)
    return f"-{text}" if negative else text


def format_number_vi(x: float | None, decimals: int | None = None, *,
                     max_decimals: int = 2) -> str:
    """Vietnamese number: 357450 → '357.450', 95.5 → '95,5'; no value → '—'.

    With `decimals` the number of decimals is fixed; without, up to
    `max_decimals` are shown and trailing zeros dropped.
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return NO_VALUE
    if decimals is None:
        return _format(x, max_decimals, trim=True)
    return _format(x, decimals, trim=False)


def format_amount_vi(x: float | None) -> str:
    """An amount as the documents write it: whole from 1.000 up (357.450), else up to
    two decimals (95,1)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return NO_VALUE
    return format_number_vi(x, max_decimals=0 if abs(x) >= 1000 else 2)


def format_quantity_vi(x: float, unit: str) -> str:
    """A figure with its unit as a status's note says it: '38.134 triệu đồng' (an amount,
    `format_amount_vi`), '95,55%'."""
    if unit == "%":
        return f"{format_number_vi(x)}%"
    return f"{format_amount_vi(x)} {unit}".strip()


def format_pct_vi(x: float | None, decimals: int = 1) -> str:
    """Vietnamese percentage with up to `decimals` decimals: 95.5 → '95,5%'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return NO_VALUE
    return f"{_format(x, decimals, trim=True)}%"

