-- agent-memory schema, version 3: working memory. Idempotent, like version 1; a hand-made table
-- without the version column gets it, every existing session at version 1.

SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS agent_working_memory (
    session_id uuid PRIMARY KEY,
    project_id text NOT NULL,
    context    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    version    bigint NOT NULL DEFAULT 1
);

ALTER TABLE agent_working_memory ADD COLUMN IF NOT EXISTS updated_at timestamptz DEFAULT now();
ALTER TABLE agent_working_memory ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 1;

-- A project's live sessions, newest first.
CREATE INDEX IF NOT EXISTS agent_working_memory_project_idx
    ON agent_working_memory (project_id, created_at DESC);

-- Expired sessions, for cleanup.
CREATE INDEX IF NOT EXISTS agent_working_memory_expiry_idx
    ON agent_working_memory (expires_at);
