-- Rollouts: a canary's configuration and progress (so a restarted registry resumes it) and every decision.
CREATE TABLE rollouts (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL,
    model_name          TEXT NOT NULL,
    stable_version      BIGINT NOT NULL,
    candidate_version   BIGINT NOT NULL,
    strategy            TEXT NOT NULL,
    steps_json          TEXT NOT NULL,
    bake_seconds        BIGINT NOT NULL,
    interval_seconds    BIGINT NOT NULL,
    analysis_json       TEXT NOT NULL,
    state               TEXT NOT NULL,
    step                BIGINT NOT NULL,
    step_started_at_ms  BIGINT NOT NULL,
    passing_since_ms    BIGINT,
    failures            BIGINT NOT NULL,
    source_errors       BIGINT NOT NULL,
    evaluated_at_ms     BIGINT NOT NULL,
    started_at_ms       BIGINT NOT NULL,
    started_by          TEXT NOT NULL,
    ended_at_ms         BIGINT,
    reason              TEXT
);
CREATE INDEX rollouts_model ON rollouts (tenant_id, model_name, started_at_ms);
-- At most one rollout per model is in flight.
CREATE UNIQUE INDEX rollouts_active ON rollouts (tenant_id, model_name) WHERE state IN ('running', 'paused');

CREATE TABLE rollout_decisions (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id         TEXT NOT NULL,
    at_ms              BIGINT NOT NULL,
    step               BIGINT NOT NULL,
    weight             BIGINT NOT NULL,
    interval_start_ms  BIGINT NOT NULL,
    interval_end_ms    BIGINT NOT NULL,
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
    updated_at_ms  BIGINT NOT NULL,
    updated_by     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name)
);
