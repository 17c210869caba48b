package dev.agentmemory.postgres.mybatis;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.jspecify.annotations.Nullable;

/** Maps {@code List<UUID>} to {@code uuid[]}, keeping the order; SQL NULL reads as an empty list. */
public final class UuidListTypeHandler extends BaseTypeHandler<List<UUID>> {

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, List<UUID> parameter, @Nullable JdbcType jdbcType)
            throws SQLException {
        Array array = ps.getConnection().createArrayOf("uuid", parameter.toArray());
        ps.setArray(i, array);
    }

    @Override
    public List<UUID> getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return toList(rs.getArray(columnName));
    }

    @Override
    public List<UUID> getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return toList(rs.getArray(columnIndex));
    }

    @Override
    public List<UUID> getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return toList(cs.getArray(columnIndex));
    }

    private static List<UUID> toList(@Nullable Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            Object[] values = (Object[]) array.getArray();
            List<UUID> out = new ArrayList<>(values.length);
            for (Object v : values) {
                if (v == null) {
                    throw new SQLException("uuid[] holds a NULL element");
                }
                out.add(v instanceof UUID u ? u : UUID.fromString(v.toString()));
            }
            return Collections.unmodifiableList(out);
        } finally {
            array.free();
        }
    }
}
