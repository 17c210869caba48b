package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line says it wrote is what the store holds, and nothing is lost for want of an
 * embedder that the command does not need, on the in-memory store. CliDataPostgresIT proves the
 * same on PostgreSQL and through pgbouncer.
 */
class SaysWhatWasWrittenTest {

    private static final UUID BETA = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final String BETA_EPISODE = """
            {"episodeId":"%s","projectId":"beta","perception":{"backlog_tasks":3},"reasoning":{"why":"team away"},
             "action":{"sprint_created":false},"outcome":{"completed_tasks":8},"outcomeQuality":0.9}
            """.formatted(BETA).replace("\n", "");

    @TempDir
    Path dir;

    @Test
    void outcomeWithoutOutcomeKeepsTheStoredOutcomeAndNamesTheDecisionTheActionHolds() {
        Cli cli = Cli.inMemory();
        assertThat(cli.runWithInput(BETA_EPISODE, "remember").exit()).isZero();

        Cli.Run r = cli.run("outcome", BETA.toString(), "--quality", "0.4");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("recorded outcome 0.40 for episode " + BETA
                + " (project beta, decision sprint_created=false)\noutcome kept: {\"completed_tasks\":8}\n");
        Episode after = cli.stores().episodes().getEpisodeById(BETA).orElseThrow();
        assertThat(after.outcome()).isEqualTo(Map.of("completed_tasks", 8));
        assertThat(after.outcomeQuality()).isEqualTo(0.4);
    }

    @Test
    void outcomeWithAnOutcomeReplacesIt() {
        Cli cli = Cli.inMemory();
        assertThat(cli.runWithInput(BETA_EPISODE, "remember").exit()).isZero();

        Cli.Run r = cli.run("outcome", BETA.toString(), "--quality", "0.6", "--outcome", "{\"completed_tasks\": 5}");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("outcome: {\"completed_tasks\":5}\n");
        assertThat(cli.stores().episodes().getEpisodeById(BETA).orElseThrow().outcome())
                .isEqualTo(Map.of("completed_tasks", 5));
    }

    @Test
    void rememberOfAnIdAlreadyStoredSaysItWasLeftUnchangedAndCountsItApart() {
        Cli cli = Cli.inMemory();
        assertThat(cli.runWithInput(BETA_EPISODE, "remember").exit()).isZero();
        String otherProject = BETA_EPISODE.replace("\"beta\"", "\"gamma\"");
        String fresh = "{\"projectId\":\"gamma\",\"perception\":{\"backlog_tasks\":9},\"reasoning\":{},"
                + "\"action\":{\"sprint_created\":true}}";

        Cli.Run r = cli.runWithInput(otherProject + "\n" + fresh + "\n", "remember");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("remembered 1 episodes\n")
                .endsWith("1 episode already stored, left unchanged: " + BETA + "\n")
                .doesNotContain(BETA + "  gamma");
        assertThat(cli.stores().episodes().getEpisodeById(BETA).orElseThrow().projectId()).isEqualTo("beta");
        assertThat(cli.stores().episodes().countEpisodes("gamma")).isEqualTo(1);

        Cli.Run json = cli.runWithInput(otherProject, "remember", "--json");
        assertThat(json.out()).contains("\"remembered\" : 0").contains("\"alreadyStored\" : [ \"" + BETA + "\" ]");
    }

    @Test
    void aRepeatedImportSaysWhatWasAlreadyStored() throws IOException {
        Cli from = Cli.inMemory();
        assertThat(from.runWithInput(BETA_EPISODE, "remember").exit()).isZero();
        Path export = dir.resolve("export.jsonl");
        assertThat(from.run("export", "--output", export.toString()).exit()).isZero();
        Cli to = Cli.inMemory();

        Cli.Run first = to.run("import", export.toString());
        Cli.Run second = to.run("import", export.toString());

        assertThat(first.out()).isEqualTo("imported 1 episodes and 0 strategies\n");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("imported 0 episodes and 0 strategies; 1 episodes already stored, left unchanged\n");
        assertThat(to.stores().episodes().countEpisodes(null)).isEqualTo(1);
        assertThat(Files.readString(export)).contains(BETA.toString());
    }

    @Test
    void aCommandThatEmbedsRefusesAModelOtherThanTheOneTheStoredVectorsCameFrom() {
        Cli cli = Cli.inMemory();
        cli.remember(Cli.sprint("acme", "s-1", 12, true, Instant.now()));
        // What reembed --embedding-model all-MiniLM-L6-v2-q records.
        cli.maintenance().clearEmbeddings("all-MiniLM-L6-v2-q");

        Cli.Run remember = cli.runWithInput(BETA_EPISODE, "remember");
        Cli.Run recall = cli.run("recall", "{\"backlog_tasks\": 12}");

        String refusal = "--embedding-model: the stored vectors were made by all-MiniLM-L6-v2-q and this command would"
                + " embed with bge-small-en-v1.5-q, whose vectors cannot be compared with them: pass --embedding-model"
                + " all-MiniLM-L6-v2-q (or the --embedder and --embedding-url that serve it), or run 'agent-memory"
                + " reembed' to move every vector to bge-small-en-v1.5-q";
        assertThat(remember.exit()).isEqualTo(2);
        assertThat(remember.errLines()).containsExactly("agent-memory remember: " + refusal);
        assertThat(recall.exit()).isEqualTo(2);
        assertThat(recall.errLines()).containsExactly("agent-memory recall: " + refusal);
        assertThat(cli.stores().episodes().getEpisodeById(BETA)).isEmpty();

        // Moving the store to the default model lifts the refusal.
        assertThat(cli.run("reembed").exit()).isZero();
        assertThat(cli.runWithInput(BETA_EPISODE, "remember").exit()).isZero();
        assertThat(cli.run("stats").out()).contains("vectors made by  bge-small-en-v1.5-q");
    }

    @Test
    void aStoreThatEndsWithTheProcessIsNamedOnEveryCommandThatWritesToIt() {
        Cli cli = Cli.unshared();
        String note = "note: the inmemory store lives in this process only; what this command wrote is gone when it"
                + " ends (keep it with --store postgres --jdbc-url URL, after 'agent-memory init')";

        Cli.Run remember = cli.runWithInput(BETA_EPISODE, "remember");
        Cli.Run outcome = cli.run("outcome", UUID.randomUUID().toString(), "--quality", "0.5");
        Cli.Run imported = cli.runWithInput("{\"type\":\"episode\",\"episode\":{\"projectId\":\"acme\","
                + "\"perception\":{},\"reasoning\":{},\"action\":{}},\"embedding\":null,\"model\":null}\n", "import");
        Cli.Run consolidate = cli.run("consolidate");
        Cli.Run stats = cli.run("stats");

        assertThat(remember.exit()).isZero();
        assertThat(remember.errLines()).containsExactly("agent-memory remember: " + note);
        // A failure keeps its one line: nothing was written.
        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.errLines()).singleElement().asString().endsWith("does not exist");
        assertThat(imported.exit()).as(imported.err()).isZero();
        // After its progress line, if any.
        assertThat(imported.errLines()).last().isEqualTo("agent-memory import: " + note);
        assertThat(consolidate.errLines()).containsExactly("agent-memory consolidate: " + note);
        assertThat(stats.exit()).isZero();
        assertThat(stats.err()).isEmpty();
    }

    @Test
    void withTheEmbeddingServiceDownRememberStoresPendingAndWhatDoesNotEmbedWorks() throws IOException {
        Cli cli = Cli.inMemory().env("AGENT_MEMORY_EMBEDDER", "service")
                .env("AGENT_MEMORY_EMBEDDING_URL", "http://127.0.0.1:" + closedPort());

        Cli.Run remember = cli.runWithInput(BETA_EPISODE, "remember");
        Cli.Run stats = cli.run("stats");
        Cli.Run export = cli.run("export");
        Cli.Run outcome = cli.run("outcome", BETA.toString(), "--quality", "0.3");

        assertThat(remember.exit()).as(remember.err()).isZero();
        assertThat(remember.out()).endsWith("remembered 1 episodes, 1 waiting for an embedding (the embedder failed;"
                + " run 'agent-memory backfill')\n");
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isEqualTo(1);
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("embedder         not reachable (the store holds vectors of 384 dimensions)")
                .contains("episodes         1, 1 pending embedding");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains(BETA.toString());
        assertThat(outcome.exit()).as(outcome.err()).isZero();
        assertThat(cli.stores().episodes().getEpisodeById(BETA).orElseThrow().outcomeQuality()).isEqualTo(0.3);
    }

    @Test
    void anUnknownStoreAndAMissingJdbcUrlAreUsageErrorsThatNameTheFlags() {
        Cli.Run unknown = Cli.unshared().run("stats", "--store", "postgress");
        Cli.Run noUrl = Cli.unshared().run("stats", "--store", "postgres");

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("agent-memory stats: --store: unknown store 'postgress';"
                + " found: inmemory, postgres (flag --store or env AGENT_MEMORY_STORE)");
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(noUrl.errLines()).containsExactly("agent-memory stats: --jdbc-url: the postgres store needs the"
                + " database's JDBC URL: pass --jdbc-url jdbc:postgresql://HOST:5432/DB or set AGENT_MEMORY_JDBC_URL");
    }

    /** @return a port on 127.0.0.1 that nothing listens on: bound, then let go */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
