package dev.agentmemory.embedding.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.agentmemory.embedding.onnx.OnnxEmbedder.Model;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Measures, side by side in one JVM, the ways of running a model: langchain4j's path (what
 * {@code OnnxEmbedder} did before: our tokenization to find the cut, then langchain4j's, which
 * tokenizes twice more, one ONNX run per text, {@code embedAll} spread over a pool) against ONNX
 * Runtime called directly with each {@link RuntimeSettings} worth trying. The rounds interleave the
 * candidates, so that the shared machine's load falls on all of them alike.
 *
 * <p>The texts are memory-bench's: {@code bench-situations.txt} holds the situations of 512
 * episodes of {@code Workload.episode} (seed 1) as {@code EpisodeEmbedder.contextToText} rendered
 * them (about 230 characters, 60 to 70 word pieces), {@code bench-episodes.txt} 256 whole episodes
 * as {@code episodeToText} rendered them (about 550 characters).
 *
 * <pre>
 * mvn -B -q -pl memory-embedding-onnx -am -Pspeed-comparison -DskipTests process-test-classes \
 *     [-Dspeed.models=bge|minilm|both] [-Dspeed.texts=situations|episodes] [-Dspeed.rounds=5] \
 *     [-Dspeed.batch=256] [-Dspeed.candidates="intra=2,padded 8"]
 * </pre>
 * (Candidates by their labels below; "direct default" and langchain4j always run.)
 */
public final class SpeedComparison {

    private static final int SINGLES_PER_ROUND = 40;
    private static final int BATCH = Integer.getInteger("batch", 256);

    private SpeedComparison() {
    }

    private interface Runner extends AutoCloseable {
        float[] embed(String text);

        List<float[]> embedAll(List<String> texts);

        @Override
        default void close() {
        }
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        String set = args.length > 1 ? args[1] : "situations";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        List<String> texts = texts("bench-" + set + ".txt");
        System.out.printf(Locale.ROOT, "%d cores, Java %s; texts: %s (%d, mean %d chars); load average at start %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), set, texts.size(),
                texts.stream().mapToInt(String::length).sum() / texts.size(), loadAverage());
        for (Model model : Model.values()) {
            if (which.equals("both") || model.modelName().toLowerCase(Locale.ROOT).contains(which)) {
                compare(model, texts, rounds);
            }
        }
        System.out.printf(Locale.ROOT, "load average at end %s%n", loadAverage());
        System.exit(0);
    }

    private static Map<String, RuntimeSettings> candidates() {
        RuntimeSettings d = RuntimeSettings.DEFAULT;
        Map<String, RuntimeSettings> c = new LinkedHashMap<>();
        c.put("direct default", d);
        c.put("sequential", d.withBatchThreads(1));
        RuntimeSettings two = d.withIntraOpThreads(2).withBatchThreads(1);
        c.put("intra=2", two);
        c.put("intra=2 x2 threads", two.withBatchThreads(2));
        c.put("intra=2 spinning on", two.withSpinning(true));
        c.put("intra=auto", d.withIntraOpThreads(0).withBatchThreads(1));
        c.put("intra=auto spinning on", d.withIntraOpThreads(0).withBatchThreads(1).withSpinning(true));
        c.put("spinning on", d.withSpinning(true));
        c.put("opt=basic", d.withOptimisation(OptLevel.BASIC_OPT));
        c.put("opt=extended", d.withOptimisation(OptLevel.EXTENDED_OPT));
        c.put("mempattern off", d.withMemoryPattern(false));
        c.put("parallel inter=2", d.withParallelExecution(2));
        c.put("padded 4", d.withBatch(4, 4096));
        c.put("padded 8", d.withBatch(8, 4096));
        c.put("padded 16", d.withBatch(16, 4096));
        c.put("padded 32", d.withBatch(32, 4096));
        c.put("padded 8 sequential", d.withBatch(8, 4096).withBatchThreads(1));
        String only = System.getProperty("candidates");
        if (only != null && !only.isBlank()) {
            List<String> wanted = Arrays.asList(only.split(","));
            c.keySet().removeIf(k -> !k.equals("direct default") && !wanted.contains(k));
        }
        return c;
    }

    private static void compare(Model model, List<String> texts, int rounds) throws Exception {
        Map<String, Runner> runners = new LinkedHashMap<>();
        runners.put("langchain4j (before)", langchain4j(model));
        candidates().forEach((label, settings) -> runners.put(label, direct(model, settings)));

        List<String> batch = texts.subList(0, Math.min(BATCH, texts.size()));
        // warm up every candidate, and compare the vectors with langchain4j's on the way
        Runner reference = runners.get("langchain4j (before)");
        List<float[]> expected = new ArrayList<>();
        for (String t : batch) {
            expected.add(reference.embed(t));
        }
        Map<String, double[]> agreement = new LinkedHashMap<>();
        for (Map.Entry<String, Runner> e : runners.entrySet()) {
            double minSingle = 1;
            for (int i = 0; i < Math.min(64, batch.size()); i++) {
                minSingle = Math.min(minSingle, ParaphraseSet.cosine(e.getValue().embed(batch.get(i)), expected.get(i)));
            }
            List<float[]> all = e.getValue().embedAll(batch);
            double minBatch = 1;
            for (int i = 0; i < all.size(); i++) {
                minBatch = Math.min(minBatch, ParaphraseSet.cosine(all.get(i), expected.get(i)));
            }
            agreement.put(e.getKey(), new double[] {minSingle, minBatch});
        }

        Map<String, List<Double>> singles = new LinkedHashMap<>();
        Map<String, List<Double>> batches = new LinkedHashMap<>();
        Map<String, List<Double>> singleCpu = new LinkedHashMap<>();
        Map<String, List<Double>> batchCpu = new LinkedHashMap<>();
        runners.keySet().forEach(k -> {
            singles.put(k, new ArrayList<>());
            batches.put(k, new ArrayList<>());
            singleCpu.put(k, new ArrayList<>());
            batchCpu.put(k, new ArrayList<>());
        });
        List<String> order = new ArrayList<>(runners.keySet());
        int next = 0;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < order.size(); k++) {
                // each round starts at another candidate, so that none is always first after a batch
                String key = order.get((k + round) % order.size());
                Runner r = runners.get(key);
                long cpu = cpuNanos();
                for (int i = 0; i < SINGLES_PER_ROUND; i++) {
                    String text = texts.get((next + i) % texts.size());
                    long t = System.nanoTime();
                    r.embed(text);
                    singles.get(key).add((System.nanoTime() - t) / 1e6);
                }
                singleCpu.get(key).add((cpuNanos() - cpu) / 1e6 / SINGLES_PER_ROUND);
                cpu = cpuNanos();
                long t = System.nanoTime();
                r.embedAll(batch);
                batches.get(key).add((System.nanoTime() - t) / 1e6 / batch.size());
                batchCpu.get(key).add((cpuNanos() - cpu) / 1e6 / batch.size());
            }
            next += SINGLES_PER_ROUND;
        }
        double baseSingle = median(singles.get("langchain4j (before)"));
        double baseBatch = median(batches.get("langchain4j (before)"));
        System.out.printf(Locale.ROOT, "%n%s, %d rounds of %d single texts and one embedAll of %d; load average now %s%n",
                model.modelName(), rounds, SINGLES_PER_ROUND, batch.size(), loadAverage());
        double baseSingleCpu = median(singleCpu.get("langchain4j (before)"));
        double baseBatchCpu = median(batchCpu.get("langchain4j (before)"));
        System.out.println("| path | settings | single p50 ms | single p90 ms | embedAll ms/text | single vs before "
                + "| batch vs before | single CPU ms | embedAll CPU ms/text | single CPU vs before | batch CPU vs before "
                + "| min cos to langchain4j single / batch |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String key : order) {
            double s = median(singles.get(key));
            double b = median(batches.get(key));
            String settings = runners.get(key) instanceof Direct d ? d.loaded.settings().label() : "langchain4j pool";
            double[] a = agreement.get(key);
            double sc = median(singleCpu.get(key));
            double bc = median(batchCpu.get(key));
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.6f / %.6f |%n",
                    key, settings, s, percentile(singles.get(key), 0.9), b, s / baseSingle, b / baseBatch,
                    sc, bc, sc / baseSingleCpu, bc / baseBatchCpu, a[0], a[1]);
        }
        for (Runner r : runners.values()) {
            r.close();
        }
    }

    private record Direct(LoadedModel loaded) implements Runner {
        @Override
        public float[] embed(String text) {
            return ParaphraseSet.normalised(loaded.embed(loaded.encode(text)));
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            List<LoadedModel.Encoded> encoded = texts.stream().map(loaded::encode).collect(Collectors.toList());
            return Arrays.stream(loaded.embedAll(encoded)).map(ParaphraseSet::normalised).collect(Collectors.toList());
        }

        @Override
        public void close() {
            loaded.close();
        }
    }

    private static Runner direct(Model model, RuntimeSettings settings) {
        return new Direct(LoadedModel.load(model, settings));
    }

    /** What OnnxEmbedder did before: one tokenization to find the cut, then langchain4j. */
    private static Runner langchain4j(Model model) throws IOException {
        EmbeddingModel l4j = model == Model.BGE_SMALL_EN_V15_Q
                ? new BgeSmallEnV15QuantizedEmbeddingModel() : new AllMiniLmL6V2QuantizedEmbeddingModel();
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = SpeedComparison.class.getClassLoader().getResourceAsStream(model.tokenizerResource())) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "true",
                    "maxLength", Integer.toString(model.maxWordPieces())));
        }
        return new Runner() {
            @Override
            public float[] embed(String text) {
                tokenizer.encode(text, true, false);
                return l4j.embed(text).content().vector();
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                for (String text : texts) {
                    tokenizer.encode(text, true, false);
                }
                return l4j.embedAll(texts.stream().map(TextSegment::from).collect(Collectors.toList())).content()
                        .stream().map(e -> e.vector()).collect(Collectors.toList());
            }
        };
    }

    static List<String> texts(String resource) throws IOException {
        try (InputStream in = SpeedComparison.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the class path");
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return r.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
            }
        }
    }

    /** CPU time of the whole process: the runtime's own threads included. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
