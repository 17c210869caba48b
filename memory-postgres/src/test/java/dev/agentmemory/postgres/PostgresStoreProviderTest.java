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

    @Test
    void badRetryAndPoolTimingsAreRejectedNamingTheProperty() {
        for (String[] bad : new String[][] {
                {PostgresStoreProvider.RETRY_ATTEMPTS, "0"},
                {PostgresStoreProvider.RETRY_ATTEMPTS, "many"},
                {PostgresStoreProvider.RETRY_BACKOFF, "soon"},
                {PostgresStoreProvider.RETRY_BACKOFF, "2h"},
                {PostgresStoreProvider.CONNECTION_TIMEOUT, "100ms"},
                {PostgresStoreProvider.KEEPALIVE_TIME, "5s"}}) {
            assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8)
                    .jdbcUrl("jdbc:postgresql://127.0.0.1:1/x").property(bad[0], bad[1]).build()))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(bad[0]);
        }
    }

    @Test
    void tlsAndJdbcPrefixedPropertiesGoToTheDriverAndNothingElseDoes() {
        StoreConfig config = StoreConfig.builder().dimensions(8).jdbcUrl("jdbc:postgresql://127.0.0.1:1/x")
                .property("sslmode", "verify-full").property("sslrootcert", "/etc/ca.pem")
                .property("sslpassword", "key-secret").property("jdbc.socketTimeout", "30")
                .property(PostgresStoreProvider.POOL_SIZE, "3").build();

        assertThat(PostgresStoreProvider.driverProperties(config)).containsExactly(
                java.util.Map.entry("sslmode", "verify-full"), java.util.Map.entry("sslrootcert", "/etc/ca.pem"),
                java.util.Map.entry("sslpassword", "key-secret"), java.util.Map.entry("socketTimeout", "30"));
        assertThat(config.toString()).contains("sslmode=verify-full").doesNotContain("key-secret");
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8)
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/x").property("pgbouncr", "true").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pgbouncr")
                .hasMessageContaining("pgbouncer");
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(java.util.Map.of("jdbc.", "x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("jdbc.");
    }

    @Test
    void pgbouncerWithMigrationsAndNoDirectUrlIsRefused() {
        assertThatThrownBy(() -> provider.open(StoreConfig.builder().dimensions(8).migrate(true)
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/x").property("pgbouncer", "true").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("migration.jdbc-url");
    }

    @Test
    void propertiesParseIntoTheTypedOptions() {
        PostgresStoreOptions o = PostgresStoreOptions.fromProperties(java.util.Map.of(
                "pool.size", "4", "pgbouncer", "true", "migration.jdbc-url", "jdbc:postgresql://db/x",
                "retry.deadline", "3s", "search.exact-scan-max", "0", "sslpassword", "key-secret"));
        assertThat(o).isEqualTo(PostgresStoreOptions.builder().poolSize(4).pgbouncer(true)
                .migrationJdbcUrl("jdbc:postgresql://db/x").retryDeadline(java.time.Duration.ofSeconds(3))
                .exactScanMax(0).driverProperty("sslpassword", "key-secret").build());
        assertThat(o.toString()).doesNotContain("key-secret");
        assertThatThrownBy(() -> PostgresStoreOptions.builder().retryDeadline(java.time.Duration.ZERO).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("retry.deadline");
    }
}
