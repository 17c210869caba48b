package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.it.ServerClients.Answer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code agent-memory serve} as a real child process on PostgreSQL through pgbouncer (transaction
 * pooling): 64 concurrent clients send 20,000 mixed REST requests with a key, and not one fails;
 * the latencies per route (p50/p95/p99) are printed and written to
 * target/server-load-report.txt. Then writers keep going while the process gets SIGTERM: every
 * episode it acknowledged with 201 is in the table afterwards, counted in plain SQL.
 *
 * <p>Latencies are reported, not asserted: the machine is shared. Speed targets belong to
 * memory-bench.
 */
class ServerLoadIT {

    private static final int CLIENTS = 64;
    private static final int REQUESTS = 20_000;
    private static final String KEY = "load-" + UUID.randomUUID();

    private static final Pattern LISTENING = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+) ");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void sixtyFourClientsSendTwentyThousandRequestsWithoutAnErrorAndSigtermLosesNoAcknowledgedWrite() throws Exception {
        String direct = TestDatabase.LOAD_JDBC_URL;
        try (Connection c = DriverManager.getConnection(direct, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            // Every agent-memory table of the load database, whatever migrations made them.
            s.execute("DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables"
                    + " WHERE schemaname = 'public' AND tablename LIKE 'agent\\_%' LOOP"
                    + " EXECUTE 'DROP TABLE IF EXISTS public.' || quote_ident(t) || ' CASCADE'; END LOOP; END $$");
        }
        Map<String, String> env = Map.of("AGENT_MEMORY_STORE", "postgres", "AGENT_MEMORY_DB_USER", TestDatabase.USER,
                "AGENT_MEMORY_DB_PASSWORD", TestDatabase.PASSWORD, "AGENT_MEMORY_API_KEY", KEY,
                "AGENT_MEMORY_ACCESS_LOG", "OFF");
        List<String> init = new ArrayList<>(ServerClients.cliCommand("init"));
        init.addAll(List.of("--jdbc-url", direct));
        ServerClients.Run initRun = ServerClients.run(init, env, 300);
        assertThat(initRun.exit()).as(initRun.err()).isZero();

        List<String> serve = new ArrayList<>(ServerClients.cliCommand("serve"));
        serve.addAll(List.of("--port", "0", "--jdbc-url", TestDatabase.LOAD_PGBOUNCER_JDBC_URL,
                "--store-property", "pgbouncer=true", "--store-property", "migration.jdbc-url=" + direct,
                "--store-property", "pool.size=32"));
        ProcessBuilder pb = new ProcessBuilder(serve);
        pb.environment().putAll(env);
        Path serverErr = Files.createTempFile("server-load", ".err");
        pb.redirectError(serverErr.toFile());
        Process server = pb.start();
        try {
            String base = awaitListening(server, serverErr);
            Stats stats = load(base);
            String report = stats.report();
            System.out.println(report);
            Files.writeString(Path.of("target", "server-load-report.txt"), report);
            assertThat(stats.errors).as("errors: " + stats.errors).isEmpty();
            assertThat(stats.total.get()).isEqualTo(REQUESTS);

            List<UUID> acknowledged = writeThroughSigterm(base, server);
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits after SIGTERM").isTrue();
            String log = Files.readString(serverErr);
            assertThat(log).contains("agent-memory: stopped").doesNotContain(KEY);
            long found = count(direct, acknowledged);
            System.out.println("SIGTERM: " + acknowledged.size() + " writes acknowledged while stopping, " + found
                    + " of them in agent_episodes");
            assertThat(acknowledged).isNotEmpty();
            assertThat(found).isEqualTo(acknowledged.size());
            long all = count(direct, stats.written);
            assertThat(all).as("every write acknowledged under load").isEqualTo(stats.written.size());
        } finally {
            server.destroyForcibly();
        }
    }

    private static String awaitListening(Process server, Path err) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // the server prints nothing more on stdout; keep its pipe from filling
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new AssertionError("agent-memory serve ended before listening: " + Files.readString(err));
    }

    static final class Stats {
        final Map<String, Queue<Long>> micros = new ConcurrentHashMap<>();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final List<UUID> written = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger total = new AtomicInteger();
        long wallMillis;

        void record(String route, long nanos) {
            micros.computeIfAbsent(route, r -> new ConcurrentLinkedQueue<>()).add(nanos / 1000);
            total.incrementAndGet();
        }

        String report() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "server load: %d requests from %d clients in %.1f s (%.0f/s), %d errors%n",
                    total.get(), CLIENTS, wallMillis / 1000.0, total.get() * 1000.0 / Math.max(1, wallMillis),
                    errors.size()));
            b.append(String.format(Locale.ROOT, "%-36s %7s %9s %9s %9s%n", "route", "count", "p50 ms", "p95 ms", "p99 ms"));
            for (var e : new TreeMap<>(micros).entrySet()) {
                List<Long> v = new ArrayList<>(e.getValue());
                Collections.sort(v);
                b.append(String.format(Locale.ROOT, "%-36s %7d %9.1f %9.1f %9.1f%n", e.getKey(), v.size(),
                        pct(v, 0.50), pct(v, 0.95), pct(v, 0.99)));
            }
            return b.toString();
        }

        private static double pct(List<Long> sorted, double p) {
            int i = (int) Math.ceil(p * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1000.0;
        }
    }

    private static String episode(Random r, String project) {
        int backlog = r.nextInt(40);
        return "{\"projectId\":\"" + project + "\",\"perception\":{\"backlog_tasks\":" + backlog + ",\"team_size\":"
                + (3 + r.nextInt(6)) + ",\"phase\":\"" + (r.nextBoolean() ? "build" : "stabilise") + "\"},"
                + "\"reasoning\":{\"rule\":\"load\"},\"action\":{\"create_sprint\":" + (backlog > 15) + ",\"tasks\":"
                + (backlog / 3) + "}}";
    }

    private static Stats load(String base) throws Exception {
        Stats stats = new Stats();
        List<String> ids = new CopyOnWriteArrayList<>();
        // A few episodes first, so that reads and outcomes have something to name.
        Random seed = new Random(1);
        for (int i = 0; i < 20; i++) {
            Answer a = ServerClients.send(base, "POST", "/v1/episodes", episode(seed, "load-" + (i % 8)), KEY);
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            String id = a.json().get("ids").get(0).asText();
            ids.add(id);
            stats.written.add(UUID.fromString(id));
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                Random r = new Random(client);
                while (next.getAndIncrement() < REQUESTS) {
                    String project = "load-" + r.nextInt(8);
                    int pick = r.nextInt(100);
                    String method = "POST";
                    String route;
                    String path;
                    String body;
                    int want;
                    if (pick < 25) {
                        route = "POST /v1/episodes";
                        path = "/v1/episodes";
                        body = episode(r, project);
                        want = 201;
                    } else if (pick < 30) {
                        route = "POST /v1/episodes (batch of 5)";
                        path = "/v1/episodes";
                        List<String> batch = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            batch.add(episode(r, project));
                        }
                        body = "[" + String.join(",", batch) + "]";
                        want = 201;
                    } else if (pick < 55) {
                        route = "POST /v1/recall";
                        path = "/v1/recall";
                        body = "{\"context\":{\"backlog_tasks\":" + r.nextInt(40) + ",\"phase\":\"build\"},"
                                + (r.nextInt(4) == 0 ? "" : "\"projectId\":\"" + project + "\",") + "\"limit\":5}";
                        want = 200;
                    } else if (pick < 75) {
                        route = "GET /v1/episodes/{id}";
                        method = "GET";
                        path = "/v1/episodes/" + ids.get(r.nextInt(ids.size()));
                        body = null;
                        want = 200;
                    } else if (pick < 85) {
                        route = "POST /v1/episodes/{id}/outcome";
                        path = "/v1/episodes/" + ids.get(r.nextInt(ids.size())) + "/outcome";
                        body = "{\"outcome\":{\"velocity\":" + r.nextInt(10) + "},\"outcomeQuality\":"
                                + (r.nextInt(11) / 10.0) + "}";
                        want = 200;
                    } else if (pick < 90) {
                        route = "POST /v1/strategies/applicable";
                        path = "/v1/strategies/applicable";
                        body = "{\"context\":{\"backlog_tasks\":" + r.nextInt(40) + "},\"minConfidence\":0.3}";
                        want = 200;
                    } else if (pick < 95) {
                        route = "POST /v1/advise";
                        path = "/v1/advise";
                        body = "{\"context\":{\"backlog_tasks\":" + r.nextInt(40) + "},\"projectId\":\"" + project
                                + "\",\"limit\":3}";
                        want = 200;
                    } else {
                        route = "GET /v1/health";
                        method = "GET";
                        path = "/v1/health";
                        body = null;
                        want = 200;
                    }
                    long t0 = System.nanoTime();
                    Answer a;
                    try {
                        a = ServerClients.send(base, method, path, body, KEY);
                    } catch (AssertionError e) {
                        stats.errors.add(route + ": " + e.getMessage());
                        continue;
                    }
                    stats.record(route, System.nanoTime() - t0);
                    if (a.status() != want) {
                        stats.errors.add(route + " -> " + a.status() + " " + a.body());
                    } else if (want == 201) {
                        for (var id : a.json().get("ids")) {
                            ids.add(id.asText());
                            stats.written.add(UUID.fromString(id.asText()));
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        stats.wallMillis = (System.nanoTime() - started) / 1_000_000;
        pool.shutdown();
        return stats;
    }

    /** Writers keep writing while the server gets SIGTERM; answers the ids it acknowledged. */
    private static List<UUID> writeThroughSigterm(String base, Process server) throws Exception {
        List<UUID> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean refused = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                Random r = new Random(1000 + writer);
                while (!refused.get()) {
                    Answer a;
                    try {
                        sent.incrementAndGet();
                        a = ServerClients.send(base, "POST", "/v1/episodes", episode(r, "sigterm"), KEY);
                    } catch (AssertionError e) {
                        // The port closed (refused, or reset while stopping): this write was not acknowledged.
                        refused.set(true);
                        return null;
                    }
                    if (a.status() == 201) {
                        for (var id : a.json().get("ids")) {
                            acknowledged.add(UUID.fromString(id.asText()));
                        }
                    } else if (a.status() != 503) {
                        unexpected.add(a.status() + " " + a.body());
                    }
                }
                return null;
            }));
        }
        while (sent.get() < 200) {
            Thread.sleep(20);
        }
        server.destroy(); // SIGTERM
        for (Future<?> f : writers) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(unexpected).as("answers other than 201 or 503 while stopping").isEmpty();
        return acknowledged;
    }

    private static long count(String url, List<UUID> ids) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM agent_episodes WHERE episode_id = ANY (?)")) {
            Array array = c.createArrayOf("uuid", ids.toArray());
            s.setArray(1, array);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
