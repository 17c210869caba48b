package dev.agentmemory.embedding.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.api.CircuitBreaking;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Redaction;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing both embedders share: one {@link OkHttpClient} (one connection pool) per
 * embedder, JSON in and out, and the Resilience4j retry, circuit breaker and bulkhead around every
 * request. Every failure leaves here as an {@link EmbeddingException} that names the redacted URL,
 * the status and a short excerpt of the body.
 *
 * <p>The decorators nest as retry(circuit breaker(bulkhead(one attempt))): each attempt counts
 * for the breaker, an open breaker ends the retries at once, and a caller waiting between two
 * attempts holds no place in the bulkhead.
 */
final class HttpTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    /** Shared and thread-safe; rejects trailing garbage so that a truncated body is an error. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The longest excerpt of a body put in an error message. */
    static final int EXCERPT_LIMIT = 200;

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final int ERROR_BODY_PEEK = 4096;

    private final HttpUrl base;
    private final HttpSettings settings;
    private final OkHttpClient http;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private volatile boolean closed;

    /**
     * @param name names the Resilience4j instances in their events and metrics
     * @param baseUrl the server's base URL; paths are appended to it
     * @param settings validated settings
     */
    HttpTransport(String name, String baseUrl, HttpSettings settings) {
        this.base = parseBase(baseUrl);
        this.settings = settings;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .writeTimeout(settings.timeout())
                .callTimeout(settings.timeout())
                // Resilience4j decides what is retried; OkHttp's silent retry would hide attempts.
                .retryOnConnectionFailure(false)
                .addInterceptor(new DebugLogging())
                .build();
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(settings.maxRetries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        settings.retryBackoff(), 2.0, 0.5, settings.maxRetryBackoff()))
                .retryOnException(HttpTransport::isTransient)
                .build());
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindow(settings.circuitBreakerWindow(), settings.circuitBreakerWindow(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(settings.circuitBreakerFailureRate())
                .waitDurationInOpenState(settings.circuitBreakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                // Only a service that cannot answer opens the breaker; a 400 says it is up.
                .recordException(HttpTransport::isTransient)
                .ignoreExceptions(BulkheadFullException.class)
                .build());
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.bulkhead())
                .maxWaitDuration(settings.timeout())
                .build());
    }

    private static boolean isTransient(Throwable e) {
        return e instanceof EmbeddingException ee && ee.isTransient();
    }

    private static HttpUrl parseBase(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new InvalidInputException("baseUrl", "is required");
        }
        HttpUrl url = HttpUrl.parse(baseUrl.trim());
        if (url == null) {
            throw new InvalidInputException("baseUrl", "'" + Redaction.redact(baseUrl) + "' is not an http or https URL");
        }
        if (url.query() != null || url.fragment() != null) {
            throw new InvalidInputException("baseUrl", "'" + Redaction.redact(baseUrl)
                    + "' has a query or fragment; give the base URL the paths are appended to");
        }
        return url;
    }

    /** @return the settings this transport runs with */
    HttpSettings settings() {
        return settings;
    }

    /**
     * @param path a path starting with "/"
     * @return the full URL, redacted for messages and logs
     */
    String shown(String path) {
        return shown(url(path));
    }

    private static String shown(HttpUrl url) {
        String text = Redaction.redact(url.toString());
        return text == null ? "" : text;
    }

    private HttpUrl url(String path) {
        String prefix = base.toString();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return HttpUrl.get(prefix + path);
    }

    /**
     * POSTs JSON through retry, circuit breaker and bulkhead.
     *
     * @param path the path under the base URL
     * @param body a value Jackson can write
     * @return the answer, a JSON object
     * @throws EmbeddingException when every attempt failed, the breaker is open, the bulkhead is
     *     full, or the answer is not a JSON object
     */
    JsonNode post(String path, Object body) {
        return execute(postRequest(path, body));
    }

    /**
     * GETs JSON through retry, circuit breaker and bulkhead.
     *
     * @param path the path under the base URL
     * @return the answer, a JSON object
     */
    JsonNode get(String path) {
        return execute(new Request.Builder().url(url(path)).header("Accept", "application/json").get().build());
    }

    /**
     * One GET without retry or breaker, for a health check: it must tell the truth now, also when
     * the breaker is open.
     *
     * @param path the path under the base URL
     * @return the JSON object answered with a 2xx status, or null on any failure
     */
    @Nullable JsonNode getOnce(String path) {
        return once(new Request.Builder().url(url(path)).header("Accept", "application/json").get().build());
    }

    /**
     * One POST without retry or breaker, for a health check.
     *
     * @param path the path under the base URL
     * @param body a value Jackson can write
     * @return the JSON object answered with a 2xx status, or null on any failure
     */
    @Nullable JsonNode postOnce(String path, Object body) {
        return once(postRequest(path, body));
    }

    /**
     * Closes the circuit breaker after a health check that the service passed just now, so that
     * the next call goes through instead of waiting out the breaker's open time.
     */
    void healthy() {
        if (breaker.getState() == CircuitBreaker.State.OPEN || breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            LOG.info("{}: the service passed a health check; the circuit breaker closes", shown(""));
            breaker.transitionToClosedState();
        }
    }

    /** @return the circuit breaker's state (CLOSED, OPEN, HALF_OPEN...), for tests and logs */
    String circuitState() {
        return breaker.getState().name();
    }

    /** @return the circuit breaker's state */
    // Forced open counts as open; disabled and metrics-only let every call through, as closed does.
    CircuitBreaking.CircuitState circuit() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> CircuitBreaking.CircuitState.OPEN;
            case HALF_OPEN -> CircuitBreaking.CircuitState.HALF_OPEN;
            default -> CircuitBreaking.CircuitState.CLOSED;
        };
    }

    private Request postRequest(String path, Object body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new EmbeddingException("could not write the request to " + shown(path) + " as JSON", e);
        }
        return new Request.Builder()
                .url(url(path))
                .header("Accept", "application/json")
                .post(RequestBody.create(json, JSON_TYPE))
                .build();
    }

    private @Nullable JsonNode once(Request request) {
        if (closed) {
            return null;
        }
        try {
            return parse(attempt(request, new AtomicInteger()), request.method() + " " + shown(request.url()));
        } catch (RuntimeException e) {
            LOG.debug("{} {}: {}", request.method(), shown(request.url()), e.getMessage());
            return null;
        }
    }

    private JsonNode execute(Request request) {
        String what = request.method() + " " + shown(request.url());
        if (closed) {
            throw new EmbeddingException(what + " not sent: the embedder is closed", shown(request.url()), 0, false, null);
        }
        AtomicInteger attempts = new AtomicInteger();
        Supplier<byte[]> guarded = Retry.decorateSupplier(retry,
                CircuitBreaker.decorateSupplier(breaker,
                        Bulkhead.decorateSupplier(bulkhead, () -> attempt(request, attempts))));
        byte[] body;
        try {
            body = guarded.get();
        } catch (EmbeddingException e) {
            if (attempts.get() <= 1) {
                throw e;
            }
            throw new EmbeddingException(e.getMessage() + " (gave up after " + attempts.get() + " attempts)",
                    e.url(), e.status(), e.isTransient(), e);
        } catch (CallNotPermittedException e) {
            throw new EmbeddingException(what + " not sent: the circuit breaker is open because at least "
                    + settings.circuitBreakerFailureRate() + "% of the last " + settings.circuitBreakerWindow()
                    + " attempts failed; it lets a call through again " + settings.circuitBreakerOpenFor()
                    + " after opening" + (attempts.get() > 0 ? " (" + attempts.get() + " attempts made)" : ""),
                    shown(request.url()), 0, true, e);
        } catch (BulkheadFullException e) {
            throw new EmbeddingException(what + " not sent: " + settings.bulkhead()
                    + " requests already in flight and none finished within " + settings.timeout(),
                    shown(request.url()), 0, true, e);
        }
        return parse(body, what);
    }

    private byte[] attempt(Request request, AtomicInteger attempts) {
        attempts.incrementAndGet();
        String shown = shown(request.url());
        String what = request.method() + " " + shown;
        try (Response response = http.newCall(request).execute()) {
            int code = response.code();
            if (response.isSuccessful()) {
                ResponseBody body = response.body();
                return body == null ? new byte[0] : body.bytes();
            }
            String excerpt = excerpt(response.peekBody(ERROR_BODY_PEEK).bytes());
            boolean retryable = code == 429 || code >= 500;
            throw new EmbeddingException(what + " answered " + code + ": " + excerpt, shown, code, retryable, null);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new EmbeddingException(what + " was interrupted", shown, 0, false, e);
            }
            throw new EmbeddingException(what + " timed out after " + settings.timeout(), shown, 0, true, e);
        } catch (IOException e) {
            throw new EmbeddingException(what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), shown, 0, true, e);
        }
    }

    private static JsonNode parse(byte[] body, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw malformed(what, "malformed JSON (" + firstLine(e.getMessage()) + ")", body);
        }
        if (node == null || !node.isObject()) {
            throw malformed(what, "a body that is not a JSON object", body);
        }
        return node;
    }

    static EmbeddingException malformed(String what, String problem, byte[] body) {
        return new EmbeddingException(what + " answered with " + problem + ": " + excerpt(body),
                urlOf(what), 200, false, null);
    }

    /**
     * @param what "METHOD url", as this class builds it
     * @param problem what is wrong with a 2xx answer
     * @return a non-transient exception for it
     */
    static EmbeddingException invalid(String what, String problem) {
        return new EmbeddingException(what + " answered with " + problem, urlOf(what), 200, false, null);
    }

    private static String urlOf(String what) {
        int space = what.indexOf(' ');
        return space < 0 ? what : what.substring(space + 1);
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * @param body a response body
     * @return its {@code error} field when it is a JSON object with one (Ollama's and our
     *     server's error format), else the text; whitespace collapsed, at most
     *     {@value #EXCERPT_LIMIT} characters, redacted
     */
    static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject() && node.path("error").isTextual()) {
                text = node.get("error").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw text is the best excerpt
        }
        text = text.replaceAll("\\s+", " ").trim();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        if (text.length() > EXCERPT_LIMIT) {
            text = text.substring(0, EXCERPT_LIMIT - 1) + "…";
        }
        String redacted = Redaction.redact(text);
        return redacted == null ? "" : redacted;
    }

    @Override
    public void close() {
        closed = true;
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Logs each request at debug level, with the URL redacted. */
    private static final class DebugLogging implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            long start = System.nanoTime();
            try {
                Response response = chain.proceed(request);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} {} -> {} in {} ms", request.method(), shown(request.url()), response.code(),
                            (System.nanoTime() - start) / 1_000_000);
                }
                return response;
            } catch (IOException e) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} {} failed after {} ms: {}", request.method(), shown(request.url()),
                            (System.nanoTime() - start) / 1_000_000, e.toString());
                }
                throw e;
            }
        }
    }
}
