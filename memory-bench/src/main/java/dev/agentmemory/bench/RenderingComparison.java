package dev.agentmemory.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which text an episode is best embedded as: {@link RetrievalQualityBenchmark} run once per
 * rendering and model, with the word pieces and the embedding time of each rendering.
 *
 * <p>Each variant renders the stored episodes and the query contexts its own way; recall itself
 * runs unchanged through {@code AgentMemorySystem}, whose embedder here looks up the variant's text
 * for the text memory-core rendered and embeds that. So the ranking, the candidates and the
 * threshold are the library's own, and only the text differs. Every variant says whether it is
 * what memory-core renders today.
 *
 * <p>Run: {@code mvn -B -q -pl memory-bench -am package -DskipTests && java -cp "$(cat
 * memory-bench/target/classpath.txt):memory-bench/target/classes" dev.agentmemory.bench.RenderingComparison
 * --out /tmp/rendering} (options {@code --projects 10 --situations 100 --queries 200 --seed 42
 * --models bge,minilm --variants 0,1}, variants by their index in {@link #VARIANTS}).
 */
public final class RenderingComparison {

    /** How a number is written. */
    enum Numbers {
        /** "14 (about a dozen)" */
        DIGITS_AND_WORDS,
        /** "14 about a dozen" */
        DIGITS_AND_BARE_WORDS,
        /** "14" */
        DIGITS,
        /** "about a dozen" */
        WORDS
    }

    /**
     * One way of rendering.
     *
     * @param name the variant's name in the table
     * @param wholeEpisode whether a stored episode is its situation followed by decision, reasoning,
     *     source, mode and project (memory-core before), or its situation alone
     * @param prefix what the situation starts with
     * @param numbers how numbers are written
     * @param separator between fields
     * @param statesFirst whether fields whose value is not a number come first (else all by key)
     */
    record Variant(String name, boolean wholeEpisode, String prefix, Numbers numbers, String separator,
                   boolean statesFirst) {

        String situation(Map<String, Object> perception) {
            return prefix + fields(perception, true);
        }

        String stored(Episode e) {
            if (!wholeEpisode) {
                return situation(e.perception());
            }
            StringBuilder sb = new StringBuilder(situation(e.perception()));
            sb.append(" | decision: ").append(fields(e.action(), false));
            Object summary = e.reasoning().get("summary");
            if (summary != null) {
                Map<String, Object> rest = new TreeMap<>(e.reasoning());
                rest.remove("summary");
                String others = fields(rest, false);
                sb.append(" | reasoning: ").append(others.isEmpty() ? summary : summary + "; " + others);
            } else if (!e.reasoning().isEmpty()) {
                sb.append(" | reasoning: ").append(fields(e.reasoning(), false));
            }
            sb.append(" | source: ").append(e.decisionSource()).append(" | mode: ").append(e.controlMode())
                    .append(" | project: ").append(e.projectId());
            return sb.toString();
        }

        private String fields(Map<String, ?> map, boolean situation) {
            List<String[]> flat = new ArrayList<>();
            flatten("", map, flat);
            List<String> parts = new ArrayList<>();
            if (statesFirst && situation) {
                for (String[] kv : flat) {
                    if (kv[2] == null) {
                        parts.add(kv[0] + " " + kv[1]);
                    }
                }
                for (String[] kv : flat) {
                    if (kv[2] != null) {
                        parts.add(kv[0] + " " + kv[1]);
                    }
                }
            } else {
                for (String[] kv : flat) {
                    parts.add(kv[0] + " " + kv[1]);
                }
            }
            return String.join(separator, parts);
        }

        // [key, value, "n" when the value is a number]
        private void flatten(String prefix, Map<String, ?> map, List<String[]> out) {
            for (Map.Entry<String, ?> e : new TreeMap<>(map).entrySet()) {
                String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (e.getValue() instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> child = (Map<String, ?>) m;
                    flatten(key, child, out);
                } else {
                    Object v = e.getValue();
                    out.add(new String[] {key.replace('_', ' '), value(v), v instanceof Number ? "n" : null});
                }
            }
        }

        private String value(Object v) {
            if (v == null) {
                return "none";
            }
            if (v instanceof Number n) {
                String digits = plain(n);
                String words = magnitude(n.doubleValue());
                return switch (numbers) {
                    case DIGITS_AND_WORDS -> digits + " (" + words + ")";
                    case DIGITS_AND_BARE_WORDS -> digits + " " + words;
                    case DIGITS -> digits;
                    case WORDS -> words;
                };
            }
            if (v instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                for (Object o : list) {
                    items.add(value(o));
                }
                return "[" + String.join(", ", items) + "]";
            }
            return v.toString();
        }

        private static String plain(Number n) {
            if (n instanceof Double d) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            if (n instanceof BigDecimal bd) {
                return bd.stripTrailingZeros().toPlainString();
            }
            return n.toString();
        }

        // memory-core's words for magnitudes.
        private static String magnitude(double d) {
            double a = Math.abs(d);
            String m = a == 0 ? "none" : a < 1 ? "under one" : a < 3 ? "very few" : a < 6 ? "a few" : a < 10 ? "several"
                    : a < 15 ? "about a dozen" : a < 25 ? "around twenty" : a < 40 ? "around thirty" : a < 60 ? "around fifty"
                    : a < 100 ? "many" : "very many";
            return d < 0 ? "minus " + m : m;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("episode (before)", true, "situation: ", Numbers.DIGITS_AND_WORDS, "; ", false),
            new Variant("situation", false, "situation: ", Numbers.DIGITS_AND_WORDS, "; ", false),
            new Variant("situation, digits only", false, "situation: ", Numbers.DIGITS, "; ", false),
            new Variant("situation, words only", false, "situation: ", Numbers.WORDS, "; ", false),
            new Variant("situation, no prefix", false, "", Numbers.DIGITS_AND_WORDS, "; ", false),
            new Variant("situation, no parentheses", false, "situation: ", Numbers.DIGITS_AND_BARE_WORDS, "; ", false),
            new Variant("situation, comma separator", false, "situation: ", Numbers.DIGITS_AND_WORDS, ", ", false),
            new Variant("situation, states first", false, "situation: ", Numbers.DIGITS_AND_WORDS, "; ", true),
            new Variant("situation, no prefix, digits only", false, "", Numbers.DIGITS, "; ", false),
            new Variant("situation, states first, digits only", false, "situation: ", Numbers.DIGITS, "; ", true),
            new Variant("situation, states first, no prefix, digits only", false, "", Numbers.DIGITS, "; ", true),
            new Variant("situation, states first, no parentheses", false, "situation: ", Numbers.DIGITS_AND_BARE_WORDS,
                    "; ", true));

    /** An embedder that embeds, for each text memory-core rendered, the variant's text instead. */
    static final class Translating extends ForwardingEmbedder {
        private final Map<String, String> texts;

        Translating(Embedder model, Map<String, String> texts) {
            super(model);
            this.texts = texts;
        }

        private String translate(String text) {
            String t = texts.get(text);
            if (t == null) {
                throw new IllegalStateException("no variant text for '" + text + "'");
            }
            return t;
        }

        @Override
        public float[] embed(String text) {
            return super.embed(translate(text));
        }

        @Override
        public List<float[]> embedAll(List<String> batch) {
            List<String> out = new ArrayList<>(batch.size());
            for (String t : batch) {
                out.add(translate(t));
            }
            return super.embedAll(out);
        }
    }

    /** One row of the table. */
    record Row(String variant, String model, boolean currentLibraryRendering, double storedPieces, double queryPieces,
               double storedChars, double selfSimilarity, double embedP50Ms, double batchMsPerText,
               List<RetrievalQualityBenchmark.Quality> quality) {
    }

    private RenderingComparison() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = RetrievalQualityBenchmark.Args.parse(args);
        RetrievalQualityBenchmark benchmark = new RetrievalQualityBenchmark(
                Integer.parseInt(opts.getOrDefault("projects", "10")),
                Integer.parseInt(opts.getOrDefault("situations", "100")),
                Integer.parseInt(opts.getOrDefault("queries", "200")),
                Long.parseLong(opts.getOrDefault("seed", "42")));
        List<String> modelNames = Arrays.asList(opts.getOrDefault("models", "bge,minilm").split(","));
        List<Variant> variants = new ArrayList<>();
        List<String> chosen = opts.containsKey("variants") ? Arrays.asList(opts.get("variants").split(",")) : null;
        for (int i = 0; i < VARIANTS.size(); i++) {
            if (chosen == null || chosen.contains(String.valueOf(i))) {
                variants.add(VARIANTS.get(i));
            }
        }
        Path out = Path.of(opts.getOrDefault("out", "bench-results/rendering"));
        Files.createDirectories(out);
        String loadBefore = loadAverage();

        RetrievalQualityBenchmark.Data data = benchmark.data();
        HuggingFaceTokenizer tokenizer = tokenizer("bge-small-en-v1.5-q-tokenizer.json");
        HuggingFaceTokenizer miniTokenizer = tokenizer("all-minilm-l6-v2-q-tokenizer.json");
        List<Row> rows = new ArrayList<>();
        for (String modelName : modelNames) {
            Embedder model = switch (modelName) {
                case "bge" -> new OnnxEmbedder();
                case "minilm" -> new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q);
                default -> throw new IllegalArgumentException("unknown model '" + modelName + "': bge or minilm");
            };
            model.embed("warm up");
            EpisodeEmbedder library = new EpisodeEmbedder(model);
            Map<Variant, double[]> timings = timings(model, variants, data);
            for (Variant v : variants) {
                Map<String, String> texts = new HashMap<>();
                boolean current = true;
                double storedPieces = 0;
                double storedChars = 0;
                for (Episode e : data.corpus()) {
                    String libraryText = library.episodeToText(e);
                    String text = v.stored(e);
                    current &= libraryText.equals(text);
                    put(texts, libraryText, text);
                    storedPieces += pieces(tokenizer, text);
                    storedChars += text.length();
                    if (pieces(miniTokenizer, text) != pieces(tokenizer, text)) {
                        throw new IllegalStateException("the two tokenizers differ on '" + text + "'");
                    }
                }
                double queryPieces = 0;
                for (Map<String, Object> context : data.queryContexts()) {
                    Map<String, Object> copy = JsonValues.copyMap("context", context);
                    String libraryText = library.contextToText(copy);
                    String text = v.situation(copy);
                    current &= libraryText.equals(text);
                    put(texts, libraryText, text);
                    queryPieces += pieces(tokenizer, text);
                }
                double self = selfSimilarity(model, v, data.corpus().subList(0, 50));
                System.out.printf(Locale.ROOT, "%n== %s, %s: %s%n", v.name(), model.modelName(),
                        v.stored(data.corpus().get(0)));
                List<RetrievalQualityBenchmark.Quality> quality = benchmark.run(new Translating(model, texts));
                int n = data.corpus().size();
                double[] t = timings.get(v);
                rows.add(new Row(v.name(), model.modelName(), current, storedPieces / n,
                        queryPieces / data.queryContexts().size(), storedChars / n, self, t[0], t[1], quality));
            }
        }
        String loadAfter = loadAverage();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("projects", data.corpus().size() / Math.max(1, countProjects(data)));
        doc.put("episodes", data.corpus().size());
        doc.put("queries", data.queryContexts().size());
        doc.put("loadAverageBefore", loadBefore);
        doc.put("loadAverageAfter", loadAfter);
        doc.put("rows", rows);
        json.writeValue(out.resolve("rendering.json").toFile(), doc);
        String table = table(rows, data, loadBefore, loadAfter);
        Files.writeString(out.resolve("rendering.md"), table);
        System.out.println(table);
        System.out.println("wrote " + out.resolve("rendering.json") + " and rendering.md");
    }

    private static long countProjects(RetrievalQualityBenchmark.Data data) {
        return data.corpus().stream().map(Episode::projectId).distinct().count();
    }

    private static void put(Map<String, String> texts, String libraryText, String text) {
        String before = texts.putIfAbsent(libraryText, text);
        if (before != null && !before.equals(text)) {
            throw new IllegalStateException("two variant texts for one library text: '" + libraryText + "'");
        }
    }

    // Mean cosine of a stored episode's vector and that of its own situation asked as a query.
    private static double selfSimilarity(Embedder model, Variant v, List<Episode> episodes) {
        double sum = 0;
        for (Episode e : episodes) {
            String stored = v.stored(e);
            String query = v.situation(e.perception());
            sum += stored.equals(query) ? 1 : Vectors.cosineSimilarity(model.embed(stored), model.embed(query));
        }
        return sum / episodes.size();
    }

    // [single-text p50 ms, batch ms per text] of each variant's stored texts. The variants take
    // turns, so a change in the machine's load falls on all of them alike.
    private static Map<Variant, double[]> timings(Embedder model, List<Variant> variants,
                                                  RetrievalQualityBenchmark.Data data) {
        Map<Variant, List<Double>> single = new LinkedHashMap<>();
        Map<Variant, Double> batch = new LinkedHashMap<>();
        List<Episode> corpus = data.corpus();
        for (Variant v : variants) {
            single.put(v, new ArrayList<>());
            batch.put(v, 0.0);
            for (int i = 0; i < 5; i++) {
                model.embed(v.stored(corpus.get(corpus.size() - 1 - i)));
            }
        }
        int rounds = 10;
        int perRound = 15;
        for (int r = 0; r < rounds; r++) {
            for (Variant v : variants) {
                for (int i = 0; i < perRound; i++) {
                    String text = v.stored(corpus.get((r * perRound + i) % corpus.size()));
                    long t0 = System.nanoTime();
                    model.embed(text);
                    single.get(v).add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        int batchSize = 64;
        for (int r = 0; r < 2; r++) {
            for (Variant v : variants) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < batchSize; i++) {
                    texts.add(v.stored(corpus.get((200 + r * batchSize + i) % corpus.size())));
                }
                long t0 = System.nanoTime();
                model.embedAll(texts);
                batch.merge(v, (System.nanoTime() - t0) / 1e6 / batchSize / 2, Double::sum);
            }
        }
        Map<Variant, double[]> out = new HashMap<>();
        for (Variant v : variants) {
            List<Double> times = single.get(v);
            times.sort(Double::compare);
            out.put(v, new double[] {times.get(times.size() / 2), batch.get(v)});
        }
        return out;
    }

    private static HuggingFaceTokenizer tokenizer(String resource) throws IOException {
        try (InputStream in = RenderingComparison.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            return HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
        }
    }

    // Word pieces without the two special tokens.
    private static int pieces(HuggingFaceTokenizer tokenizer, String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String table(List<Row> rows, RetrievalQualityBenchmark.Data data, String before, String after) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d episodes in %d projects, %d queries; load average before %s, after %s%n%n",
                data.corpus().size(), countProjects(data), data.queryContexts().size(), before, after));
        sb.append("| rendering | model | pieces stored / query | chars | self cos | embed p50 ms | batch ms/text "
                + "| vector NDCG@5 proj / all | vector recall@5 proj / all | default NDCG@5 proj / all "
                + "| default recall@5 proj / all | default recall@5 no threshold proj / all | kept of 5 vector / default (all) "
                + "| true 5 with cos ≥ 0.7 proj / all | all with cos ≥ 0.7 (all) | lowest cos (all) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Map<String, RetrievalQualityBenchmark.Quality> q = new HashMap<>();
            for (RetrievalQualityBenchmark.Quality x : r.quality()) {
                q.put((x.ranking().startsWith("vector") ? "v" : "d") + (x.scope().startsWith("within") ? "p" : "a"), x);
            }
            sb.append(String.format(Locale.ROOT,
                    "| %s%s | %s | %.1f / %.1f | %.0f | %.3f | %.2f | %.2f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f "
                            + "| %.3f / %.3f | %.3f / %.3f | %.2f / %.2f | %.2f / %.2f | %.2f | %.3f |%n",
                    r.variant(), r.currentLibraryRendering() ? " *" : "", r.model(), r.storedPieces(), r.queryPieces(),
                    r.storedChars(), r.selfSimilarity(), r.embedP50Ms(), r.batchMsPerText(),
                    q.get("vp").ndcgAt5(), q.get("va").ndcgAt5(), q.get("vp").recallAt5(), q.get("va").recallAt5(),
                    q.get("dp").ndcgAt5(), q.get("da").ndcgAt5(), q.get("dp").recallAt5(), q.get("da").recallAt5(),
                    q.get("dp").recallAt5NoThreshold(), q.get("da").recallAt5NoThreshold(),
                    q.get("va").keptAt5(), q.get("da").keptAt5(),
                    q.get("vp").truthVectorAtThreshold(), q.get("va").truthVectorAtThreshold(),
                    q.get("va").allVectorAtThreshold(), q.get("va").lowestVector()));
        }
        sb.append("\n* = what memory-core's EpisodeEmbedder renders in this build\n");
        return sb.toString();
    }
}
