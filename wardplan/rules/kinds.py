"""The indicator kinds: what a figure is, and so which rules apply to it.

Every rule that depends on the kind of an indicator asks one of the named
sets below instead of spelling kinds out, so a new kind (or a new rule for
one) is a change here and in the rule that reads the set.
"""

from __future__ import annotations

FLOW = "flow"  # amounts that add up over the periods (revenue, output, new enterprises)
LEVEL = "level"  # a rate or count at a point in time (coverage, on-time procedures)
CUMULATIVE_PCT = "cumulative_pct"  # a year-to-date share of the year (disbursement)
MILESTONE = "milestone"  # done once, judged at year end (schools reaching standard)
RANK = "rank"  # a position published by the city (PAR index)
QUALITATIVE = "qualitative"  # a statement with no number ("maintain security")

KINDS = (FLOW, LEVEL, CUMULATIVE_PCT, MILESTONE, RANK, QUALITATIVE)

# Phased into a monthly growth scenario and judged against it.
PHASED = frozenset({FLOW, LEVEL, CUMULATIVE_PCT})
# Judged from the figures (the phased kinds, and milestones at year end).
NUMERIC = PHASED | {MILESTONE}
# Judged by the ward's own verdict: there is no figure to compute from.
BY_VERDICT = frozenset({RANK, QUALITATIVE})
# The to-date figure is a running total: a month-by-month line accumulates.
CUMULATIVE = frozenset({FLOW, CUMULATIVE_PCT})
# Have a monthly path worth drawing.
CHARTED = PHASED
# Figures carry a unit that converts (đồng → triệu đồng); ranks and texts do not.
CONVERTIBLE = frozenset({FLOW, LEVEL, CUMULATIVE_PCT, MILESTONE})

# What staff type in the catalogue's 'Kiểu' column.
WORKBOOK_LABELS = {
    "Cộng dồn": FLOW,
    "Mức": LEVEL,
    "Tỷ lệ lũy kế": CUMULATIVE_PCT,
    "Mốc hoàn thành": MILESTONE,
    "Xếp hạng": RANK,
    "Định tính": QUALITATIVE,
}

# How the app, the deck and the workbook describe each kind.
LABELS_VI = {
    FLOW: "cộng dồn theo tháng",
    CUMULATIVE_PCT: "tỷ lệ lũy kế",
    LEVEL: "mức đạt",
    MILESTONE: "đánh giá khi hoàn thành",
    RANK: "xếp hạng",
    QUALITATIVE: "định tính",
}


def label_vi(kind: object) -> str:
    return LABELS_VI.get(kind, "chưa phân loại") if isinstance(kind, str) else "chưa phân loại"
