-- agent-memory schema, version 6: each application of a strategy in an episode, once.
--
-- An application is a fact keyed by (strategy, episode). Recording an outcome inserts it with
-- ON CONFLICT in the transaction that stores the outcome, so two callers recording the same
-- outcome, or a retry after a lost answer, count it once; another quality for the episode updates
-- the row and moves the strategy's counts from success to failure or back. The counters in
-- agent_knowledge (times_applied, success_count, failure_count, success_rate, confidence) stay
-- where they are and move with these rows, because the earlier deployment still writes and reads
-- them there.
--
-- The evidence lists supporting_episodes and contradicting_episodes already recorded become rows
-- here, so that an outcome recorded again for such an episode is not counted a second time; from
-- now on the lists keep the newest 100 ids each (dev.agentmemory.api.Evidence), the rows all.

SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS agent_strategy_applications (
    knowledge_id uuid NOT NULL REFERENCES agent_knowledge (knowledge_id) ON DELETE CASCADE,
    episode_id   uuid NOT NULL,
    success      boolean NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (knowledge_id, episode_id)
);

-- What an episode's outcome touches.
CREATE INDEX IF NOT EXISTS agent_strategy_applications_episode_idx
    ON agent_strategy_applications (episode_id);

INSERT INTO agent_strategy_applications (knowledge_id, episode_id, success)
SELECT k.knowledge_id, e.id, true
FROM agent_knowledge k, unnest(coalesce(k.supporting_episodes, '{}')) AS e(id)
WHERE e.id IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO agent_strategy_applications (knowledge_id, episode_id, success)
SELECT k.knowledge_id, e.id, false
FROM agent_knowledge k, unnest(coalesce(k.contradicting_episodes, '{}')) AS e(id)
WHERE e.id IS NOT NULL
ON CONFLICT DO NOTHING;
