package dev.agentmemory.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.StoreConfig;
import org.junit.jupiter.api.Test;

/** What the provider refuses before it connects anywhere. */
class PostgresStoreProviderTest {

    private final PostgresStoreProvider provider = new PostgresStoreProvider();

    @Test
    void itIsNamedPostgres() {
        assertThat(provider.name()).isEqualTo("postgres");
    }

    @Test
    void withNeitherDataSourceNorUrlItSaysWhatIsMissing() {
        assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("DataSource").hasMessageContaining("JDBC URL");
    }

    @Test
    void badPropertiesAreRejectedNamingTheProperty() {
        StoreConfig.Builder base = StoreConfig.builder().dimensions(8).jdbcUrl("jdbc:postgresql://127.0.0.1:1/x");

        assertThatThrownBy(() -> provider.open(base.property(PostgresStoreProvider.CONFIDENCE_FLOOR, "high").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(PostgresStoreProvider.CONFIDENCE_FLOOR);
        assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8).jdbcUrl("jdbc:postgresql://127.0.0.1:1/x")
                .property(PostgresStoreProvider.PGBOUNCER, "yes").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(PostgresStoreProvider.PGBOUNCER);
        assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8).jdbcUrl("jdbc:postgresql://127.0.0.1:1/x")
                .property(PostgresStoreProvider.MIGRATION_JDBC_URL, "postgres://user:secret@host/db").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(PostgresStoreProvider.MIGRATION_JDBC_URL)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8).jdbcUrl("jdbc:postgresql://127.0.0.1:1/x")
                .property(PostgresStoreProvider.POOL_SIZE, "0").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(PostgresStoreProvider.POOL_SIZE);
    }
}
