package dev.agentmemory.embedding.ollama;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.EmbedderConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings both embedders' builders share; each setter checks its value.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class HttpSettingsBuilder<B extends HttpSettingsBuilder<B>> {

    /** The default limit of the requests in flight. */
    static final int DEFAULT_BULKHEAD = 4;
    /** The default number of texts in one request. */
    static final int DEFAULT_BATCH_SIZE = 64;

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Duration timeout = EmbedderConfig.DEFAULT_TIMEOUT;
    private int maxRetries = EmbedderConfig.DEFAULT_MAX_RETRIES;
    private Duration retryBackoff = Duration.ofMillis(200);
    private Duration maxRetryBackoff = Duration.ofSeconds(5);
    private int bulkhead = DEFAULT_BULKHEAD;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int expectedDimensions;
    private int circuitBreakerWindow = 8;
    private float circuitBreakerFailureRate = 50f;
    private Duration circuitBreakerOpenFor = Duration.ofSeconds(30);

    abstract B self();

    /**
     * @param value the limit of one attempt (connecting, sending the request and reading the
     *     answer); default 10 s
     * @return this builder
     */
    public B timeout(Duration value) {
        this.timeout = positive("timeout", value);
        return self();
    }

    /**
     * @param value retries after the first attempt, 0 to 100; 0 means one attempt; default 3
     * @return this builder
     */
    public B maxRetries(int value) {
        if (value < 0 || value > 100) {
            throw new InvalidInputException("maxRetries", value + " is outside 0 to 100");
        }
        this.maxRetries = value;
        return self();
    }

    /**
     * @param value the wait before the first retry; each later wait doubles, randomised by half
     *     either way, up to 5 s or the initial wait if that is longer; default 200 ms
     * @return this builder
     */
    public B retryBackoff(Duration value) {
        this.retryBackoff = positive("retryBackoff", value);
        this.maxRetryBackoff = value.compareTo(Duration.ofSeconds(5)) > 0 ? value : Duration.ofSeconds(5);
        return self();
    }

    /**
     * @param value the most requests in flight at once, 1 to 1024; further callers wait up to the
     *     timeout for a place; default 4
     * @return this builder
     */
    public B bulkhead(int value) {
        this.bulkhead = inRange("bulkhead", value, 1, 1024);
        return self();
    }

    /**
     * @param value the most texts sent in one request, 1 to 10000; longer lists are split;
     *     default 64
     * @return this builder
     */
    public B batchSize(int value) {
        this.batchSize = inRange("batchSize", value, 1, 10_000);
        return self();
    }

    /**
     * @param value the size every vector must have; a response of another size is an error
     * @return this builder
     */
    public B expectedDimensions(int value) {
        this.expectedDimensions = inRange("expectedDimensions", value, 1, 65_536);
        return self();
    }

    /**
     * @param value how many recent attempts the circuit breaker judges, 1 to 1000; it opens only
     *     once it has seen that many; default 8
     * @return this builder
     */
    public B circuitBreakerWindow(int value) {
        this.circuitBreakerWindow = inRange("circuitBreakerWindow", value, 1, 1000);
        return self();
    }

    /**
     * @param percent the share of failed attempts in the window that opens the breaker, in
     *     (0, 100]; default 50
     * @return this builder
     */
    public B circuitBreakerFailureRate(float percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new InvalidInputException("circuitBreakerFailureRate", percent + " is outside (0, 100]");
        }
        this.circuitBreakerFailureRate = percent;
        return self();
    }

    /**
     * @param value how long an open breaker refuses calls before it lets one through to test the
     *     service; default 30 s
     * @return this builder
     */
    public B circuitBreakerOpenFor(Duration value) {
        this.circuitBreakerOpenFor = positive("circuitBreakerOpenFor", value);
        return self();
    }

    /**
     * Takes the timeout, the retries and the known properties of a provider configuration:
     * {@code bulkhead}, {@code batch-size}, {@code dimensions}, {@code retry-backoff},
     * {@code circuit-breaker-window}, {@code circuit-breaker-failure-rate},
     * {@code circuit-breaker-open-for}. Durations are written {@code 500ms}, {@code 30s},
     * {@code 2m} or in ISO-8601 ({@code PT30S}).
     *
     * @param config the configuration
     * @return this builder
     */
    public B config(EmbedderConfig config) {
        timeout(config.timeout());
        maxRetries(config.maxRetries());
        Map<String, String> p = config.properties();
        if (p.containsKey("bulkhead")) {
            bulkhead(config.intProperty("bulkhead", DEFAULT_BULKHEAD));
        }
        if (p.containsKey("batch-size")) {
            batchSize(config.intProperty("batch-size", DEFAULT_BATCH_SIZE));
        }
        if (p.containsKey("dimensions")) {
            expectedDimensions(config.intProperty("dimensions", 0));
        }
        if (p.containsKey("circuit-breaker-window")) {
            circuitBreakerWindow(config.intProperty("circuit-breaker-window", 0));
        }
        String rate = p.get("circuit-breaker-failure-rate");
        if (rate != null) {
            try {
                circuitBreakerFailureRate(Float.parseFloat(rate.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("circuit-breaker-failure-rate", "'" + rate + "' is not a number");
            }
        }
        String backoff = p.get("retry-backoff");
        if (backoff != null) {
            retryBackoff(parseDuration("retry-backoff", backoff));
        }
        String openFor = p.get("circuit-breaker-open-for");
        if (openFor != null) {
            circuitBreakerOpenFor(parseDuration("circuit-breaker-open-for", openFor));
        }
        return self();
    }

    HttpSettings settings() {
        return new HttpSettings(timeout, maxRetries, retryBackoff, maxRetryBackoff, bulkhead, batchSize,
                expectedDimensions, circuitBreakerWindow, circuitBreakerFailureRate, circuitBreakerOpenFor);
    }

    static Duration parseDuration(String field, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(text.trim());
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a duration such as 500ms, 30s, 2m or PT30S");
        }
    }

    private static Duration positive(String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidInputException(field, value + " must be positive");
        }
        return value;
    }

    private static int inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, value + " is outside " + min + " to " + max);
        }
        return value;
    }
}
