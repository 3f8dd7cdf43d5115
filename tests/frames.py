"""Small hand-built catalogue shared by the scenario and status tests: one
indicator of each kind, named after Phù Liễn's real indicators."""

from __future__ import annotations

import pandas as pd

INDICATOR_COLUMNS = ["indicator_code", "name_vi", "unit", "direction", "kind"]

INDICATORS = pd.DataFrame([
    ("budget_revenue", "Thu ngân sách", "triệu đồng", "higher", "flow"),
    ("new_enterprises", "Doanh nghiệp thành lập mới", "doanh nghiệp", "higher", "flow"),
    ("health_insurance_coverage", "Tỷ lệ BHYT", "%", "higher", "level"),
    ("poor_households", "Hộ nghèo", "hộ", "lower", "level"),
    ("public_investment_disbursement", "Giải ngân", "%", "higher", "cumulative_pct"),
    ("standard_schools", "Trường đạt chuẩn", "trường", "higher", "milestone"),
    ("admin_reform_rank", "Xếp hạng CCHC", "", "higher", "rank"),
    ("innovation_promotion", "Đổi mới sáng tạo", "", "higher", "qualitative"),
    ("income_growth", "Tăng thu nhập", "%", "higher", "level"),
], columns=INDICATOR_COLUMNS)
