-- Times are Unix milliseconds (UTC); JSON documents are TEXT.
CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    role          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    description   TEXT,
    created_at_ms INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    revoked_at_ms INTEGER
);

CREATE TABLE models (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    name          TEXT NOT NULL,
    next_version  INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE artifacts (
    digest        TEXT PRIMARY KEY,
    size_bytes    INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE model_versions (
    tenant_id     TEXT NOT NULL,
    model_name    TEXT NOT NULL,
    version       INTEGER NOT NULL,
    digest        TEXT NOT NULL REFERENCES artifacts (digest),
    size_bytes    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    description   TEXT,
    tags          TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    signature     TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, version),
    FOREIGN KEY (tenant_id, model_name) REFERENCES models (tenant_id, name)
);
CREATE INDEX model_versions_digest ON model_versions (digest);

CREATE TABLE deployments (
    tenant_id               TEXT NOT NULL,
    model_name              TEXT NOT NULL,
    revision                INTEGER NOT NULL,
    stable_version          INTEGER,
    candidate_version       INTEGER,
    candidate_weight        INTEGER NOT NULL,
    strategy                TEXT NOT NULL,
    previous_stable_version INTEGER,
    updated_at_ms           INTEGER NOT NULL,
    updated_by              TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name),
    FOREIGN KEY (tenant_id, model_name) REFERENCES models (tenant_id, name)
);

CREATE TABLE deployment_history (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id         TEXT NOT NULL,
    model_name        TEXT NOT NULL,
    revision          INTEGER NOT NULL,
    action            TEXT NOT NULL,
    stable_version    INTEGER,
    candidate_version INTEGER,
    candidate_weight  INTEGER NOT NULL,
    strategy          TEXT NOT NULL,
    changed_at_ms     INTEGER NOT NULL,
    changed_by        TEXT NOT NULL
);
CREATE INDEX deployment_history_model ON deployment_history (tenant_id, model_name, id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms           INTEGER NOT NULL,
    actor_key_id    TEXT NOT NULL,
    actor_tenant_id TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    action          TEXT NOT NULL,
    target          TEXT NOT NULL,
    model_name      TEXT,
    before_json     TEXT,
    after_json      TEXT
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);

-- Events written in the same transaction as the change they announce; a dispatcher delivers them.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_type    TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    dispatched_at_ms INTEGER
);
CREATE INDEX outbox_pending ON outbox (dispatched_at_ms, id);
