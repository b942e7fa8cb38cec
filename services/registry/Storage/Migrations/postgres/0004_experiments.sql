-- A/B experiments: an experiment's arms beyond stable and the candidate live on the deployment.
ALTER TABLE deployments ADD COLUMN extra_routes_json TEXT;

-- Each experiment with its configuration and its arms' running tallies (requests, errors, outcomes and a latency
-- reservoir), folded in at every interval, so a restarted registry continues it and a report outlives the evidence.
CREATE TABLE experiments (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    model_name        TEXT NOT NULL,
    control_version   BIGINT NOT NULL,
    duration_seconds  BIGINT NOT NULL,
    interval_seconds  BIGINT NOT NULL,
    alpha             DOUBLE PRECISION NOT NULL,
    on_end            TEXT NOT NULL,
    state             TEXT NOT NULL,
    arms_json         TEXT NOT NULL,
    started_at_ms     BIGINT NOT NULL,
    ends_at_ms        BIGINT NOT NULL,
    collected_to_ms   BIGINT NOT NULL,
    started_by        TEXT NOT NULL,
    ended_at_ms       BIGINT,
    reason            TEXT
);
CREATE INDEX experiments_model ON experiments (tenant_id, model_name, started_at_ms);
-- At most one experiment per model is running.
CREATE UNIQUE INDEX experiments_running ON experiments (tenant_id, model_name) WHERE state = 'running';
