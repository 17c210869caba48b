package dev.agentmemory.core;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Renders episodes and situations as text, and embeds them.
 *
 * <h2>An episode is embedded by its situation</h2>
 * An episode's vector has one use: finding the episodes whose situation is like the one an agent
 * is in now ({@link AgentMemorySystem#recallSimilarSituations}), whose query is a situation alone.
 * So {@link #episodeToText} renders the episode's perception and nothing else, exactly as
 * {@link #contextToText} renders a query context; the decision, reasoning, source, mode and project
 * are stored with the episode and returned by recall, but they are not embedded. This has three
 * consequences:
 * <ul>
 *   <li>A context equal to an episode's perception has the same text, hence vector similarity 1.
 *       Embedding the whole episode moved its vector away from its own situation (0.93 with the
 *       default model, 0.85 with all-MiniLM-L6-v2) and towards episodes that took the same decision.
 *   <li>In an agent's loop (recall with a context, decide, remember the decision with that same
 *       perception) remembering costs no model call: the embedding cache of
 *       {@link AgentMemorySystem} already holds the situation's vector from the recall.
 *   <li>The text is about a third as long (some 36 word pieces instead of 106 for an orchestrator's
 *       eight-field situation), and embedding time grows with word pieces.
 * </ul>
 * Measured with memory-bench's {@code RenderingComparison} (1,000 situations in 10 projects, 200
 * perturbed queries, default ranking): across projects NDCG@5 0.86 → 0.998 and recall@5 0.66 →
 * 0.95 with the default model, 0.76 → 0.99 and 0.53 → 0.93 with all-MiniLM-L6-v2; the whole
 * table is in {@code docs/embedding-models.md}.
 *
 * <p>Vectors stored by an earlier version, which embedded the whole episode with words for the
 * magnitude of each number, still work: they are the same model's, so recall compares them, only
 * less well (an identical situation no longer scores 1, and the candidates are found about as
 * poorly as the whole-episode figures above say). {@code agent-memory reembed --all} recomputes
 * every vector with this rendering; the model stays the same, so a plain {@code reembed} finds
 * nothing to do.
 *
 * <h2>The rendering</h2>
 * {@code situation: } and then the fields, {@code key value} separated by {@code "; "}. Nested keys
 * are flattened with dots and underscores read as spaces. Fields whose value is not a number
 * (states such as {@code phase planning}, flags, lists) come first, then the numbers, each group
 * sorted by key: sorting is what makes a situation render the same from every backend
 * (PostgreSQL's {@code jsonb} does not keep insertion order). The states go first because that
 * measured better across projects (recall@5 0.86 → 0.94 with the default model, 0.88 → 0.91 with
 * MiniLM, with magnitude words in both): the text models compare words far better than digits,
 * and the states are the words. Numbers are written in plain decimal ({@code 14.0} and {@code 14}
 * alike): the structured similarity of {@link Ranking} compares numbers by their distance, so the
 * words for their magnitude ("14 (about a dozen)") that an earlier version added cost 40% of the
 * word pieces and no longer paid for them (recall@5 across projects 0.94 with them, 0.95 without).
 * The text is bounded to about {@link #DEFAULT_MAX_WORD_PIECES} word pieces (the default model
 * reads 512, the MiniLM jars 128); what does not fit is cut at the end.
 */
public final class EpisodeEmbedder {

    /** The default budget of a rendered text, in estimated word pieces. */
    public static final int DEFAULT_MAX_WORD_PIECES = 256;

    private static final String PREFIX = "situation: ";

    private final Embedder embedder;
    private final int maxWordPieces;

    /**
     * @param embedder the embedder that turns the rendered text into vectors
     */
    public EpisodeEmbedder(Embedder embedder) {
        this(embedder, DEFAULT_MAX_WORD_PIECES);
    }

    /**
     * @param embedder the embedder
     * @param maxWordPieces the budget of the rendered text, in estimated word pieces
     */
    public EpisodeEmbedder(Embedder embedder, int maxWordPieces) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (maxWordPieces < 16) {
            throw new InvalidInputException("maxWordPieces", maxWordPieces + " is below 16");
        }
        this.maxWordPieces = maxWordPieces;
    }

    /** @return the embedder behind this one */
    public Embedder embedder() {
        return embedder;
    }

    /**
     * @param episode an episode
     * @return the vector of {@link #episodeToText(Episode)}: that of its situation
     */
    public float[] embedEpisode(Episode episode) {
        return embedder.embed(episodeToText(episode));
    }

    /**
     * Embeds many episodes through the embedder's batch path.
     *
     * @param episodes the episodes
     * @return one vector per episode, in order
     */
    public List<float[]> embedEpisodes(List<Episode> episodes) {
        List<String> texts = new ArrayList<>(episodes.size());
        for (Episode e : episodes) {
            texts.add(episodeToText(e));
        }
        return texts.isEmpty() ? List.of() : embedder.embedAll(texts);
    }

    /**
     * @param context a situation
     * @return the vector of {@link #contextToText(Map)}
     */
    public float[] embedContext(Map<String, Object> context) {
        return embedder.embed(contextToText(context));
    }

    /**
     * @param episode an episode
     * @return the text it is embedded as: its perception, rendered as {@link #contextToText}
     *     renders a context
     */
    public String episodeToText(Episode episode) {
        return contextToText(episode.perception());
    }

    /**
     * @param context a situation, as an agent perceives it
     * @return its text
     */
    public String contextToText(Map<String, Object> context) {
        return bound(PREFIX + fields(context));
    }

    // States first, then numbers; each group in key order.
    static String fields(Map<String, ?> map) {
        List<String> states = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        flatten("", map, states, numbers);
        states.addAll(numbers);
        return String.join("; ", states);
    }

    private static void flatten(String prefix, Map<String, ?> map, List<String> states, List<String> numbers) {
        Map<String, Object> sorted = new TreeMap<>(map);
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> child = (Map<String, ?>) m;
                flatten(key, child, states, numbers);
            } else {
                (v instanceof Number ? numbers : states).add(key.replace('_', ' ') + " " + value(v));
            }
        }
    }

    private static String value(@Nullable Object v) {
        if (v == null) {
            return "none";
        }
        if (v instanceof Number n) {
            return plain(n);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> child = (Map<String, ?>) m;
                    items.add("(" + fields(child) + ")");
                } else {
                    items.add(value(o));
                }
            }
            return "[" + String.join(", ", items) + "]";
        }
        return v.toString();
    }

    // 14.0 and 14 are the same quantity; render both as 14. Episodes and recall's contexts hold
    // JsonValues' canonical numbers (never NaN, never Float); a map given here directly may not.
    private static String plain(Number n) {
        if ((n instanceof Double || n instanceof Float) && Double.isFinite(n.doubleValue())) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (n instanceof BigDecimal bd) {
            return bd.stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }

    private String bound(String text) {
        int pieces = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                int start = i;
                while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                    i++;
                }
                pieces += estimatePieces(text, start, i);
            } else {
                if (!Character.isWhitespace(c)) {
                    pieces++;
                }
                i++;
            }
            if (pieces > maxWordPieces) {
                return text.substring(0, cutBefore(text, i)).trim();
            }
        }
        return text;
    }

    // WordPiece splits long and rare words and every digit run into several pieces; one piece per
    // four characters of a word and one per three digits errs on the side of cutting early.
    private static int estimatePieces(String text, int start, int end) {
        boolean digits = true;
        for (int j = start; j < end; j++) {
            if (!Character.isDigit(text.charAt(j))) {
                digits = false;
                break;
            }
        }
        int len = end - start;
        return digits ? (len + 2) / 3 : Math.max(1, (len + 3) / 4);
    }

    private static int cutBefore(String text, int index) {
        int cut = text.lastIndexOf(' ', Math.max(0, index - 1));
        return cut <= 0 ? Math.min(index, text.length()) : cut;
    }
}
