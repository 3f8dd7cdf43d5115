"""How each status looks: symbol, Vietnamese label, colour and tint, one place for all outputs."""

from __future__ import annotations

from dataclasses import dataclass

from wardplan.rules.numbers import format_pct_vi
from wardplan.rules.status import (  # noqa: F401 (re-exported: the order goes with the styles)
    AMBER,
    GREEN,
    GREY,
    RED,
    STATUS_LABELS_VI,
    STATUS_ORDER,
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

# What a milestone (judged once, at year end) shows instead of a percentage of its target.
MILESTONE_TEXT = "đánh giá cuối năm"


def status_text(status: str | None) -> str:
    return STATUS_STYLES.get(status or GREY, STATUS_STYLES[GREY]).text


def band_legend(green_min_pct: float, amber_min_pct: float) -> dict[str, str]:
    """What each status means in the bands the database was built with (v_build)."""
    green, amber = format_pct_vi(green_min_pct), format_pct_vi(amber_min_pct)
    return {
        GREEN: f"thực hiện đến kỳ từ {green} kịch bản đến kỳ trở lên",
        AMBER: f"từ {amber} đến dưới {green} kịch bản đến kỳ",
        RED: f"dưới {amber} kịch bản đến kỳ",
        GREY: "chưa có số liệu để so với kịch bản (chưa báo cáo, chỉ tiêu đánh giá cuối năm "
              "hoặc không phân kỳ được)",
    }


def legend_sentence(green_min_pct: float, amber_min_pct: float) -> str:
    """'▲ Đạt/Vượt: …; ● Cần chú ý: …' in one line, for captions."""
    legend = band_legend(green_min_pct, amber_min_pct)
    return "; ".join(f"{STATUS_STYLES[s].text}: {legend[s]}" for s in STATUS_ORDER) + "."
