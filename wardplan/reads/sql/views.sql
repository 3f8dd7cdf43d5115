-- Public views: the contract for analysts who open the DuckDB file directly.
-- Documented column by column in docs/data-model.md.

CREATE VIEW v_wards AS
SELECT ward_code, name_vi, unit_type_vi,
       EXISTS (SELECT 1 FROM ward_plans p WHERE p.ward_code = w.ward_code) AS has_workbook,
       EXISTS (SELECT 1 FROM actuals a WHERE a.ward_code = w.ward_code) AS has_report
FROM wards w;

CREATE VIEW v_plans AS
SELECT p.ward_code, p.plan_year, p.source_file,
       EXISTS (SELECT 1 FROM actuals a
               WHERE a.ward_code = p.ward_code AND a.period LIKE p.plan_year || '%') AS has_report
FROM ward_plans p;

CREATE VIEW v_indicators AS
SELECT indicator_code, name_vi, unit, direction, kind, group_vi, parent_code
FROM indicators;

CREATE VIEW v_targets AS
SELECT ward_code, indicator_code, year, comparator, target_value, target_value_high, unit,
       target_text, source_ref, name_text, item_no, base_text, responsible_vi
FROM targets;

CREATE VIEW v_actuals AS
SELECT ward_code, indicator_code, period, value, value_text, source_ref, unit, qualifier,
       placeholder, stated_pct_text, ward_verdict, ward_summary, cutoff_date
FROM actuals;

CREATE VIEW v_scenario AS
SELECT ward_code, indicator_code, period, planned_value, origin, share_official,
       share_implied, share_derived, source_ref
FROM scenario;

CREATE VIEW v_status AS
SELECT ward_code, indicator_code, as_of, actual_to_date, scenario_to_date, target_value,
       pct_of_scenario, pct_of_target, status, status_reason, ward_verdict, note, actual_period,
       cutoff_date, carried, scenario_origin, basis_official_pct, basis_implied_pct,
       basis_derived_pct, provisional, outlook_value, outlook_low, outlook_high,
       outlook_pct_of_target, outlook_method, on_course
FROM status;

CREATE VIEW v_data_issues AS
SELECT ward_code, indicator_code, period, severity, message, source_ref, check_code,
       flagged_figure
FROM data_issues;

CREATE VIEW v_baselines AS
SELECT ward_code, indicator_code, period, value, value_text, unit, source_ref
FROM baselines;

CREATE VIEW v_statements AS
SELECT ward_code, statement_kind, indicator_code, period, value, value_as_written, unit_text,
       numerator,
       denominator, stated_pct, stated_over_scenario_pct, text, source_ref
FROM statements;

CREATE VIEW v_tasks AS
SELECT ward_code, plan_year, task_no, office_vi, task_text, output_vi, partners_vi, deadline_text,
       authority_vi, report_period, progress_text, forecast_text, proposal_text, source_ref
FROM tasks;

CREATE VIEW v_projects AS
SELECT ward_code, plan_year, group_code, project_no, project_name, row_kind, total_capital_mvnd,
       planned_q1_mvnd, disbursed_march_text, progress_text, forecast_text, proposal_text,
       total_capital_text, planned_q1_text, unit_text, source_ref
FROM projects;

CREATE VIEW v_sources AS
SELECT ward_code, plan_year, source_code, title_vi, doc_number, doc_date, original_file,
       number_convention
FROM sources;

CREATE VIEW v_load_files AS
SELECT file, ward_code, sha256, size_bytes, rows_loaded, loaded_at FROM load_files;

CREATE VIEW v_build AS
SELECT green_min_pct, amber_min_pct, scenario_rule, ledger_entries FROM build_info;

CREATE VIEW v_revisions AS
SELECT ward_code, indicator_code, period, value, value_text, previous_value, previous_text,
       source_ref, submission_id, submitted_by, submitted_at
FROM revisions;

CREATE VIEW v_submissions AS
SELECT submission_id, kind, ward_code, plan_year, period, submitted_by, submitted_at, outcome,
       sha256, file_name, message, reverts, reverted_by
FROM submissions;
