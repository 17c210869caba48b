-- agent-memory schema, version 2: learned strategies. Idempotent, like version 1, so that a
-- hand-made agent_knowledge table is taken over without loss.

SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS agent_knowledge (
    knowledge_id           uuid PRIMARY KEY,
    knowledge_type         text NOT NULL DEFAULT 'strategy',
    content                jsonb NOT NULL DEFAULT '{}',
    description            text NOT NULL DEFAULT '',
    confidence             double precision NOT NULL DEFAULT 0.5 CHECK (confidence BETWEEN 0 AND 1),
    supporting_episodes    uuid[] NOT NULL DEFAULT '{}',
    contradicting_episodes uuid[] NOT NULL DEFAULT '{}',
    times_applied          integer NOT NULL DEFAULT 0,
    success_count          integer NOT NULL DEFAULT 0,
    failure_count          integer NOT NULL DEFAULT 0,
    success_rate           double precision,
    created_at             timestamptz NOT NULL DEFAULT now(),
    last_validated         timestamptz,
    last_applied           timestamptz,
    created_by             text NOT NULL DEFAULT 'system',
    active                 boolean NOT NULL DEFAULT true,
    embedding              vector(${dimensions})
);

ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS knowledge_type text DEFAULT 'strategy';
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS description text DEFAULT '';
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS supporting_episodes uuid[] DEFAULT '{}';
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS contradicting_episodes uuid[] DEFAULT '{}';
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS times_applied integer DEFAULT 0;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS success_count integer DEFAULT 0;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS failure_count integer DEFAULT 0;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS success_rate double precision;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS last_validated timestamptz;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS last_applied timestamptz;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS created_by text DEFAULT 'system';
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS active boolean DEFAULT true;
ALTER TABLE agent_knowledge ADD COLUMN IF NOT EXISTS embedding vector(${dimensions});

-- Active strategies, most confident first: what every ranking query reads.
CREATE INDEX IF NOT EXISTS agent_knowledge_active_confidence_idx
    ON agent_knowledge (confidence DESC)
    WHERE active;
