package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemoryServerTest {

    static AgentMemorySystem memory;
    static MemoryServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        memory = AgentMemory.builder().store("inmemory").build();
        server = MemoryServer.builder(memory)
                .settings(ServerSettings.builder().port(0).maxBodyBytes(64 * 1024).maxContextBytes(8 * 1024).build())
                .keys(ApiKeys.builder().key("test-key-0123456789abcdef", ApiKeys.Access.ALL)
                        .key("scoped-key-0123456789abcdef", ApiKeys.Access.of(List.of("alpha*"))).build())
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        memory.close();
    }

    static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return MemoryJson.MAPPER.readTree(r.body());
    }

    @Test
    void remembersAnEpisodeAndReadsItBack() throws Exception {
        String key = "test-key-0123456789abcdef";
        HttpResponse<String> created = send("POST", "/v1/episodes",
                "{\"projectId\":\"alpha\",\"perception\":{\"backlog\":12},\"reasoning\":{\"why\":\"big\"},\"action\":{\"sprint\":true}}",
                key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("ids").get(0).asText();
        HttpResponse<String> got = send("GET", "/v1/episodes/" + id, null, key);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(json(got).get("projectId").asText()).isEqualTo("alpha");
        HttpResponse<String> recalled = send("POST", "/v1/recall", "{\"context\":{\"backlog\":12},\"limit\":3}", key);
        assertThat(recalled.statusCode()).as(recalled.body()).isEqualTo(200);
        assertThat(json(recalled).get("episodes").get(0).get("episodeId").asText()).isEqualTo(id);
    }

    @Test
    void refusesBadInputNamingTheField() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/episodes/" + java.util.UUID.randomUUID() + "/outcome",
                "{\"outcome\":{},\"outcomeQuality\":1.5}", "test-key-0123456789abcdef");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("field").asText()).isEqualTo("outcomeQuality");
        assertThat(json(r).get("error").asText()).isEqualTo("outcomeQuality: 1.5 is outside [0,1]");
    }

    @Test
    void needsAKeyAndKeepsScopedKeysToTheirProjects() throws Exception {
        assertThat(send("POST", "/v1/recall", "{\"context\":{}}", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/v1/recall", "{\"context\":{}}", "wrong-key-0123456789abcdef").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = send("POST", "/v1/episodes",
                "{\"projectId\":\"beta\",\"perception\":{},\"reasoning\":{},\"action\":{}}", "scoped-key-0123456789abcdef");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).doesNotContain("scoped-key");
    }

    @Test
    void refusesTooLargeABody() throws Exception {
        String big = "{\"context\":{\"x\":\"" + "a".repeat(100_000) + "\"}}";
        assertThat(send("POST", "/v1/recall", big, "test-key-0123456789abcdef").statusCode()).isEqualTo(413);
        String context = "{\"context\":{\"x\":\"" + "a".repeat(10_000) + "\"}}";
        HttpResponse<String> r = send("POST", "/v1/recall", context, "test-key-0123456789abcdef");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("field").asText()).isEqualTo("context");
        assertThat(send("GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutAKey() {
        assertThatThrownBy(() -> MemoryServer.checkExposure("0.0.0.0", ApiKeys.none()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("not a loopback address");
        MemoryServer.checkExposure("127.0.0.1", ApiKeys.none());
    }

    @Test
    void aCallOverTheRequestTimeoutIsAnswered503AndHealthStillAnswers() throws Exception {
        try (MemoryServer slow = MemoryServer.builder(memory)
                .settings(ServerSettings.builder().port(0).requestTimeout(java.time.Duration.ofNanos(1000)).build())
                .build().start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(slow.url() + "/v1/recall"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"backlog\":3}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(json(r).get("error").asText()).contains("request timeout");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(slow.url() + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutKeysOnlyRequestsAddressedToThisMachineAreAnswered() throws Exception {
        try (MemoryServer open = MemoryServer.builder(memory).settings(ServerSettings.builder().port(0).build())
                .build().start()) {
            assertThat(rawStatus(open.port(), "127.0.0.1:" + open.port(), null)).isEqualTo(200);
            assertThat(rawStatus(open.port(), "localhost:" + open.port(), "http://localhost:3000")).isEqualTo(200);
            assertThat(rawStatus(open.port(), "evil.example:" + open.port(), null)).isEqualTo(403);
            assertThat(rawStatus(open.port(), "127.0.0.1:" + open.port(), "http://evil.example")).isEqualTo(403);
        }
    }

    private static int rawStatus(int port, String host, String origin) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            String head = "GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aKeyNeverReachesTheLogAnErrorOrAMetric() throws Exception {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        String wrong = "wrong-key-that-must-not-be-logged-42";
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> r = send("POST", "/v1/recall", "{\"context\":{}}", wrong);
            assertThat(r.body()).doesNotContain(wrong);
            HttpResponse<String> ok = send("POST", "/v1/recall", "{\"context\":{},\"limit\":0}", "test-key-0123456789abcdef");
            assertThat(ok.body()).doesNotContain("test-key");
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("agentmemory.access")
                .doesNotContain(wrong).doesNotContain("test-key-0123456789abcdef");
        assertThat(send("GET", "/metrics", null, "test-key-0123456789abcdef").body())
                .contains("http_server_requests").doesNotContain(wrong).doesNotContain("test-key");
    }
}
