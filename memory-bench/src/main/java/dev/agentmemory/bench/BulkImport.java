package dev.agentmemory.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.api.Episode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The bulk-import path into {@code agent_episodes}: drop the HNSW index, {@code COPY} the rows in
 * PostgreSQL's binary format, then build the index once, with enough
 * {@code maintenance_work_mem} for the graph to fit.
 *
 * <p>Building an HNSW index over n vectors at once is cheaper than inserting them into it one by
 * one (each insert walks the graph and rewrites neighbours' pages, and takes the index's locks);
 * and a bulk build runs on parallel workers. The benchmark counts the build in the import's rate.
 * Meant for an empty or freshly created table (an import, a migration from the old deployment):
 * {@code COPY} has no {@code ON CONFLICT}, and searches during the import run without the index.
 *
 * <p>Binary {@code COPY} sends vectors as pgvector's binary form ({@code int16} dimensions,
 * {@code int16} zero, then big-endian {@code float4}s), so no float is printed and parsed again.
 */
final class BulkImport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final int FLUSH_BYTES = 4 << 20;

    private BulkImport() {
    }

    /**
     * @param rows how many rows were copied
     * @param copySeconds the time the {@code COPY} took
     * @param indexSeconds the time the index build took
     * @param indexDefinition the index rebuilt
     */
    record Outcome(int rows, double copySeconds, double indexSeconds, String indexDefinition) {
        double totalSeconds() {
            return copySeconds + indexSeconds;
        }
    }

    /**
     * @param dataSource connections to the schema holding {@code agent_episodes}
     * @param count how many episodes
     * @param episodeAt episode {@code i}, with its id set
     * @param vectorAt its vector
     * @param maintenanceWorkMem the session's {@code maintenance_work_mem} for the build, such as {@code 1GB}
     * @return what it took
     */
    static Outcome load(DataSource dataSource, int count, IntFunction<Episode> episodeAt, IntFunction<float[]> vectorAt,
                        String maintenanceWorkMem) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            String index;
            String definition;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                         + " AND tablename = 'agent_episodes' AND indexdef ILIKE '%USING hnsw%'")) {
                if (!rs.next()) {
                    throw new SQLException("agent_episodes has no HNSW index in schema of " + c.getSchema());
                }
                index = rs.getString(1);
                // A partitioned table's index reads "ON ONLY agent_episodes": made so, it would be an
                // empty shell without its partitions' graphs. Without ONLY each partition gets one.
                definition = rs.getString(2).replace(" ON ONLY ", " ON ");
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP INDEX \"" + index + "\"");
            }
            long t0 = System.nanoTime();
            copy(c, count, episodeAt, vectorAt);
            long t1 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                // Session settings; the validated value comes from the benchmark, not from a user.
                s.execute("SET maintenance_work_mem = '" + maintenanceWorkMem.replace("'", "") + "'");
                s.execute(definition);
            }
            long t2 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("RESET maintenance_work_mem");
                s.execute("ANALYZE agent_episodes");
            }
            return new Outcome(count, (t1 - t0) / 1e9, (t2 - t1) / 1e9, definition);
        }
    }

    private static void copy(Connection c, int count, IntFunction<Episode> episodeAt, IntFunction<float[]> vectorAt)
            throws SQLException, IOException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY agent_episodes (episode_id, project_id, \"timestamp\", perception, reasoning, action, outcome,"
                        + " outcome_quality, outcome_recorded_at, agent_version, control_mode, decision_source, sprint_id,"
                        + " chronicle_note_id, embedding) FROM STDIN WITH (FORMAT binary)");
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_BYTES + (1 << 16));
            DataOutputStream out = new DataOutputStream(buffer);
            out.write(HEADER);
            out.writeInt(0);
            out.writeInt(0);
            for (int i = 0; i < count; i++) {
                row(out, episodeAt.apply(i), vectorAt.apply(i));
                if (buffer.size() >= FLUSH_BYTES) {
                    in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            out.writeShort(-1);
            in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void row(DataOutputStream out, Episode e, float[] vector) throws IOException {
        out.writeShort(15);
        uuid(out, e.episodeId());
        text(out, e.projectId());
        timestamp(out, e.timestamp());
        jsonb(out, e.perception());
        jsonb(out, e.reasoning());
        jsonb(out, e.action());
        jsonb(out, e.outcome());
        if (e.outcomeQuality() == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(8);
            out.writeDouble(e.outcomeQuality());
        }
        timestamp(out, e.outcomeRecordedAt());
        text(out, e.agentVersion());
        text(out, e.controlMode());
        text(out, e.decisionSource());
        text(out, e.sprintId());
        uuid(out, e.chronicleNoteId());
        out.writeInt(4 + 4 * vector.length);
        out.writeShort(vector.length);
        out.writeShort(0);
        for (float f : vector) {
            out.writeFloat(f);
        }
    }

    private static void uuid(DataOutputStream out, @Nullable UUID id) throws IOException {
        if (id == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static void text(DataOutputStream out, @Nullable String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void timestamp(DataOutputStream out, @Nullable Instant t) throws IOException {
        if (t == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(8);
        out.writeLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000)
                - POSTGRES_EPOCH_MICROS);
    }

    private static void jsonb(DataOutputStream out, @Nullable Map<String, Object> map) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b;
        try {
            b = JSON.writeValueAsBytes(map);
        } catch (JsonProcessingException e) {
            throw new IOException("episode map is not JSON: " + e.getMessage(), e);
        }
        out.writeInt(b.length + 1);
        out.writeByte(1); // jsonb's binary format version
        out.write(b);
    }
}
