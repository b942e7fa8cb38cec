-- Logged predictions (one row per request row), kept for the join with late outcomes.
CREATE TABLE logged_predictions (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    request_id TEXT NOT NULL,
    row_index INTEGER NOT NULL,
    model_version INTEGER NOT NULL,
    label TEXT NULL,
    value DOUBLE PRECISION NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, request_id, row_index)
);
CREATE INDEX logged_predictions_by_time ON logged_predictions (at_ms);

-- Outcomes whose prediction log has not arrived yet (bounded in age and number).
CREATE TABLE pending_outcomes (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    request_id TEXT NOT NULL,
    row_index INTEGER NOT NULL,
    label TEXT NULL,
    value DOUBLE PRECISION NULL,
    received_at_ms BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, request_id, row_index)
);

-- Predictions joined with their outcome: correct (classifiers) or the error (regressors).
CREATE TABLE joined_outcomes (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    request_id TEXT NOT NULL,
    row_index INTEGER NOT NULL,
    model_version INTEGER NOT NULL,
    correct INTEGER NULL,
    error DOUBLE PRECISION NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, request_id, row_index)
);
CREATE INDEX joined_outcomes_by_version ON joined_outcomes (tenant_id, model_name, model_version, at_ms);

-- Per version: the accuracy tracker and its latest numbers.
CREATE TABLE accuracy_states (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    level TEXT NOT NULL,
    tracker TEXT NOT NULL,
    latest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, model_version)
);

-- Outcomes whose request id never matched a logged prediction in time, per model.
CREATE TABLE unknown_outcomes (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, model_name)
);
