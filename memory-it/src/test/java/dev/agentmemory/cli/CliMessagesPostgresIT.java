package dev.agentmemory.cli;

import static dev.agentmemory.cli.PostgresCli.JDBC_URL;
import static dev.agentmemory.cli.PostgresCli.PASSWORD;
import static dev.agentmemory.cli.PostgresCli.USER;
import static dev.agentmemory.cli.PostgresCli.env;
import static dev.agentmemory.cli.PostgresCli.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.cli.PostgresCli.Run;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What the command line says and writes on PostgreSQL, as a new user meets it: a database without
 * the vector extension, bad JSON named in our words, strategies and sessions written and refused,
 * whole ids, {@code demo --json}. Each test in a schema of its own, configured through
 * AGENT_MEMORY_* variables as an operator would.
 */
class CliMessagesPostgresIT {

    /** A database of the test role without the vector extension: scripts/setup-postgres.sh makes it. */
    private static final String NOVECTOR_JDBC_URL = env("AGENT_MEMORY_TEST_NOVECTOR_JDBC_URL", twin(JDBC_URL, "_novector"));

    private final Map<String, String> env = new HashMap<>();

    private void freshSchema(TestInfo test) {
        PostgresCli.freshSchema(env, "it_climsg_", test);
    }

    private Run run(String... args) {
        return PostgresCli.run(env, "", args);
    }

    private Run runWithInput(String stdin, String... args) {
        return PostgresCli.run(env, stdin, args);
    }

    @Test
    void initOnADatabaseWithoutTheVectorExtensionSaysASuperuserMustCreateItOnce() {
        String database = NOVECTOR_JDBC_URL.replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1");
        // What an earlier failed run may have left (this database serves this test alone).
        sql(NOVECTOR_JDBC_URL, "DROP TABLE IF EXISTS agent_memory_schema_history");
        assertThat(text(NOVECTOR_JDBC_URL, "SELECT count(*) FROM pg_extension WHERE extname = 'vector'"))
                .as("the set-up keeps this database without the extension").isEqualTo("0");
        assertThat(text(NOVECTOR_JDBC_URL, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
                .as("the test role is no superuser, as a new user is not").isEqualTo("false");
        env.put("AGENT_MEMORY_STORE", "postgres");
        env.put("AGENT_MEMORY_JDBC_URL", NOVECTOR_JDBC_URL);
        env.put("AGENT_MEMORY_DB_USER", USER);
        env.put("AGENT_MEMORY_DB_PASSWORD", PASSWORD);

        Run init = run("init");

        assertThat(init.exit()).isEqualTo(1);
        assertThat(init.errLines()).singleElement().asString().isEqualTo("agent-memory init: the database '" + database
                + "' has no 'vector' extension and this user may not create it: a superuser must run CREATE EXTENSION"
                + " vector; once in that database (for example: sudo -u postgres psql -d " + database
                + " -c 'CREATE EXTENSION vector'), then create the schema again (agent-memory init)");
        assertThat(init.out()).isEmpty();
        assertThat(text(NOVECTOR_JDBC_URL, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'agent_%'"))
                .as("nothing written").isEqualTo("0");
    }

    @Test
    void badEpisodesAreNamedInOurWordsAndNothingIsStored(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        String good = "{\"projectId\":\"p\",\"perception\":{},\"reasoning\":{},\"action\":{}}";
        Run text = runWithInput(good.replace("\"perception\":{}", "\"perception\":\"hi\""), "remember");
        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.errLines()).singleElement().asString()
                .isEqualTo("agent-memory remember: stdin line 1: perception: expected a JSON object, found a string");
        Run element = runWithInput("[" + good + ", " + good.replace(",\"action\":{}", "") + "]", "remember");
        assertThat(element.exit()).isEqualTo(2);
        assertThat(element.errLines()).singleElement().asString()
                .isEqualTo("agent-memory remember: stdin line 1: action: is required (element 2 of 2 in the array)");
        assertThat(count("SELECT count(*) FROM agent_episodes")).isZero();
    }

    @Test
    void strategiesAddAndSessionsPutWriteToPostgresAndBadInputWritesNothing(TestInfo test) throws Exception {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        String good = "{\"description\":\"create a sprint when the backlog is full\",\"content\":"
                + "{\"conditions\":\"backlog_tasks >= 10\"},\"confidence\":0.7}";
        Run bad = runWithInput("[" + good + ",{\"description\":\"x\",\"content\":{\"conditions\":\"a >>= 1\"}}]",
                "strategies", "add");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.errLines()).singleElement().asString().contains("(element 2 of 2 in the array)");
        assertThat(count("SELECT count(*) FROM agent_knowledge")).isZero();

        Run added = runWithInput(good, "strategies", "add", "--json");
        assertThat(added.exit()).as(added.err()).isZero();
        String id = Json.MAPPER.readTree(added.out()).get("ids").get(0).asText();
        assertThat(text("SELECT description FROM agent_knowledge WHERE knowledge_id = '" + id + "'"))
                .isEqualTo("create a sprint when the backlog is full");
        assertThat(count("SELECT count(*) FROM agent_knowledge WHERE embedding IS NOT NULL")).isEqualTo(1);
        assertThat(run("strategies").out()).contains(id.substring(0, 8)).doesNotContain(id);
        assertThat(run("strategies", "--wide").out()).contains(id);
        assertThat(run("strategies", "--context", "{\"backlog_tasks\": 12}").out()).contains("create a sprint");
        Run twice = runWithInput(good.replace("{\"description\"", "{\"knowledgeId\":\"" + id + "\",\"description\""),
                "strategies", "add");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("knowledgeId: " + id + " is already stored; nothing was added");

        Run started = run("sessions", "put", "--project", "acme", "--context", "{\"phase\":\"planning\"}", "--json");
        assertThat(started.exit()).as(started.err()).isZero();
        UUID session = UUID.fromString(Json.MAPPER.readTree(started.out()).get("sessionId").asText());
        Run changed = run("sessions", "put", "--session", session.toString(), "--version", "1", "--merge",
                "--context", "{\"sprint\":\"s-3\"}");
        assertThat(changed.exit()).as(changed.err()).isZero();
        Run stale = run("sessions", "put", "--session", session.toString(), "--version", "1", "--context", "{}");
        assertThat(stale.exit()).isEqualTo(2);
        assertThat(stale.err()).contains("--version: session " + session + " is at version 2")
                .contains("; nothing was changed ('sessions --project P' shows the version it is at)");
        Run ttl = run("sessions", "put", "--project", "acme", "--context", "{}", "--ttl", "0s");
        assertThat(ttl.exit()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM agent_working_memory")).isEqualTo(1);
        JsonNode row = Json.MAPPER.readTree(text("SELECT context::text FROM agent_working_memory"));
        assertThat(row.get("phase").asText()).isEqualTo("planning");
        assertThat(row.get("sprint").asText()).isEqualTo("s-3");
        assertThat(run("sessions", "--project", "acme").out()).contains(session.toString());
    }

    @Test
    void demoJsonOnPostgresPrintsOneObject(TestInfo test) throws Exception {
        freshSchema(test);
        assertThat(run("init").exit()).isZero(); // demo changes no schema: init creates it
        Run demo = run("demo", "--projects", "2", "--sprints", "10", "--json", "--no-timings");
        assertThat(demo.exit()).as(demo.err()).isZero();
        JsonNode summary = Json.MAPPER.readTree(demo.out());
        assertThat(summary.get("memory").asText()).startsWith("postgres");
        assertThat(summary.get("episodesStored").asInt()).isEqualTo(20);
        assertThat(summary.has("timings")).isFalse();
        assertThat(count("SELECT count(*) FROM agent_episodes")).isEqualTo(20);
    }

    private long count(String query) {
        return Long.parseLong(text(query));
    }

    private String text(String query) {
        return text(env.get("AGENT_MEMORY_JDBC_URL"), query);
    }

    private static String text(String url, String query) {
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new AssertionError(query + ": " + e.getMessage(), e);
        }
    }

    /** The URL of the database named like this one's with a suffix, same host and parameters. */
    private static String twin(String url, String suffix) {
        return url.replaceFirst("^(jdbc:postgresql://[^/]+/)([^/?]+)", "$1$2" + suffix);
    }

}
