package dev.agentmemory.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.StorageException;
import dev.agentmemory.postgres.mybatis.JsonbTypeHandler;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonbTypeHandlerTest {

    @Test
    void doublesAreWrittenInPlainDecimalWithAFraction() {
        assertThat(JsonbTypeHandler.write(Map.of("x", 6.02214076e23))).isEqualTo("{\"x\":602214076000000000000000.0}");
        assertThat(JsonbTypeHandler.write(Map.of("x", 1.0))).isEqualTo("{\"x\":1.0}");
        assertThat(JsonbTypeHandler.write(Map.of("x", 1.5e-10))).isEqualTo("{\"x\":0.00000000015}");
        assertThat(JsonbTypeHandler.write(Map.of("x", new BigDecimal("1E+3")))).isEqualTo("{\"x\":1000}");
    }

    @Test
    void readingGivesTheCanonicalNumbers() {
        Map<String, Object> read = JsonbTypeHandler.read("doc",
                "{\"i\": 14, \"l\": 9007199254740993, \"b\": 123456789012345678901234567890,"
                        + " \"d\": 602214076000000000000000.0, \"t\": 0.1, \"p\": 3.141592653589793238462643383279}");

        assertThat(read.get("i")).isEqualTo(14);
        assertThat(read.get("l")).isEqualTo(9_007_199_254_740_993L);
        assertThat(read.get("b")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(read.get("d")).isEqualTo(6.02214076e23);
        assertThat(read.get("t")).isEqualTo(0.1);
        assertThat(read.get("p")).isEqualTo(new BigDecimal("3.141592653589793238462643383279"));
    }

    @Test
    void aMapSurvivesWritingAndReading() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "quote \" backslash \\ naïve 🚀");
        map.put("nothing", null);
        map.put("list", List.of(1, 2.5, List.of(), Map.of("deep", true)));
        map.put("large", 1e300);
        map.put("negative", -2.75);

        assertThat(JsonbTypeHandler.read("doc", JsonbTypeHandler.write(map))).isEqualTo(map);
    }

    @Test
    void jsonThatIsNoObjectIsAStorageErrorNamingTheColumn() {
        assertThatThrownBy(() -> JsonbTypeHandler.read("perception", "[1, 2]"))
                .isInstanceOf(StorageException.class).hasMessageContaining("perception").hasMessageContaining("array");
        assertThatThrownBy(() -> JsonbTypeHandler.read("perception", "{oops"))
                .isInstanceOf(StorageException.class).hasMessageContaining("perception");
    }
}
