-- Times are Unix milliseconds (UTC); JSON documents are TEXT.
CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    role          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    description   TEXT,
    created_at_ms BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    revoked_at_ms BIGINT
);

CREATE TABLE models (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    name          TEXT NOT NULL,
    next_version  BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE artifacts (
    digest        TEXT PRIMARY KEY,
    size_bytes    BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE model_versions (
    tenant_id     TEXT NOT NULL,
    model_name    TEXT NOT NULL,
    version       BIGINT NOT NULL,
    digest        TEXT NOT NULL REFERENCES artifacts (digest),
    size_bytes    BIGINT NOT NULL,
    status        TEXT NOT NULL,
    description   TEXT,
    tags          TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    signature     TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name, version),
    FOREIGN KEY (tenant_id, model_name) REFERENCES models (tenant_id, name)
);
CREATE INDEX model_versions_digest ON model_versions (digest);

CREATE TABLE deployments (
    tenant_id               TEXT NOT NULL,
    model_name              TEXT NOT NULL,
    revision                BIGINT NOT NULL,
    stable_version          BIGINT,
    candidate_version       BIGINT,
    candidate_weight        BIGINT NOT NULL,
    strategy                TEXT NOT NULL,
    previous_stable_version BIGINT,
    updated_at_ms           BIGINT NOT NULL,
    updated_by              TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model_name),
    FOREIGN KEY (tenant_id, model_name) REFERENCES models (tenant_id, name)
);

CREATE TABLE deployment_history (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    model_name        TEXT NOT NULL,
    revision          BIGINT NOT NULL,
    action            TEXT NOT NULL,
    stable_version    BIGINT,
    candidate_version BIGINT,
    candidate_weight  BIGINT NOT NULL,
    strategy          TEXT NOT NULL,
    changed_at_ms     BIGINT NOT NULL,
    changed_by        TEXT NOT NULL
);
CREATE INDEX deployment_history_model ON deployment_history (tenant_id, model_name, id);

CREATE TABLE audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms           BIGINT NOT NULL,
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
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_type    TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    dispatched_at_ms BIGINT
);
CREATE INDEX outbox_pending ON outbox (dispatched_at_ms, id);
