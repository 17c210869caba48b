package dev.agentmemory.it;

import static dev.agentmemory.it.ServerClients.call;
import static dev.agentmemory.it.ServerClients.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.it.ServerClients.Answer;
import dev.agentmemory.it.ServerClients.Run;
import dev.agentmemory.server.ApiKeys;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server's contract, run on each backend: every REST route and MCP tool, every class of bad
 * input, keys missing, wrong and scoped, with clients nobody here wrote (the JDK's HTTP client,
 * the MCP TypeScript SDK over Streamable HTTP and over stdio).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
abstract class ServerContract {

    static final String ADMIN = "admin-" + UUID.randomUUID();
    static final String ALPHA = "alpha-" + UUID.randomUUID();
    static final String BETA = "beta-" + UUID.randomUUID();

    AgentMemorySystem memory;
    MemoryServer server;
    String base;

    /** @return the memory on the backend under test, with a knowledge store */
    abstract AgentMemorySystem openMemory();

    /** @return the environment and options that make {@code agent-memory mcp} open the same backend */
    abstract Map<String, String> cliEnvironment();

    abstract List<String> cliOptions();

    @BeforeAll
    void start() throws Exception {
        memory = openMemory();
        Path keys = Files.createTempFile("keys", ".txt");
        Files.writeString(keys, "# scoped keys\n" + ALPHA + " alpha-*\n\n" + BETA + " beta,gamma\n");
        server = MemoryServer.builder(memory)
                .settings(ServerSettings.builder().port(0).maxBodyBytes(256 * 1024).maxBatch(20).maxLimit(50)
                        .maxContextBytes(16 * 1024).build())
                .keys(ApiKeys.fromEnvironment(Map.of(ApiKeys.KEY_VARIABLE, ADMIN, ApiKeys.KEYS_FILE_VARIABLE,
                        keys.toString())))
                .build().start();
        base = server.url();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (memory != null) {
            memory.close();
        }
    }

    static String episode(String project, int backlog) {
        return "{\"projectId\":\"" + project + "\",\"perception\":{\"backlog_tasks\":" + backlog
                + ",\"team\":\"platform\"},\"reasoning\":{\"rule\":\"backlog over 10\"},\"action\":{\"create_sprint\":true,"
                + "\"tasks\":" + (backlog / 2) + "}}";
    }

    long stored() {
        return memory.episodes().countEpisodes(null);
    }

    @Test
    void everyRestRouteAnswersAsTheContractSays() {
        Answer one = send(base, "POST", "/v1/episodes", episode("alpha-rest", 14), ADMIN);
        assertThat(one.status()).as(one.body()).isEqualTo(201);
        String id = one.json().get("ids").get(0).asText();

        Answer batch = send(base, "POST", "/v1/episodes",
                "[" + episode("alpha-rest", 3) + "," + episode("alpha-rest", 30) + "]", ADMIN);
        assertThat(batch.status()).as(batch.body()).isEqualTo(201);
        assertThat(batch.json().get("ids")).hasSize(2);

        Answer got = send(base, "GET", "/v1/episodes/" + id, null, ADMIN);
        assertThat(got.status()).isEqualTo(200);
        JsonNode e = got.json();
        assertThat(e.get("episodeId").asText()).isEqualTo(id);
        assertThat(e.get("perception").get("backlog_tasks").asInt()).isEqualTo(14);
        // The field names export writes: every one of Episode's components.
        for (var c : Episode.class.getRecordComponents()) {
            assertThat(e.has(c.getName())).as(c.getName()).isTrue();
        }
        assertThat(send(base, "GET", "/v1/episodes/" + UUID.randomUUID(), null, ADMIN).status()).isEqualTo(404);

        Answer outcome = send(base, "POST", "/v1/episodes/" + id + "/outcome",
                "{\"outcome\":{\"velocity\":0.9},\"outcomeQuality\":0.9}", ADMIN);
        assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
        assertThat(memory.episodes().getEpisodeById(UUID.fromString(id)).orElseThrow().outcomeQuality()).isEqualTo(0.9);
        assertThat(send(base, "POST", "/v1/episodes/" + UUID.randomUUID() + "/outcome",
                "{\"outcome\":{},\"outcomeQuality\":0.5}", ADMIN).status()).isEqualTo(404);

        Answer recall = send(base, "POST", "/v1/recall",
                "{\"context\":{\"backlog_tasks\":14,\"team\":\"platform\"},\"projectId\":\"alpha-rest\",\"limit\":2}", ADMIN);
        assertThat(recall.status()).as(recall.body()).isEqualTo(200);
        JsonNode episodes = recall.json().get("episodes");
        assertThat(episodes).hasSize(2);
        assertThat(episodes.get(0).get("episodeId").asText()).isEqualTo(id);
        assertThat(episodes.get(0).get("similarity").asDouble()).isBetween(0.0, 1.0001);

        memory.knowledge().storeStrategy(Strategy.builder("sprint when the backlog is large")
                .content(Map.of("advice", "create a sprint")).confidence(0.8).build(), null);
        Answer strategies = send(base, "POST", "/v1/strategies/applicable",
                "{\"context\":{\"backlog_tasks\":14},\"minConfidence\":0.5}", ADMIN);
        assertThat(strategies.status()).as(strategies.body()).isEqualTo(200);
        assertThat(strategies.json().get("strategies").findValuesAsText("description"))
                .contains("sprint when the backlog is large");

        Answer health = send(base, "GET", "/v1/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("up");

        Answer metrics = send(base, "GET", "/metrics", null, ADMIN);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds_count{method=\"POST\",route=\"/v1/recall\",status=\"200\"}")
                .contains("route=\"/v1/episodes/{id}\"")
                .doesNotContain(ADMIN).doesNotContain(id);

        Answer openapi = send(base, "GET", "/v1/openapi.json", null, ADMIN);
        assertThat(openapi.status()).isEqualTo(200);
        Set<String> paths = new HashSet<>();
        openapi.json().get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/v1/episodes", "/v1/episodes/{id}", "/v1/episodes/{id}/outcome", "/v1/recall",
                "/v1/strategies/applicable", "/v1/advise", "/v1/consolidate", "/v1/health", "/metrics", "/v1/openapi.json");
        assertThat(openapi.json().at("/paths/~1v1~1recall/post/requestBody/content/application~1json/schema/required/0")
                .asText()).isEqualTo("context");
    }

    /** The library's own message for what the Episode constructor refuses. */
    static String libraryWords(Runnable r) {
        try {
            r.run();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("the library accepted it");
    }

    @Test
    void badInputIsRefusedWithTheLibrarysWordsNamingTheFieldAndNothingIsWritten() {
        long before = stored();
        record Bad(String method, String path, String body, String field, int status) {
        }
        String valid = episode("alpha-bad", 5);
        String longText = "x".repeat(20 * 1024);
        List<Bad> cases = List.of(
                new Bad("POST", "/v1/episodes", "{\"projectId\":", "body", 400),
                new Bad("POST", "/v1/episodes", "", "body", 400),
                new Bad("POST", "/v1/episodes", "{\"projectId\":\" \",\"perception\":{},\"reasoning\":{},\"action\":{}}", "projectId", 400),
                new Bad("POST", "/v1/episodes", "{\"projectId\":\"alpha-bad\",\"perception\":{},\"reasoning\":{}}", "action", 400),
                new Bad("POST", "/v1/episodes", "{\"projectId\":\"alpha-bad\",\"perception\":{},\"reasoning\":{},\"action\":{},"
                        + "\"outcome\":{},\"outcomeQuality\":1.5}", "outcomeQuality", 400),
                new Bad("POST", "/v1/episodes", valid.replace("{\"projectId\"", "{\"colour\":\"red\",\"projectId\""), "episode", 400),
                new Bad("POST", "/v1/episodes", "[" + valid + "," + valid.replace("alpha-bad", "") + "]", "projectId", 400),
                new Bad("POST", "/v1/episodes", "[" + String.join(",", java.util.Collections.nCopies(21, valid)) + "]", "episodes", 400),
                new Bad("POST", "/v1/episodes", "[]", "episodes", 400),
                new Bad("POST", "/v1/episodes", "\"text\"", "episode", 400),
                new Bad("POST", "/v1/episodes", valid.replace("\"team\":\"platform\"", "\"team\":\"" + longText + "\""), "perception", 400),
                new Bad("POST", "/v1/recall", "{\"context\":{},\"limit\":0}", "limit", 400),
                new Bad("POST", "/v1/recall", "{\"context\":{},\"limit\":51}", "limit", 400),
                new Bad("POST", "/v1/recall", "{\"context\":{},\"limit\":2.5}", "limit", 400),
                new Bad("POST", "/v1/recall", "{\"context\":[1,2]}", "context", 400),
                new Bad("POST", "/v1/recall", "{\"limit\":3}", "context", 400),
                new Bad("POST", "/v1/recall", "{\"context\":{\"t\":\"" + longText + "\"}}", "context", 400),
                new Bad("POST", "/v1/recall", "{\"context\":{},\"projectId\":7}", "projectId", 400),
                new Bad("POST", "/v1/recall", "{\"context\":{},\"colour\":\"red\"}", "colour", 400),
                new Bad("POST", "/v1/strategies/applicable", "{\"context\":{},\"minConfidence\":1.5}", "minConfidence", 400),
                new Bad("POST", "/v1/episodes/not-a-uuid/outcome", "{\"outcome\":{},\"outcomeQuality\":0.5}", "episodeId", 400),
                new Bad("POST", "/v1/episodes/" + UUID.randomUUID() + "/outcome", "{\"outcome\":{},\"outcomeQuality\":-0.1}", "outcomeQuality", 400),
                new Bad("POST", "/v1/episodes/" + UUID.randomUUID() + "/outcome", "{\"outcomeQuality\":0.5}", "outcome", 400),
                new Bad("GET", "/v1/episodes/not-a-uuid", null, "id", 400));
        for (Bad c : cases) {
            Answer a = send(base, c.method(), c.path(), c.body(), ADMIN);
            assertThat(a.status()).as(c + " -> " + a.body()).isEqualTo(c.status());
            assertThat(a.json().get("field").asText()).as(c + " -> " + a.body()).isEqualTo(c.field());
            assertThat(a.json().get("error").asText()).as(c.toString()).startsWith(c.field() + ": ");
        }
        // The words are the library's own.
        Answer blank = send(base, "POST", "/v1/episodes", cases.get(2).body(), ADMIN);
        assertThat(blank.json().get("error").asText()).isEqualTo(libraryWords(
                () -> Episode.builder(" ").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build()));
        Answer quality = send(base, "POST", "/v1/episodes/" + UUID.randomUUID() + "/outcome",
                "{\"outcome\":{},\"outcomeQuality\":1.5}", ADMIN);
        assertThat(quality.json().get("error").asText()).isEqualTo(libraryWords(() -> memory.recordOutcome(
                UUID.randomUUID(), Map.of(), 1.5)));
        Answer batch = send(base, "POST", "/v1/episodes", cases.get(6).body(), ADMIN);
        assertThat(batch.json().get("index").asInt()).isEqualTo(1);

        assertThat(ServerClients.statusForDeclaredBody(base, "/v1/episodes", 300 * 1024, ADMIN)).isEqualTo(413);
        assertThat(ServerClients.statusForDeclaredBody(base, "/mcp", 300 * 1024, ADMIN)).isEqualTo(413);
        assertThat(send(base, "PUT", "/v1/recall", "{}", ADMIN).status()).isEqualTo(405);
        assertThat(send(base, "GET", "/v1/nothing", null, ADMIN).status()).isEqualTo(404);

        assertThat(stored()).as("nothing written").isEqualTo(before);
        assertThat(send(base, "GET", "/v1/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void keysAreNeededAndAScopedKeyReachesOnlyItsProjects() {
        String alphaId = send(base, "POST", "/v1/episodes", episode("alpha-keys", 8), ADMIN).json().get("ids").get(0).asText();
        String betaId = send(base, "POST", "/v1/episodes", episode("beta", 8), ADMIN).json().get("ids").get(0).asText();
        send(base, "POST", "/v1/episodes", episode("delta", 8), ADMIN);
        long before = stored();

        for (String key : new String[] {null, "wrong-" + UUID.randomUUID(), ADMIN + "x"}) {
            for (String[] r : new String[][] {{"GET", "/v1/episodes/" + alphaId, null},
                    {"POST", "/v1/recall", "{\"context\":{\"backlog_tasks\":8}}"},
                    {"POST", "/v1/episodes", episode("alpha-keys", 1)}, {"GET", "/metrics", null},
                    {"GET", "/v1/openapi.json", null}}) {
                Answer a = send(base, r[0], r[1], r[2], key);
                assertThat(a.status()).as(r[1] + " with " + (key == null ? "no key" : "a wrong key")).isEqualTo(401);
                assertThat(a.body()).doesNotContain("backlog").doesNotContain(alphaId).doesNotContain(ADMIN);
                assertThat(a.headers().get("www-authenticate")).isNotNull();
            }
        }
        assertThat(stored()).isEqualTo(before);

        assertThat(send(base, "GET", "/v1/episodes/" + alphaId, null, ALPHA).status()).isEqualTo(200);
        Answer denied = send(base, "GET", "/v1/episodes/" + betaId, null, ALPHA);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).doesNotContain("backlog");
        assertThat(send(base, "POST", "/v1/episodes", episode("beta", 1), ALPHA).status()).isEqualTo(403);
        assertThat(send(base, "POST", "/v1/episodes", "[" + episode("alpha-keys", 1) + "," + episode("beta", 1) + "]", ALPHA)
                .status()).isEqualTo(403);
        assertThat(send(base, "POST", "/v1/episodes/" + betaId + "/outcome", "{\"outcome\":{},\"outcomeQuality\":0.5}", ALPHA)
                .status()).isEqualTo(403);
        assertThat(send(base, "POST", "/v1/recall", "{\"context\":{},\"projectId\":\"beta\"}", ALPHA).status()).isEqualTo(403);
        assertThat(stored()).isEqualTo(before);

        Answer acrossAlpha = send(base, "POST", "/v1/recall", "{\"context\":{\"backlog_tasks\":8},\"limit\":50}", ALPHA);
        assertThat(acrossAlpha.status()).isEqualTo(200);
        assertThat(acrossAlpha.json().get("episodes").findValuesAsText("projectId")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("alpha-"));
        Answer acrossBeta = send(base, "POST", "/v1/recall", "{\"context\":{\"backlog_tasks\":8},\"limit\":50}", BETA);
        assertThat(acrossBeta.json().get("episodes").findValuesAsText("projectId")).containsOnly("beta");
        Answer acrossAll = send(base, "POST", "/v1/recall", "{\"context\":{\"backlog_tasks\":8},\"limit\":50}", ADMIN);
        assertThat(acrossAll.json().get("episodes").findValuesAsText("projectId")).contains("alpha-keys", "beta", "delta");

        assertThat(send(base, "GET", "/metrics", null, ADMIN).body()).doesNotContain(ALPHA).doesNotContain(BETA);
    }

    @Test
    void adviceAndConsolidationAnswerFromTheOutcomesRecorded() {
        for (int i = 0; i < 12; i++) {
            boolean sprint = i % 2 == 0;
            String body = "{\"projectId\":\"alpha-learn\",\"perception\":{\"backlog_tasks\":" + (20 + i % 3)
                    + ",\"team\":\"data\"},\"reasoning\":{\"rule\":\"r\"},\"action\":{\"create_sprint\":" + sprint + "}}";
            String id = send(base, "POST", "/v1/episodes", body, ADMIN).json().get("ids").get(0).asText();
            Answer o = send(base, "POST", "/v1/episodes/" + id + "/outcome",
                    "{\"outcome\":{\"done\":" + sprint + "},\"outcomeQuality\":" + (sprint ? 0.9 : 0.2) + "}", ADMIN);
            assertThat(o.status()).isEqualTo(200);
        }
        Answer advice = send(base, "POST", "/v1/advise",
                "{\"context\":{\"backlog_tasks\":21,\"team\":\"data\"},\"projectId\":\"alpha-learn\",\"limit\":3}", ADMIN);
        assertThat(advice.status()).as(advice.body()).isEqualTo(200);
        JsonNode best = advice.json().get("advice").get(0);
        assertThat(best.at("/action/create_sprint").asBoolean()).as(advice.body()).isTrue();
        assertThat(best.get("expectedQuality").asDouble()).isGreaterThan(0.5);
        assertThat(best.get("evidence").asInt()).isGreaterThan(1);
        assertThat(best.get("episodeIds")).isNotEmpty();
        assertThat(best.has("confidence")).isTrue();

        Answer consolidated = send(base, "POST", "/v1/consolidate", "{\"projectId\":\"alpha-learn\"}", ADMIN);
        assertThat(consolidated.status()).as(consolidated.body()).isEqualTo(200);
        assertThat(consolidated.json().get("strategies").isArray()).isTrue();
        assertThat(send(base, "POST", "/v1/consolidate", "{}", ALPHA).status()).isEqualTo(403);
        assertThat(send(base, "POST", "/v1/consolidate", "{\"projectId\":\"alpha-learn\"}", BETA).status()).isEqualTo(403);
        assertThat(send(base, "POST", "/v1/advise", "{\"context\":{},\"projectId\":\"alpha-learn\"}", BETA).status())
                .isEqualTo(403);
        Answer badLimit = send(base, "POST", "/v1/advise", "{\"context\":{},\"limit\":0}", ADMIN);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("field").asText()).isEqualTo("limit");
        Answer badProject = send(base, "POST", "/v1/consolidate", "{\"projectId\":5}", ADMIN);
        assertThat(badProject.status()).isEqualTo(400);
        assertThat(badProject.json().get("field").asText()).isEqualTo("projectId");

        Run mcp = ServerClients.mcpHttp(base + "/mcp", ALPHA, List.of(
                call("advise", Map.of("context", Map.of("backlog_tasks", 21, "team", "data"), "projectId", "alpha-learn",
                        "limit", 2)),
                call("advise", Map.of("context", Map.of("backlog_tasks", 21), "projectId", "beta"))));
        JsonNode results = mcp.json().get("results");
        assertThat(results).as(mcp.out() + mcp.err()).hasSize(2);
        assertThat(results.get(0).at("/structured/advice/0/action/create_sprint").asBoolean()).as(mcp.out()).isTrue();
        assertThat(results.get(1).get("isError").asBoolean()).isTrue();
        assertThat(results.get(1).at("/structured/field").asText()).isEqualTo("projectId");
    }

    @Test
    void theMcpTypeScriptClientUsesEveryToolOverStreamableHttp() {
        Map<String, Object> episode = new LinkedHashMap<>();
        episode.put("projectId", "alpha-mcp");
        episode.put("perception", Map.of("backlog_tasks", 21, "team", "mobile"));
        episode.put("reasoning", Map.of("rule", "backlog over 20"));
        episode.put("action", Map.of("create_sprint", true));
        List<Map<String, Object>> calls = new ArrayList<>(List.of(
                call("remember_decision", Map.of("episode", episode)),
                call("recall_similar_situations", Map.of("context", Map.of("backlog_tasks", 21, "team", "mobile"),
                        "projectId", "alpha-mcp", "limit", 3)),
                call("record_outcome", Map.of("episodeId", "$0.episodeId", "outcome", Map.of("velocity", 0.7),
                        "outcomeQuality", 0.7)),
                call("get_learned_strategies", Map.of("context", Map.of("backlog_tasks", 21), "minConfidence", 0.1)),
                call("record_outcome", Map.of("episodeId", "$0.episodeId", "outcome", Map.of(), "outcomeQuality", 1.5)),
                call("recall_similar_situations", Map.of("context", Map.of(), "limit", 0)),
                call("remember_decision", Map.of("episode", Map.of("projectId", "alpha-mcp")))));
        Run run = ServerClients.mcpHttp(base + "/mcp", ADMIN, calls);
        JsonNode out = run.json();
        assertThat(out.has("failure")).as(run.out() + run.err()).isFalse();
        assertThat(out.get("tools").findValuesAsText("name")).containsExactly("remember_decision",
                "recall_similar_situations", "record_outcome", "get_learned_strategies", "advise");
        assertThat(out.get("tools").get(0).at("/inputSchema/required/0").asText()).isEqualTo("episode");
        JsonNode results = out.get("results");
        String id = results.get(0).at("/structured/episodeId").asText();
        assertThat(memory.episodes().getEpisodeById(UUID.fromString(id))).isPresent();
        assertThat(results.get(0).get("text").asText()).contains(id);
        assertThat(results.get(1).at("/structured/episodes/0/episodeId").asText()).isEqualTo(id);
        assertThat(results.get(1).at("/structured/episodes/0/similarity").isNumber()).isTrue();
        assertThat(results.get(2).get("isError").asBoolean()).isFalse();
        assertThat(memory.episodes().getEpisodeById(UUID.fromString(id)).orElseThrow().outcomeQuality()).isEqualTo(0.7);
        assertThat(results.get(3).at("/structured/strategies").isArray()).isTrue();
        assertThat(results.get(4).get("isError").asBoolean()).isTrue();
        assertThat(results.get(4).at("/structured/field").asText()).isEqualTo("outcomeQuality");
        assertThat(results.get(4).at("/structured/error").asText()).isEqualTo("outcomeQuality: 1.5 is outside [0,1]");
        assertThat(results.get(5).at("/structured/field").asText()).isEqualTo("limit");
        assertThat(results.get(6).get("isError").asBoolean()).isTrue();
        assertThat(results.get(6).at("/structured/field").asText()).isIn("perception", "reasoning", "action");

        Run noKey = ServerClients.mcpHttp(base + "/mcp", null, List.of());
        assertThat(noKey.json().has("failure")).as(noKey.out()).isTrue();
        assertThat(noKey.out()).doesNotContain("backlog");

        Run scoped = ServerClients.mcpHttp(base + "/mcp", BETA, List.of(
                call("remember_decision", Map.of("episode", episode)),
                call("recall_similar_situations", Map.of("context", Map.of("backlog_tasks", 21, "team", "mobile")))));
        JsonNode s = scoped.json().get("results");
        assertThat(s.get(0).get("isError").asBoolean()).isTrue();
        assertThat(s.get(0).at("/structured/error").asText()).contains("does not reach project 'alpha-mcp'");
        assertThat(s.get(1).at("/structured/episodes").findValuesAsText("projectId")).doesNotContain("alpha-mcp");
    }

    @Test
    void theMcpTypeScriptClientStartsAgentMemoryMcpAndUsesItOverStdio() {
        Map<String, Object> episode = Map.of("projectId", "stdio-" + UUID.randomUUID(),
                "perception", Map.of("backlog_tasks", 9), "reasoning", Map.of("rule", "small"),
                "action", Map.of("create_sprint", false));
        Run run = ServerClients.mcpStdio(cliEnvironment(), cliOptions(), List.of(
                call("remember_decision", Map.of("episode", episode)),
                call("recall_similar_situations", Map.of("context", Map.of("backlog_tasks", 9),
                        "projectId", episode.get("projectId"), "limit", 1)),
                call("record_outcome", Map.of("episodeId", "$0.episodeId", "outcome", Map.of("ok", true),
                        "outcomeQuality", 0.6)),
                call("get_learned_strategies", Map.of("context", Map.of("backlog_tasks", 9))),
                call("record_outcome", Map.of("episodeId", "not-a-uuid", "outcome", Map.of(), "outcomeQuality", 0.5))));
        JsonNode out = run.json();
        assertThat(out.has("failure")).as(run.out() + run.err()).isFalse();
        JsonNode results = out.get("results");
        String id = results.get(0).at("/structured/episodeId").asText();
        assertThat(results.get(1).at("/structured/episodes/0/episodeId").asText()).as(run.out()).isEqualTo(id);
        assertThat(results.get(2).get("isError").asBoolean()).as(run.out()).isFalse();
        assertThat(results.get(3).get("isError").asBoolean()).as(run.out()).isFalse();
        assertThat(results.get(4).at("/structured/field").asText()).isEqualTo("episodeId");
        storedByAnotherProcess(UUID.fromString(id));
    }

    /** Checks what {@code agent-memory mcp} wrote, when it wrote to a store this test can read. */
    abstract void storedByAnotherProcess(UUID id);
}
