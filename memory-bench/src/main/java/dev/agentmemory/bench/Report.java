package dev.agentmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Writes {@code results.json} and {@code report.md}. */
final class Report {

    private Report() {
    }

    static void writeJson(Path file, Map<String, Object> machine, BenchConfig config, Map<String, Object> facts,
                          List<Result> results, Map<String, Profiles.Summary> profiles, Map<String, String> explains,
                          List<Issue16.Row> issue16) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine);
        doc.put("config", config);
        doc.put("facts", facts);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("group", r.group());
            row.put("scenario", r.scenario());
            row.put("headline", r.headline());
            row.put("metrics", r.metrics());
            row.put("latency_ms", r.latency());
            row.put("targets", r.targets());
            row.put("verdict", r.verdict());
            row.put("passed", r.passed());
            row.put("peers", r.peers());
            row.put("notes", r.notes());
            row.put("started_at_ms", r.startedAtMillis());
            row.put("ended_at_ms", r.endedAtMillis());
            rows.add(row);
        }
        doc.put("results", rows);
        doc.put("profiles_of_misses", profiles);
        doc.put("explain_of_postgres_searches", explains);
        doc.put("issue16_rows", issue16);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }

    static void writeMarkdown(Path file, String command, Map<String, Object> machine, Map<String, Object> facts,
                              List<Result> results, Map<String, Profiles.Summary> profiles, Map<String, String> explains,
                              List<String> charts, @Nullable Path jfr, List<String> failures, String issue16)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# agent-memory benchmarks\n\n");
        md.append("`").append(command).append("` · ").append(machine.get("started")).append("\n\n");
        md.append(machineLine(machine)).append("\n\n");
        if (!failures.isEmpty()) {
            md.append("**Scenarios that failed to run:**\n\n");
            for (String f : failures) {
                md.append("- ").append(f).append('\n');
            }
            md.append('\n');
        }
        md.append(issue16);
        md.append("## Results against targets\n\n");
        md.append(table(results)).append('\n');
        md.append(oldDeployment(results)).append('\n');
        md.append(peers(results)).append('\n');
        md.append(misses(results, profiles, explains, jfr)).append('\n');
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (String c : charts) {
                md.append("![").append(c.replace(".png", "").replace('-', ' ')).append("](").append(c).append(")\n\n");
            }
        }
        md.append("## How each number was measured\n\n");
        for (Map.Entry<String, Object> f : facts.entrySet()) {
            md.append("- ").append(f.getKey().replace('_', ' ')).append(": ").append(f.getValue()).append('\n');
        }
        for (Result r : results) {
            if (!r.notes().isEmpty()) {
                md.append("- `").append(r.id()).append("`: ").append(r.notes()).append('\n');
            }
        }
        md.append('\n');
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    static String machineLine(Map<String, Object> m) {
        return String.format(Locale.ROOT, "Machine: %s cores (%s), %s GB memory%s, %s; load average %s at the start, %s at "
                        + "the end (the machine is shared with other builds, so these numbers are pessimistic). %s.",
                m.get("cores"), m.get("cpu"), m.get("memory_gb"),
                m.containsKey("memory_bandwidth_gb_s") ? " (" + m.get("memory_bandwidth_gb_s")
                        + " GB/s read on every core, measured at the end of the run)" : "",
                m.get("java"), m.get("load_start"), m.get("load_end"), m.getOrDefault("postgres", "PostgreSQL not used"));
    }

    /** @return the table of every result: scenario, ours, target, verdict, peers with ratios */
    static String table(List<Result> results) {
        Set<String> peerNames = new LinkedHashSet<>();
        for (Result r : results) {
            for (Result.Peer p : r.peers()) {
                peerNames.add(p.name());
            }
        }
        List<Result> sorted = new ArrayList<>(results);
        // Grouped in the issue's order; within a group, in the order measured.
        sorted.sort(java.util.Comparator.comparing(Result::group));
        results = sorted;
        StringBuilder md = new StringBuilder();
        md.append("| scenario | ours | target | pass / miss");
        for (String p : peerNames) {
            md.append(" | ").append(p).append(" (ratio)");
        }
        md.append(" |\n|---|---|---|---");
        md.append("|---".repeat(peerNames.size()));
        md.append("|\n");
        String group = "";
        for (Result r : results) {
            if (!r.group().equals(group)) {
                group = r.group();
                md.append("| **").append(group).append("** |  |  | ").append(" | ".repeat(peerNames.size())).append(" |\n");
            }
            md.append("| ").append(cell(r.scenario())).append(" | ").append(cell(r.headline())).append(" | ")
                    .append(cell(r.targetText())).append(" | ").append(cell(verdictCell(r)));
            for (String name : peerNames) {
                Result.Peer peer = null;
                for (Result.Peer p : r.peers()) {
                    if (p.name().equals(name)) {
                        peer = p;
                    }
                }
                md.append(" | ").append(peer == null ? "" : cell(peer.headline()) + " (ours " + Fmt.ratio(peer.ratio()) + ")");
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    private static String verdictCell(Result r) {
        String v = r.verdict();
        return v.startsWith("MISS") ? "**" + v + "**" : v;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static @Nullable Result find(List<Result> results, String id) {
        for (Result r : results) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    private static String oldDeployment(List<Result> results) {
        StringBuilder md = new StringBuilder("## Against the old deployment\n\n");
        md.append("Orders of magnitude: the old deployment's figures as reported, this run's beside them.\n\n");
        md.append("| what | old deployment | this run | factor |\n|---|---|---|---|\n");
        row(md, "embedding one text", "203 ms mean (p95 ~1.1 s)", find(results, "embed.local"), "mean_ms", 203, true);
        row(md, "storing an episode (PostgreSQL)", "10 ms", find(results, "store.single.postgres"), "p50_ms", 10, true);
        for (Result r : results) {
            if (r.id().startsWith("search.postgres.") && r.id().endsWith(".all")
                    && Charts.parseSize(r.id().split("\\.")[2]) <= 10_000) {
                row(md, "similarity search (PostgreSQL, " + r.id().split("\\.")[2] + " episodes)", "3 ms (small table)",
                        r, "p50_ms", 3, true);
            }
        }
        row(md, "remember end to end (local model, PostgreSQL)", "992 ms", find(results, "remember.local.postgres"),
                "p50_ms", 992, true);
        row(md, "remember end to end (local model, in memory)", "992 ms", find(results, "remember.local.inmemory"),
                "p50_ms", 992, true);
        Result ingest = find(results, "ingest.embed.postgres");
        if (ingest == null) {
            ingest = find(results, "ingest.embed.inmemory");
        }
        if (ingest != null) {
            double perMinute = ingest.metrics().get("episodes_per_s") * 60;
            md.append("| throughput (batch remember, ").append(ingest.id().endsWith("postgres") ? "PostgreSQL" : "in memory")
                    .append(") | 3–5 episodes/min | ").append(Fmt.num(perMinute)).append(" episodes/min | ×")
                    .append(Fmt.num(perMinute / 4)).append(" |\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String what, String old, @Nullable Result r, String metric, double oldValue,
                            boolean lowerIsBetter) {
        if (r == null || !r.metrics().containsKey(metric)) {
            return;
        }
        double v = r.metrics().get(metric);
        double factor = lowerIsBetter ? oldValue / v : v / oldValue;
        md.append("| ").append(what).append(" | ").append(old).append(" | ").append(Fmt.ms(v))
                .append(metric.equals("mean_ms") ? " mean" : metric.equals("p50_ms") ? " p50" : "")
                .append(" | ").append(factor >= 1 ? "×" + Fmt.num(factor) + " faster" : "×" + Fmt.num(1 / factor) + " slower")
                .append(" |\n");
    }

    private static String peers(List<Result> results) {
        StringBuilder md = new StringBuilder("## Side by side with the peers\n\n");
        boolean any = false;
        for (Result r : results) {
            for (Result.Peer p : r.peers()) {
                if (!any) {
                    md.append("Same PostgreSQL, same vectors, same JVM, same batches and threads; each store on a fresh "
                            + "table with its HNSW index. A ratio above 1 means agent-memory is ahead (their time over "
                            + "ours, or our rate over theirs).\n\n");
                    any = true;
                }
                md.append("- ").append(r.scenario()).append(": ").append(p.name()).append(' ').append(p.headline())
                        .append(" against ours ").append(r.headline()).append(" → ").append(Fmt.ratio(p.ratio())).append('\n');
            }
        }
        if (!any) {
            md.append("Not run (no PostgreSQL, or the profile has no peers).\n");
        }
        return md.toString();
    }

    private static String misses(List<Result> results, Map<String, Profiles.Summary> profiles,
                                 Map<String, String> explains, @Nullable Path jfr) {
        StringBuilder md = new StringBuilder("## Missed targets and what explains them\n\n");
        boolean any = false;
        for (Result r : results) {
            if (r.passed()) {
                continue;
            }
            any = true;
            md.append("### ").append(r.scenario()).append("\n\n");
            md.append(r.verdict()).append(". Measured: ").append(r.headline()).append(".\n\n");
            Double jvm = r.metrics().get("jvm_cpu_s");
            Double server = r.metrics().get("server_cpu_s");
            Double seconds = r.metrics().get("seconds");
            if (jvm != null && server != null && !server.isNaN()) {
                md.append(String.format(Locale.ROOT, "CPU while it ran%s: PostgreSQL's processes %.1f s, this JVM %.1f s "
                                + "(2 cores give at most %.1f CPU-seconds in that time).%n%n",
                        seconds == null ? "" : String.format(Locale.ROOT, " (%.1f s)", seconds), server, jvm,
                        seconds == null ? Double.NaN : 2 * seconds));
            }
            Profiles.Summary p = profiles.get(r.id());
            if (p != null && p.javaSamples() + p.nativeSamples() > 0) {
                md.append("JFR method samples while it ran: ").append(p.javaSamples()).append(" in Java, ")
                        .append(p.nativeSamples()).append(" in native code. ").append(reading(p)).append("\n\n");
                frames(md, "Top frames, Java (self)", p.topJava());
                frames(md, "Top frames, native (the model's runtime, socket reads)", p.topNative());
                frames(md, "agent-memory's topmost frame in each sample", p.topOurs());
            } else {
                md.append("No JFR samples for it (bin/bench records with -XX:StartFlightRecording; "
                        + "the smoke test does not).\n\n");
            }
            String plan = explains.get(r.id());
            if (plan != null) {
                md.append("Plan of an equivalent query (`EXPLAIN (ANALYZE, BUFFERS)`, ef_search 40, relaxed order):\n\n```\n")
                        .append(plan.strip()).append("\n```\n\n");
            }
        }
        if (!any) {
            md.append("None.\n");
        } else if (jfr != null) {
            md.append("The whole recording is `").append(jfr.getFileName()).append("`; for instance `jfr print --events "
                    + "jdk.ExecutionSample ").append(jfr.getFileName()).append("` or `jfr summary ")
                    .append(jfr.getFileName()).append("`.\n");
        }
        return md.toString();
    }

    // What the samples say in one sentence: where the threads of the scenario spent their time.
    static String reading(Profiles.Summary p) {
        int total = p.javaSamples() + p.nativeSamples();
        int model = 0;
        int database = 0;
        for (Profiles.Frame f : p.topNative()) {
            if (f.frame().startsWith("ai.onnxruntime.") || f.frame().startsWith("ai.djl.")) {
                model += f.samples();
            } else if (f.frame().startsWith("sun.nio.ch.") || f.frame().startsWith("java.net.")) {
                database += f.samples();
            }
        }
        List<String> parts = new ArrayList<>();
        if (model > 0) {
            parts.add(String.format(Locale.ROOT, "%.0f%% of the samples are in the model's runtime (ONNX Runtime, tokenizer)",
                    100.0 * model / total));
        }
        if (database > 0) {
            parts.add(String.format(Locale.ROOT, "%.0f%% wait on a socket (PostgreSQL or the embedding service answering)",
                    100.0 * database / total));
        }
        if (p.javaSamples() > 0 && !p.topJava().isEmpty()) {
            Profiles.Frame top = p.topJava().get(0);
            parts.add(String.format(Locale.ROOT, "the busiest Java method is %s (%.0f%% of the Java samples)", top.frame(),
                    100 * top.share()));
        }
        if (parts.isEmpty()) {
            return "";
        }
        String sentence = String.join("; ", parts) + ".";
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    private static void frames(StringBuilder md, String title, List<Profiles.Frame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        md.append(title).append(":\n\n```\n");
        for (Profiles.Frame f : frames) {
            md.append(String.format(Locale.ROOT, "%5.1f%%  %5d  %s%n", 100 * f.share(), f.samples(), f.frame()));
        }
        md.append("```\n\n");
    }
}
