package dev.agentmemory.core;

import dev.agentmemory.api.Episode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Finds the strategies an episode applied, so that its outcome becomes their evidence.
 *
 * <p>An episode names them under the key {@value #KEY} of its {@code action} or its
 * {@code reasoning}: a strategy id as a string, or a list of them. Values that are not UUIDs are
 * ignored (an agent may name a rule of its own there).
 */
final class StrategyReferences {

    /** The key under which an episode names the strategies it applied. */
    static final String KEY = "applied_strategies";

    private StrategyReferences() {
    }

    static List<UUID> of(Episode episode) {
        Set<UUID> ids = new LinkedHashSet<>();
        collect(episode.action(), ids);
        collect(episode.reasoning(), ids);
        return new ArrayList<>(ids);
    }

    private static void collect(Map<String, Object> map, Set<UUID> out) {
        Object v = map.get(KEY);
        if (v instanceof String s) {
            add(s, out);
        } else if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    add(s, out);
                }
            }
        }
    }

    private static void add(String s, Set<UUID> out) {
        try {
            out.add(UUID.fromString(s.trim()));
        } catch (IllegalArgumentException notAnId) {
            // Not one of ours: agents may list rules of their own beside our strategy ids.
        }
    }
}
