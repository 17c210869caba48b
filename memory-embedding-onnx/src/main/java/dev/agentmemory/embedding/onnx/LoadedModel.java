package dev.agentmemory.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.embedding.onnx.OnnxEmbedder.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model and its tokenizer, run by ONNX Runtime directly. The model the embedders use is loaded
 * once per process on first use and shared by every {@link OnnxEmbedder} of that model. Safe for
 * concurrent use: ONNX Runtime sessions and Hugging Face tokenizers both allow concurrent calls.
 *
 * <p>Each text is tokenized once: the same encoding tells whether the model reads the whole text
 * and gives the word pieces the model is fed. Only a text longer than the model reads is tokenized
 * a second time, once cut. {@link #embedAll(List)} sorts the texts by length and cuts them into runs
 * of at most {@link RuntimeSettings#maxBatchTexts()}, each padded to its longest text and masked;
 * by default a run holds one text (why: {@link RuntimeSettings#DEFAULT}).
 */
final class LoadedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);

    private static final AtomicReferenceArray<@Nullable LoadedModel> SHARED =
            new AtomicReferenceArray<>(Model.values().length);

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final Model model;
    private final RuntimeSettings settings;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTokenTypes;
    private final Set<String> output;
    private volatile @Nullable ExecutorService pool;

    private LoadedModel(Model model, RuntimeSettings settings, OrtEnvironment environment, OrtSession session,
            HuggingFaceTokenizer tokenizer) throws OrtException {
        this.model = model;
        this.settings = settings;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
        // The first output is the last hidden state, [texts, word pieces, dimensions]: both models'
        // pooling is done here, as the model cards describe it.
        this.output = Set.of(session.getOutputNames().iterator().next());
    }

    /**
     * @return the shared instance of the model, loading it on the first call
     * @throws EmbeddingException when it cannot be loaded; a later call tries again
     */
    static LoadedModel get(Model model) {
        LoadedModel loaded = SHARED.get(model.ordinal());
        if (loaded != null) {
            return loaded;
        }
        synchronized (LoadedModel.class) {
            loaded = SHARED.get(model.ordinal());
            if (loaded == null) {
                loaded = load(model, RuntimeSettings.DEFAULT);
                SHARED.set(model.ordinal(), loaded);
            }
            return loaded;
        }
    }

    /** @return whether the shared instance of the model has been loaded in this process */
    static boolean isLoaded(Model model) {
        return SHARED.get(model.ordinal()) != null;
    }

    /**
     * Loads a private instance, to be closed by the caller: for measuring settings side by side.
     *
     * @throws EmbeddingException when it cannot be loaded
     */
    static LoadedModel load(Model model, RuntimeSettings settings) {
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The native libraries of the runtime and the tokenizer are found through the context
        // class loader, which in a container or on a pool thread may not see their jars (or be null).
        thread.setContextClassLoader(LoadedModel.class.getClassLoader());
        HuggingFaceTokenizer tokenizer = null;
        try {
            byte[] onnx = resource(model, model.onnxResource());
            try (InputStream in = stream(model, model.tokenizerResource())) {
                // Padding is done per run here; the cut at the model's limit is found from the
                // encoding, which says when the tokenizer had to truncate.
                tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "true",
                        "maxLength", Integer.toString(model.maxWordPieces())));
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session;
            try (OrtSession.SessionOptions options = settings.toSessionOptions()) {
                session = environment.createSession(onnx, options);
            }
            LoadedModel loaded;
            try {
                loaded = new LoadedModel(model, settings, environment, session, tokenizer);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
            LOG.info("Loaded embedding model {} ({} dimensions, reads {} word pieces) in {} ms",
                    model.modelName(), model.dimensions(), model.maxWordPieces(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return loaded;
        } catch (IOException | OrtException | RuntimeException | LinkageError e) {
            // LinkageError: the native ONNX Runtime or tokenizer library failed to load.
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw new EmbeddingException("could not load the embedding model " + model.modelName() + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static InputStream stream(Model model, String name) throws IOException {
        InputStream in = LoadedModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (it comes in " + model.artifact() + ")");
        }
        return in;
    }

    private static byte[] resource(Model model, String name) throws IOException {
        try (InputStream in = stream(model, name)) {
            return in.readAllBytes();
        }
    }

    /** Closes a private instance; the shared ones live as long as the process. */
    @Override
    public void close() {
        ExecutorService p = pool;
        if (p != null) {
            p.shutdown();
        }
        try {
            session.close();
        } catch (OrtException e) {
            LOG.debug("closing a session of {} failed: {}", model.modelName(), e.toString());
        } finally {
            tokenizer.close();
        }
    }

    Model model() {
        return model;
    }

    RuntimeSettings settings() {
        return settings;
    }

    /**
     * A text as the model reads it.
     *
     * @param ids its word pieces, the special tokens included
     * @param readChars how many of the text's characters (UTF-16 units) the model reads: all of
     *     them unless the text is longer than the model reads
     */
    record Encoded(long[] ids, int readChars) {
    }

    /**
     * Characters per word piece the tokenizer is given at most: a word piece covers a few
     * characters (the longest in the vocabularies some 20, with the spaces before it), so a text
     * cut at this many characters per piece still holds more pieces than the model reads.
     */
    static final int CHARS_PER_WORD_PIECE = 32;

    /**
     * @param model a model
     * @return the characters of a text given to the tokenizer: the tokenizer's time and memory
     *     grow with the whole text, the model reads only its first word pieces
     */
    static int maxChars(Model model) {
        return model.maxWordPieces() * CHARS_PER_WORD_PIECE;
    }

    /**
     * Tokenizes a text once; only a text longer than the model reads is cut between words and
     * tokenized again. A text longer than {@link #maxChars} is cut to that before tokenizing, so a
     * text of megabytes costs what a page costs.
     *
     * @param text a text that is not blank
     */
    Encoded encode(String text) {
        int max = maxChars(model);
        String head = text;
        if (text.length() > max) {
            // Not between the two halves of a surrogate pair.
            int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
            head = text.substring(0, end);
        }
        Encoding encoding = tokenize(head);
        if (!encoding.exceedMaxLength()) {
            return new Encoded(encoding.getIds(), head.length());
        }
        text = head;
        int end = cut(text, encoding);
        if (end >= text.length()) {
            return new Encoded(encoding.getIds(), text.length());
        }
        return new Encoded(tokenize(text.substring(0, end)).getIds(), end);
    }

    /**
     * The part of a text the model reads: the text itself when it reads all of it, else its longest
     * prefix the model reads, cut between words.
     */
    String readablePart(String text) {
        return text.substring(0, encode(text).readChars());
    }

    private Encoding tokenize(String text) {
        try {
            return tokenizer.encode(text, true, false);
        } catch (RuntimeException e) {
            throw new EmbeddingException("the tokenizer of " + model.modelName() + " failed: " + e, e);
        }
    }

    /**
     * Where to cut a text the tokenizer truncated: after the last word piece it kept, moved back to
     * the start of that word when the word goes on (so that the model is not fed the first pieces
     * of a word as if they were a whole one).
     *
     * @return the end of the part the model reads, in UTF-16 units
     */
    private static int cut(String text, Encoding encoding) {
        long[] special = encoding.getSpecialTokenMask();
        long[] words = encoding.getWordIds();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int last = special.length - 1;
        while (last >= 0 && (special[last] != 0 || spans[last] == null)) {
            last--;
        }
        if (last < 0) {
            return text.length();
        }
        // The tokenizer counts offsets in code points; Java strings index UTF-16 units.
        int end = text.offsetByCodePoints(0, spans[last].getEnd());
        if (end < text.length()
                && Character.isLetterOrDigit(text.codePointBefore(end))
                && Character.isLetterOrDigit(text.codePointAt(end))) {
            int first = last;
            while (first > 0 && special[first - 1] == 0 && spans[first - 1] != null && words[first - 1] == words[last]) {
                first--;
            }
            boolean isFirstWord = first == 0 || special[first - 1] != 0;
            if (!isFirstWord) {
                end = text.offsetByCodePoints(0, spans[first].getStart());
            }
        }
        return end;
    }

    /**
     * @param text an encoded text
     * @return the model's vector, pooled as the model needs, not yet normalised
     */
    float[] embed(Encoded text) {
        return run(new Encoded[] {text}, new int[] {0}, 0, 1, 0)[0];
    }

    /** Embeds a text alone, padded to the given length: what padding does to a vector. */
    float[] embedPadded(Encoded text, int length) {
        return run(new Encoded[] {text}, new int[] {0}, 0, 1, length)[0];
    }

    /**
     * Embeds many texts in runs of at most {@link RuntimeSettings#maxBatchTexts()} texts and
     * {@link RuntimeSettings#maxBatchTokens()} word pieces: the texts sorted by length, each run
     * padded to its longest, the runs spread over {@link RuntimeSettings#batchThreads()} threads.
     *
     * @param texts encoded texts, at least one
     * @return one vector per text, in order, pooled, not yet normalised
     */
    float[][] embedAll(List<Encoded> texts) {
        Encoded[] encoded = texts.toArray(new Encoded[0]);
        Integer[] boxed = new Integer[encoded.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, Comparator.comparingInt(i -> encoded[i].ids().length));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        List<int[]> runs = new ArrayList<>();
        int from = 0;
        while (from < order.length) {
            int to = from + 1;
            // sorted by length, so the text just added is the longest of the run
            while (to < order.length && to - from < settings.maxBatchTexts()
                    && (long) (to - from + 1) * encoded[order[to]].ids().length <= settings.maxBatchTokens()) {
                to++;
            }
            runs.add(new int[] {from, to});
            from = to;
        }
        float[][] vectors = new float[encoded.length][];
        if (runs.size() == 1 || settings.batchThreads() == 1) {
            for (int[] r : runs) {
                store(vectors, order, r[0], run(encoded, order, r[0], r[1], 0));
            }
            return vectors;
        }
        List<Future<float[][]>> futures = new ArrayList<>(runs.size());
        try {
            for (int[] r : runs) {
                futures.add(pool().submit(() -> run(encoded, order, r[0], r[1], 0)));
            }
            for (int i = 0; i < runs.size(); i++) {
                store(vectors, order, runs.get(i)[0], futures.get(i).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while embedding a batch of " + encoded.length + " texts", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EmbeddingException ee) {
                throw ee;
            }
            throw new EmbeddingException("the embedding model " + model.modelName() + " failed: " + e.getCause(), e.getCause());
        } finally {
            futures.forEach(f -> f.cancel(false));
        }
        return vectors;
    }

    private static void store(float[][] vectors, int[] order, int from, float[][] run) {
        for (int i = 0; i < run.length; i++) {
            vectors[order[from + i]] = run[i];
        }
    }

    /** The threads that run one batch's runs at once: daemon threads, so they never keep a JVM alive. */
    private ExecutorService pool() {
        ExecutorService p = pool;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (pool == null) {
                AtomicInteger count = new AtomicInteger();
                ThreadFactory factory = runnable -> {
                    Thread t = new Thread(runnable, "agent-memory-onnx-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
                ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.batchThreads(), settings.batchThreads(),
                        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
                executor.allowCoreThreadTimeOut(true);
                pool = executor;
            }
            return pool;
        }
    }

    /** One run of the model over {@code texts[order[from..to)]}, padded to the longest of them. */
    private float[][] run(Encoded[] texts, int[] order, int from, int to, int minLength) {
        int count = to - from;
        int length = minLength;
        for (int i = from; i < to; i++) {
            length = Math.max(length, texts[order[i]].ids().length);
        }
        long[] ids = new long[count * length];
        long[] mask = new long[count * length];
        for (int row = 0; row < count; row++) {
            long[] textIds = texts[order[from + row]].ids();
            System.arraycopy(textIds, 0, ids, row * length, textIds.length);
            Arrays.fill(mask, row * length, row * length + textIds.length, 1L);
        }
        long[] shape = {count, length};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) {
                // one sentence per text: every word piece, padding included, is of type 0
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[count * length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs, output)) {
                OnnxValue value = result.get(0);
                if (!(value instanceof OnnxTensor hidden)) {
                    throw new EmbeddingException("the embedding model " + model.modelName() + " returned "
                            + value.getInfo() + " where a tensor was expected", null);
                }
                return pool(hidden, mask, count, length);
            }
        } catch (OrtException | RuntimeException e) {
            if (e instanceof EmbeddingException ee) {
                throw ee;
            }
            throw new EmbeddingException("the embedding model " + model.modelName() + " failed on "
                    + (count == 1 ? "a text" : "a batch of " + count + " texts") + ": " + e, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Pools the last hidden state, [count, length, dimensions], into one vector per text. */
    private float[][] pool(OnnxTensor hidden, long[] mask, int count, int length) {
        long[] shape = hidden.getInfo().getShape();
        int dimensions = model.dimensions();
        if (shape.length != 3 || shape[0] != count || shape[1] != length || shape[2] != dimensions) {
            throw new EmbeddingException("the embedding model " + model.modelName() + " returned a tensor of shape "
                    + Arrays.toString(shape) + ", expected [" + count + ", " + length + ", " + dimensions + "]", null);
        }
        FloatBuffer values = hidden.getFloatBuffer();
        float[][] vectors = new float[count][dimensions];
        for (int row = 0; row < count; row++) {
            float[] vector = vectors[row];
            int base = row * length * dimensions;
            if (model.pooling() == Model.Pooling.CLS) {
                values.get(base, vector);
                continue;
            }
            // mean over the text's own word pieces (the special tokens included, as the model was
            // trained), not over the padding
            int tokens = 0;
            double[] sum = new double[dimensions];
            for (int t = 0; t < length; t++) {
                if (mask[row * length + t] == 0) {
                    continue;
                }
                tokens++;
                int offset = base + t * dimensions;
                for (int d = 0; d < dimensions; d++) {
                    sum[d] += values.get(offset + d);
                }
            }
            for (int d = 0; d < dimensions; d++) {
                vector[d] = (float) (sum[d] / tokens);
            }
        }
        return vectors;
    }
}
