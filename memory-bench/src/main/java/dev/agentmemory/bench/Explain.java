package dev.agentmemory.bench;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The plans of a similarity search as {@code PostgresAgentMemoryStore} runs it, for the report's
 * profile of a missed PostgreSQL search: the same choice between the exact scan and the HNSW index
 * (the table's row estimate for an unfiltered search, else the capped count against the store's
 * limit for that table size and a limit of 10), then
 * {@code EXPLAIN (ANALYZE, BUFFERS)} of the statements it would run, written like its mapper's.
 */
final class Explain {

    static final int EXACT_SCAN_MAX = 5_000;
    /** PostgresAgentMemoryStore's SMALL_SCAN_ROWS and INDEX_STEP_COST, for a search of 10. */
    static final int SMALL_SCAN_ROWS = 1_000;
    static final int INDEX_STEP_COST = 16;
    static final int LIMIT = 10;
    private static final String COLUMNS = "episode_id, project_id, \"timestamp\", perception, reasoning, action, outcome,"
            + " outcome_quality, outcome_recorded_at, agent_version, control_mode, decision_source, sprint_id,"
            + " chronicle_note_id";

    private Explain() {
    }

    static String search(DataSource dataSource, float[] query, @Nullable String project) {
        StringBuilder out = new StringBuilder();
        String filter = project == null ? "" : " AND project_id = ?";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            boolean indexed;
            long rows = estimate(c);
            int most = (int) Math.min(EXACT_SCAN_MAX, Math.max(SMALL_SCAN_ROWS,
                    Math.sqrt((double) INDEX_STEP_COST * LIMIT * Math.max(0, rows))));
            if (project == null && rows > most) {
                out.append("-- unfiltered, the table's estimated ").append(rows).append(" rows are above the exact scan's ")
                        .append(most).append(": HNSW index, no count\n");
                indexed = true;
            } else {
                String count = "SELECT count(*) FROM (SELECT 1 FROM agent_episodes"
                        + (project == null ? "" : " WHERE project_id = ?") + " LIMIT " + (most + 1) + ") candidates";
                out.append("-- ").append(count).append('\n');
                explain(c, count, project, null, out);
                long n = count(c, count, project);
                indexed = n > most;
                out.append("-- ").append(n).append(" candidates, exact up to ").append(most).append(": ")
                        .append(indexed ? "HNSW index" : "exact scan").append('\n');
            }
            PGvector v = new PGvector(query);
            if (indexed) {
                if (project != null) {
                    // Only a filtered walk sets these; an unfiltered one takes the server's ef_search.
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '40', true)");
                    }
                }
                explain(c, "SELECT " + COLUMNS + ", 1 - (embedding <=> ?) AS similarity FROM agent_episodes"
                        + " WHERE embedding IS NOT NULL" + filter + " ORDER BY embedding <=> ? LIMIT 10", project, v, out);
            } else {
                explain(c, "SELECT " + COLUMNS + ", 1 - distance AS similarity FROM (SELECT " + COLUMNS
                        + ", embedding <=> ? AS distance FROM agent_episodes WHERE embedding IS NOT NULL" + filter
                        + " OFFSET 0) candidates ORDER BY distance, episode_id LIMIT 10", project, v, out);
            }
            c.rollback();
        } catch (SQLException e) {
            out.append("EXPLAIN failed: ").append(e.getMessage());
        }
        return out.toString();
    }

    private static long estimate(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             // As EpisodeMapper.xml's estimateRows: a partitioned table's partitions summed.
             ResultSet rs = s.executeQuery("SELECT COALESCE(sum(GREATEST(c.reltuples::bigint,"
                     + " pg_stat_get_live_tuples(c.oid), 0)), 0)::bigint FROM pg_class c WHERE c.relkind = 'r'"
                     + " AND (c.oid = to_regclass('agent_episodes') OR c.oid IN (SELECT inhrelid FROM pg_inherits"
                     + " WHERE inhparent = to_regclass('agent_episodes')))")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection c, String sql, @Nullable String project) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (project != null) {
                ps.setString(1, project);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // Binds the vector to every "embedding <=> ?" and the project to the filter, in text order.
    private static void explain(Connection c, String sql, @Nullable String project, @Nullable PGvector vector,
                                StringBuilder out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            int i = 1;
            int at = 0;
            String rest = sql;
            while (true) {
                int v = rest.indexOf("<=> ?", at);
                int p = project == null ? -1 : rest.indexOf("project_id = ?", at);
                if (v < 0 && p < 0) {
                    break;
                }
                if (v >= 0 && (p < 0 || v < p)) {
                    ps.setObject(i++, vector);
                    at = v + 5;
                } else {
                    ps.setString(i++, project);
                    at = p + 14;
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    // The plan repeats the query vector in full; its 384 numbers say nothing here.
                    out.append(line.replaceAll("'\\[[-0-9.,e]+\\]'", "'[query]'")).append('\n');
                }
            }
        }
    }
}
