package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No password in code, defaults, logs, exceptions or {@code toString}; TLS and other driver
 * settings reach the PostgreSQL driver.
 */
class SecretsAndTlsIT {

    /** A password no test setting holds, so that finding it anywhere means it leaked. */
    private static final String WRONG_PASSWORD = "Wr0ng-S3cret-Pw-4711";

    @Test
    void aWrongPasswordAppearsInNoExceptionNoLogLineAndNoToString() throws Exception {
        StoreConfig config = StoreConfig.builder().dimensions(8).jdbcUrl(TestDatabase.JDBC_URL)
                .username(TestDatabase.USER).password(WRONG_PASSWORD).migrate(false).build();

        String shown = captured(() -> {
            assertThatThrownBy(() -> new PostgresStoreProvider().open(config))
                    .isInstanceOf(MemoryException.class)
                    .hasMessageContaining("password authentication failed")
                    .satisfies(e -> assertThat(everyMessage(e)).doesNotContain(WRONG_PASSWORD));
            return null;
        });

        assertThat(shown).doesNotContain(WRONG_PASSWORD);
        assertThat(config.toString()).doesNotContain(WRONG_PASSWORD).contains("password=****");
        assertThat(AgentMemory.builder().store("postgres").jdbcUrl(TestDatabase.JDBC_URL).password(WRONG_PASSWORD)
                .config().toString()).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void aPasswordInsideTheJdbcUrlIsMaskedInErrorsLogsAndDescriptions() throws Exception {
        String urlWithWrong = TestDatabase.JDBC_URL + "?user=" + TestDatabase.USER + "&password=" + WRONG_PASSWORD;
        String shown = captured(() -> {
            assertThatThrownBy(() -> new PostgresStoreProvider().open(StoreConfig.builder().dimensions(8)
                    .jdbcUrl(urlWithWrong).migrate(false).build()))
                    .isInstanceOf(MemoryException.class)
                    .satisfies(e -> assertThat(everyMessage(e)).doesNotContain(WRONG_PASSWORD));
            return null;
        });
        assertThat(shown).doesNotContain(WRONG_PASSWORD);
        assertThat(StoreConfig.builder().dimensions(8).jdbcUrl(urlWithWrong).build().toString())
                .doesNotContain(WRONG_PASSWORD).contains("password=****");

        String schema = TestDatabase.schemaName(SecretsAndTlsIT.class);
        TestDatabase.freshSchema(schema, 1).close();
        String urlWithRight = TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema)
                + "&user=" + TestDatabase.USER + "&password=" + TestDatabase.PASSWORD;
        String[] description = new String[1];
        String opened = captured(() -> {
            try (MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder().dimensions(8)
                    .jdbcUrl(urlWithRight).migrate(true).build())) {
                description[0] = stores.describe();
            }
            return null;
        });
        assertThat(description[0]).doesNotContain("password=" + TestDatabase.PASSWORD).contains("password=****");
        assertThat(opened).contains("Opened postgres").doesNotContain("password=" + TestDatabase.PASSWORD);
    }

    @Test
    void credentialsInAnEmbeddingUrlAreMaskedInToStringAndErrors() {
        try (EmbeddingClient client = new EmbeddingClient("http://agent:" + WRONG_PASSWORD + "@127.0.0.1:9",
                java.time.Duration.ofSeconds(1), 0)) {
            assertThat(client.toString()).doesNotContain(WRONG_PASSWORD);
            assertThatThrownBy(() -> client.generateEmbedding("hello"))
                    .isInstanceOf(MemoryException.class)
                    .satisfies(e -> assertThat(everyMessage(e)).doesNotContain(WRONG_PASSWORD));
        }
    }

    @Test
    void sslmodeReachesTheDriver() throws Exception {
        boolean serverHasTls;
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW ssl")) {
            rs.next();
            serverHasTls = rs.getString(1).equals("on");
        }
        StoreConfig.Builder require = StoreConfig.builder().dimensions(8).jdbcUrl(TestDatabase.JDBC_URL)
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(false)
                .property("sslmode", "require");
        if (serverHasTls) {
            try (MemoryStores stores = new PostgresStoreProvider().open(require.build())) {
                assertThat(stores.describe()).contains("postgres");
            } catch (MemoryException schemaMissing) {
                // Without a schema the open fails after connecting; TLS was negotiated by then.
                assertThat(schemaMissing.getMessage()).doesNotContainIgnoringCase("ssl");
            }
        } else {
            // The test server runs without TLS, so a driver that got sslmode=require must refuse it.
            assertThatThrownBy(() -> new PostgresStoreProvider().open(require.build()))
                    .isInstanceOf(MemoryException.class).hasMessageContaining("SSL");
        }
        // And sslmode=disable connects in plain text (the migration pool gets it too).
        String schema = TestDatabase.schemaName(SecretsAndTlsIT.class) + "_tls";
        TestDatabase.freshSchema(schema, 1).close();
        try (MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder().dimensions(8)
                .jdbcUrl(TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema))
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true)
                .property("sslmode", "disable")
                .property(PostgresStoreProvider.MIGRATION_JDBC_URL, TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema))
                .build())) {
            assertThat(stores.episodes().countEpisodes(null)).isZero();
        }
    }

    @Test
    void jdbcPrefixedPropertiesReachTheDriver() throws Exception {
        String schema = TestDatabase.schemaName(SecretsAndTlsIT.class) + "_props";
        TestDatabase.freshSchema(schema, 1).close();
        try (MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder().dimensions(8)
                .jdbcUrl(TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema))
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true)
                .property(PostgresStoreProvider.JDBC_PREFIX + "ApplicationName", "agent-memory-probe-4711")
                .build())) {
            stores.episodes().countEpisodes(null);
            try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                         + " WHERE application_name = 'agent-memory-probe-4711'")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }

    @Test
    void agentMemoryConfigMasksEveryPassword() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "dev.agentmemory.cli.AgentMemoryCli", "config", "--store", "postgres",
                "--jdbc-url", TestDatabase.JDBC_URL + "?password=" + WRONG_PASSWORD + "-url",
                "--store-property", "sslpassword=" + WRONG_PASSWORD + "-key", "--store-property", "sslmode=verify-full")
                .redirectErrorStream(true);
        pb.environment().put("AGENT_MEMORY_DB_PASSWORD", WRONG_PASSWORD + "-env");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("sslmode").contains("verify-full").contains("****").doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void noMainSourceHoldsTheTestCredentialOrAHardCodedPassword() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            files.filter(p -> p.toString().contains("/src/main/") && !p.toString().contains("/target/"))
                    .filter(Files::isRegularFile)
                    .forEach(p -> {
                        try {
                            String text = Files.readString(p, StandardCharsets.UTF_8);
                            if (text.contains(TestDatabase.PASSWORD)
                                    || text.matches("(?s).*(?i:password)\\w*\\s*[=:]\\s*\"[^\"\\s]+\".*")) {
                                offenders.add(p.toString());
                            }
                        } catch (IOException | java.io.UncheckedIOException binary) {
                            // not text: a model file
                        }
                    });
        }
        assertThat(offenders).isEmpty();
    }

    /** Runs the call with stdout and stderr captured (where the test log goes) and returns what was printed. */
    private static String captured(Callable<?> call) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try {
            System.setOut(both);
            System.setErr(both);
            call.call();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        out.print(text);
        return text;
    }

    private static String everyMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                sb.append(s).append('\n');
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
