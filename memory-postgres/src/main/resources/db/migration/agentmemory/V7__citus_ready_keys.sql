-- agent-memory schema, version 7: keys that Citus can distribute by project_id.
--
-- Citus distributes a table by one column and enforces a unique key only when the key holds that
-- column; PostgreSQL's hash partitioning by project_id (PostgresPartitioning) has the same rule.
-- So the tables a project's rows live in are keyed by (project_id, id):
--
--   agent_episodes        PRIMARY KEY (project_id, episode_id)
--   agent_working_memory  PRIMARY KEY (project_id, session_id)
--
-- and keep a plain (non-unique) index on the id alone, so that a lookup by id (getEpisode,
-- recordOutcome, a session's get and put) stays one index probe.
--
-- Episode ids stay unique across projects all the same: the library's insert stores an id only
-- when no project holds it yet (EpisodeMapper.xml, insert), so storing an id a second time, in the
-- same project or another, writes nothing, as it did when episode_id alone was the key. Only two
-- writers inserting one id into two projects at the same instant could both pass that check; ids
-- are random UUIDs, so that takes a caller who reuses one on purpose (docs/postgres-scale-out.md).
--
-- agent_knowledge (strategies, shared by every project, no project_id), agent_strategy_applications
-- (keyed by strategy, written in the transaction that moves the strategy's counters) and
-- agent_memory_meta stay as they are: under Citus they are reference tables, copied to every node.
--
-- A table taken over from the earlier deployment may have its primary key under another name:
-- it is found in the catalog, not by name. Rebuilding a key builds its index anew and holds an
-- exclusive lock on the table while it does.

SET LOCAL client_min_messages = warning;

DO $$
DECLARE
    keyed constant text[][] := ARRAY[
        ['agent_episodes',       'episode_id'],
        ['agent_working_memory', 'session_id']
    ];
    i integer;
    tbl regclass;
    pkey text;
    has_project boolean;
BEGIN
    FOR i IN 1 .. array_length(keyed, 1) LOOP
        tbl := to_regclass(quote_ident(current_schema()) || '.' || keyed[i][1]);
        CONTINUE WHEN tbl IS NULL;
        SELECT c.conname,
               EXISTS (SELECT 1 FROM unnest(c.conkey) k(attnum)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                       WHERE a.attname = 'project_id')
        INTO pkey, has_project
        FROM pg_constraint c
        WHERE c.conrelid = tbl AND c.contype = 'p';
        IF pkey IS NOT NULL AND has_project THEN
            CONTINUE;
        END IF;
        IF pkey IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, pkey);
        END IF;
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (project_id, %I)',
                       tbl, keyed[i][1] || '_pkey', keyed[i][2]);
    END LOOP;
END
$$;

CREATE INDEX IF NOT EXISTS agent_episodes_episode_id_idx ON agent_episodes (episode_id);
CREATE INDEX IF NOT EXISTS agent_working_memory_session_id_idx ON agent_working_memory (session_id);
