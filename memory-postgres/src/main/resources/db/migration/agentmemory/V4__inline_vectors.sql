-- agent-memory schema, version 4: vectors kept in the row.
--
-- pgvector declares its type with storage EXTERNAL, so a row longer than about 2 kB (a 384-float
-- vector is 1.5 kB, and the episode's JSON columns come on top) has its vector moved out to the
-- table's TOAST relation. Every exact distance then costs a TOAST index lookup and a second page
-- read: a search over a project of 1,000 episodes among 100,000 read 4,008 pages in 9.5 ms, and
-- reads 1,008 in 2.2 ms with the vectors in the row (EXPLAIN ANALYZE, 384 dimensions).
--
-- STORAGE MAIN keeps the vector in the row and moves the JSON columns out first; the vector itself
-- goes out only when the row would not fit in a page even then (about 2,000 dimensions and up), so
-- a row of any size the schema allows still inserts. (PLAIN would refuse such rows.) The same for
-- agent_knowledge, whose strategy ranking reads the vector of every active strategy.
--
-- The change is to the catalog only: no row is rewritten and the locks are held for an instant.
-- Rows stored before it keep their vectors in TOAST until they are written again: a table taken
-- over, or upgraded from an earlier version of this library, searches as before until then.
-- Rewriting is left to the operator, because it locks the table for as long as it runs:
--     VACUUM FULL agent_episodes;  VACUUM FULL agent_knowledge;
-- (an exclusive lock while it copies the table and rebuilds its indexes, the HNSW index included;
-- pg_repack does the same with brief locks). Updating a row's other columns does not move its vector
-- back: PostgreSQL keeps an unchanged TOAST value where it is.

SET LOCAL client_min_messages = warning;

ALTER TABLE agent_episodes ALTER COLUMN embedding SET STORAGE MAIN;
ALTER TABLE agent_knowledge ALTER COLUMN embedding SET STORAGE MAIN;
