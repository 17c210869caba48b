package dev.agentmemory.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request on the logger {@value #LOGGER} (a JSON object: method, route, status,
 * milliseconds), and the timer {@code http.server.requests} tagged with method, route and status.
 * The route is the matched template ({@code /v1/episodes/{id}}), never the raw path, and no
 * header is read: a key can reach neither the log nor a metric.
 */
final class AccessLogFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** The access log's logger name. */
    static final String LOGGER = "agentmemory.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final transient MeterRegistry registry;

    AccessLogFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        try {
            chain.doFilter(req, resp);
        } finally {
            if (req.isAsyncStarted()) {
                req.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        record(req, resp, started);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                record(req, resp, started);
            }
        }
    }

    private void record(HttpServletRequest req, HttpServletResponse resp, long started) {
        long nanos = System.nanoTime() - started;
        String route = route(req);
        int status = resp.getStatus();
        Timer.builder("http.server.requests")
                .description("HTTP requests to the agent-memory server")
                .tag("method", req.getMethod())
                .tag("route", route)
                .tag("status", String.valueOf(status))
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry)
                .record(Duration.ofNanos(nanos));
        if (log.isInfoEnabled()) {
            log.info("{\"method\":\"{}\",\"route\":\"{}\",\"status\":{},\"ms\":{}}", req.getMethod(), route, status,
                    String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6));
        }
    }

    private static String route(HttpServletRequest req) {
        Object r = req.getAttribute(RestServlet.ROUTE);
        if (r instanceof String s) {
            return s;
        }
        return "/mcp".equals(req.getRequestURI()) ? "/mcp" : "unmatched";
    }
}
