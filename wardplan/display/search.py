"""Finding indicators by name the way people type them: without diacritics, any case."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wardplan.rules.text import fold


def matching(codes: Sequence[str], names: Mapping[str, str], query: str) -> list[str]:
    """The codes whose name (or code) contains every word of `query`, diacritics ignored.

    "ngan sach" finds "Thu ngân sách nhà nước"; "thu ngan" finds it too; an empty
    query matches everything.
    """
    words = fold(query).split()
    if not words:
        return list(codes)
    out = []
    for code in codes:
        haystack = fold(f"{names.get(code, code)} {code.replace('_', ' ')}")
        if all(word in haystack for word in words):
            out.append(code)
    return out
