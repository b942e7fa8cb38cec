-- Accuracy over time: one point per version per evaluation pass, pruned with the score points.
CREATE TABLE accuracy_points (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    at_ms BIGINT NOT NULL,
    level TEXT NOT NULL,
    sample_size BIGINT NOT NULL,
    numbers TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, model_version, at_ms)
);
