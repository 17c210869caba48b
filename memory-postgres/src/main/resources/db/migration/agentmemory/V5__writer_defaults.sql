-- agent-memory schema, version 5: ids and timestamps default on the server.
--
-- The orchestrator's earlier deployment keeps writing to these tables while it is replaced, and
-- its writers leave the ids and timestamps to the database: they insert an episode without
-- episode_id and read it back with RETURNING episode_id, and insert strategies and sessions
-- without their ids and times. V1 to V3 declared those columns without a default, so such an insert
-- failed with "null value in column ...". This library still assigns every id on the client before
-- it writes (a retried write must not make a twin); the defaults serve the other writers only.
--
-- A column that already has a default (a taken-over table may have its own, uuid_generate_v4()
-- for instance) keeps it. gen_random_uuid() is built into PostgreSQL 13 and later.

SET LOCAL client_min_messages = warning;

DO $$
DECLARE
    wanted constant text[][] := ARRAY[
        ['agent_episodes',       'episode_id',     'gen_random_uuid()'],
        ['agent_episodes',       'timestamp',      'now()'],
        ['agent_knowledge',      'knowledge_id',   'gen_random_uuid()'],
        ['agent_knowledge',      'knowledge_type', '''strategy'''],
        ['agent_knowledge',      'created_at',     'now()'],
        ['agent_working_memory', 'session_id',     'gen_random_uuid()'],
        ['agent_working_memory', 'created_at',     'now()'],
        ['agent_working_memory', 'updated_at',     'now()'],
        -- A session written without its expiry lives a day, as the library's own sessions need
        -- an expiry to be found at all.
        ['agent_working_memory', 'expires_at',     '(now() + interval ''1 day'')']
    ];
    i integer;
BEGIN
    FOR i IN 1 .. array_length(wanted, 1) LOOP
        IF EXISTS (
            SELECT 1
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.' || wanted[i][1])
              AND a.attname = wanted[i][2] AND NOT a.attisdropped AND NOT a.atthasdef
        ) THEN
            EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT %s',
                           wanted[i][1], wanted[i][2], wanted[i][3]);
        END IF;
    END LOOP;
END
$$;
