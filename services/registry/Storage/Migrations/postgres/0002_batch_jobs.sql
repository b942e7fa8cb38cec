-- Batch jobs (BatchJobs/): one row per job, one per chunk. Input, chunks, parts and output live on disk
-- under the data directory's batch/{job id}/, under generated names only.
CREATE TABLE batch_jobs (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    model_name      TEXT NOT NULL,
    model_version   BIGINT NOT NULL,
    digest          TEXT NOT NULL,
    max_batch_size  BIGINT,
    state           TEXT NOT NULL,
    input_format    TEXT NOT NULL,
    output_format   TEXT NOT NULL,
    chunk_size      BIGINT NOT NULL,
    columns_json    TEXT NOT NULL,
    keep_json       TEXT NOT NULL,
    inputs_json     TEXT NOT NULL,
    max_error_ratio DOUBLE PRECISION NOT NULL,
    rows_total      BIGINT NOT NULL DEFAULT 0,
    rows_done       BIGINT NOT NULL DEFAULT 0,
    rows_failed     BIGINT NOT NULL DEFAULT 0,
    chunks_total    BIGINT NOT NULL DEFAULT 0,
    staged          BIGINT NOT NULL DEFAULT 0,
    output_ready    BIGINT NOT NULL DEFAULT 0,
    reason          TEXT,
    input_name      TEXT,
    created_at_ms   BIGINT NOT NULL,
    started_at_ms   BIGINT,
    finished_at_ms  BIGINT,
    created_by      TEXT NOT NULL
);
CREATE INDEX batch_jobs_tenant ON batch_jobs (tenant_id, id);
CREATE INDEX batch_jobs_state ON batch_jobs (state);

-- state: pending (not sent), sent (on the queue or running), done (its part is written).
CREATE TABLE batch_chunks (
    job_id      TEXT NOT NULL REFERENCES batch_jobs (id),
    chunk       BIGINT NOT NULL,
    rows        BIGINT NOT NULL,
    state       TEXT NOT NULL,
    sent_at_ms  BIGINT,
    done_at_ms  BIGINT,
    failed_rows BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk)
);
CREATE INDEX batch_chunks_state ON batch_chunks (job_id, state, chunk);
