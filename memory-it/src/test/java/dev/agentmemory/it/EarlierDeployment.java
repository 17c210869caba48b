package dev.agentmemory.it;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables as the orchestrator's earlier deployment made them by hand: the contract's columns,
 * its own index names, no meta table, no migration history, no version column in working memory,
 * no vector in knowledge, and no default for any id. The takeover tests start from these.
 */
final class EarlierDeployment {

    private EarlierDeployment() {
    }

    /**
     * @param s a statement in the schema to create the tables in
     * @param dimensions the size of the episodes' vector column
     */
    static void createTables(Statement s, int dimensions) throws SQLException {
        s.execute("""
                CREATE TABLE agent_episodes (
                    episode_id UUID PRIMARY KEY,
                    project_id TEXT NOT NULL,
                    timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
                    perception JSONB NOT NULL,
                    reasoning JSONB NOT NULL,
                    action JSONB NOT NULL,
                    outcome JSONB,
                    outcome_quality FLOAT,
                    outcome_recorded_at TIMESTAMPTZ,
                    agent_version TEXT DEFAULT '1.0.0',
                    control_mode TEXT DEFAULT 'rule_based_only',
                    decision_source TEXT DEFAULT 'rule_based_only',
                    sprint_id TEXT,
                    chronicle_note_id UUID,
                    embedding vector(%d))""".formatted(dimensions));
        s.execute("CREATE INDEX idx_agent_episodes_project ON agent_episodes (project_id, timestamp DESC)");
        s.execute("CREATE INDEX idx_agent_episodes_embedding ON agent_episodes USING hnsw (embedding vector_cosine_ops)");
        s.execute("""
                CREATE TABLE agent_knowledge (
                    knowledge_id UUID PRIMARY KEY,
                    knowledge_type TEXT NOT NULL,
                    content JSONB NOT NULL,
                    description TEXT,
                    confidence FLOAT DEFAULT 0.5,
                    supporting_episodes UUID[],
                    contradicting_episodes UUID[],
                    times_applied INTEGER DEFAULT 0,
                    success_count INTEGER DEFAULT 0,
                    failure_count INTEGER DEFAULT 0,
                    success_rate FLOAT,
                    created_at TIMESTAMPTZ DEFAULT NOW(),
                    last_validated TIMESTAMPTZ,
                    last_applied TIMESTAMPTZ,
                    created_by TEXT DEFAULT 'system',
                    active BOOLEAN DEFAULT TRUE)""");
        s.execute("""
                CREATE TABLE agent_working_memory (
                    session_id UUID PRIMARY KEY,
                    project_id TEXT NOT NULL,
                    context JSONB NOT NULL,
                    created_at TIMESTAMPTZ DEFAULT NOW(),
                    updated_at TIMESTAMPTZ DEFAULT NOW(),
                    expires_at TIMESTAMPTZ NOT NULL)""");
    }
}
