package dev.agentmemory.server;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the server listens and the limits it holds every request to. Built by {@link #builder()},
 * which checks each value; {@link #defaults()} listens on 127.0.0.1:8080.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param maxBodyBytes a larger request body is refused with 413
 * @param maxBatch at most this many episodes in one {@code POST /v1/episodes}
 * @param maxLimit at most this {@code limit} on a recall or advice
 * @param maxContextBytes a {@code context} (or episode map) larger than this, as JSON, is refused
 * @param requestTimeout a request to the memory that takes longer is answered with 503
 * @param shutdownTimeout how long a shutdown waits for the requests in flight
 * @param workers how many requests run on the memory at once; the rest wait their turn
 */
public record ServerSettings(String host, int port, int maxBodyBytes, int maxBatch, int maxLimit, int maxContextBytes,
                             Duration requestTimeout, Duration shutdownTimeout, int workers) {

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new ConfigurationException("host: must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigurationException("port: " + port + " is outside 0..65535");
        }
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxBatch", maxBatch);
        positive("maxContextBytes", maxContextBytes);
        positive("workers", workers);
        if (maxLimit < 1 || maxLimit > AgentMemoryStore.MAX_LIMIT) {
            throw new ConfigurationException("maxLimit: " + maxLimit + " is outside 1.." + AgentMemoryStore.MAX_LIMIT);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new ConfigurationException("requestTimeout: must be positive, was " + requestTimeout);
        }
        if (shutdownTimeout.isNegative()) {
            throw new ConfigurationException("shutdownTimeout: must not be negative, was " + shutdownTimeout);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new ConfigurationException(name + ": must be at least 1, was " + value);
        }
    }

    /** @return 127.0.0.1:8080 with the default limits */
    public static ServerSettings defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder; each value is checked by {@link #build()}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxBodyBytes = 1 << 20;
        private int maxBatch = 500;
        private int maxLimit = 100;
        private int maxContextBytes = 64 * 1024;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private int workers = 32;

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder maxLimit(int v) { maxLimit = v; return this; }
        public Builder maxContextBytes(int v) { maxContextBytes = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = Objects.requireNonNull(v, "requestTimeout"); return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = Objects.requireNonNull(v, "shutdownTimeout"); return this; }
        public Builder workers(int v) { workers = v; return this; }

        /** @return the settings */
        public ServerSettings build() {
            return new ServerSettings(host, port, maxBodyBytes, maxBatch, maxLimit, maxContextBytes, requestTimeout,
                    shutdownTimeout, workers);
        }
    }
}
