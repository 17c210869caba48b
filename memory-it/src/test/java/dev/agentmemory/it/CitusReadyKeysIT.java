package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresPartitioning;
import dev.agentmemory.postgres.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether the schema can be distributed by Citus by project_id, checked in the catalog (Citus is
 * not installed here, so create_distributed_table itself never runs): Citus refuses a distributed
 * table with a unique index or constraint that does not hold the distribution column, and a
 * foreign key from a reference table to a distributed one. Every table of the schema must be
 * classed as one or the other (docs/postgres-scale-out.md), so a table added later without a
 * decision fails here. On each layout: made by our migrations, taken over from the earlier
 * deployment, and partitioned by project.
 */
class CitusReadyKeysIT {

    /** Distributed by project_id, colocated. */
    static final Set<String> DISTRIBUTED = Set.of("agent_episodes", "agent_working_memory");
    /** Copied to every node: global strategies, their applications and the meta table. */
    static final Set<String> REFERENCE = Set.of("agent_knowledge", "agent_strategy_applications", "agent_memory_meta");
    /** Flyway's own, left on the coordinator. */
    static final Set<String> LOCAL = Set.of(PostgresSchema.HISTORY_TABLE);

    private static final String PREFIX = TestDatabase.schemaName(CitusReadyKeysIT.class);

    static Stream<Arguments> layouts() {
        return Stream.of(Arguments.of("made by our migrations", false, 0), Arguments.of("taken over", true, 0),
                Arguments.of("partitioned by project", false, 4), Arguments.of("taken over, partitioned", true, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void everyUniqueKeyOfTheDistributedTablesHoldsProjectId(String name, boolean takenOver, int partitions)
            throws SQLException {
        try (HikariDataSource ds = schema(takenOver, partitions)) {
            List<String> uniques = rows(ds, """
                    SELECT c.relname || ' ' || ic.relname || ' ' || EXISTS (
                               SELECT 1 FROM unnest(i.indkey) k(attnum)
                               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                               WHERE a.attname = 'project_id')
                    FROM pg_index i
                    JOIN pg_class c ON c.oid = i.indrelid
                    JOIN pg_class ic ON ic.oid = i.indexrelid
                    WHERE i.indisunique
                      AND (i.indrelid = 'agent_episodes'::regclass
                           OR i.indrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'agent_episodes'::regclass)
                           OR i.indrelid = 'agent_working_memory'::regclass)""");
            // The primary keys at least: on the table and, when partitioned, on every partition.
            assertThat(uniques).hasSizeGreaterThanOrEqualTo(2 + partitions);
            assertThat(uniques).allSatisfy(u -> assertThat(u).as("unique index without project_id").endsWith(" true"));

            List<String> constraints = rows(ds, """
                    SELECT conrelid::regclass::text || ' ' || conname || ' ' || EXISTS (
                               SELECT 1 FROM unnest(conkey) k(attnum)
                               JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.attnum
                               WHERE a.attname = 'project_id')
                    FROM pg_constraint
                    WHERE contype IN ('p', 'u', 'x')
                      AND (conrelid = 'agent_episodes'::regclass
                           OR conrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'agent_episodes'::regclass)
                           OR conrelid = 'agent_working_memory'::regclass)""");
            assertThat(constraints).isNotEmpty()
                    .allSatisfy(c -> assertThat(c).as("unique constraint without project_id").endsWith(" true"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void everyTableIsDistributedOrReferenceAndNoReferenceTablePointsAtADistributedOne(String name, boolean takenOver,
                                                                                     int partitions) throws SQLException {
        try (HikariDataSource ds = schema(takenOver, partitions)) {
            // Tables of the schema, partitions and a kept plain copy (agent_episodes_unpartitioned) aside.
            Set<String> tables = new TreeSet<>(rows(ds, """
                    SELECT c.relname FROM pg_class c
                    WHERE c.relnamespace = to_regnamespace(current_schema()) AND c.relkind IN ('r', 'p')
                      AND NOT c.relispartition AND c.relname <> 'agent_episodes_unpartitioned'"""));
            Set<String> classed = new TreeSet<>(DISTRIBUTED);
            classed.addAll(REFERENCE);
            classed.addAll(LOCAL);
            assertThat(tables).isEqualTo(classed);
            for (String t : DISTRIBUTED) {
                assertThat(rows(ds, "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = '" + t
                        + "'::regclass AND attname = 'project_id'")).as(t + ".project_id NOT NULL").containsExactly("true");
            }
            List<String> foreignKeys = rows(ds, """
                    SELECT conrelid::regclass::text || ' -> ' || confrelid::regclass::text
                    FROM pg_constraint WHERE contype = 'f' AND connamespace = to_regnamespace(current_schema())""");
            assertThat(foreignKeys).allSatisfy(fk -> {
                String[] ends = fk.split(" -> ");
                assertThat(DISTRIBUTED.contains(ends[0]) || !DISTRIBUTED.contains(ends[1]))
                        .as("a reference table may not point at a distributed one: " + fk).isTrue();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void lookupsByIdHaveAnIndexLedByTheId(String name, boolean takenOver, int partitions) throws SQLException {
        try (HikariDataSource ds = schema(takenOver, partitions)) {
            for (Map.Entry<String, String> e : Map.of("agent_episodes", "episode_id",
                    "agent_working_memory", "session_id").entrySet()) {
                assertThat(rows(ds, """
                        SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = '%s'::regclass AND a.attname = '%s'""".formatted(e.getKey(), e.getValue())))
                        .as("an index led by " + e.getKey() + "." + e.getValue()).isNotEmpty();
            }
        }
    }

    /**
     * Ids stay unique across projects although the key is (project_id, episode_id): an id stored in
     * one project is not stored again in another, and reading it by id finds the first.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void anEpisodeIdAlreadyStoredInOneProjectIsNotStoredInAnother(String name, boolean takenOver, int partitions)
            throws SQLException {
        try (HikariDataSource ds = schema(takenOver, partitions)) {
            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, 16);
            UUID id = UUID.randomUUID();
            float[] v = new float[16];
            v[0] = 1;
            store.storeEpisode(episode("project-a", id), v);
            assertThat(store.storeEpisodesIfAbsent(List.of(episode("project-b", id)), java.util.Collections.singletonList(v)))
                    .isEmpty();
            store.storeEpisode(episode("project-b", id), v);
            assertThat(store.countEpisodes("project-b")).isZero();
            assertThat(store.getEpisodeById(id).orElseThrow().projectId()).isEqualTo("project-a");
            // A fresh id in the other project is stored as ever.
            UUID other = UUID.randomUUID();
            assertThat(store.storeEpisodesIfAbsent(List.of(episode("project-b", other)),
                    java.util.Collections.singletonList(v))).containsExactly(other);
        }
    }

    private static Episode episode(String project, UUID id) {
        return Episode.builder(project).episodeId(id).perception(Map.of("k", 1)).reasoning(Map.of())
                .action(Map.of("a", true)).build();
    }

    private static HikariDataSource schema(boolean takenOver, int partitions) throws SQLException {
        HikariDataSource ds = TestDatabase.freshSchema(PREFIX + (takenOver ? "_taken" : "_ours") + partitions, 3);
        if (takenOver) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                EarlierDeployment.createTables(s, 16);
            }
        }
        PostgresSchema.migrate(ds, 16);
        if (partitions > 0) {
            PostgresPartitioning.partition(ds, partitions, 1000, 0, (moved, total) -> { });
        }
        return ds;
    }

    static List<String> rows(javax.sql.DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
