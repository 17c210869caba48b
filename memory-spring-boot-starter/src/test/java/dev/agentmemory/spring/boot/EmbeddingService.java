package dev.agentmemory.spring.boot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentmemory.api.Embedder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedding service's wire format ({@code /health}, {@code /embed}, {@code /embed/batch}) on a
 * loopback port, over the real local model: what {@code agent-memory.embedder=service} talks to.
 */
final class EmbeddingService implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Embedder model;

    private EmbeddingService(Embedder model) throws IOException {
        this.model = model;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> answer(ex, Map.of("status", "healthy", "model", model.modelName(),
                "dimensions", model.dimensions())));
        server.createContext("/embed/batch", ex -> {
            List<?> texts = (List<?>) read(ex).get("texts");
            List<List<Float>> vectors = new ArrayList<>();
            for (float[] v : model.embedAll(texts.stream().map(String::valueOf).toList())) {
                vectors.add(boxed(v));
            }
            answer(ex, body("embeddings", vectors));
        });
        server.createContext("/embed", ex -> answer(ex, body("embedding", boxed(model.embed((String) read(ex).get("text"))))));
        server.start();
    }

    static EmbeddingService start(Embedder model) throws IOException {
        return new EmbeddingService(model);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Map<String, Object> body(String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(field, value);
        body.put("dimensions", model.dimensions());
        body.put("generation_time_ms", 1);
        return body;
    }

    private static List<Float> boxed(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    private static Map<?, ?> read(HttpExchange ex) throws IOException {
        return JSON.readValue(ex.getRequestBody().readAllBytes(), Map.class);
    }

    private static void answer(HttpExchange ex, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
