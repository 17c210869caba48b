package dev.agentmemory.cli;

import static dev.agentmemory.cli.PostgresCli.JDBC_URL;
import static dev.agentmemory.cli.PostgresCli.PASSWORD;
import static dev.agentmemory.cli.PostgresCli.PGBOUNCER_JDBC_URL;
import static dev.agentmemory.cli.PostgresCli.USER;
import static dev.agentmemory.cli.PostgresCli.env;
import static dev.agentmemory.cli.PostgresCli.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.cli.PostgresCli.Run;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL (each test in a schema of its own, configured through AGENT_MEMORY_* variables as
 * an operator would) and through pgbouncer: what the command line says it wrote is what the
 * database holds, and nothing is lost for want of an embedder that a command does not need.
 * SaysWhatWasWrittenTest proves the same on the in-memory store.
 */
class CliDataPostgresIT {


    private static final UUID BETA = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final String BETA_EPISODE = ("{\"episodeId\":\"" + BETA + "\",\"projectId\":\"beta\","
            + "\"perception\":{\"backlog_tasks\":3,\"team_availability\":\"on leave\"},\"reasoning\":{\"why\":\"team away\"},"
            + "\"action\":{\"sprint_created\":false},\"outcome\":{\"completed_tasks\":8},\"outcomeQuality\":0.9}");
    private static final String MINILM = "all-MiniLM-L6-v2-q";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private void freshSchema(TestInfo test) {
        PostgresCli.freshSchema(env, "it_clidata_", test);
    }

    private Run run(String... args) {
        return PostgresCli.run(env, "", args);
    }

    private Run runWithInput(String stdin, String... args) {
        return PostgresCli.run(env, stdin, args);
    }

    private Episode stored(UUID id) {
        try (AgentMemorySystem memory = AgentMemory.builder().fromEnvironment(env).migrate(false).build()) {
            return memory.episodes().getEpisodeById(id).orElseThrow();
        }
    }

    private long count(String project) {
        try (AgentMemorySystem memory = AgentMemory.builder().fromEnvironment(env).migrate(false).build()) {
            return memory.episodes().countEpisodes(project);
        }
    }

    private static String episodes(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"projectId\":\"p").append(i % 3).append("\",\"perception\":{\"backlog_tasks\":").append(i)
                    .append(",\"team_availability\":\"available\"},\"reasoning\":{},\"action\":{\"sprint_created\":")
                    .append(i % 2 == 0).append("}}\n");
        }
        return b.toString();
    }

    @Test
    void outcomeWithoutOutcomeKeepsTheStoredOutcomeAndNamesTheDecisionTheActionHolds(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        assertThat(runWithInput(BETA_EPISODE, "remember").exit()).isZero();

        Run r = run("outcome", BETA.toString(), "--quality", "0.4");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("recorded outcome 0.40 for episode " + BETA
                + " (project beta, decision sprint_created=false)\noutcome kept: {\"completed_tasks\":8}\n");
        Episode after = stored(BETA);
        assertThat(after.outcome()).isEqualTo(Map.of("completed_tasks", 8));
        assertThat(after.outcomeQuality()).isEqualTo(0.4);
        assertThat(r.err()).as("PostgreSQL keeps what is written: no note about a store that ends").isEmpty();
    }

    @Test
    void afterReembedToAnotherModelEveryCommandThatEmbedsAsksForThatModel(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        assertThat(runWithInput(episodes(6), "remember").exit()).isZero();
        Run reembed = run("reembed", "--embedding-model", MINILM);
        assertThat(reembed.exit()).as(reembed.err()).isZero();

        Run plainRemember = runWithInput(BETA_EPISODE, "remember");
        Run plainRecall = run("recall", "{\"backlog_tasks\": 3, \"team_availability\": \"on leave\"}");

        String refusal = "--embedding-model: the stored vectors were made by " + MINILM + " and this command would"
                + " embed with bge-small-en-v1.5-q, whose vectors cannot be compared with them: pass --embedding-model "
                + MINILM + " (or the --embedder and --embedding-url that serve it), or run 'agent-memory reembed' to"
                + " move every vector to bge-small-en-v1.5-q";
        assertThat(plainRemember.exit()).isEqualTo(2);
        assertThat(plainRemember.errLines()).containsExactly("agent-memory remember: " + refusal);
        assertThat(plainRecall.exit()).isEqualTo(2);
        assertThat(plainRecall.errLines()).containsExactly("agent-memory recall: " + refusal);
        assertThat(count("beta")).isZero();

        Run remember = runWithInput(BETA_EPISODE, "remember", "--embedding-model", MINILM);
        Run recall = run("recall", "{\"backlog_tasks\": 3, \"team_availability\": \"on leave\"}",
                "--embedding-model", MINILM, "--project", "beta");
        assertThat(remember.exit()).as(remember.err()).isZero();
        assertThat(recall.exit()).as(recall.err()).isZero();
        assertThat(recall.out()).contains("beta").contains("sprint_created=false");
        assertThat(run("stats").out()).containsPattern("vectors made by\\s+" + MINILM);
    }

    @Test
    void rememberAndImportOfIdsAlreadyStoredSayTheyWereLeftUnchanged(TestInfo test) throws IOException {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        assertThat(runWithInput(BETA_EPISODE, "remember").exit()).isZero();

        Run again = runWithInput(BETA_EPISODE.replace("\"beta\"", "\"gamma\""), "remember");

        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("remembered 0 episodes\n1 episode already stored, left unchanged: " + BETA + "\n");
        assertThat(stored(BETA).projectId()).isEqualTo("beta");
        assertThat(count("gamma")).isZero();

        Path export = dir.resolve("export.jsonl");
        assertThat(runWithInput(episodes(4), "remember").exit()).isZero();
        assertThat(run("export", "--output", export.toString()).exit()).isZero();
        Run repeated = run("import", export.toString());
        assertThat(repeated.exit()).as(repeated.err()).isZero();
        assertThat(repeated.out()).isEqualTo("imported 0 episodes and 0 strategies; 5 episodes already stored, left unchanged\n");
        assertThat(count(null)).isEqualTo(5);
    }

    @Test
    void withTheEmbeddingServiceDownRememberStoresPendingAndWhatDoesNotEmbedWorks(TestInfo test) throws IOException {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        env.put("AGENT_MEMORY_EMBEDDER", "service");
        env.put("AGENT_MEMORY_EMBEDDING_URL", "http://127.0.0.1:" + closedPort());

        Run remember = runWithInput(BETA_EPISODE, "remember");
        Run stats = run("stats");
        Run export = run("export");
        Run outcome = run("outcome", BETA.toString(), "--quality", "0.3");

        assertThat(remember.exit()).as(remember.err()).isZero();
        assertThat(remember.out()).endsWith("remembered 1 episodes, 1 waiting for an embedding (the embedder failed;"
                + " run 'agent-memory backfill')\n");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).containsPattern("embedder\\s+not reachable \\(the store holds vectors of 384 dimensions\\)")
                .containsPattern("episodes\\s+1, 1 pending embedding");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains(BETA.toString());
        assertThat(outcome.exit()).as(outcome.err()).isZero();
        assertThat(stored(BETA).outcomeQuality()).isEqualTo(0.3);

        // The local model embeds what waited.
        env.remove("AGENT_MEMORY_EMBEDDER");
        env.remove("AGENT_MEMORY_EMBEDDING_URL");
        Run backfill = run("backfill");
        assertThat(backfill.exit()).as(backfill.err()).isZero();
        assertThat(backfill.out()).isEqualTo("embedded 1 episodes\n");
    }

    @Test
    void theDemoLeavesTheSchemaToInitAndStoreErrorsAreUsageErrorsThatNameTheFlags(TestInfo test) {
        freshSchema(test);
        Run demo = run("demo", "--projects", "1", "--sprints", "2", "--no-timings");
        assertThat(demo.exit()).isEqualTo(1);
        assertThat(demo.errLines()).containsExactly("agent-memory demo: no agent-memory schema in the postgres store:"
                + " run 'agent-memory init' to create it");
        assertThat(run("init").exit()).isZero();
        Run after = run("demo", "--projects", "1", "--sprints", "2", "--no-timings");
        assertThat(after.exit()).as(after.err()).isZero();

        Run unknown = run("stats", "--store", "postgress");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("agent-memory stats: --store: unknown store 'postgress';"
                + " found: inmemory, postgres (flag --store or env AGENT_MEMORY_STORE)");
        env.remove("AGENT_MEMORY_JDBC_URL");
        Run noUrl = run("stats");
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(noUrl.errLines()).containsExactly("agent-memory stats: --jdbc-url: the postgres store needs the"
                + " database's JDBC URL: pass --jdbc-url jdbc:postgresql://HOST:5432/DB or set AGENT_MEMORY_JDBC_URL");
    }

    /**
     * pgbouncer passes no search_path, so this works in the public schema, as PgbouncerIT does. The
     * server connections behind pgbouncer are first given statements named as the driver names its
     * own, as other clients' sessions leave them; the driver's first named statement then meets one.
     */
    @Test
    void throughPgbouncerWithoutItsSettingImportAndDemoFailNamingTheSetting() throws Exception {
        sql(JDBC_URL, "SET client_min_messages = warning", "DROP TABLE IF EXISTS public.agent_strategy_applications,"
                + " public.agent_episodes, public.agent_knowledge, public.agent_working_memory,"
                + " public.agent_memory_meta, public.agent_memory_schema_history CASCADE");
        env.put("AGENT_MEMORY_STORE", "postgres");
        env.put("AGENT_MEMORY_JDBC_URL", JDBC_URL);
        env.put("AGENT_MEMORY_DB_USER", USER);
        env.put("AGENT_MEMORY_DB_PASSWORD", PASSWORD);
        assertThat(run("init").exit()).isZero();
        Path export = dir.resolve("export.jsonl");
        assertThat(runWithInput(episodes(60), "remember").exit()).isZero();
        assertThat(run("export", "--output", export.toString()).exit()).isZero();
        sql(JDBC_URL, "DELETE FROM public.agent_episodes");
        env.put("AGENT_MEMORY_JDBC_URL", PGBOUNCER_JDBC_URL);
        String hint = "(pgbouncer), which does not keep prepared statements between transactions: set the store"
                + " property pgbouncer=true (and migration.jdbc-url to the server's direct address for migrations)";
        try {
            onEveryServerConnection("PREPARE \"S_1\" AS SELECT 1", "PREPARE \"S_2\" AS SELECT 2");

            Run imported = run("import", export.toString());
            assertThat(imported.exit()).isEqualTo(1);
            assertThat(imported.errLines()).last().asString()
                    .contains("prepared statement \"S_").contains("SQLState 42P05").endsWith(hint);
            Run demo = run("demo", "--projects", "2", "--sprints", "10", "--no-timings");
            assertThat(demo.exit()).isEqualTo(1);
            assertThat(demo.errLines()).last().asString().contains("prepared statement").endsWith(hint);

            sql(JDBC_URL, "DELETE FROM public.agent_episodes");
            Run withSetting = run("import", export.toString(), "--store-property", "pgbouncer=true");
            assertThat(withSetting.exit()).as(withSetting.err()).isZero();
            assertThat(withSetting.out()).isEqualTo("imported 60 episodes and 0 strategies\n");
            sql(JDBC_URL, "DELETE FROM public.agent_episodes");
            Run demoWithSetting = run("demo", "--projects", "2", "--sprints", "10", "--no-timings",
                    "--store-property", "pgbouncer=true");
            assertThat(demoWithSetting.exit()).as(demoWithSetting.err()).isZero();
            assertThat(demoWithSetting.out()).contains("episodes stored: 20");
        } finally {
            onEveryServerConnection("DEALLOCATE ALL");
        }
    }

    /**
     * Runs the statements on every server connection pgbouncer keeps for this database: as many
     * client sessions as its pool holds (default_pool_size 20, scripts/setup-postgres.sh), each
     * inside a transaction held open until all have begun, so that each has a server connection of
     * its own.
     */
    private static void onEveryServerConnection(String... statements) throws SQLException {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Connection c = DriverManager.getConnection(PGBOUNCER_JDBC_URL + (PGBOUNCER_JDBC_URL.contains("?") ? "&" : "?")
                        + "prepareThreshold=0", USER, PASSWORD);
                open.add(c);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String q : statements) {
                        try {
                            s.execute("SAVEPOINT p");
                            s.execute(q);
                            s.execute("RELEASE SAVEPOINT p");
                        } catch (SQLException alreadyThere) {
                            s.execute("ROLLBACK TO SAVEPOINT p");
                        }
                    }
                }
            }
            for (Connection c : open) {
                c.commit();
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    /** @return a port on 127.0.0.1 that nothing listens on: bound, then let go */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
