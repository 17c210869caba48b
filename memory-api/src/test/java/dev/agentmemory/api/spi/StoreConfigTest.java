package dev.agentmemory.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void toStringHidesThePasswordAndPasswordsInTheUrlAndProperties() {
        StoreConfig config = StoreConfig.builder()
                .dimensions(384)
                .jdbcUrl("jdbc:postgresql://localhost/db?user=u&password=urlsecret")
                .username("agent")
                .password("topsecret")
                .property("pool.size", "4")
                .property("ssl.password", "propsecret")
                .property("password", "plainsecret")
                .build();

        String shown = config.toString();

        assertThat(shown).doesNotContain("urlsecret").doesNotContain("topsecret")
                .doesNotContain("propsecret").doesNotContain("plainsecret")
                .contains("dimensions=384").contains("username=agent").contains("password=****")
                .contains("pool.size=4");
        assertThat(config.password()).contains("topsecret");
    }

    @Test
    void toStringSaysWhenNoPasswordIsSet() {
        assertThat(StoreConfig.builder().dimensions(3).build().toString()).contains("password=(not set)");
    }

    @Test
    void builderChecksItsValues() {
        assertThatThrownBy(() -> StoreConfig.builder().build())
                .isInstanceOf(InvalidInputException.class).hasMessage("dimensions: is required");
        assertThatThrownBy(() -> StoreConfig.builder().dimensions(0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimensions");
        assertThatThrownBy(() -> StoreConfig.builder().dimensions(16_001))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("16001");
        assertThatThrownBy(() -> StoreConfig.builder().jdbcUrl("postgresql://u:secret@h/db"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("jdbc:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void intPropertyReadsANumberOrSaysWhichPropertyIsNot() {
        StoreConfig config = StoreConfig.builder().dimensions(3).property("pool.size", " 8 ").property("bad", "x").build();

        assertThat(config.intProperty("pool.size", 1)).isEqualTo(8);
        assertThat(config.intProperty("absent", 5)).isEqualTo(5);
        assertThatThrownBy(() -> config.intProperty("bad", 1))
                .isInstanceOf(InvalidInputException.class).hasMessage("bad: 'x' is not a whole number");
    }

    @Test
    void embedderConfigHidesSecretsToo() {
        EmbedderConfig config = EmbedderConfig.builder()
                .url("https://u:urlsecret@embed.example")
                .property("api-key", "keysecret")
                .timeout(Duration.ofSeconds(3))
                .build();

        assertThat(config.toString()).doesNotContain("urlsecret").doesNotContain("keysecret").contains("PT3S");
    }
}
