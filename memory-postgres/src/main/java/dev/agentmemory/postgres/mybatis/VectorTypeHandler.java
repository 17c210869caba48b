package dev.agentmemory.postgres.mybatis;

import com.pgvector.PGvector;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.MappedJdbcTypes;
import org.apache.ibatis.type.MappedTypes;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.PGobject;

/**
 * Maps {@code float[]} to pgvector's {@code vector}.
 *
 * <p>Writes a {@link PGvector}. Reads whatever the driver hands back: a {@link PGvector} when the
 * connection registered the type (text or binary transfer), otherwise a plain {@link PGobject}
 * whose value is the text form {@code [1,2,3]}. So no connection has to be prepared by the caller.
 *
 * <p>The first time a connection binds a vector, it is registered with that connection
 * ({@code addDataType}, what {@link PGvector#addVectorType} does), so that the driver sends it in
 * pgvector's binary form from then on: 2 µs to encode 384 dimensions against 70 µs for the text
 * form, whose float printing was the largest part of this JVM's CPU in a batch insert
 * (memory-bench, VectorCodecBenchmark and the store-only ingest). A connection that is not the
 * PostgreSQL driver's, or a database where the type is not found, keeps the text form.
 */
@MappedTypes(float[].class)
@MappedJdbcTypes(value = JdbcType.OTHER, includeNullJdbcType = true)
public final class VectorTypeHandler extends BaseTypeHandler<float[]> {

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, float[] parameter, @Nullable JdbcType jdbcType)
            throws SQLException {
        sendBinary(ps.getConnection());
        ps.setObject(i, new PGvector(parameter));
    }

    // Once per physical connection: the driver keeps the registration for the connection's life.
    private static void sendBinary(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(BaseConnection.class)) {
            return;
        }
        BaseConnection pg = connection.unwrap(BaseConnection.class);
        if (pg.getTypeInfo().getPGobject("vector") == null) {
            pg.addDataType("vector", PGvector.class);
        }
    }

    @Override
    public float @Nullable [] getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return toArray(rs.getObject(columnName));
    }

    @Override
    public float @Nullable [] getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return toArray(rs.getObject(columnIndex));
    }

    @Override
    public float @Nullable [] getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return toArray(cs.getObject(columnIndex));
    }

    /**
     * @param value what the driver returned for a {@code vector} column
     * @return its components, or null for SQL NULL
     * @throws SQLException when the value is not a vector
     */
    public static float @Nullable [] toArray(@Nullable Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof PGvector v) {
            // toArray() hands out PGvector's own array; the copy keeps it from being shared.
            float[] a = v.toArray();
            return a == null ? null : a.clone();
        }
        if (value instanceof PGobject o) {
            String text = o.getValue();
            return text == null ? null : new PGvector(text).toArray();
        }
        if (value instanceof String s) {
            return new PGvector(s).toArray();
        }
        throw new SQLException("expected a vector, found a " + value.getClass().getName());
    }
}
