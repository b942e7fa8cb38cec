-- Rollouts: a canary's configuration and progress (so a restarted registry resumes it) and every decision.
CREATE TABLE rollouts (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL,
    model_name          TEXT NOT NULL,
    stable_version      INTEGER NOT NULL,
    candidate_version   INTEGER NOT NULL,
    strategy            TEXT NOT NULL,
    steps_json          TEXT NOT NULL,
    bake_seconds        INTEGER NOT NULL,
    interval_seconds    INTEGER NOT NULL,
    analysis_json       TEXT NOT NULL,
    state               TEXT NOT NULL,
    step                INTEGER NOT NULL,
    step_started_at_ms  INTEGER NOT NULL,
    passing_since_ms    INTEGER,
    failures            INTEGER NOT NULL,
    source_errors       INTEGER NOT NULL,
    evaluated_at_ms     INTEGER NOT NULL,
    started_at_ms       INTEGER NOT NULL,
    started_by          TEXT NOT NULL,
    ended_at_ms         INTEGER,
    reason              TEXT
);
CREATE INDEX rollouts_model ON rollouts (tenant_id, model_name, started_at_ms);
-- At most one rollout per model is in flight.
CREATE UNIQUE INDEX rollouts_active ON rollouts (tenant_id, model_name) WHERE state IN ('running', 'paused');

CREATE TABLE rollout_decisions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    rollout_id         TEXT NOT NULL,
    at_ms              INTEGER NOT NULL,
    step               INTEGER NOT NULL,
    weight             INTEGER NOT NULL,
    interval_start_ms  INTEGER NOT NULL,
    interval_end_ms    INTEGER NOT NULL,
    verdict            TEXT NOT NULL,
    action             TEXT NOT NULL,
    reason             TEXT NOT NULL,
    metrics_json       TEXT NOT NULL
);
CREATE INDEX rollout_decisions_rollout ON rollout_decisions (rollout_id, id);

-- How a model's proposed versions (ModelVersionProposed) are rolled out; no row means the registry's defaults.
CREATE TABLE rollout_policies (
    tenant_id      TEXT NOT NULL,
    model_name     TEXT NOT NULL,
    policy_json    TEXT NOT NULL,
    updated_at_ms  INTEGER NOT NULL,
    updated_by     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name)
);
