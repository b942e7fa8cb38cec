-- Batch jobs (BatchJobs/): one row per job, one per chunk. Input, chunks, parts and output live on disk
-- under the data directory's batch/{job id}/, under generated names only.
CREATE TABLE batch_jobs (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    model_name      TEXT NOT NULL,
    model_version   INTEGER NOT NULL,
    digest          TEXT NOT NULL,
    max_batch_size  INTEGER,
    state           TEXT NOT NULL,
    input_format    TEXT NOT NULL,
    output_format   TEXT NOT NULL,
    chunk_size      INTEGER NOT NULL,
    columns_json    TEXT NOT NULL,
    keep_json       TEXT NOT NULL,
    inputs_json     TEXT NOT NULL,
    max_error_ratio REAL NOT NULL,
    rows_total      INTEGER NOT NULL DEFAULT 0,
    rows_done       INTEGER NOT NULL DEFAULT 0,
    rows_failed     INTEGER NOT NULL DEFAULT 0,
    chunks_total    INTEGER NOT NULL DEFAULT 0,
    staged          INTEGER NOT NULL DEFAULT 0,
    output_ready    INTEGER NOT NULL DEFAULT 0,
    reason          TEXT,
    input_name      TEXT,
    created_at_ms   INTEGER NOT NULL,
    started_at_ms   INTEGER,
    finished_at_ms  INTEGER,
    created_by      TEXT NOT NULL
);
CREATE INDEX batch_jobs_tenant ON batch_jobs (tenant_id, id);
CREATE INDEX batch_jobs_state ON batch_jobs (state);

-- state: pending (not sent), sent (on the queue or running), done (its part is written).
CREATE TABLE batch_chunks (
    job_id      TEXT NOT NULL REFERENCES batch_jobs (id),
    chunk       INTEGER NOT NULL,
    rows        INTEGER NOT NULL,
    state       TEXT NOT NULL,
    sent_at_ms  INTEGER,
    done_at_ms  INTEGER,
    failed_rows INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk)
);
CREATE INDEX batch_chunks_state ON batch_chunks (job_id, state, chunk);
