-- Tables written by the ETL (`python -m etl build`).  Analysts should read the
-- v_* views (views.sql), which are the stable contract; these tables may change.
-- Money is in million VND; percentages are 0-100 numbers.

CREATE TABLE wards (
    ward_code     VARCHAR PRIMARY KEY,
    name_vi       VARCHAR NOT NULL,
    unit_type_vi  VARCHAR
);

-- One row per ward workbook loaded: a ward has a plan for each year it has a workbook for.
CREATE TABLE ward_plans (
    ward_code   VARCHAR NOT NULL,
    plan_year   INTEGER NOT NULL,
    source_file VARCHAR NOT NULL,
    PRIMARY KEY (ward_code, plan_year)
);

CREATE TABLE indicators (
    indicator_code VARCHAR PRIMARY KEY,
    name_vi        VARCHAR NOT NULL,
    group_vi       VARCHAR,
    unit           VARCHAR,
    direction      VARCHAR NOT NULL CHECK (direction IN ('higher', 'lower')),
    kind           VARCHAR NOT NULL CHECK (kind IN ('flow', 'level', 'cumulative_pct',
                                                    'milestone', 'rank', 'qualitative')),
    parent_code    VARCHAR,
    note_vi        VARCHAR
);

CREATE TABLE sources (
    ward_code VARCHAR, plan_year INTEGER, source_code VARCHAR, title_vi VARCHAR,
    doc_number VARCHAR, doc_date VARCHAR, original_file VARCHAR, number_convention VARCHAR,
    PRIMARY KEY (ward_code, plan_year, source_code)
);

CREATE TABLE targets (
    ward_code VARCHAR, indicator_code VARCHAR, year INTEGER, item_no VARCHAR, name_text VARCHAR,
    comparator VARCHAR CHECK (comparator IN ('>=', '>', '<=', '<', '=', 'range', 'top',
                                             'relative', 'qualitative')),
    target_value DOUBLE, target_value_high DOUBLE, unit VARCHAR, unit_text VARCHAR,
    target_text VARCHAR, base_text VARCHAR, responsible_vi VARCHAR,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR,
    PRIMARY KEY (ward_code, indicator_code, year)
);

CREATE TABLE actuals (
    ward_code VARCHAR, indicator_code VARCHAR, period VARCHAR, period_kind VARCHAR,
    value DOUBLE, value_text VARCHAR, qualifier VARCHAR, placeholder VARCHAR, unit VARCHAR,
    unit_text VARCHAR, stated_pct_text VARCHAR, ward_verdict VARCHAR, ward_summary VARCHAR,
    cutoff_date DATE,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR,
    PRIMARY KEY (ward_code, indicator_code, period)
);

CREATE TABLE scenario_official (
    ward_code VARCHAR, indicator_code VARCHAR, period VARCHAR, period_kind VARCHAR,
    value DOUBLE, value_text VARCHAR, qualifier VARCHAR, placeholder VARCHAR, unit VARCHAR,
    unit_text VARCHAR,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR,
    PRIMARY KEY (ward_code, indicator_code, period)
);

CREATE TABLE baselines (
    ward_code VARCHAR, indicator_code VARCHAR, period VARCHAR, period_kind VARCHAR,
    value DOUBLE, value_text VARCHAR, qualifier VARCHAR, placeholder VARCHAR, unit VARCHAR,
    unit_text VARCHAR,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR,
    PRIMARY KEY (ward_code, indicator_code, period)
);

CREATE TABLE statements (
    ward_code VARCHAR, statement_kind VARCHAR, indicator_code VARCHAR, period VARCHAR,
    value DOUBLE, value_as_written DOUBLE, unit_text VARCHAR, numerator DOUBLE,
    denominator DOUBLE, stated_pct DOUBLE,
    stated_over_scenario_pct DOUBLE, text VARCHAR,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR
);

CREATE TABLE scenario (
    ward_code VARCHAR, indicator_code VARCHAR, period VARCHAR, planned_value DOUBLE,
    origin VARCHAR CHECK (origin IN ('official', 'implied', 'derived')),
    share_official DOUBLE, share_implied DOUBLE, share_derived DOUBLE, source_ref VARCHAR,
    PRIMARY KEY (ward_code, indicator_code, period)
);

CREATE TABLE status (
    ward_code VARCHAR, indicator_code VARCHAR, as_of VARCHAR, actual_to_date DOUBLE,
    scenario_to_date DOUBLE, target_value DOUBLE, pct_of_scenario DOUBLE, pct_of_target DOUBLE,
    status VARCHAR CHECK (status IN ('green', 'amber', 'red', 'grey')),
    status_reason VARCHAR, ward_verdict VARCHAR, note VARCHAR, actual_period VARCHAR,
    cutoff_date DATE, carried BOOLEAN, scenario_origin VARCHAR,
    basis_official_pct DOUBLE, basis_implied_pct DOUBLE, basis_derived_pct DOUBLE,
    provisional BOOLEAN, outlook_value DOUBLE, outlook_low DOUBLE, outlook_high DOUBLE,
    outlook_pct_of_target DOUBLE, outlook_method VARCHAR, on_course BOOLEAN,
    PRIMARY KEY (ward_code, indicator_code, as_of)
);

CREATE TABLE tasks (
    ward_code VARCHAR, plan_year INTEGER, task_no VARCHAR, office_vi VARCHAR, task_text VARCHAR, output_vi VARCHAR,
    partners_vi VARCHAR, deadline_text VARCHAR, authority_vi VARCHAR, report_period VARCHAR,
    progress_text VARCHAR, forecast_text VARCHAR, proposal_text VARCHAR,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR
);

CREATE TABLE projects (
    ward_code VARCHAR, plan_year INTEGER, group_code VARCHAR, project_no VARCHAR, project_name VARCHAR,
    row_kind VARCHAR, total_capital_mvnd DOUBLE, total_capital_text VARCHAR,
    planned_q1_mvnd DOUBLE, planned_q1_text VARCHAR, unit_text VARCHAR,
    disbursed_march_text VARCHAR, location_vi VARCHAR, progress_text VARCHAR,
    forecast_text VARCHAR, proposal_text VARCHAR,
    source_code VARCHAR, source_location VARCHAR, source_file VARCHAR, source_sheet VARCHAR,
    source_cell VARCHAR, source_ref VARCHAR
);

CREATE TABLE data_issues (
    ward_code VARCHAR, indicator_code VARCHAR, period VARCHAR,
    severity VARCHAR CHECK (severity IN ('error', 'warning', 'info')),
    check_code VARCHAR, message VARCHAR, source_ref VARCHAR,
    flagged_figure VARCHAR CHECK (flagged_figure IN ('target', 'actual'))
);

-- Every value each actual has had in force: the workbook's (submission_id NULL
-- for a bundled workbook), then each accepted report's, oldest first.
CREATE TABLE revisions (
    ward_code VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
    value DOUBLE, value_text VARCHAR, previous_value DOUBLE, previous_text VARCHAR,
    source_ref VARCHAR, submission_id INTEGER, submitted_by VARCHAR, submitted_at TIMESTAMP
);

-- Every ledger event (accepted submission, revert) and every upload refused on publishing.
CREATE TABLE submissions (
    submission_id INTEGER, kind VARCHAR NOT NULL, ward_code VARCHAR, plan_year INTEGER,
    period VARCHAR, submitted_by VARCHAR NOT NULL, submitted_at TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL, sha256 VARCHAR, file_name VARCHAR, message VARCHAR,
    reverts INTEGER, reverted_by INTEGER
);

CREATE TABLE load_files (
    file VARCHAR PRIMARY KEY, ward_code VARCHAR, sha256 VARCHAR, size_bytes BIGINT,
    rows_loaded INTEGER, loaded_at TIMESTAMP
);

-- One row: the settings the statuses in this file were computed with.
CREATE TABLE build_info (
    green_min_pct DOUBLE, amber_min_pct DOUBLE, scenario_rule VARCHAR,
    ledger_entries INTEGER NOT NULL
);
