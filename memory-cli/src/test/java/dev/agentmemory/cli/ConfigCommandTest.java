package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ConfigCommandTest {

    @Test
    void withNothingSetTheDefaultsAreTheInMemoryStoreAndTheLocalModel() {
        Cli.Run r = Cli.inMemory().run("config");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("store\\s+inmemory\\s+default")
                .containsPattern("embedder\\s+onnx\\s+default")
                .containsPattern("db-password\\s+\\(not set\\)");
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() throws Exception {
        Cli cli = Cli.inMemory()
                .env("AGENT_MEMORY_STORE", "postgres")
                .env("AGENT_MEMORY_EMBEDDER", "ollama")
                .env("AGENT_MEMORY_EMBEDDING_MODEL", "mxbai-embed-large");
        Cli.Run r = cli.run("config", "--embedder", "service", "--json");
        assertThat(r.exit()).isZero();
        JsonNode config = Json.MAPPER.readTree(r.out());
        assertThat(config.at("/store/value").asText()).isEqualTo("postgres");
        assertThat(config.at("/store/source").asText()).isEqualTo("env AGENT_MEMORY_STORE");
        assertThat(config.at("/embedder/value").asText()).isEqualTo("service");
        assertThat(config.at("/embedder/source").asText()).isEqualTo("flag --embedder");
        assertThat(config.at("/embedding-model/value").asText()).isEqualTo("mxbai-embed-large");
        assertThat(config.at("/embedding-url/value").isNull()).isTrue();
    }

    @Test
    void secretsAreMaskedInTheJdbcUrlAndThePasswordIsNeverShown() {
        Cli cli = Cli.inMemory()
                .env("AGENT_MEMORY_DB_PASSWORD", "hunter2-env")
                .env("AGENT_MEMORY_JDBC_URL", "jdbc:postgresql://db.example:5432/mem?user=agent&password=hunter2-url")
                .env("AGENT_MEMORY_EMBEDDING_URL", "http://svc:tok3n-secret@embed.example:8088");
        for (Cli.Run r : new Cli.Run[] {cli.run("config"), cli.run("config", "--json")}) {
            assertThat(r.exit()).isZero();
            assertThat(r.out()).doesNotContain("hunter2").doesNotContain("tok3n")
                    .contains("jdbc:postgresql://db.example:5432/mem?user=agent&password=****")
                    .contains("http://svc:****@embed.example:8088")
                    .contains("****");
        }
        assertThat(cli.run("config").out()).containsPattern("db-password\\s+\\*\\*\\*\\*\\s+env AGENT_MEMORY_DB_PASSWORD");
    }

    @Test
    void aBlankEnvironmentVariableCountsAsNotSet() {
        Cli.Run r = Cli.inMemory().env("AGENT_MEMORY_STORE", "  ").run("config");
        assertThat(r.out()).containsPattern("store\\s+inmemory\\s+default");
    }

    @Test
    void storePropertiesFromFlagsAreShownAndASecretInThemIsMasked() {
        Cli.Run r = Cli.inMemory().run("config", "--store-property", "pgbouncer=true",
                "--store-property", "migration.jdbc-url=jdbc:postgresql://db:5432/mem?password=hunter2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("store-property pgbouncer\\s+true\\s+flag --store-property")
                .contains("migration.jdbc-url").doesNotContain("hunter2");
    }
}
