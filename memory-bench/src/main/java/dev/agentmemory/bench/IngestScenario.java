package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * 2. Bulk ingest with batch embedding: {@code rememberDecisions} in batches, the local model's
 * batch path embedding each batch, in memory and on PostgreSQL. (Store-only ingest, vectors given,
 * is measured where those stores are loaded: {@link SideBySideScenario} with the index maintained,
 * {@link SearchScenario} for the bulk-import path and the in-memory store.)
 */
final class IngestScenario {

    static final String GROUP = "2. ingest";
    /** Issue 16: ingest with embedding at 90% of the model's own batch rate or more, in the same run. */
    static final double ISSUE16_OF_MODEL_RATE = 0.9;

    private IngestScenario() {
    }

    static void run(Run run) throws Exception {
        BenchConfig c = run.config;
        List<Episode> warm = Workload.episodes(c.embedBatch(), c.projects(), new Random(30));
        List<Episode> episodes = Workload.episodes(c.ingestEmbedCount(), c.projects(), new Random(31));

        double modelRate = modelBatchRate(run, episodes, c.embedBatch());
        try (AgentMemorySystem memory = AgentMemory.builder().embedder(run.model()).build()) {
            memory.rememberDecisions(warm);
            Result.Builder r = Result.builder("ingest.embed.inmemory", GROUP,
                    "bulk ingest with batch embedding, local model, in memory");
            double rate = ingest(memory, episodes, c.embedBatch(), r);
            r.headline(Fmt.rate(rate, "episodes") + " (" + percent(rate, modelRate) + " of the model's own "
                            + Fmt.rate(modelRate, "texts") + ")")
                    .metric("model_texts_per_s", modelRate).metric("of_model_rate", rate / modelRate)
                    .atLeast("of_model_rate", ISSUE16_OF_MODEL_RATE, "×", "≥ 90% of the model's own batch rate")
                    .notes("rememberDecisions, " + c.embedBatch() + " episodes a batch, " + episodes.size()
                            + " episodes, one calling thread (the model's batch path uses every core); the model's own "
                            + "rate is OnnxEmbedder.embedAll of the same episodes' texts in the same batches, just before");
            run.add(r.build());
        }

        try (AgentMemorySystem memory = AgentMemory.builder()
                .embedder(new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q)).build()) {
            memory.rememberDecisions(warm);
            Result.Builder r = Result.builder("ingest.embed.minilm.inmemory", GROUP,
                    "bulk ingest with batch embedding, " + memory.embedder().modelName() + " (OnnxEmbedder's other model), in memory");
            double rate = ingest(memory, episodes, c.embedBatch(), r);
            r.headline(Fmt.rate(rate, "episodes"))
                    .notes("as ingest.embed.inmemory with OnnxEmbedder's six-layer model (model=all-MiniLM-L6-v2-q)");
            run.add(r.build());
        }

        if (run.pg != null) {
            String schema = run.pg.schema("ingest_embed");
            try (HikariDataSource pool = run.pg.pool(schema, 4);
                 AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool)
                         .embedder(run.model()).migrate(true).build()) {
                memory.rememberDecisions(warm);
                Result.Builder r = Result.builder("ingest.embed.postgres", GROUP,
                        "bulk ingest with batch embedding, local model, PostgreSQL");
                // The model's own rate again, just before: on a shared machine it moves within a run.
                double modelNow = modelBatchRate(run, episodes, c.embedBatch());
                double rate = ingest(memory, episodes, c.embedBatch(), r);
                r.headline(Fmt.rate(rate, "episodes") + " (" + percent(rate, modelNow) + " of the model's own "
                                + Fmt.rate(modelNow, "texts") + ")")
                        .metric("model_texts_per_s", modelNow).metric("of_model_rate", rate / modelNow)
                        .atLeast("episodes_per_s", 500, "episodes/s", "≥ 500 episodes/s")
                        .atLeast("of_model_rate", ISSUE16_OF_MODEL_RATE, "×", "≥ 90% of the model's own batch rate")
                        .notes("rememberDecisions, " + c.embedBatch() + " a batch, HNSW index maintained; the model's own "
                                + "rate is OnnxEmbedder.embedAll of the same texts in the same batches, just before");
                run.add(r.build());
            } finally {
                run.pg.drop(schema);
            }
        }
    }

    /** The model alone: embedAll of the texts the ingest embeds, in the same batches (what the hardware allows). */
    private static double modelBatchRate(Run run, List<Episode> episodes, int batch) {
        EpisodeEmbedder renderer = new EpisodeEmbedder(run.model());
        List<String> texts = new ArrayList<>(episodes.size());
        for (Episode e : episodes) {
            texts.add(renderer.episodeToText(e));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i += batch) {
            run.model().embedAll(texts.subList(i, Math.min(texts.size(), i + batch)));
        }
        return texts.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double ingest(AgentMemorySystem memory, List<Episode> episodes, int batch, Result.Builder r) {
        long cpu0 = processCpuNanos();
        Latency perBatch = new Latency();
        long t0 = System.nanoTime();
        for (int i = 0; i < episodes.size(); i += batch) {
            List<Episode> part = episodes.subList(i, Math.min(episodes.size(), i + batch));
            perBatch.time(() -> memory.rememberDecisions(part));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = episodes.size() / seconds;
        r.metric("episodes_per_s", rate).metric("seconds", seconds)
                .metric("jvm_cpu_s", (processCpuNanos() - cpu0) / 1e9)
                .metric("batch_p50_ms", perBatch.summary().p50());
        return rate;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    static String percent(double part, double whole) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
    }
}
