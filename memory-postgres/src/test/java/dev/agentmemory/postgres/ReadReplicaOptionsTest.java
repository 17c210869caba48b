package dev.agentmemory.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read.* settings: parsed, defaulted, checked, and shown without a password. */
class ReadReplicaOptionsTest {

    @Test
    void byDefaultEveryReadStaysOnThePrimary() {
        ReadReplicaOptions reads = PostgresStoreOptions.ofDefaults().readReplicas();
        assertThat(reads.enabled()).isFalse();
        assertThat(reads.maxLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(reads.checkInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void propertiesGiveOneOrMoreStandbysAndTheirBounds() {
        ReadReplicaOptions reads = PostgresStoreOptions.fromProperties(Map.of(
                "read.jdbc-url", " jdbc:postgresql://r1:5432/db ;jdbc:postgresql://r2:5432/db  jdbc:postgresql://r3/db",
                "read.max-lag", "2s", "read.check-interval", "100ms")).readReplicas();
        assertThat(reads.jdbcUrls()).containsExactly("jdbc:postgresql://r1:5432/db", "jdbc:postgresql://r2:5432/db",
                "jdbc:postgresql://r3/db");
        assertThat(reads.maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(reads.checkInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(PostgresStoreOptions.from(PostgresStoreOptions.builder().readJdbcUrls(reads.jdbcUrls()).build())
                .build().readReplicas().jdbcUrls()).hasSize(3);
    }

    @Test
    void readsWaitForEveryWriteOfTheStoresUnlessToldOnlyTheThreadsOwn() {
        assertThat(PostgresStoreOptions.ofDefaults().readReplicas().consistency())
                .isEqualTo(ReadReplicaOptions.Consistency.STORES);
        assertThat(PostgresStoreOptions.fromProperties(Map.of("read.consistency", "thread")).readReplicas().consistency())
                .isEqualTo(ReadReplicaOptions.Consistency.THREAD);
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("read.consistency", "eventual")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("read.consistency");
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("read.jdbc-url", "postgres://u:secret@r1/db")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("read.jdbc-url")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("read.max-lag", "soon")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("read.max-lag");
        // A bound below two checks would drop a standby that is merely between them.
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("read.max-lag", "300ms",
                "read.check-interval", "200ms")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("read.max-lag");
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("read.check-interval", "5ms")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("read.check-interval");
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("read.jdbc-urls", "jdbc:postgresql://r1/db")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("read.jdbc-urls")
                .hasMessageContaining("read.jdbc-url");
    }

    @Test
    void aPasswordInAStandbyUrlIsNeverShown() {
        PostgresStoreOptions options = PostgresStoreOptions.builder()
                .readJdbcUrls(List.of("jdbc:postgresql://r1:5432/db?user=reader&password=hunter2")).build();
        assertThat(options.toString()).contains("r1:5432").doesNotContain("hunter2");
    }
}
