package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.postgres.mybatis.JsonbTypeHandler;
import dev.agentmemory.postgres.mybatis.UuidListTypeHandler;
import dev.agentmemory.postgres.mybatis.VectorTypeHandler;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.type.JdbcType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.PGobject;

/**
 * The type handlers against the real driver and server: vectors written as {@link PGvector} and
 * read back in text and in binary transfer, with and without the type registered (as
 * pgvector-java's own JDBC test does), and sent in binary by a connection the handler registered
 * the type with; jsonb numbers; uuid arrays.
 */
class TypeHandlersIT {

    /** Components whose text form is long or whose binary form is easy to get wrong. */
    private static final float[] TRICKY = {0.1f, -1e-7f, 3.4028235e38f, -1.4e-45f, 1f / 3, 0f, -0f, 123456.79f};

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createTable() throws SQLException {
        dataSource = TestDatabase.freshSchema(TypeHandlersIT.class);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE codec (id int PRIMARY KEY, embedding vector(8), doc jsonb, ids uuid[])");
        }
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Test
    void vectorWrittenByTheHandlerReadsBackInTextWithoutRegisteringTheType() throws SQLException {
        write(1, TRICKY);
        // A connection of its own: the one that wrote has the type registered by the handler.
        try (Connection c = TestDatabase.connect()) {
            c.createStatement().execute("SET search_path = " + TestDatabase.schemaName(TypeHandlersIT.class) + ", public");
            Object raw = readRaw(c, 1);

            assertThat(raw).isInstanceOf(PGobject.class).isNotInstanceOf(PGvector.class);
            assertThat(VectorTypeHandler.toArray(raw)).containsExactly(TRICKY);
            assertThat(readWithHandler(c, 1)).containsExactly(TRICKY);
        }
    }

    @Test
    void vectorReadsBackInTextWhenTheConnectionRegisteredTheType() throws SQLException {
        write(2, TRICKY);
        try (Connection c = TestDatabase.connect()) {
            c.createStatement().execute("SET search_path = " + TestDatabase.schemaName(TypeHandlersIT.class) + ", public");
            PGvector.addVectorType(c);

            assertThat(readRaw(c, 2)).isInstanceOf(PGvector.class);
            assertThat(readWithHandler(c, 2)).containsExactly(TRICKY);
        }
    }

    @Test
    void vectorReadsBackInBinaryTransfer() throws SQLException {
        write(3, TRICKY);
        try (Connection c = TestDatabase.connect()) {
            c.createStatement().execute("SET search_path = " + TestDatabase.schemaName(TypeHandlersIT.class) + ", public");
            // Server-prepared from the first execution, so results come in binary where the driver
            // knows a binary form, as PGvector registers one.
            c.unwrap(PGConnection.class).setPrepareThreshold(-1);
            PGvector.addVectorType(c);

            assertThat(readRaw(c, 3)).isInstanceOf(PGvector.class);
            assertThat(readWithHandler(c, 3)).containsExactly(TRICKY);
            assertThat(readWithHandler(c, 3)).containsExactly(TRICKY);
        }
    }

    @Test
    void connectionThatBoundAVectorSendsItInBinaryAndItReadsBackExactly() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO codec (id, embedding) VALUES (?, ?)")) {
                ps.setInt(1, 8);
                new VectorTypeHandler().setParameter(ps, 2, TRICKY, JdbcType.OTHER);
                ps.executeUpdate();
            }
            BaseConnection pg = c.unwrap(BaseConnection.class);

            assertThat(pg.binaryTransferSend(pg.getTypeInfo().getPGType("vector"))).isTrue();
            assertThat(readRaw(c, 8)).isInstanceOf(PGvector.class);
            assertThat(readWithHandler(c, 8)).containsExactly(TRICKY);
        }
    }

    @Test
    void nullVectorReadsAsNull() throws SQLException {
        write(4, null);
        try (Connection c = dataSource.getConnection()) {
            assertThat(readWithHandler(c, 4)).isNull();
        }
    }

    @Test
    void jsonbKeepsEveryKindOfNumberAndReadsBackCanonical() throws SQLException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("int", 14);
        doc.put("long", 9_007_199_254_740_993L);
        doc.put("big", new BigInteger("123456789012345678901234567890"));
        doc.put("whole double", 1.0);
        doc.put("large double", 6.02214076e23);
        doc.put("tiny double", 1.5e-10);
        doc.put("decimal", new BigDecimal("3.141592653589793238462643383279"));
        doc.put("nested", Map.of("list", List.of(1, 2.5, "x", true)));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO codec (id, doc) VALUES (5, ?)")) {
            new JsonbTypeHandler().setParameter(ps, 1, doc, null);
            ps.executeUpdate();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT doc, jsonb_typeof(doc -> 'large double') FROM codec WHERE id = 5");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Map<String, Object> read = new JsonbTypeHandler().getResult(rs, "doc");

            assertThat(read).isEqualTo(doc);
            assertThat(read.get("long")).isInstanceOf(Long.class);
            assertThat(read.get("big")).isInstanceOf(BigInteger.class);
            assertThat(read.get("large double")).isInstanceOf(Double.class);
            assertThat(read.get("decimal")).isEqualTo(new BigDecimal("3.141592653589793238462643383279"));
            assertThat(rs.getString(2)).isEqualTo("number");
        }
    }

    @Test
    void uuidArrayKeepsItsOrderAndNullReadsAsEmpty() throws SQLException {
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO codec (id, ids) VALUES (?, ?)")) {
            ps.setInt(1, 6);
            new UuidListTypeHandler().setParameter(ps, 2, ids, null);
            ps.executeUpdate();
            ps.setInt(1, 7);
            ps.setNull(2, java.sql.Types.ARRAY);
            ps.executeUpdate();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ids FROM codec WHERE id = ?")) {
            ps.setInt(1, 6);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(new UuidListTypeHandler().getResult(rs, "ids")).containsExactlyElementsOf(ids);
            }
            ps.setInt(1, 7);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(new UuidListTypeHandler().getResult(rs, "ids")).isEmpty();
            }
        }
    }

    private static void write(int id, float @Nullable [] vector) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO codec (id, embedding) VALUES (?, ?)")) {
            ps.setInt(1, id);
            new VectorTypeHandler().setParameter(ps, 2, vector, JdbcType.OTHER);
            ps.executeUpdate();
        }
    }

    private static Object readRaw(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT embedding FROM codec WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }

    private static float[] readWithHandler(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT embedding FROM codec WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new VectorTypeHandler().getResult(rs, "embedding");
            }
        }
    }
}
