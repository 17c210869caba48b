package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The server's answers when its embedder fails. The failing embedders are real: an
 * {@link EmbeddingClient} whose own service is down (a transient failure) or answers garbage (a
 * permanent one).
 */
class EmbeddingServerFailureTest {

    @Test
    void anEmbedderWhoseServiceIsDownGives503() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (EmbeddingClient upstream = new EmbeddingClient("http://127.0.0.1:" + deadPort, Duration.ofSeconds(2), 0);
             EmbeddingServer server = new EmbeddingServer(upstream, "127.0.0.1", 0).start()) {
            Http.Answer embed = Http.post(server.url() + "/embed", "{\"text\": \"hello\"}");
            assertThat(embed.status()).isEqualTo(503);
            assertThat(embed.error()).startsWith("embedding failed: POST http://127.0.0.1:" + deadPort + "/embed failed");

            Http.Answer health = Http.get(server.url() + "/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("unhealthy");
        }
    }

    @Test
    void anEmbedderThatGetsGarbageGives500() throws Exception {
        HttpServer garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        garbage.createContext("/", exchange -> {
            byte[] body = "{\"embedding\": \"not a vector\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        garbage.start();
        try (EmbeddingClient upstream = new EmbeddingClient("http://127.0.0.1:" + garbage.getAddress().getPort());
             EmbeddingServer server = new EmbeddingServer(upstream, "127.0.0.1", 0).start()) {
            Http.Answer embed = Http.post(server.url() + "/embed", "{\"text\": \"hello\"}");
            assertThat(embed.status()).isEqualTo(500);
            assertThat(embed.error()).contains("'embedding' that is not an array of numbers");
        } finally {
            garbage.stop(0);
        }
    }

    @Test
    void aTakenPortIsAConfigurationError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             EmbeddingClient unused = new EmbeddingClient("http://127.0.0.1:1")) {
            EmbeddingServer server = new EmbeddingServer(unused, "127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(server::start).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aClosedServerFreesItsPort() throws Exception {
        int port;
        try (EmbeddingClient unused = new EmbeddingClient("http://127.0.0.1:1")) {
            EmbeddingServer server = new EmbeddingServer(unused, "127.0.0.1", 0).start();
            port = server.port();
            server.close();
            try (EmbeddingServer again = new EmbeddingServer(unused, "127.0.0.1", port).start()) {
                assertThat(again.port()).isEqualTo(port);
            }
        }
    }
}
