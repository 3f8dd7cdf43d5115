"""Text from the workbooks: normalised for matching and parsing, shortened for display.

Verbatim columns keep the source's characters; `normalise_text` is only for
reading codes, numbers and words out of them.
"""

from __future__ import annotations

import functools
import unicodedata

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
    return _normalised(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> str:
    # A workbook asks for the same codes, units and periods thousands of times.
    if not text.isascii():  # ASCII is NFC already and holds nothing to map
        text = unicodedata.normalize("NFC", text)
        text = text.translate(_INVISIBLE).translate(_CYRILLIC_TO_LATIN)
    # str.split() without arguments also splits on NBSP and thin spaces.
    return " ".join(text.split())


# Held per text: the names of units, indicators and units of measure, sorted and searched
# on every rerun (the compare page's first view folded 363 names, a tenth of its time).
@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case and strip diacritics (đ → d), for lenient word matching."""
    decomposed = unicodedata.normalize("NFD", normalise_text(text).lower())
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d")




def shorten(text: str, limit: int) -> str:
    """At most `limit` characters on one line, cut at a word with '…'."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"
