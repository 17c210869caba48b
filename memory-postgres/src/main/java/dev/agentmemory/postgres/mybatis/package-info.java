/**
 * MyBatis type handlers for the PostgreSQL types agent-memory stores: pgvector's {@code vector},
 * {@code jsonb} holding JSON-like maps, {@code uuid}, {@code uuid[]} and {@code timestamptz}.
 * They need no per-connection registration, so they work on any {@link javax.sql.DataSource} and
 * behind pgbouncer.
 */
@NullMarked
package dev.agentmemory.postgres.mybatis;

import org.jspecify.annotations.NullMarked;
