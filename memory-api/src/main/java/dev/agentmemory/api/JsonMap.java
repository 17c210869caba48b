package dev.agentmemory.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checked, unmodifiable copy {@link JsonValues} makes of a JSON-like map: its keys and values
 * in one array, in insertion order. An unmodifiable {@code LinkedHashMap} of five entries takes
 * some 330 bytes (the map, its table, an entry object per key, the wrapper); this takes about 90,
 * which at three maps per episode was a third of the in-memory store's heap. A small map is looked
 * up by a scan of its keys; past {@link #INDEXED_FROM} entries a hash index is kept beside them.
 *
 * <p>It also records that its content was checked and how deep it nests, so that copying it again
 * (as every {@code Episode} built from another does) returns it as it is instead of checking it
 * anew.
 */
final class JsonMap extends AbstractMap<String, Object> {

    private static final int INDEXED_FROM = 12;

    /** key 0, value 0, key 1, value 1, ... */
    private final @Nullable Object[] entries;
    private final @Nullable Map<String, Integer> index;
    /** The levels of maps and lists this map holds, itself included: 1 for a flat map. */
    private final int height;

    JsonMap(@Nullable Object[] entries, int height) {
        this.entries = entries;
        this.height = height;
        int size = entries.length / 2;
        if (size >= INDEXED_FROM) {
            Map<String, Integer> byKey = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                byKey.put((String) entries[2 * i], i);
            }
            index = byKey;
        } else {
            index = null;
        }
    }

    int height() {
        return height;
    }

    private int find(@Nullable Object key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i].equals(key)) {
                return i / 2;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return entries.length / 2;
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return find(key) >= 0;
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
        int i = find(key);
        return i < 0 ? null : entries[2 * i + 1];
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < entries.length;
                    }

                    @Override
                    @SuppressWarnings("NullAway") // a JSON value may be null, as in the map it was copied from
                    public Map.Entry<String, Object> next() {
                        if (next >= entries.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Object> e = new SimpleImmutableEntry<>((String) entries[next], entries[next + 1]);
                        next += 2;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return entries.length / 2;
            }
        };
    }
}
