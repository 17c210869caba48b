package dev.agentmemory.postgres.mybatis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.StorageException;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGobject;

/**
 * Maps a JSON-like {@code Map<String, Object>} (see {@link JsonValues}) to {@code jsonb}.
 *
 * <p>Reads give back the canonical form {@link JsonValues#copyMap} produces, so a map reads back
 * equal to the one written: whole numbers as {@code Integer}, {@code Long} or {@code BigInteger},
 * others as {@code Double} (or {@code BigDecimal} when a double cannot hold them).
 *
 * <p>{@code jsonb} keeps numbers as {@code numeric}, which forgets that {@code 6.02214076E23} was a
 * double: it prints it back as {@code 602214076000000000000000}, a whole number. So a double is
 * written in plain decimal with a fraction ({@code 602214076000000000000000.0}), which
 * {@code numeric} keeps and which reads back as a double.
 */
public final class JsonbTypeHandler extends BaseTypeHandler<Map<String, Object>> {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .addModule(new SimpleModule("agent-memory-jsonb").addSerializer(Double.class, new PlainDoubleSerializer()))
            .build();

    static {
        // jsonb holds strings up to 255 MB; Jackson's default limit (20 M characters) would make a
        // stored value unreadable.
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).build());
    }

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, Map<String, Object> parameter,
                                    @Nullable JdbcType jdbcType) throws SQLException {
        PGobject jsonb = new PGobject();
        jsonb.setType("jsonb");
        jsonb.setValue(write(parameter));
        ps.setObject(i, jsonb);
    }

    @Override
    public @Nullable Map<String, Object> getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return read(columnName, rs.getString(columnName));
    }

    @Override
    public @Nullable Map<String, Object> getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return read("column " + columnIndex, rs.getString(columnIndex));
    }

    @Override
    public @Nullable Map<String, Object> getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return read("column " + columnIndex, cs.getString(columnIndex));
    }

    /**
     * @param map a JSON-like map
     * @return its JSON text, with doubles written so that {@code jsonb} keeps them doubles
     */
    public static String write(Map<String, ?> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot write a map as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param field the column, named in errors
     * @param text JSON text of an object, or null
     * @return the canonical JSON-like map, or null for null
     * @throws StorageException when the text is not a JSON object
     */
    public static @Nullable Map<String, Object> read(String field, @Nullable String text) {
        if (text == null) {
            return null;
        }
        Object value;
        try {
            value = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new StorageException("column " + field + " holds JSON that cannot be read: " + e.getOriginalMessage(), e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new StorageException("column " + field + " holds a JSON " + kind(value) + ", expected an object", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> object = (Map<String, ?>) map;
        return JsonValues.copyMap(field, object);
    }

    private static String kind(@Nullable Object value) {
        return value == null ? "null" : value instanceof java.util.List ? "array" : value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes a double in plain decimal with at least one fractional digit. */
    private static final class PlainDoubleSerializer extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        PlainDoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double d = value;
            if (!Double.isFinite(d)) {
                // JsonValues never lets one through; fail loudly rather than write invalid JSON.
                throw new IOException("cannot write " + d + " as JSON");
            }
            // Double.toString gives the shortest text that reads back as the same double.
            String plain = new BigDecimal(Double.toString(d)).toPlainString();
            gen.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
    }
}
