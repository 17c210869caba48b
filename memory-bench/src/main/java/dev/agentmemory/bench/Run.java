package dev.agentmemory.bench;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the scenarios of one run share: the configuration, the results so far, the local model,
 * the synthetic vectors and the benchmark database.
 */
final class Run implements AutoCloseable {

    /** The most significant half of every synthetic episode's id; the least is its index. */
    static final long ID_PREFIX = 0xbe4c_0000_0000_4000L;
    /** How far the synthetic vectors stray from the model embedding each is drawn around. */
    static final double NOISE = 0.5;
    static final int K = 10;

    final BenchConfig config;
    final Path out;
    final @Nullable Postgres pg;
    private final List<Result> results = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private @Nullable OnnxEmbedder model;
    private @Nullable List<float[]> bases;
    private @Nullable VectorSet vectors;
    private @Nullable VectorSet queries;

    Run(BenchConfig config, Path out, @Nullable Postgres pg) {
        this.config = config;
        this.out = out;
        this.pg = pg;
    }

    void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s load %.2f] %s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                load1(), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    void add(Result r) {
        Map<String, Double> m = new LinkedHashMap<>(r.metrics());
        m.putIfAbsent("load1", load1());
        Result withLoad = new Result(r.id(), r.group(), r.scenario(), r.headline(), Map.copyOf(m), r.latency(),
                r.targets(), r.peers(), r.notes(), r.startedAtMillis(), r.endedAtMillis());
        results.add(withLoad);
        log("%-58s %s  %s", r.scenario(), r.headline(), r.targets().isEmpty() ? "" : withLoad.verdict());
    }

    List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** A fact for the report's preamble (data sets, settings). */
    void fact(String key, Object value) {
        facts.put(key, value);
    }

    Map<String, Object> facts() {
        return facts;
    }

    /** @return the local model, loaded and warmed */
    synchronized OnnxEmbedder model() {
        if (model == null) {
            long t0 = System.nanoTime();
            OnnxEmbedder m = new OnnxEmbedder();
            m.embed("warm up the local model");
            log("local model %s loaded in %.1f s", OnnxEmbedder.MODEL_NAME, (System.nanoTime() - t0) / 1e9);
            model = m;
        }
        return model;
    }

    /** @return model embeddings of distinct episodes, what the synthetic vectors are drawn around */
    synchronized List<float[]> bases() {
        if (bases == null) {
            long t0 = System.nanoTime();
            EpisodeEmbedder renderer = new EpisodeEmbedder(model());
            List<Episode> episodes = Workload.episodes(config.baseVectors(), config.projects(), new Random(7));
            List<float[]> out = new ArrayList<>(episodes.size());
            for (int i = 0; i < episodes.size(); i += 256) {
                out.addAll(renderer.embedEpisodes(episodes.subList(i, Math.min(episodes.size(), i + 256))));
            }
            log("embedded %d distinct episodes as bases of the synthetic vectors in %.1f s", out.size(),
                    (System.nanoTime() - t0) / 1e9);
            bases = out;
        }
        return bases;
    }

    /** @return the synthetic vectors, at least {@code size} of them; smaller sizes are prefixes */
    synchronized VectorSet vectors(int size) {
        if (vectors == null || vectors.size() < size) {
            int largest = size;
            for (int s : config.searchSizes()) {
                largest = Math.max(largest, s);
            }
            for (int s : config.peerSizes()) {
                largest = Math.max(largest, s);
            }
            long t0 = System.nanoTime();
            vectors = VectorSet.around(bases(), largest, config.projects(), NOISE, 11);
            log("drew %,d synthetic vectors in %.1f s", largest, (System.nanoTime() - t0) / 1e9);
        }
        return vectors;
    }

    /** @return query vectors drawn the same way, none of them stored */
    synchronized VectorSet queries() {
        if (queries == null) {
            queries = VectorSet.around(bases(), config.searchQueries() + config.searchWarmup(), config.projects(), NOISE, 13);
        }
        return queries;
    }

    /** @return the id of synthetic episode {@code i} */
    static UUID id(int i) {
        return new UUID(ID_PREFIX, i);
    }

    /** @return the index of a synthetic episode's id, or -1 for another id */
    static int index(UUID id) {
        return id.getMostSignificantBits() == ID_PREFIX ? (int) id.getLeastSignificantBits() : -1;
    }

    /** @return synthetic episode {@code i}: the same every time it is asked for */
    Episode syntheticEpisode(int i) {
        return Workload.episode(Workload.project(i % config.projects()), new Random(1_000_003L * i + 17))
                .withEpisodeId(id(i));
    }

    /** @return the one-minute load average, NaN where unknown */
    static double load1() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    /** @return the three load averages as /proc/loadavg shows them */
    static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", load1());
        }
    }

    @Override
    public void close() {
        if (pg != null) {
            pg.close();
        }
    }
}
