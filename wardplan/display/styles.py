"""How each status looks: symbol, Vietnamese label, colour and tint, one place for all outputs.

Beside the colour, a status can carry qualifiers a leader must see wherever
it appears: provisional ("tạm tính": the scenario is mostly our phasing),
carried from an earlier report, or based on a partial period.
"""

from __future__ import annotations

from dataclasses import dataclass

from wardplan.rules.missing import is_missing, is_true
from wardplan.rules.numbers import format_pct_vi
from wardplan.rules.periods import period_label
from wardplan.rules.scenario import PROVISIONAL_VI
from wardplan.rules.status import (  # noqa: F401 (STATUS_ORDER, STATUS_RANK re-exported: the order goes with the styles)
    AMBER,
    GREEN,
    GREY,
    RED,
    STATUS_LABELS_VI,
    STATUS_ORDER,
    STATUS_RANK,
    status_label_vi,
    verdict_differs,
)


@dataclass(frozen=True)
class StatusStyle:
    symbol: str
    label: str
    colour: str  # Okabe-Ito, distinguishable with the common colour-vision deficiencies
    tint: str  # light background behind dark text

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}"


STATUS_STYLES = {
    GREEN: StatusStyle("▲", STATUS_LABELS_VI[GREEN], "#0072B2", "#D5E8F6"),
    AMBER: StatusStyle("●", STATUS_LABELS_VI[AMBER], "#E69F00", "#FCE9C2"),
    RED: StatusStyle("▼", STATUS_LABELS_VI[RED], "#D55E00", "#F7D3BE"),
    GREY: StatusStyle("○", STATUS_LABELS_VI[GREY], "#8C8C8C", "#EDEDED"),
}
# The mark beside a provisional status in tight cells; the legend explains it.
PROVISIONAL_MARK = "*"


# What a milestone (judged once, at year end) shows instead of a percentage of its target.
MILESTONE_TEXT = "đánh giá cuối năm"


def style_of(status: object) -> StatusStyle:
    return STATUS_STYLES.get(status, STATUS_STYLES[GREY]) if isinstance(status, str) else STATUS_STYLES[GREY]


def status_text(status: str | None, reason: object = None) -> str:
    """'▼ Chậm', or for grey the reason: '○ Lỗi dữ liệu', '○ Chưa có báo cáo'."""
    return f"{style_of(status).symbol} {status_label_vi(status or GREY, reason)}"


def qualifiers(row) -> list[str]:
    """What a status rests on, in words: provisional, carried from an earlier report, partial."""
    words = []
    if is_true(getattr(row, "provisional", False)):
        words.append(PROVISIONAL_VI)
    period = getattr(row, "actual_period", None)
    if is_true(getattr(row, "carried", False)) and isinstance(period, str):
        words.append(f"số liệu {period_label(period)}")
    cutoff = getattr(row, "cutoff_date", None)
    if not is_missing(cutoff):
        words.append(f"số liệu đến {cutoff:%d/%m/%Y}")
    return words


def status_marks(row) -> list[str]:
    """The marks a status carries in a tight cell, after its figures: '≠' where the
    ward's own verdict differs, '↩ <period>' for a figure carried from an earlier
    report.  (The provisional mark goes right after the percentage it qualifies.)"""
    out = []
    if verdict_differs(row.status, getattr(row, "ward_verdict", None)):
        out.append("≠")
    period = getattr(row, "actual_period", None)
    if is_true(getattr(row, "carried", False)) and isinstance(period, str):
        out.append(f"↩ {period_label(period)}")
    return out


def status_caption(row) -> str:
    """'▼ Chậm · tạm tính · số liệu Quý I/2026': the status and what it rests on."""
    return " · ".join([status_text(row.status, getattr(row, "status_reason", None)),
                       *qualifiers(row)])


def band_legend(green_min_pct: float, amber_min_pct: float) -> dict[str, str]:
    """What each status means in the bands the database was built with (v_build)."""
    green, amber = format_pct_vi(green_min_pct), format_pct_vi(amber_min_pct)
    return {
        GREEN: f"thực hiện đến kỳ từ {green} kịch bản đến kỳ trở lên",
        AMBER: f"từ {amber} đến dưới {green} kịch bản đến kỳ",
        RED: f"dưới {amber} kịch bản đến kỳ",
        GREY: "chưa có số liệu, lỗi dữ liệu, chỉ tiêu đánh giá cuối năm hoặc không so được với "
              "kịch bản",
    }


def legend_lines(green_min_pct: float, amber_min_pct: float) -> list[str]:
    """Each status and mark with what it means, for captions and the exports' notes."""
    legend = band_legend(green_min_pct, amber_min_pct)
    return [*(f"{STATUS_STYLES[s].text}: {legend[s]}" for s in STATUS_ORDER),
            f"{PROVISIONAL_MARK} {PROVISIONAL_VI}: kịch bản đến kỳ phần lớn do hệ thống phân bổ, "
            "không phải số của phường",
            "↩ chưa có báo cáo kỳ này: trạng thái theo số liệu kỳ gần nhất"]


def legend_sentence(green_min_pct: float, amber_min_pct: float) -> str:
    """The legend in one line, for captions."""
    return "; ".join(legend_lines(green_min_pct, amber_min_pct)) + "."
