package dev.agentmemory.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.agentmemory.api.Embedder;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Measures the candidate in-process models on this machine: cold load time, single-text latency,
 * batched latency per text, jar size and quality on {@link ParaphraseSet}. Each candidate runs in a
 * fresh JVM, so that each load is a cold one and no model warms the runtime for the next.
 *
 * <p>Run it with the profile that puts the alternatives on the test class path:
 * {@code mvn -B -pl memory-embedding-onnx -am -Pmodel-comparison -DskipTests process-test-classes}.
 * Without that profile the alternatives are reported as missing.
 */
public final class ModelComparison {

    private static final int WARM_UP = 50;
    private static final int SINGLE_ROUNDS = 5;
    private static final int BATCH = 32;
    private static final int BATCH_ROUNDS = 20;

    private record Candidate(String key, String label, String className, String tokenizer) {
    }

    /** The chosen model first: the OnnxEmbedder row reports its jar. */
    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("bge-q", "bge-small-en-v1.5-q",
                    "dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel",
                    "bge-small-en-v1.5-q-tokenizer.json"),
            new Candidate("minilm-q", "all-MiniLM-L6-v2-q",
                    "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel",
                    "all-minilm-l6-v2-q-tokenizer.json"),
            new Candidate("minilm", "all-MiniLM-L6-v2",
                    "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel",
                    "all-minilm-l6-v2-tokenizer.json"),
            new Candidate("onnx-embedder", "OnnxEmbedder (bge-small-en-v1.5-q)",
                    "dev.agentmemory.embedding.onnx.OnnxEmbedder",
                    OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q.tokenizerResource()));

    /** Fresh JVMs per candidate; the timings reported are the medians over them. */
    private static final int RUNS = Integer.getInteger("runs", 3);

    private ModelComparison() {
    }

    /** The texts' two paths through one model. */
    private interface Runner {
        float[] embed(String text);

        List<float[]> embedAll(List<String> texts);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            measure(candidate(args[0]));
            return;
        }
        System.out.printf(Locale.ROOT, "Machine: %d cores, Java %s, %s %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), loadAverage());
        System.out.printf(Locale.ROOT, "Paraphrase set: %d pairs, %d off-topic sentences; timings: median of %d fresh JVMs%n%n",
                ParaphraseSet.PAIRS.size(), ParaphraseSet.OFF_TOPIC.size(), RUNS);
        List<String> rows = new ArrayList<>();
        for (Candidate c : CANDIDATES) {
            List<String[]> runs = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                String[] result = runInFreshJvm(c);
                if (result == null) {
                    break;
                }
                runs.add(result);
            }
            rows.add(row(c, runs));
        }
        System.out.println("| model | dims | jar MB | cold load ms | single p50 ms | batch-32 ms/text "
                + "| reads word pieces | paraphrase nearest | cos paraphrase | cos same topic | cos off topic "
                + "| paraphrases >= 0.7 | same topic >= 0.7 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(Candidate c, List<String[]> runs) {
        if (runs.isEmpty()) {
            return "| " + c.label() + " | not measured: not on the class path without -Pmodel-comparison? |";
        }
        // RESULT dims jarMb loadMs singleMs batchMs then the quality columns, the same in every run
        String[] first = runs.get(0);
        StringBuilder b = new StringBuilder("| ").append(c.label()).append(" | ").append(first[1])
                .append(" | ").append(first[2]);
        for (int col = 3; col <= 5; col++) {
            double[] values = new double[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                values[r] = Double.parseDouble(runs.get(r)[col]);
            }
            b.append(" | ").append(String.format(Locale.ROOT, col == 3 ? "%.0f" : "%.2f", median(values)));
        }
        for (int col = 6; col < first.length; col++) {
            b.append(" | ").append(first[col]);
        }
        return b.append(" |").toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Candidate candidate(String key) {
        return CANDIDATES.stream().filter(c -> c.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no candidate " + key));
    }

    private static String @Nullable [] runInFreshJvm(Candidate c) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ModelComparison.class.getName(), c.key())
                .redirectErrorStream(true)
                .start();
        String[] result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT\t")) {
                    result = line.split("\t");
                } else {
                    System.err.println("  [" + c.key() + "] " + line);
                }
            }
        }
        p.waitFor();
        return result;
    }

    private static void measure(Candidate c) throws Exception {
        long start = System.nanoTime();
        Class<?> type = Class.forName(c.className());
        Object instance = type.getConstructor().newInstance();
        Runner runner = runner(instance);
        float[] first = runner.embed("warm up");
        double loadMs = (System.nanoTime() - start) / 1e6;

        List<String> sentences = ParaphraseSet.allSentences();
        for (int i = 0; i < WARM_UP; i++) {
            runner.embed(sentences.get(i % sentences.size()));
        }
        double[] single = new double[SINGLE_ROUNDS * sentences.size()];
        int n = 0;
        for (int round = 0; round < SINGLE_ROUNDS; round++) {
            for (String s : sentences) {
                long t = System.nanoTime();
                runner.embed(s);
                single[n++] = (System.nanoTime() - t) / 1e6;
            }
        }
        double[] perText = new double[BATCH_ROUNDS];
        for (int round = 0; round < BATCH_ROUNDS + 2; round++) {
            int from = (round * BATCH) % (sentences.size() - BATCH);
            List<String> batch = sentences.subList(from, from + BATCH);
            long t = System.nanoTime();
            runner.embedAll(batch);
            double ms = (System.nanoTime() - t) / 1e6;
            if (round >= 2) { // the first two batches start the pool's threads
                perText[round - 2] = ms / BATCH;
            }
        }
        List<float[]> vectors = new ArrayList<>();
        for (String s : sentences) {
            vectors.add(runner.embed(s));
        }
        ParaphraseSet.Quality q = ParaphraseSet.score(vectors);
        String reads = wordPiecesRead(runner, c.tokenizer());

        Class<?> modelClass = instance instanceof OnnxEmbedder
                ? Class.forName(CANDIDATES.get(0).className()) : type;
        File jar = new File(modelClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        double jarMb = Files.size(jar.toPath()) / (1024.0 * 1024.0);

        System.out.printf(Locale.ROOT, "RESULT\t%d\t%.1f\t%.0f\t%.3f\t%.3f\t%s\t%.0f%% (%d/%d)\t%.3f\t%.3f\t%.3f\t%.0f%%\t%.1f%%%n",
                first.length, jarMb, loadMs, median(single), median(perText), reads,
                100 * q.nearestIsParaphrase(), Math.round(q.nearestIsParaphrase() * 2 * ParaphraseSet.PAIRS.size()),
                2 * ParaphraseSet.PAIRS.size(), q.meanParaphrase(), q.meanSameTopic(), q.meanOffTopic(),
                100 * q.paraphraseAboveDefault(), 100 * q.sameTopicAboveDefault());
        System.exit(0); // the runtime's pool threads would keep the JVM a while
    }

    /**
     * Finds how much of a long text the model reads: the shortest prefix, cut after 126, 254 or
     * 510 word pieces (128, 256, 512 with the two special tokens), whose vector is the whole text's.
     */
    private static String wordPiecesRead(Runner runner, String tokenizerResource) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 6000; i++) {
            b.append("Sprint ").append(i).append(" ended with ").append(i % 7).append(" open tasks and a tired team. ");
        }
        String text = b.toString();
        Encoding encoding;
        try (InputStream in = ModelComparison.class.getClassLoader().getResourceAsStream(tokenizerResource);
             HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in,
                     Map.of("padding", "false", "truncation", "false"))) {
            encoding = tokenizer.encode(text, false, false);
        }
        float[] whole = runner.embed(text);
        for (int pieces : new int[] {126, 254, 510}) {
            // code point offsets, and this text is ASCII
            String prefix = text.substring(0, encoding.getCharTokenSpans()[pieces - 1].getEnd());
            if (ParaphraseSet.cosine(runner.embed(prefix), whole) > 0.99999) {
                return Integer.toString(pieces + 2);
            }
        }
        return "more than 512 (" + (encoding.getIds().length + 2) + " given)";
    }

    private static Runner runner(Object instance) {
        if (instance instanceof Embedder e) {
            return new Runner() {
                @Override
                public float[] embed(String text) {
                    return e.embed(text);
                }

                @Override
                public List<float[]> embedAll(List<String> texts) {
                    return e.embedAll(texts);
                }
            };
        }
        EmbeddingModel m = (EmbeddingModel) instance;
        return new Runner() {
            @Override
            public float[] embed(String text) {
                return m.embed(text).content().vector();
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                return m.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                        .map(emb -> emb.vector()).toList();
            }
        };
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
