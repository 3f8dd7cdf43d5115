"""Tests for wardplan.parsing, using figures and phrasings from the seed documents."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from wardplan.rules.numbers import (
    ParseError,
    format_number_vi,
    format_pct_vi,
    parse_number,
)
from wardplan.rules.parsing import (
    ParsedTarget,
    ParsedValue,
    canonical_unit,
    convert_to_canonical,
    money_factor_to_million,
    parse_target,
    parse_value,
)
from wardplan.rules.periods import (
    Period,
    all_periods,
    parse_period,
    period_from_code,
    period_sort_key,
    periods_in_display_order,
)
from wardplan.rules.text import normalise_text

# --- ParseError -------------------------------------------------------------

def test_parse_error_is_value_error_with_two_messages():
    err = ParseError("bad thing", "điều không ổn")
    assert isinstance(err, ValueError)
    assert str(err) == "bad thing"
    assert err.message_vi == "điều không ổn"


# --- normalise_text -----------------------------------------------------------

def test_normalise_maps_cyrillic_top_to_latin():
    assert normalise_text("Thuộc \u0442\u043e\u043f 30") == "Thuộc top 30"


def test_normalise_maps_listed_cyrillic_lookalikes():
    cyrillic = "аеорсухткмнвАЕОРСУХТКМНВ"
    assert normalise_text(cyrillic) == "aeopcyxtkmhbAEOPCYXTKMHB"


def test_normalise_whitespace_and_nbsp():
    assert normalise_text("\u00a0 357\u00a0450 \u2009 triệu\u202fđồng \n\t") == "357 450 triệu đồng"


def test_normalise_composes_nfd_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Thống kê Phù Liễn đạt")
    assert decomposed != "Thống kê Phù Liễn đạt"
    assert normalise_text(decomposed) == "Thống kê Phù Liễn đạt"
    assert normalise_text("Tho\u0302\u0301ng") == "Thống"


def test_normalise_keeps_vietnamese_letters():
    text = "Đường số ố ễ đ Ư ơ ỹ Phù Liễn Thủy Nguyên"
    assert normalise_text(text) == text


def test_normalise_removes_zero_width_space():
    assert normalise_text("357\u200b.450") == "357.450"


# --- parse_number -------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("357.450", 357450.0),
    ("95,5", 95.5),
    ("20,684", 20.684),
    ("1.895.037.200", 1895037200.0),
    ("702.855,52", 702855.52),
    ("100", 100.0),
    ("05", 5.0),
    ("01%", 1.0),
    (" 2.810.000 ", 2810000.0),
    ("-3,5", -3.5),
    ("+12", 12.0),
    ("0", 0.0),
    ("56,8", 56.8),
    ("99,99%", 99.99),
])
def test_parse_number_vi(text, expected):
    assert parse_number(text, "vi") == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [
    ("357,450", 357450.0),
    ("27.68", 27.68),
    ("69,917,954,000", 69917954000.0),
    ("2,810,000", 2810000.0),
    ("55.3", 55.3),
    ("100", 100.0),
    ("20,684", 20684.0),
    ("-1,000.5", -1000.5),
    ("05", 5.0),
])
def test_parse_number_en(text, expected):
    assert parse_number(text, "en") == pytest.approx(expected)


def test_parse_number_accepts_excel_numbers():
    assert parse_number(357450, "vi") == 357450.0
    assert parse_number(27.68, "en") == 27.68


@pytest.mark.parametrize("text, convention", [
    ("357.45", "vi"),
    ("27.68", "vi"),
    ("1.2.3", "vi"),
    ("1.2.3", "en"),
    ("abc", "vi"),
    ("abc", "en"),
    ("12,3,4", "en"),
    ("12,3,4", "vi"),
    ("357,45", "en"),
    ("1.0000", "vi"),
    ("1,2345.5", "en"),
    ("%", "vi"),
    ("12a", "vi"),
    ("--5", "vi"),
])
def test_parse_number_rejects_malformed(text, convention):
    with pytest.raises(ParseError) as info:
        parse_number(text, convention)
    assert f"'{text}'" in info.value.message_vi
    assert "không phải là số hợp lệ" in info.value.message_vi


def test_parse_number_error_message_vi_explains_convention():
    with pytest.raises(ParseError) as info:
        parse_number("357.45", "vi")
    assert info.value.message_vi == (
        "'357.45' không phải là số hợp lệ theo quy ước Việt Nam "
        "(dấu chấm phân cách hàng nghìn, dấu phẩy thập phân)")
    assert "357.45" in str(info.value)


def test_parse_number_error_message_en_convention():
    with pytest.raises(ParseError) as info:
        parse_number("12,3,4", "en")
    assert "dấu phẩy phân cách hàng nghìn, dấu chấm thập phân" in info.value.message_vi


def test_parse_number_empty():
    with pytest.raises(ParseError) as info:
        parse_number("", "vi")
    assert "trống" in info.value.message_vi
    with pytest.raises(ParseError):
        parse_number("   ", "en")


def test_parse_number_unknown_convention():
    with pytest.raises(ParseError) as info:
        parse_number("100", "fr")
    assert "'fr'" in info.value.message_vi


# --- parse_value --------------------------------------------------------------

@pytest.mark.parametrize("text, convention, expected", [
    ("20.684", "vi", ParsedValue(20684.0)),
    ("13.000", "vi", ParsedValue(13000.0)),
    ("27.68", "en", ParsedValue(27.68)),
    ("105,879", "en", ParsedValue(105879.0)),
    (">90", "en", ParsedValue(90.0, qualifier=">")),
    ("> 90", "vi", ParsedValue(90.0, qualifier=">")),
    ("trên 90", "vi", ParsedValue(90.0, qualifier=">")),
    ("Trên 90", "vi", ParsedValue(90.0, qualifier=">")),
    ("dưới 5", "vi", ParsedValue(5.0, qualifier="<")),
    (">= 95,5", "vi", ParsedValue(95.5, qualifier=">=")),
    ("0", "vi", ParsedValue(0.0)),
])
def test_parse_value_numbers(text, convention, expected):
    assert parse_value(text, convention) == expected


@pytest.mark.parametrize("text, placeholder", [
    ("Đang thực hiện", "Đang thực hiện"),
    ("  Đang\u00a0thực hiện ", "Đang thực hiện"),
    ("-", "-"),
    ("", ""),
    ("—", "—"),
])
def test_parse_value_placeholders(text, placeholder):
    assert parse_value(text, "vi") == ParsedValue(None, None, placeholder)


@pytest.mark.parametrize("text", ["abc", "357.45", "Vượt", "> abc", "1.2.3"])
def test_parse_value_rejects_other_text(text):
    with pytest.raises(ParseError) as info:
        parse_value(text, "vi")
    assert "không phải là số hợp lệ" in info.value.message_vi


def test_parse_value_unknown_convention():
    with pytest.raises(ParseError):
        parse_value("5", "xx")


# --- parse_target: plain numbers and comparators -------------------------------

def _t(text, convention="vi", **kwargs):
    return parse_target(text, convention, **kwargs)


@pytest.mark.parametrize("text, value", [
    ("357.450", 357450.0),
    ("95,5", 95.5),
    ("0", 0.0),
    ("05", 5.0),
    ("2.810.000", 2810000.0),
])
def test_target_bare_number(text, value):
    assert _t(text) == ParsedTarget("=", value)


def test_target_bare_number_en():
    assert _t("357,450", "en") == ParsedTarget("=", 357450.0)


@pytest.mark.parametrize("text, value, unit", [
    ("> 55", 55.0, None),
    (">55", 55.0, None),
    ("trên 80%", 80.0, "%"),
    ("đạt tỷ lệ trên 80%", 80.0, "%"),
    ("đạt trên 80%", 80.0, "%"),
    ("> 100", 100.0, None),
    ("> 01", 1.0, None),
])
def test_target_greater_than(text, value, unit):
    assert _t(text) == ParsedTarget(">", value, unit_in_text=unit)


@pytest.mark.parametrize("text, value, unit", [
    ("từ 100% trở lên", 100.0, "%"),
    ("từ 55 doanh nghiệp trở lên", 55.0, "doanh nghiệp"),
    ("95% trở lên", 95.0, "%"),
    ("đạt 98% trở lên", 98.0, "%"),
    ("tối thiểu 95%", 95.0, "%"),
    ("ít nhất 200 doanh nghiệp", 200.0, "doanh nghiệp"),
    ("ít nhất 1.000 cây xanh", 1000.0, "cây"),
    ("đạt từ 95%", 95.0, "%"),
    ("đạt 96% trở lên", 96.0, "%"),
    ("90% trở lên", 90.0, "%"),
    ("Tỷ lệ người dân tham gia Bảo hiểm y tế đạt 96% trở lên", 96.0, "%"),
    ("Hoàn thành ít nhất 02 tiêu chí quy định phường đạt chuẩn đô thị văn minh", 2.0, "tiêu chí"),
    ("tăng bình quân 10,5%/năm trở lên", 10.5, "%"),
    (">= 95", 95.0, None),
    ("Trường học các cấp đạt chuẩn Quốc gia từ 01 trường trở lên", 1.0, "trường"),
])
def test_target_at_least(text, value, unit):
    assert _t(text) == ParsedTarget(">=", value, unit_in_text=unit)


@pytest.mark.parametrize("text, comparator", [
    ("dưới 5%", "<"),
    ("không quá 5%", "<="),
    ("tối đa 5%", "<="),
    ("5% trở xuống", "<="),
])
def test_target_upper_bounds(text, comparator):
    assert _t(text) == ParsedTarget(comparator, 5.0, unit_in_text="%")


@pytest.mark.parametrize("text, value, unit", [
    ("đạt 95,5%", 95.5, "%"),
    ("đạt 100%", 100.0, "%"),
    ("tăng 10%", 10.0, "%"),
    ("giảm 10%", 10.0, "%"),
    ("100 cột", 100.0, "cột"),
    ("Phấn đấu lắp đặt 100 cột điện chiếu sáng sử dụng năng lượng mặt trời", 100.0, "cột"),
    ("Hoàn thành 100% chỉ tiêu giao quân", 100.0, "%"),
    ("Thu ngân sách Nhà nước trên địa bàn đạt 578,625 tỷ đồng", 578.625, "tỷ đồng"),
    ("Trang bị thêm 01 phòng học thông minh tại các trường", 1.0, "phòng"),
    ("Tỷ lệ dân số tham gia bảo hiểm y tế: 96%", 96.0, "%"),
    ("đạt 100%.", 100.0, "%"),
    ("100%", 100.0, "%"),
    ("Tỷ lệ giải ngân vốn đầu tư công phường năm 2026 đạt 100%", 100.0, "%"),
])
def test_target_equal(text, value, unit):
    assert _t(text) == ParsedTarget("=", value, unit_in_text=unit)


def test_target_unit_money_words():
    assert _t("đạt 5 triệu đồng").unit_in_text == "triệu đồng"
    assert _t("đạt 5.000 đồng").unit_in_text == "đồng"
    assert _t("ít nhất 150 hộ kinh doanh").unit_in_text == "hộ"


def test_target_bare_negative_number():
    assert _t("-5") == ParsedTarget("=", -5.0)


@pytest.mark.parametrize("text", ["15-17%", "15 - 17%", "từ 15-17%", "15–17%", "15% - 17%"])
def test_target_range(text):
    assert _t(text) == ParsedTarget("range", 15.0, 17.0, unit_in_text="%")


def test_target_range_with_decimals_vi():
    assert _t("từ 15,5 đến 17,5%") == ParsedTarget("range", 15.5, 17.5, unit_in_text="%")


# --- parse_target: relative -----------------------------------------------------

def test_target_relative_to_city_estimate():
    assert _t("tăng 10% trở lên so với dự toán thành phố giao") == ParsedTarget(
        "relative", 10.0, None, "dự toán thành phố giao", "%")


def test_target_relative_full_sentence_trailing_dot():
    text = "Thu ngân sách nhà nước trên địa bàn tăng 10% trở lên so với dự toán thành phố giao."
    assert _t(text) == ParsedTarget("relative", 10.0, None, "dự toán thành phố giao", "%")


def test_target_relative_range():
    assert _t("tăng từ 15-17% trở lên so với thực hiện năm 2025") == ParsedTarget(
        "relative", 15.0, 17.0, "thực hiện năm 2025", "%")


def test_target_relative_range_cuts_base_at_semicolon():
    text = ("Tổng giá trị sản phẩm trên địa bàn tăng từ 15-17% trở lên so với thực hiện "
            "năm 2025; trong đó tập trung cao phát triển khu vực thương mại")
    assert _t(text) == ParsedTarget("relative", 15.0, 17.0, "thực hiện năm 2025", "%")


def test_target_meet_and_exceed():
    assert _t("đạt và vượt chỉ tiêu thành phố giao") == ParsedTarget(
        "relative", None, None, "chỉ tiêu thành phố giao")
    assert _t("Tổng giá trị sản phẩm trên địa bàn đạt và vượt chỉ tiêu thành phố giao") == (
        ParsedTarget("relative", None, None, "chỉ tiêu thành phố giao"))


def test_target_relative_decrease_is_negative():
    assert _t("giảm 10% so với năm 2025") == ParsedTarget(
        "relative", -10.0, None, "năm 2025", "%")


def test_target_relative_without_number():
    assert _t("tăng so với cùng kỳ") == ParsedTarget("relative", base_text="cùng kỳ")


def test_target_growth_rate_indicator_is_not_relative():
    assert _t("tăng từ 12% trở lên so với năm 2025", indicator_unit="%") == (
        ParsedTarget(">=", 12.0, None, "năm 2025", "%"))


def test_target_growth_rate_indicator_drops_parenthetical_from_base():
    text = "tăng từ 12% trở lên so với năm 2025 (theo thống kê thành phố)"
    assert _t(text, indicator_unit="%") == (
        ParsedTarget(">=", 12.0, None, "năm 2025", "%"))


def test_target_same_text_relative_when_not_percent_indicator():
    result = _t("tăng từ 12% trở lên so với năm 2025")
    assert result == ParsedTarget("relative", 12.0, None, "năm 2025", "%")


# --- parse_target: rank ---------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("Thuộc top 30 của thành phố", 30.0),
    ("Thuộc \u0442\u043e\u043f 30 của thành phố", 30.0),
    ("top 30", 30.0),
    ("Thuộc \u0442\u043e\u043f 07 của thành phố", 7.0),
    ("nhóm 20 địa phương dẫn đầu trên 114 phường, xã, đặc khu", 20.0),
    ("đứng trong nhóm 20 địa phương dẫn đầu trên 114 phường, xã, đặc khu của Thành phố", 20.0),
])
def test_target_top(text, value):
    assert _t(text) == ParsedTarget("top", value)


def test_target_top_without_number():
    assert _t("tốp đầu trong 114 phường, xã, đặc khu") == ParsedTarget("top")


# --- parse_target: qualitative --------------------------------------------------

@pytest.mark.parametrize("text", [
    "Hoàn thành",
    "Duy trì",
    "Hoàn thành áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 18091:2020, "
    "ISO 9001-2015; Hệ thống quản lý nhằm cải tiến môi trường làm việc (5S); "
    "Chỉ số đo lường hiệu quả công việc (KPI)",
    "Hoàn thành áp dụng ISO 9001-2015",
    "Hoàn thành áp dụng TCVN ISO 18091:2020",
    "Tiếp tục duy trì không còn hộ nghèo",
    "Không phát sinh hộ nghèo",
    "Không phát sinh hộ nghèo theo chuẩn giai đoạn 2022 - 2025",
    "Giữ vững an ninh chính trị, trật tự an toàn xã hội; không để xảy ra đột xuất, bất ngờ",
    "được công nhận đạt chuẩn",
    "Phấn đấu xây dựng Trạm y tế phường đạt chuẩn quốc gia",
    "Phấn đấu xây dựng phường đạt chuẩn tiếp cận pháp luật theo Quyết định số "
    "27/2025/QĐ-TTg ngày 04/8/2025 của Thủ tướng Chính phủ",
    "Phấn đấu xây dựng phường đạt chuẩn tiếp cận pháp luật (theo Quyết định số "
    "27/2025/QĐ-TTg ngày 04/8/2025 của Thủ tướng Chính phủ)",
    "Hoàn thành trong năm 2026",
    "Thực hiện theo Nghị quyết số 68-NQ/TW",
])
def test_target_qualitative(text):
    assert _t(text) == ParsedTarget("qualitative")


# --- parse_target: errors ---------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_target_empty_raises(text):
    with pytest.raises(ParseError) as info:
        _t(text)
    assert "trống" in info.value.message_vi


def test_target_malformed_number_raises():
    with pytest.raises(ParseError) as info:
        _t("đạt 357.45 triệu đồng")
    assert "'357.45'" in info.value.message_vi


def test_target_english_decimal_in_vi_source_raises():
    with pytest.raises(ParseError):
        _t("27.68", "vi")


def test_target_unknown_convention():
    with pytest.raises(ParseError):
        _t("100", "xx")


# --- units -------------------------------------------------------------------

@pytest.mark.parametrize("unit, factor", [
    ("đồng", 1e-6),
    ("Đồng", 1e-6),
    ("dong", 1e-6),
    ("triệu đồng", 1.0),
    ("Triệu đồng", 1.0),
    ("trieu dong", 1.0),
    ("triệu", 1.0),
    ("trđ", 1.0),
    ("Trđ", 1.0),
    ("(Trđ)", 1.0),
    ("tỷ đồng", 1000.0),
    ("Tỷ đồng", 1000.0),
    ("ty dong", 1000.0),
    ("tỷ", 1000.0),
    (" tỷ\u00a0đồng ", 1000.0),
])
def test_money_factor(unit, factor):
    assert money_factor_to_million(unit) == pytest.approx(factor)


@pytest.mark.parametrize("unit", ["%", "Doanh nghiệp", "hộ", "", "Điểm", "đồng hồ", "cây"])
def test_money_factor_none_for_non_money(unit):
    assert money_factor_to_million(unit) is None


@pytest.mark.parametrize("unit, canonical", [
    ("triệu đồng", "triệu đồng"),
    ("Trđ", "triệu đồng"),
    ("tỷ đồng", "triệu đồng"),
    ("đồng", "triệu đồng"),
    ("%", "%"),
    (" % ", "%"),
    ("Doanh nghiệp", "doanh nghiệp"),
    ("DN", "doanh nghiệp"),
    ("Hộ", "hộ"),
    ("Trường", "trường"),
    ("Phòng", "phòng"),
    ("Điểm", "điểm"),
    ("triệu đồng/người", "triệu đồng/người"),
    ("tỷ đồng/người", "triệu đồng/người"),
    ("Cây", "cây"),
    ("Tiêu chí", "tiêu chí"),
    ("", ""),
    ("  ", ""),
    ("-", ""),
])
def test_canonical_unit(unit, canonical):
    assert canonical_unit(unit) == canonical


@pytest.mark.parametrize("value, unit, canonical, expected", [
    (578.625, "tỷ đồng", "triệu đồng", 578625.0),
    (69917954000, "đồng", "triệu đồng", 69917.954),
    (357450, "triệu đồng", "triệu đồng", 357450.0),
    (357450, "Trđ", "triệu đồng", 357450.0),
    (0.117, "tỷ đồng/người", "triệu đồng/người", 117.0),
    (117, "triệu đồng/người", "triệu đồng/người", 117.0),
    (95.5, "%", "%", 95.5),
    (55, "Doanh nghiệp", "doanh nghiệp", 55.0),
    (30, "Điểm", "thứ hạng", 30.0),
    (30, "Điểm", "điểm", 30.0),
    (1, "%", "", 1.0),
    (5, "", "triệu đồng", 5.0),
])
def test_convert_to_canonical(value, unit, canonical, expected):
    assert convert_to_canonical(value, unit, canonical) == pytest.approx(expected)


@pytest.mark.parametrize("unit, canonical", [
    ("%", "triệu đồng"),
    ("triệu đồng", "%"),
    ("Hộ", "doanh nghiệp"),
    ("triệu đồng", "triệu đồng/người"),
])
def test_convert_to_canonical_mismatch(unit, canonical):
    with pytest.raises(ParseError) as info:
        convert_to_canonical(10, unit, canonical)
    assert info.value.message_vi == (
        f"Đơn vị '{unit}' không phù hợp với chỉ tiêu tính bằng '{canonical}'")


# --- periods -----------------------------------------------------------------

def test_period_month():
    p = parse_period("2026-03")
    assert p == Period("2026-03", 2026, "month", 3)
    assert p.end_month == 3
    assert p.months == (3,)


def test_period_month_normalised_to_two_digits():
    assert parse_period("2026-3").code == "2026-03"
    assert parse_period(" 2026-12 ").code == "2026-12"


@pytest.mark.parametrize("text, index", [("2026-Q1", 1), ("2026-q2", 2), ("2026-Q4", 4)])
def test_period_quarter(text, index):
    p = parse_period(text)
    assert (p.code, p.kind, p.index) == (f"2026-Q{index}", "quarter", index)
    assert p.end_month == 3 * index
    assert p.months == (3 * index - 2, 3 * index - 1, 3 * index)


@pytest.mark.parametrize("raw", ["2026", 2026, 2026.0])
def test_period_year(raw):
    p = parse_period(raw)
    assert p == Period("2026", 2026, "year", 0)
    assert p.end_month == 12
    assert p.months == tuple(range(1, 13))


@pytest.mark.parametrize("raw", [datetime(2026, 3, 1), date(2026, 3, 31), datetime(2026, 3, 15, 8, 30)])
def test_period_from_date(raw):
    assert parse_period(raw) == Period("2026-03", 2026, "month", 3)


def test_period_outside_plan_year():
    with pytest.raises(ParseError) as info:
        parse_period("2025-03", expected_year=2026)
    assert info.value.message_vi == "Kỳ '2025-03' nằm ngoài năm kế hoạch 2026"


def test_period_outside_plan_year_from_date():
    with pytest.raises(ParseError) as info:
        parse_period(date(2025, 12, 1), expected_year=2026)
    assert "2025-12" in info.value.message_vi


def test_period_any_year_when_expected_none():
    assert parse_period("2025-Q4", expected_year=None) == Period("2025-Q4", 2025, "quarter", 4)
    assert parse_period("2027", expected_year=2027).year == 2027


@pytest.mark.parametrize("raw", [
    "2026-13", "2026-00", "2026-Q5", "2026-Q0", "tháng 3", "abc", "", "26-03",
    "2026/03", 2026.5, None, True,
])
def test_period_garbage(raw):
    with pytest.raises(ParseError) as info:
        parse_period(raw)
    assert "không phải là kỳ báo cáo hợp lệ" in info.value.message_vi


def test_period_garbage_message_mentions_text():
    with pytest.raises(ParseError) as info:
        parse_period("2026-13")
    assert "'2026-13'" in info.value.message_vi


def test_all_periods():
    periods = all_periods(2026)
    assert [p.code for p in periods] == (
        [f"2026-{m:02d}" for m in range(1, 13)]
        + ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026"])
    assert [p.kind for p in periods].count("month") == 12
    assert periods[-1] == Period("2026", 2026, "year", 0)
    assert all(parse_period(p.code) == p for p in periods)


def test_period_is_frozen_and_hashable():
    p = parse_period("2026-Q1")
    with pytest.raises(AttributeError):
        p.index = 2  # type: ignore[misc]
    assert len({p, parse_period("2026-q1")}) == 1


def test_periods_are_the_17_of_the_year_in_display_order():
    result = periods_in_display_order(2026)
    assert len(result) == 17
    assert result[:5] == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04"]
    assert result[-3:] == ["2026-12", "2026-Q4", "2026"]


@pytest.mark.parametrize("text, months", [
    ("2026-03", (3,)), ("2026-Q2", (4, 5, 6)), ("2026", tuple(range(1, 13))),
])
def test_period_from_code_months(text, months):
    assert period_from_code(text).months == months


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "Q1", "", None, 2026])
def test_period_from_code_rejects_other_text(text):
    assert period_from_code(text) is None


def test_period_sort_key_puts_quarter_after_its_last_month_and_unknown_last():
    codes = ["garbage", "2026", "2026-Q1", "2026-04", "2026-03", "2025-Q4", "2026-12", "2026-Q4"]
    assert sorted(codes, key=period_sort_key) == [
        "2025-Q4", "2026-03", "2026-Q1", "2026-04", "2026-12", "2026-Q4", "2026", "garbage"]


# --- formatting ----------------------------------------------------------------

@pytest.mark.parametrize("x, decimals, expected", [
    (357450, None, "357.450"),
    (95.5, None, "95,5"),
    (702855.52, 2, "702.855,52"),
    (1234.0, None, "1.234"),
    (None, None, "—"),
    (float("nan"), None, "—"),
    (0, None, "0"),
    (1000, None, "1.000"),
    (1000, 0, "1.000"),
    (2810000, None, "2.810.000"),
    (20.684, None, "20,68"),
    (1234.5, 2, "1.234,50"),
    (-357450, None, "-357.450"),
    (-95.5, None, "-95,5"),
    (-0.001, None, "0"),
    (1895037200, None, "1.895.037.200"),
])
def test_format_number_vi(x, decimals, expected):
    assert format_number_vi(x, decimals) == expected


@pytest.mark.parametrize("x, decimals, expected", [
    (95.5, 1, "95,5%"),
    (29.62, 1, "29,6%"),
    (None, 1, "—"),
    (100, 1, "100%"),
    (-4.33, 2, "-4,33%"),
    (45.27, 0, "45%"),
])
def test_format_pct_vi(x, decimals, expected):
    assert format_pct_vi(x, decimals) == expected


def test_format_pct_default_decimals():
    assert format_pct_vi(27.68) == "27,7%"
