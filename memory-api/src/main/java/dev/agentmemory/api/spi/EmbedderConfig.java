package dev.agentmemory.api.spi;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Redaction;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EmbedderProvider} needs: the service URL and model name for remote embedders,
 * timeouts and retries, and provider-specific properties. Immutable; built with {@link #builder()}.
 */
public final class EmbedderConfig {

    /** The default timeout of one call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The default number of retries after the first attempt. */
    public static final int DEFAULT_MAX_RETRIES = 3;

    private final @Nullable String url;
    private final @Nullable String model;
    private final Duration timeout;
    private final int maxRetries;
    private final Map<String, String> properties;

    private EmbedderConfig(Builder b) {
        this.url = b.url;
        this.model = b.model;
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults: no URL, no model, 10 s, 3 retries */
    public static EmbedderConfig ofDefaults() {
        return builder().build();
    }

    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param key a property name
     * @param fallback the value when it is not set
     * @return the property as an int
     */
    public int intProperty(String key, int fallback) {
        String v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a whole number");
        }
    }

    @Override
    public String toString() {
        return "EmbedderConfig{url=" + (url == null ? null : Redaction.redact(url)) + ", model=" + model + ", timeout=" + timeout
                + ", maxRetries=" + maxRetries + ", properties=" + Redaction.redact(properties.toString()) + "}";
    }

    /** Builds an {@link EmbedderConfig}; each setter checks its value. */
    public static final class Builder {
        private @Nullable String url;
        private @Nullable String model;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder url(@Nullable String value) {
            if (value != null && !(value.startsWith("http://") || value.startsWith("https://"))) {
                throw new InvalidInputException("url", "'" + Redaction.redact(value) + "' is not an http or https URL");
            }
            this.url = value;
            return this;
        }

        public Builder model(@Nullable String value) {
            this.model = value;
            return this;
        }

        public Builder timeout(Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new InvalidInputException("timeout", value + " must be positive");
            }
            this.timeout = value;
            return this;
        }

        /** @param value retries after the first attempt; 0 means one attempt */
        public Builder maxRetries(int value) {
            if (value < 0 || value > 100) {
                throw new InvalidInputException("maxRetries", value + " is outside 0 to 100");
            }
            this.maxRetries = value;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        public EmbedderConfig build() {
            return new EmbedderConfig(this);
        }
    }
}
