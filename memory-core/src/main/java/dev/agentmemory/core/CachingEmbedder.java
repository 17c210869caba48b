package dev.agentmemory.core;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An embedding cache in front of any {@link Embedder}: the same text is not embedded twice.
 *
 * <p>Entries are keyed by the model's name and the SHA-256 of the text, so two models never share
 * a vector and a long text costs 32 bytes of key. The cache holds at most {@code maxEntries}
 * vectors and evicts the least recently used. Vectors are copied in and out, so a caller who
 * changes a returned array changes nothing cached.
 */
public final class CachingEmbedder extends ForwardingEmbedder implements AutoCloseable {

    private final int maxEntries;
    private final Map<Key, float[]> cache;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /**
     * @param delegate the embedder to cache
     * @param maxEntries how many vectors to keep, at least 1
     */
    public CachingEmbedder(Embedder delegate, int maxEntries) {
        super(delegate);
        if (maxEntries < 1) {
            throw new InvalidInputException("maxEntries", maxEntries + " must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, float[]> eldest) {
                return size() > CachingEmbedder.this.maxEntries;
            }
        };
    }

    @Override
    public float[] embed(String text) {
        Key key = key("text", text);
        float[] cached = get(key);
        if (cached != null) {
            hits.incrementAndGet();
            return cached.clone();
        }
        misses.incrementAndGet();
        float[] vector = delegate().embed(text);
        put(key, vector);
        return vector.clone();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts == null) {
            throw new InvalidInputException("texts", "is required");
        }
        List<Key> keys = new ArrayList<>(texts.size());
        // Every text is checked before anything is embedded, and named by its index.
        for (int i = 0; i < texts.size(); i++) {
            keys.add(key("texts[" + i + "]", texts.get(i)));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        Map<Key, Integer> missingIndex = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Key key = keys.get(i);
            float[] cached = get(key);
            if (cached != null) {
                hits.incrementAndGet();
                out.add(cached.clone());
            } else {
                out.add(null);
                // The same text twice in one batch is embedded once.
                if (!missingIndex.containsKey(key)) {
                    missingIndex.put(key, missing.size());
                    missing.add(text);
                }
                misses.incrementAndGet();
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> fresh = delegate().embedAll(missing);
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i) == null) {
                    float[] v = fresh.get(Objects.requireNonNull(missingIndex.get(keys.get(i))));
                    put(keys.get(i), v);
                    out.set(i, v.clone());
                }
            }
        }
        return out;
    }

    /** @return how many calls the cache answered */
    public long hits() {
        return hits.get();
    }

    /** @return how many texts went to the embedder */
    public long misses() {
        return misses.get();
    }

    /** @return how many vectors are cached now */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    @Override
    public void close() throws Exception {
        if (delegate() instanceof AutoCloseable c) {
            c.close();
        }
    }

    private float @Nullable [] get(Key key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private void put(Key key, float[] vector) {
        synchronized (cache) {
            cache.put(key, vector.clone());
        }
    }

    private Key key(String field, String text) {
        if (text == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(field, "is blank; there is nothing to embed");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // UTF-16 keeps every Java string apart; UTF-8 would turn each unpaired surrogate into '?'.
            byte[] digest = sha.digest(text.getBytes(StandardCharsets.UTF_16BE));
            return new Key(delegate().modelName(), new HashBytes(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private record Key(String model, HashBytes hash) {
    }

    private record HashBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof HashBytes h && java.util.Arrays.equals(bytes, h.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }
}
