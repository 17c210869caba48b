package dev.agentmemory.server;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.core.AgentMemorySystem;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-memory server: the REST routes ({@link Routes}) and MCP over Streamable HTTP at
 * {@code /mcp}, on one Jetty port, in front of one {@link AgentMemorySystem}.
 *
 * <pre>{@code
 * try (MemoryServer server = MemoryServer.builder(memory).settings(settings).keys(keys).build()) {
 *     server.start();
 *     server.join();
 * }
 * }</pre>
 *
 * <p>{@link #stop()} is graceful: the port stops taking requests (those that arrive get 503), the
 * requests in flight finish (up to {@link ServerSettings#shutdownTimeout()}), and only then are
 * the workers stopped. The memory itself is the caller's to close, after the server.
 */
public final class MemoryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryServer.class);

    private final AgentMemorySystem memory;
    private final ServerSettings settings;
    private final ApiKeys keys;
    private final PrometheusMeterRegistry registry;
    private final ThreadPoolExecutor workers;
    private final ExecutorService healthChecks;
    private final Server jetty;
    private final ServerConnector connector;
    private final HttpServletStreamableServerTransportProvider mcpTransport;
    private final McpSyncServer mcp;
    private volatile boolean stopped;

    private MemoryServer(Builder b) {
        this.memory = b.memory;
        this.settings = b.settings;
        this.keys = b.keys;
        checkExposure(settings.host(), keys);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The place for the memory's own meters (agent.memory.remember, recall, outcome, embedding,
        // embeddings.pending): a MeterBinder given to the builder is bound to this registry, and
        // /metrics shows what it registers next to the request meters.
        for (MeterBinder binder : b.meterBinders) {
            binder.bindTo(registry);
        }
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.workers() * 64), threads("agent-memory-worker"));
        this.healthChecks = Executors.newCachedThreadPool(threads("agent-memory-health"));
        MemoryApi api = new MemoryApi(memory, settings, workers);
        Health health = new Health(memory, healthChecks, Duration.ofSeconds(5));
        List<Route> routes = Routes.all(api, health, registry, settings);

        this.mcpTransport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .jsonMapper(McpTools.JSON)
                .maxRequestSize(settings.maxBodyBytes())
                .contextExtractor(request -> {
                    Object access = request.getAttribute(RestServlet.ACCESS);
                    return access == null ? McpTransportContext.EMPTY
                            : McpTransportContext.create(Map.of(McpTools.ACCESS, access));
                })
                .build();
        this.mcp = McpTools.serve(mcpTransport, api, settings);

        QueuedThreadPool pool = new QueuedThreadPool(Math.max(64, settings.workers() * 4), 8);
        pool.setName("agent-memory-http");
        this.jetty = new Server(pool);
        this.connector = new ServerConnector(jetty);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.requestTimeout().plusSeconds(30).toMillis());
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder accessLog = new FilterHolder(new AccessLogFilter(registry));
        accessLog.setAsyncSupported(true);
        context.addFilter(accessLog, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder auth = new FilterHolder(new AuthFilter(keys, routes));
        auth.setAsyncSupported(true);
        context.addFilter(auth, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("rest", new RestServlet(routes, settings.maxBodyBytes())), "/");
        ServletHolder mcpHolder = new ServletHolder("mcp", mcpTransport);
        mcpHolder.setAsyncSupported(true);
        context.addServlet(mcpHolder, "/mcp");

        // In-flight requests are counted so that a stop waits for them. A body over the limit is
        // refused with 413 by the servlets themselves (RestServlet, and the MCP transport's
        // maxRequestSize), inside the filters, so that the refusal is logged and counted.
        jetty.setHandler(new GracefulHandler(context));
        jetty.setStopTimeout(settings.shutdownTimeout().toMillis());
        jetty.setStopAtShutdown(false);
    }

    /**
     * @param memory the memory to serve; the caller closes it after the server
     * @return a builder
     */
    public static Builder builder(AgentMemorySystem memory) {
        return new Builder(memory);
    }

    /**
     * Refuses to listen beyond loopback without a key: a memory holds what agents decided, and
     * anyone who reaches the port could read and write it.
     *
     * @param host the address to listen on
     * @param keys the keys configured
     * @throws ConfigurationException when the host is not loopback and there is no key
     */
    public static void checkExposure(String host, ApiKeys keys) {
        if (keys.required()) {
            return;
        }
        boolean loopback;
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            loopback = all.length > 0;
            for (InetAddress a : all) {
                loopback &= a.isLoopbackAddress();
            }
        } catch (UnknownHostException e) {
            throw new ConfigurationException("--host: cannot resolve '" + host + "'");
        }
        if (!loopback) {
            throw new ConfigurationException("--host: " + host + " is not a loopback address, and no key is configured;"
                    + " set " + ApiKeys.KEY_VARIABLE + " or " + ApiKeys.KEYS_FILE_VARIABLE
                    + " to serve beyond this machine");
        }
    }

    /**
     * Starts listening.
     *
     * @return this server
     * @throws ConfigurationException when the port cannot be bound
     */
    public MemoryServer start() {
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                e.addSuppressed(ignored);
            }
            throw new ConfigurationException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        log.info("agent-memory server on http://{}:{} ({} keys)", settings.host(), port(), keys.size());
        return this;
    }

    /** @return the port it listens on, the one picked when 0 was asked for */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the base URL, {@code http://host:port} */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port();
    }

    /** @return the registry {@code /metrics} shows, for binding more meters */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops gracefully: no new requests, the ones in flight finished, then the workers stopped.
     * Safe to call twice.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long started = System.nanoTime();
        // MCP's streams stay open until closed; closing its sessions first lets the stop wait only
        // for requests that are doing work.
        try {
            mcpTransport.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("closing the MCP sessions: {}", e.toString());
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server: {}", e.toString());
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} calls to the memory still running after the shutdown timeout", workers.getActiveCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        healthChecks.shutdownNow();
        try {
            mcp.close();
        } catch (RuntimeException e) {
            log.debug("closing MCP: {}", e.toString());
        }
        registry.close();
        log.info("agent-memory server stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds a {@link MemoryServer}. */
    public static final class Builder {
        private final AgentMemorySystem memory;
        private ServerSettings settings = ServerSettings.defaults();
        private ApiKeys keys = ApiKeys.none();
        private final List<MeterBinder> meterBinders = new ArrayList<>();

        private Builder(AgentMemorySystem memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
        }

        /** @param v where to listen and the limits @return this builder */
        public Builder settings(ServerSettings v) {
            settings = Objects.requireNonNull(v, "settings");
            return this;
        }

        /** @param v the keys; none lets every request in (loopback only) @return this builder */
        public Builder keys(ApiKeys v) {
            keys = Objects.requireNonNull(v, "keys");
            return this;
        }

        /**
         * @param binder meters to show on {@code /metrics}, such as the memory's own
         * @return this builder
         */
        public Builder meterBinder(@Nullable MeterBinder binder) {
            if (binder != null) {
                meterBinders.add(binder);
            }
            return this;
        }

        /**
         * @return the server, not yet listening
         * @throws ConfigurationException when it would listen beyond loopback without a key
         */
        public MemoryServer build() {
            return new MemoryServer(this);
        }
    }
}
