"""How each status looks: symbol, Vietnamese label, colour and tint, one place for all outputs."""

from __future__ import annotations

from dataclasses import dataclass

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

def status_text(status: str | None) -> str:
    return STATUS_STYLES.get(status or GREY, STATUS_STYLES[GREY]).text
