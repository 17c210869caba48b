-- agent-memory schema, version 1: the vector extension, the meta table and episodic memory.
--
-- Every statement is idempotent (IF NOT EXISTS) so that a database that already holds these
-- tables, created by hand by an earlier deployment with the contract's columns and no migration
-- history, is taken over without loss: Flyway baselines such a schema at version 0 and runs this
-- file over it, which only adds what is missing.
--
-- The vector size is the Flyway placeholder "dimensions", set when the schema is created.

-- Idempotent statements that find their object in place say so in NOTICEs; they are expected.
SET LOCAL client_min_messages = warning;

-- Here once, not on every connection. Where the extension already exists (a superuser created
-- it) this is a no-op that needs no privilege.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS agent_memory_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- The vector size is recorded once, when the schema is created; opening the stores with another
-- size is refused. A table taken over keeps the size its embedding column was declared with.
DO $$
DECLARE
    declared integer;
BEGIN
    SELECT a.atttypmod INTO declared
    FROM pg_attribute a
    WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.agent_episodes')
      AND a.attname = 'embedding' AND NOT a.attisdropped;
    INSERT INTO agent_memory_meta (key, value)
    VALUES ('dimensions', COALESCE(NULLIF(declared, -1), ${dimensions})::text)
    ON CONFLICT (key) DO NOTHING;
END
$$;

CREATE TABLE IF NOT EXISTS agent_episodes (
    episode_id          uuid PRIMARY KEY,
    project_id          text NOT NULL,
    "timestamp"         timestamptz NOT NULL DEFAULT now(),
    perception          jsonb NOT NULL,
    reasoning           jsonb NOT NULL,
    action              jsonb NOT NULL,
    outcome             jsonb,
    outcome_quality     double precision CHECK (outcome_quality BETWEEN 0 AND 1),
    outcome_recorded_at timestamptz,
    agent_version       text NOT NULL DEFAULT '1.0.0',
    control_mode        text NOT NULL DEFAULT 'rule_based_only',
    decision_source     text NOT NULL DEFAULT 'rule_based_only',
    sprint_id           text,
    chronicle_note_id   uuid,
    embedding           vector(${dimensions})
);

-- Columns a hand-made table may lack. Added without NOT NULL so that existing rows stay valid.
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS outcome jsonb;
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS outcome_quality double precision;
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS outcome_recorded_at timestamptz;
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS agent_version text DEFAULT '1.0.0';
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS control_mode text DEFAULT 'rule_based_only';
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS decision_source text DEFAULT 'rule_based_only';
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS sprint_id text;
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS chronicle_note_id uuid;
ALTER TABLE agent_episodes ADD COLUMN IF NOT EXISTS embedding vector(${dimensions});

-- Newest episodes of a project; also what a project-filtered similarity search reads.
CREATE INDEX IF NOT EXISTS agent_episodes_project_time_idx
    ON agent_episodes (project_id, "timestamp" DESC);

-- Sprint decisions still waiting for their outcome.
CREATE INDEX IF NOT EXISTS agent_episodes_awaiting_outcome_idx
    ON agent_episodes ("timestamp")
    WHERE sprint_id IS NOT NULL AND outcome_quality IS NULL;

-- Episodes stored without a vector, for backfilling.
CREATE INDEX IF NOT EXISTS agent_episodes_pending_embedding_idx
    ON agent_episodes ("timestamp")
    WHERE embedding IS NULL;

-- Cosine similarity search. A taken-over table may already have such an index under another
-- name; a second one would only slow every write, so it is built only when none exists.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_am am ON am.oid = ic.relam
        JOIN pg_opclass oc ON oc.oid = i.indclass[0]
        WHERE i.indrelid = to_regclass(quote_ident(current_schema()) || '.agent_episodes')
          AND am.amname = 'hnsw' AND oc.opcname = 'vector_cosine_ops'
    ) THEN
        CREATE INDEX agent_episodes_embedding_hnsw_idx
            ON agent_episodes USING hnsw (embedding vector_cosine_ops);
    END IF;
END
$$;
