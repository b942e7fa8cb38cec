-- The next offset to read per stream; written in the same transaction as the windows it covers.
CREATE TABLE stream_offsets (
    stream TEXT PRIMARY KEY,
    next_offset BIGINT NOT NULL
);

-- Every accepted statistics window, once (window_id: worker id + sequence). Pruned after the longest evaluation window.
CREATE TABLE stats_windows (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    window_id TEXT NOT NULL,
    window_end_ms BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    stream_offset BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, model_version, window_id)
);
CREATE INDEX stats_windows_by_end ON stats_windows (window_end_ms);

-- Per version: ok / warning / critical / insufficient_data / unmapped, and the baseline it is scored against.
CREATE TABLE version_states (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NULL,
    sample_size BIGINT NOT NULL DEFAULT 0,
    evaluated_at_ms BIGINT NULL,
    baseline TEXT NULL,
    PRIMARY KEY (tenant_id, model_name, model_version)
);

-- Per feature: its alert tracker (the hysteresis runs), the latest scores and live histogram.
CREATE TABLE feature_states (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    feature TEXT NOT NULL,
    level TEXT NOT NULL,
    tracker TEXT NOT NULL,
    latest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, model_version, feature)
);

-- The time series of each feature's scores.
CREATE TABLE score_points (
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    feature TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    level TEXT NOT NULL,
    sample_size BIGINT NOT NULL,
    scores TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, model_version, feature, at_ms)
);

-- Every state change with the numbers that caused it; published = 1 once its event is on the bus.
CREATE TABLE alert_events (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    feature TEXT NOT NULL,
    metric TEXT NOT NULL,
    from_level TEXT NOT NULL,
    to_level TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    sample_size BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_events_by_version ON alert_events (tenant_id, model_name, model_version);

-- Messages sent to the error queue, counted by stream and reason.
CREATE TABLE rejections (
    stream TEXT NOT NULL,
    reason TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (stream, reason)
);
