"""Every table the ETL writes and every public view, with its columns, declared once.

`sql/schema.sql` and `sql/views.sql` create them; `tests/test_tables.py`
checks that they create exactly these columns, and `tests/test_docs.py`
that `docs/data-model.md` documents every view column.  The ETL builds its
frames and the read side its SELECT lists from here.  The derived tables
take their columns from the rules that compute them.
"""

from __future__ import annotations

from wardplan.rules.quality import FINDING_COLUMNS
from wardplan.rules.scenario import SCENARIO_COLUMNS
from wardplan.rules.status import STATUS_COLUMNS

PROVENANCE = ("source_code", "source_location", "source_file", "source_sheet", "source_cell",
              "source_ref")
_PERIOD_VALUE = ("ward_code", "indicator_code", "period", "period_kind", "value", "value_text",
                 "qualifier", "placeholder", "unit", "unit_text")

# In load order: a table's name is the only identifier ever interpolated into SQL.
TABLES: dict[str, tuple[str, ...]] = {
    "wards": ("ward_code", "name_vi", "unit_type_vi"),
    "ward_plans": ("ward_code", "plan_year", "source_file"),
    "indicators": ("indicator_code", "name_vi", "group_vi", "unit", "direction", "kind",
                   "parent_code", "note_vi"),
    "sources": ("ward_code", "plan_year", "source_code", "title_vi", "doc_number", "doc_date",
                "original_file", "number_convention"),
    "targets": ("ward_code", "indicator_code", "year", "item_no", "name_text", "comparator",
                "target_value", "target_value_high", "unit", "unit_text", "target_text",
                "base_text", "responsible_vi", *PROVENANCE),
    "actuals": (*_PERIOD_VALUE, "stated_pct_text", "ward_verdict", "ward_summary", "cutoff_date",
                *PROVENANCE),
    "scenario_official": (*_PERIOD_VALUE, *PROVENANCE),
    "baselines": (*_PERIOD_VALUE, *PROVENANCE),
    "statements": ("ward_code", "statement_kind", "indicator_code", "period", "value",
                   "value_as_written", "unit_text", "numerator", "denominator", "stated_pct",
                   "stated_over_scenario_pct", "text", *PROVENANCE),
    "scenario": tuple(SCENARIO_COLUMNS),
    "status": tuple(STATUS_COLUMNS),
    "tasks": ("ward_code", "plan_year", "task_no", "office_vi", "task_text", "output_vi",
              "partners_vi", "deadline_text", "authority_vi", "report_period", "progress_text",
              "forecast_text", "proposal_text", *PROVENANCE),
    "projects": ("ward_code", "plan_year", "group_code", "project_no", "project_name", "row_kind",
                 "total_capital_mvnd", "total_capital_text", "planned_q1_mvnd", "planned_q1_text",
                 "unit_text", "disbursed_march_text", "location_vi", "progress_text",
                 "forecast_text", "proposal_text", *PROVENANCE),
    "data_issues": tuple(FINDING_COLUMNS),
    "revisions": ("ward_code", "indicator_code", "period", "value", "value_text", "previous_value",
                  "previous_text", "source_ref", "submission_id", "submitted_by", "submitted_at"),
    "submissions": ("submission_id", "kind", "ward_code", "plan_year", "period", "submitted_by",
                    "submitted_at", "outcome", "sha256", "file_name", "message", "reverts",
                    "reverted_by"),
    "load_files": ("file", "ward_code", "sha256", "size_bytes", "rows_loaded", "loaded_at"),
    "build_info": ("green_min_pct", "amber_min_pct", "scenario_rule", "ledger_entries"),
}

# The public contract for analysts (docs/data-model.md).
VIEWS: dict[str, tuple[str, ...]] = {
    "v_wards": ("ward_code", "name_vi", "unit_type_vi", "has_workbook", "has_report"),
    "v_plans": ("ward_code", "plan_year", "source_file", "has_report"),
    "v_indicators": ("indicator_code", "name_vi", "unit", "direction", "kind", "group_vi",
                     "parent_code"),
    "v_targets": ("ward_code", "indicator_code", "year", "comparator", "target_value",
                  "target_value_high", "unit", "target_text", "source_ref", "name_text", "item_no",
                  "base_text", "responsible_vi"),
    "v_actuals": ("ward_code", "indicator_code", "period", "value", "value_text", "source_ref",
                  "unit", "qualifier", "placeholder", "stated_pct_text", "ward_verdict",
                  "ward_summary", "cutoff_date"),
    "v_scenario": ("ward_code", "indicator_code", "period", "planned_value", "origin",
                   "share_official", "share_implied", "share_derived", "source_ref"),
    "v_status": tuple(STATUS_COLUMNS),
    "v_data_issues": ("ward_code", "indicator_code", "period", "severity", "message", "source_ref",
                      "check_code", "flagged_figure"),
    "v_baselines": ("ward_code", "indicator_code", "period", "value", "value_text", "unit",
                    "source_ref"),
    "v_statements": ("ward_code", "statement_kind", "indicator_code", "period", "value",
                     "value_as_written", "unit_text", "numerator", "denominator", "stated_pct",
                     "stated_over_scenario_pct", "text", "source_ref"),
    "v_tasks": ("ward_code", "plan_year", "task_no", "office_vi", "task_text", "output_vi",
                "partners_vi", "deadline_text", "authority_vi", "report_period", "progress_text",
                "forecast_text", "proposal_text", "source_ref"),
    "v_projects": ("ward_code", "plan_year", "group_code", "project_no", "project_name", "row_kind",
                   "total_capital_mvnd", "planned_q1_mvnd", "disbursed_march_text",
                   "progress_text", "forecast_text", "proposal_text", "total_capital_text",
                   "planned_q1_text", "unit_text", "source_ref"),
    "v_sources": ("ward_code", "plan_year", "source_code", "title_vi", "doc_number", "doc_date",
                  "original_file", "number_convention"),
    "v_load_files": ("file", "ward_code", "sha256", "size_bytes", "rows_loaded", "loaded_at"),
    "v_build": ("green_min_pct", "amber_min_pct", "scenario_rule", "ledger_entries"),
    "v_revisions": ("ward_code", "indicator_code", "period", "value", "value_text",
                    "previous_value", "previous_text", "source_ref", "submission_id",
                    "submitted_by", "submitted_at"),
    "v_submissions": ("submission_id", "kind", "ward_code", "plan_year", "period",
                      "submitted_by", "submitted_at", "outcome", "sha256", "file_name", "message",
                      "reverts", "reverted_by"),
}


def select_list(view: str, alias: str = "") -> str:
    """The view's columns for a SELECT, optionally qualified by a table alias."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{column}" for column in VIEWS[view])
