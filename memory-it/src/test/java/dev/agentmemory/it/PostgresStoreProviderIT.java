package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.StorageException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.TransientMemoryException;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The provider as memory-core finds it: by name, on a URL or a caller's DataSource. */
class PostgresStoreProviderIT {

    private static final String SCHEMA = TestDatabase.schemaName(PostgresStoreProviderIT.class);

    @Test
    void serviceLoaderFindsTheProviderNamedPostgres() {
        assertThat(ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("postgres")).findFirst()).get().isInstanceOf(PostgresStoreProvider.class);
    }

    @Test
    void providerOpensItsOwnPoolFromTheUrlAndClosesIt() {
        TestDatabase.freshSchema(SCHEMA + "_own", 1).close();
        MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder()
                .dimensions(16)
                .jdbcUrl(TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, SCHEMA + "_own"))
                .username(TestDatabase.USER)
                .password(TestDatabase.PASSWORD)
                .migrate(true)
                .build());
        UUID id = stores.episodes().storeEpisode(Episode.builder("acme").perception(Map.of()).reasoning(Map.of())
                .action(Map.of()).build(), null);
        assertThat(stores.episodes().getEpisodeById(id)).isPresent();
        assertThat(stores.describe()).contains(SCHEMA + "_own").contains("16 dimensions").contains("version 7");

        stores.close();

        assertThatThrownBy(() -> stores.episodes().countEpisodes(null)).isInstanceOf(MemoryException.class);
    }

    @Test
    void aCallersDataSourceIsUsedAndNeverClosed() {
        try (HikariDataSource mine = TestDatabase.freshSchema(SCHEMA + "_callers", 2)) {
            MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder()
                    .dimensions(16).dataSource(mine).migrate(true).build());
            stores.episodes().storeEpisode(Episode.builder("acme").perception(Map.of()).reasoning(Map.of())
                    .action(Map.of()).build(), null);

            stores.close();

            assertThat(mine.isClosed()).isFalse();
            assertThat(stores.episodes().countEpisodes(null)).isEqualTo(1);
        }
    }

    @Test
    void knowledgePropertiesReachTheKnowledgeStore() {
        try (HikariDataSource ds = TestDatabase.freshSchema(SCHEMA + "_props", 2);
             MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder()
                     .dimensions(16).dataSource(ds).migrate(true)
                     .property(PostgresStoreProvider.CONFIDENCE_FLOOR, "0.7")
                     .property(PostgresStoreProvider.MIN_APPLICATIONS, "2")
                     .build())) {
            var knowledge = stores.knowledge().orElseThrow();
            UUID id = knowledge.storeStrategy(Strategy.builder("strict").build(), null);

            assertThat(knowledge.recordApplication(id, UUID.randomUUID(), true).active()).isTrue();
            assertThat(knowledge.recordApplication(id, UUID.randomUUID(), true).active()).isFalse();
        }
    }

    @Test
    void withoutMigrateTheProviderRefusesAMissingSchema() {
        try (HikariDataSource ds = TestDatabase.freshSchema(SCHEMA + "_nomigrate", 1)) {
            assertThatThrownBy(() -> new PostgresStoreProvider().open(StoreConfig.builder()
                    .dimensions(16).dataSource(ds).migrate(false).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("migrate");
        }
    }

    @Test
    void aWrongPasswordIsAStorageErrorThatShowsNoPassword() {
        String wrong = "not-the-password-31337";

        assertThatThrownBy(() -> new PostgresStoreProvider().open(StoreConfig.builder()
                .dimensions(16).jdbcUrl(TestDatabase.JDBC_URL).username(TestDatabase.USER).password(wrong).build()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("28P01")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong));
    }

    @Test
    void aPasswordInTheUrlIsMaskedInErrorsAndDescriptions() {
        String url = TestDatabase.urlWithSchema(TestDatabase.JDBC_URL.replace("5432", "1"), SCHEMA) + "&password=url-secret-4242";

        assertThatThrownBy(() -> new PostgresStoreProvider().open(StoreConfig.builder()
                .dimensions(16).jdbcUrl(url).username(TestDatabase.USER).build()))
                .isInstanceOf(TransientMemoryException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("url-secret-4242").contains("password=****"));
    }

    @Test
    void anUnreachableServerIsATransientError() {
        assertThatThrownBy(() -> new PostgresStoreProvider().open(StoreConfig.builder()
                .dimensions(16).jdbcUrl("jdbc:postgresql://127.0.0.1:1/agent_memory_test")
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).build()))
                .isInstanceOf(TransientMemoryException.class)
                .satisfies(e -> assertThat(((MemoryException) e).isTransient()).isTrue());
    }

    @Test
    void neitherDataSourceNorUrlIsAConfigurationError() {
        assertThatThrownBy(() -> new PostgresStoreProvider().open(StoreConfig.builder().dimensions(16).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("JDBC URL");
    }
}
