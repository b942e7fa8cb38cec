CREATE TABLE retrain_attempts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    model TEXT NOT NULL,
    trigger TEXT NOT NULL,
    detail TEXT NOT NULL,
    requested_by TEXT NULL,
    shuffle_labels INTEGER NOT NULL DEFAULT 0,
    force_gate INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    reason TEXT NULL,
    created_ms BIGINT NOT NULL,
    started_ms BIGINT NULL,
    finished_ms BIGINT NULL,
    stable_version INTEGER NULL,
    candidate_version INTEGER NULL,
    candidate_metrics TEXT NULL,
    stable_metrics TEXT NULL,
    snapshot_hash TEXT NULL,
    trainer TEXT NULL
);
CREATE INDEX retrain_attempts_model ON retrain_attempts (tenant_id, model, created_ms);
CREATE INDEX retrain_attempts_status ON retrain_attempts (status);

CREATE TABLE retrain_stream_positions (
    tenant_id TEXT NOT NULL,
    model TEXT NOT NULL,
    predictions_offset BIGINT NOT NULL,
    outcomes_offset BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, model)
);
