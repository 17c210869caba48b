package dev.agentmemory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs the benchmarks and writes {@code results.json}, {@code report.md} and the charts.
 *
 * <pre>
 * bin/bench [--quick | --full] [--out DIR] [--only GROUPS] [--skip GROUPS] [--no-postgres]
 * </pre>
 *
 * Groups, in the order they run: {@code micro} (JMH), {@code remember}, {@code ingest},
 * {@code side} (ingest and search side by side with the peers on PostgreSQL), {@code search},
 * {@code concurrency}, {@code memory}, {@code quality}, {@code replica} (reads on the hot standby
 * of {@code AGENT_MEMORY_BENCH_REPLICA_JDBC_URL}). A group that fails is reported and the
 * others still run. Targets missed are reported, not failed: the exit code is 0 unless the harness
 * itself failed.
 */
public final class Bench {

    static final List<String> GROUPS = List.of("micro", "remember", "ingest", "side", "search", "concurrency", "memory",
            "quality", "replica", "partition");

    private Bench() {
    }

    /** What to run and where to write. */
    record Options(BenchConfig config, Path out, Set<String> groups, boolean postgres, String command) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: bin/bench [--quick | --full] [--out DIR] [--only GROUPS] [--skip GROUPS] [--no-postgres]");
            System.err.println("groups: " + String.join(",", GROUPS));
            System.exit(2);
            return;
        }
        List<String> failures = run(options);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    static Options parse(String[] args) {
        Map<String, String> opts = RetrievalQualityBenchmark.Args.parse(args);
        String profile = opts.containsKey("quick") ? "quick" : opts.containsKey("full") ? "full"
                : opts.getOrDefault("profile", "full");
        BenchConfig config = BenchConfig.named(profile);
        Path out = Path.of(opts.getOrDefault("out", "bench-results/" + profile));
        Set<String> groups = new LinkedHashSet<>(GROUPS);
        if (opts.containsKey("only")) {
            groups = new LinkedHashSet<>(split(opts.get("only")));
        }
        if (opts.containsKey("skip")) {
            groups.removeAll(split(opts.get("skip")));
        }
        for (String g : groups) {
            if (!GROUPS.contains(g)) {
                throw new IllegalArgumentException("unknown group '" + g + "'");
            }
        }
        for (String key : opts.keySet()) {
            if (!Set.of("quick", "full", "profile", "out", "only", "skip", "no-postgres").contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        return new Options(config, out, groups, !opts.containsKey("no-postgres"),
                "bin/bench " + String.join(" ", args));
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * Runs the chosen groups and writes the report.
     *
     * @return the groups that failed, with their errors
     */
    static List<String> run(Options options) throws IOException {
        Files.createDirectories(options.out());
        Map<String, Object> machine = machine();
        Postgres pg = options.postgres() ? Postgres.connect(System.getenv()) : null;
        if (pg != null) {
            machine.put("postgres", pg.serverInfo());
        }
        List<String> failures = new ArrayList<>();
        Run run = new Run(options.config(), options.out(), pg);
        Thread cleanup = new Thread(run::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long t0 = System.nanoTime();
        try {
            run.log("profile %s, groups %s, writing to %s%s", options.config().profile(), options.groups(), options.out(),
                    pg == null ? ", without PostgreSQL" : ", PostgreSQL " + pg.describe());
            for (String group : GROUPS) {
                if (!options.groups().contains(group)) {
                    continue;
                }
                long g0 = System.nanoTime();
                run.log("== %s", group);
                try {
                    switch (group) {
                        case "micro" -> {
                            if (options.config().jmh()) {
                                MicroScenario.run(run);
                            }
                        }
                        case "remember" -> RememberScenario.run(run);
                        case "ingest" -> IngestScenario.run(run);
                        case "side" -> SideBySideScenario.run(run);
                        case "search" -> SearchScenario.run(run);
                        case "concurrency" -> ConcurrencyScenario.run(run);
                        case "memory" -> MemoryScenario.run(run);
                        case "quality" -> QualityScenario.run(run);
                        case "replica" -> ReplicaScenario.run(run);
                        case "partition" -> PartitionScenario.run(run);
                        default -> throw new IllegalStateException(group);
                    }
                } catch (Exception | Error e) {
                    e.printStackTrace();
                    failures.add(group + ": " + e);
                }
                run.log("== %s done in %.0f s", group, (System.nanoTime() - g0) / 1e9);
            }
        } finally {
            run.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        machine.put("load_end", Run.loadAverages());
        machine.put("seconds", Math.round((System.nanoTime() - t0) / 1e9));
        Hardware.Bandwidth bandwidth = bandwidth(run);
        if (bandwidth != null) {
            machine.put("memory_bandwidth_gb_s", Math.round(bandwidth.gbPerSecond() * 10) / 10.0);
        }
        write(options, run, machine, failures, bandwidth);
        run.log("done in %.0f s: %s", (System.nanoTime() - t0) / 1e9, options.out().resolve("report.md"));
        return failures;
    }

    // The memory bandwidth on every core, what an exact scan of vectors can read at most: measured
    // once at the end, after the scenarios, so that it does not disturb them.
    private static Hardware.@Nullable Bandwidth bandwidth(Run run) {
        try {
            Hardware.Bandwidth b = Hardware.measureBandwidth(Runtime.getRuntime().availableProcessors());
            run.log("memory bandwidth: %.1f GB/s on %d threads", b.gbPerSecond(), b.threads());
            return b;
        } catch (Exception | OutOfMemoryError e) {
            run.log("memory bandwidth not measured: %s", e);
            return null;
        }
    }

    private static void write(Options options, Run run, Map<String, Object> machine, List<String> failures,
                              Hardware.@Nullable Bandwidth bandwidth) throws IOException {
        List<Result> results = run.results();
        Path jfr = Profiles.dump(options.out().resolve("bench.jfr"));
        Map<String, Profiles.Summary> profiles = new LinkedHashMap<>();
        Profiles recorded = null;
        JvmThreads threads = null;
        if (jfr != null) {
            recorded = Profiles.read(jfr);
            profiles = Profiles.forMisses(recorded, results);
            threads = JvmThreads.read(jfr);
        }
        Map<String, String> explains = new LinkedHashMap<>();
        for (Result r : results) {
            String plan = SearchScenario.EXPLAINS.get(r.id());
            if (plan != null && !r.passed()) {
                explains.put(r.id(), plan);
            }
        }
        List<String> charts = Charts.write(options.out(), results);
        // Every explain, not only the missed rows': issue 16's table reads the plans of its rows.
        Issue16.Context issue16 = new Issue16.Context(results, recorded, threads, bandwidth,
                Map.copyOf(SearchScenario.EXPLAINS), Runtime.getRuntime().availableProcessors());
        Report.writeJson(options.out().resolve("results.json"), machine, options.config(), run.facts(), results, profiles,
                explains, Issue16.rows(issue16));
        Report.writeMarkdown(options.out().resolve("report.md"), options.command(), machine, run.facts(), results,
                profiles, explains, charts, jfr, failures, Issue16.markdown(issue16));
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("memory_gb", memoryGb());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576);
        m.put("load_start", Run.loadAverages());
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static @Nullable String memoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f", kb / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }
}
