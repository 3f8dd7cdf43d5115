"""Property tests (hypothesis) over the number, period, value, target and unit parsers.

Whatever text a ward types, a parser returns a result or raises its own
`ParseError` (with a Vietnamese message), never anything else; and what the
product formats, it reads back to the same figure.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from wardplan.rules.numbers import ParseError, format_number_vi, parse_number
from wardplan.rules.parsing import (
    canonical_unit,
    convert_to_canonical,
    money_factor_to_million,
    parse_target,
    parse_value,
)
from wardplan.rules.periods import Period, parse_period, period_label
from wardplan.rules.text import normalise_text

CONVENTIONS = st.sampled_from(["vi", "en"])
# Text as staff type it: digits and separators, Vietnamese words, signs, units,
# look-alike Cyrillic, odd spaces; plus anything at all.
TYPED = st.one_of(
    st.text(alphabet="0123456789.,%-+ <>≥≤–—/Qq", max_size=24),
    st.text(alphabet="0123456789.,% từtrênđếnkhôngquátỷđồngtriệu-topтоп\u00a0\u200b", max_size=40),
    st.text(max_size=40),
)
CELL = st.one_of(TYPED, st.none(), st.booleans(), st.integers(), st.floats(),
                 st.dates(), st.datetimes())
NUMBERS = st.decimals(min_value=-10**12, max_value=10**12, places=3, allow_nan=False,
                      allow_infinity=False)


def _only_parse_errors(parse, *args) -> None:
    try:
        parse(*args)
    except ParseError as exc:
        assert exc.message_vi and exc.message_en


@given(TYPED, CONVENTIONS)
def test_parse_number_raises_only_parse_error(text, convention):
    _only_parse_errors(parse_number, text, convention)


@given(CELL, CONVENTIONS)
def test_parse_value_raises_only_parse_error(cell, convention):
    _only_parse_errors(parse_value, cell, convention)


@given(CELL, CONVENTIONS, st.booleans())
def test_parse_target_raises_only_parse_error(cell, convention, percent):
    _only_parse_errors(parse_target, cell, convention, percent)


@given(CELL, st.one_of(st.none(), st.integers(1900, 2100)))
def test_parse_period_raises_only_parse_error(cell, year):
    _only_parse_errors(parse_period, cell, year)


@given(st.text(max_size=30))
def test_period_label_never_fails(text):
    assert isinstance(period_label(text), str)


@given(TYPED, TYPED, st.floats(allow_nan=False, allow_infinity=False))
def test_units_raise_only_parse_error(written, canonical, value):
    money_factor_to_million(written)
    canonical_unit(written)
    _only_parse_errors(convert_to_canonical, value, written, canonical)


# --- format → parse ----------------------------------------------------------------

@given(NUMBERS, st.integers(0, 3))
def test_vietnamese_format_reads_back(number, decimals):
    text = format_number_vi(float(number), decimals)
    assert parse_number(text, "vi") == float(f"{float(number):.{decimals}f}")


@given(NUMBERS, st.integers(0, 3))
def test_english_format_reads_back(number, decimals):
    text = f"{float(number):,.{decimals}f}"
    assert parse_number(text, "en") == float(f"{float(number):.{decimals}f}")


@given(st.integers(1900, 2100), st.sampled_from(["month", "quarter", "year"]), st.data())
def test_period_codes_read_back(year, kind, data):
    index = {"month": data.draw(st.integers(1, 12)), "quarter": data.draw(st.integers(1, 4)),
             "year": 0}[kind]
    period = Period.of(year, kind, index)
    assert parse_period(period.code, expected_year=year) == period
    assert parse_period(f"  {period.code.lower()} ") == period


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_an_excel_date_reads_as_its_month(day):
    assert parse_period(day) == Period.of(day.year, "month", day.month)


TARGET_PHRASES = st.sampled_from([
    ("{}", "="), ("từ {} trở lên", ">="), ("đạt {} trở lên", ">="), ("> {}", ">"),
    ("trên {}", ">"), ("không quá {}", "<="), ("tối thiểu {}", ">="), ("dưới {}", "<"),
    ("{} trở xuống", "<="), ("≥ {}", ">="),
])
UNITS = st.sampled_from(["", " triệu đồng", " tỷ đồng", " doanh nghiệp", "%", " hộ"])


@given(TARGET_PHRASES, st.decimals(min_value="0.01", max_value=10**9, places=2), UNITS)
def test_written_targets_read_back(phrase, number, unit):
    template, comparator = phrase
    text = template.format(f"{format_number_vi(float(number))}{unit}")
    parsed = parse_target(text, "vi")
    assert (parsed.comparator, parsed.value) == (comparator, float(number)), text


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_written_ranges_read_back(low, width):
    text = f"{format_number_vi(low)}-{format_number_vi(low + width)}%"
    parsed = parse_target(text, "vi")
    assert (parsed.comparator, parsed.value, parsed.value_high) == ("range", low, low + width)


@given(st.text(max_size=40))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
