package dev.agentmemory.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.agentmemory.api.EmbeddingException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model and its tokenizer, loaded once per process on first use and shared by every
 * {@link OnnxEmbedder}. Safe for concurrent use: ONNX Runtime sessions and Hugging Face tokenizers
 * both allow concurrent calls.
 */
final class LoadedModel {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);

    /** The tokenizer file inside the model's jar, the same one langchain4j hands to the model. */
    static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";

    /**
     * The word pieces the model reads, its two special tokens included: BERT's 512 positions. The
     * tokenizer file sets no limit; langchain4j's tokenizer falls back to the same 512.
     */
    static final int MAX_TOKENS = 512;

    private static volatile @Nullable LoadedModel instance;

    private final BgeSmallEnV15QuantizedEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;

    private LoadedModel(BgeSmallEnV15QuantizedEmbeddingModel model, HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * @return the model, loading it on the first call
     * @throws EmbeddingException when it cannot be loaded; a later call tries again
     */
    static LoadedModel get() {
        LoadedModel loaded = instance;
        if (loaded != null) {
            return loaded;
        }
        synchronized (LoadedModel.class) {
            loaded = instance;
            if (loaded == null) {
                loaded = load();
                instance = loaded;
            }
            return loaded;
        }
    }

    /** @return whether the model has been loaded in this process */
    static boolean isLoaded() {
        return instance != null;
    }

    private static LoadedModel load() {
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // langchain4j reads the model file through the context class loader, which in a container
        // or on a pool thread may not see the jar that holds it (or may be null).
        thread.setContextClassLoader(LoadedModel.class.getClassLoader());
        try {
            HuggingFaceTokenizer tokenizer = loadTokenizer();
            BgeSmallEnV15QuantizedEmbeddingModel model;
            try {
                model = new BgeSmallEnV15QuantizedEmbeddingModel(newExecutor());
            } catch (RuntimeException | LinkageError e) {
                tokenizer.close();
                throw e;
            }
            LoadedModel loaded = new LoadedModel(model, tokenizer);
            LOG.info("Loaded embedding model {} ({} dimensions, reads {} word pieces) in {} ms",
                    OnnxEmbedder.MODEL_NAME, OnnxEmbedder.DIMENSIONS, MAX_TOKENS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return loaded;
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: the native ONNX Runtime or tokenizer library failed to load, or the
            // model class failed its static initialisation on an earlier attempt.
            throw new EmbeddingException("could not load the embedding model " + OnnxEmbedder.MODEL_NAME + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static HuggingFaceTokenizer loadTokenizer() throws IOException {
        try (InputStream in = LoadedModel.class.getClassLoader().getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new IOException(TOKENIZER_RESOURCE + " is not on the class path");
            }
            // Padding is pointless for one text, and langchain4j turns it off as well.
            return HuggingFaceTokenizer.newInstance(in, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
        }
    }

    /**
     * The batch path runs the texts of one call in parallel on these threads. Daemon threads, so
     * that the model never keeps a JVM alive, and they end when idle.
     */
    private static ThreadPoolExecutor newExecutor() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread t = new Thread(runnable, "agent-memory-onnx-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * The part of a text the model reads. The model's tokenizer stops after {@link #MAX_TOKENS}
     * word pieces; cutting the text ourselves at that point lets us say so, and lets us cut between
     * words rather than feed the model the first pieces of a word as if they were a whole one.
     *
     * @param text a text that is not blank
     * @return the text itself when the model reads all of it, else its longest prefix it reads
     */
    String readablePart(String text) {
        Encoding encoding;
        try {
            encoding = tokenizer.encode(text, true, false);
        } catch (RuntimeException e) {
            throw new EmbeddingException("the tokenizer of " + OnnxEmbedder.MODEL_NAME + " failed: " + e, e);
        }
        if (!encoding.exceedMaxLength()) {
            return text;
        }
        long[] special = encoding.getSpecialTokenMask();
        long[] words = encoding.getWordIds();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int last = special.length - 1;
        while (last >= 0 && (special[last] != 0 || spans[last] == null)) {
            last--;
        }
        if (last < 0) {
            return text;
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
        return text.substring(0, end);
    }

    /**
     * @param text a text the model reads whole
     * @return the model's vector
     */
    float[] embed(String text) {
        try {
            return model.embed(text).content().vector();
        } catch (RuntimeException e) {
            throw new EmbeddingException("the embedding model " + OnnxEmbedder.MODEL_NAME + " failed: " + e, e);
        }
    }

    /**
     * Embeds through langchain4j's batch path, which spreads the texts over the model's threads.
     *
     * @param texts texts the model reads whole, at least one
     * @return one vector per text, in order
     */
    List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text));
        }
        List<Embedding> embeddings;
        try {
            embeddings = model.embedAll(segments).content();
        } catch (RuntimeException e) {
            throw new EmbeddingException("the embedding model " + OnnxEmbedder.MODEL_NAME + " failed on a batch of "
                    + texts.size() + " texts: " + e, e);
        }
        if (embeddings.size() != texts.size()) {
            throw new EmbeddingException("the embedding model " + OnnxEmbedder.MODEL_NAME + " returned "
                    + embeddings.size() + " vectors for " + texts.size() + " texts", null);
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(embedding.vector());
        }
        return vectors;
    }
}
