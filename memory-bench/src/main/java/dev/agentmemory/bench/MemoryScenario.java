package dev.agentmemory.bench;

import dev.agentmemory.api.Episode;
import dev.agentmemory.inmemory.InMemoryAgentMemoryStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 6. Memory: the heap the in-memory store takes per 100,000 episodes (realistic episodes with
 * 384-dimension vectors), and the resident memory of a JVM running the local model, against the
 * same JVM without it.
 */
final class MemoryScenario {

    static final String GROUP = "6. memory";

    private MemoryScenario() {
    }

    static void run(Run run) throws Exception {
        heap(run);
        if (run.config.rssProbe()) {
            rss(run);
        }
    }

    private static void heap(Run run) {
        int n = run.config.heapEpisodes();
        VectorSet data = run.vectors(n);
        Result.Builder r = Result.builder("memory.heap.inmemory", GROUP, "heap of the in-memory store, per 100k episodes");
        long before = usedAfterGc();
        InMemoryAgentMemoryStore store = new InMemoryAgentMemoryStore(data.dimensions());
        int batch = run.config.batchSize();
        for (int from = 0; from < n; from += batch) {
            List<Episode> episodes = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + batch); i++) {
                episodes.add(run.syntheticEpisode(i));
                vectors.add(data.vector(i));
            }
            store.storeEpisodes(episodes, vectors);
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(store);
        double mbPer100k = (after - before) / 1048576.0 * 100_000 / n;
        double vectorsOnly = 100_000.0 * data.dimensions() * 4 / 1048576.0;
        r.headline(Fmt.num(mbPer100k) + " MB")
                .metric("mb_per_100k", mbPer100k).metric("vectors_only_mb_per_100k", vectorsOnly)
                .metric("beside_vectors_mb_per_100k", mbPer100k - vectorsOnly)
                .atMost("mb_per_100k", 200, "MB", "≤ 200 MB")
                .notes("used heap after full GCs, before and after storing " + n + " episodes (each with perception, "
                        + "reasoning, action and a 384-dimension vector); the vectors alone are " + Fmt.num(vectorsOnly)
                        + " MB per 100k, kept as float32 so that every similarity is exact; the rest ("
                        + Fmt.num(mbPer100k - vectorsOnly) + " MB) is the episodes themselves: their three maps "
                        + "(JsonMap, one array each), strings, ids, timestamps and the store's two id maps "
                        + "(jcmd GC.class_histogram)");
        run.add(r.build());
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void rss(Run run) throws IOException, InterruptedException {
        Result.Builder r = Result.builder("memory.rss.model", GROUP, "resident memory of the local model (child JVM)");
        long[] bare = probe("baseline");
        long[] model = probe("model");
        double rssMb = (model[0] - bare[0]) / 1024.0;
        r.headline(Fmt.num(rssMb) + " MB over a bare JVM (" + Fmt.num(model[0] / 1024.0) + " MB in all)")
                .metric("model_rss_mb", rssMb).metric("jvm_with_model_rss_mb", model[0] / 1024.0)
                .metric("bare_jvm_rss_mb", bare[0] / 1024.0).metric("jvm_with_model_peak_mb", model[1] / 1024.0)
                .notes("VmRSS of a JVM (-Xmx512m) that loaded the model and embedded 100 texts one by one and 256 in a "
                        + "batch, minus that of the same JVM that did nothing; peak (VmHWM) " + Fmt.num(model[1] / 1024.0)
                        + " MB");
        run.add(r.build());
    }

    private static long[] probe(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                RssProbe.class.getName(), mode).redirectErrorStream(true).start();
        String output;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder sb = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                sb.append(line).append('\n');
            }
            output = sb.toString();
        }
        p.waitFor();
        Matcher m = Pattern.compile("rss_kb=(\\d+) hwm_kb=(\\d+)").matcher(output);
        if (!m.find()) {
            throw new IOException("the memory probe (" + mode + ") printed no figures: " + output);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
