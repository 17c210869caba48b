package dev.agentmemory.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A decision taken in situations like the present one, and how it turned out: what
 * {@code AgentMemorySystem.advise} answers.
 *
 * @param action the action fields and the values to take; a numeric value that varied among the
 *     episodes is the median of its group
 * @param expectedQuality the mean outcome quality of the episodes that took it, in [0,1]
 * @param confidence how sure, in [0,1]: a lower bound of the expected quality (Wilson, 95%), so
 *     few episodes give a low confidence whatever their mean
 * @param evidence on how many episodes it rests, at least 1
 * @param episodeIds which episodes, most similar first
 */
public record Advice(Map<String, Object> action, double expectedQuality, double confidence, int evidence,
                     List<UUID> episodeIds) {

    /** Validates and copies the fields. */
    public Advice {
        action = JsonValues.copyMap("action", action);
        Episode.checkQuality("expectedQuality", expectedQuality);
        Episode.checkQuality("confidence", confidence);
        if (evidence < 1) {
            throw new InvalidInputException("evidence", evidence + " is less than 1");
        }
        if (episodeIds == null) {
            throw new InvalidInputException("episodeIds", "is required");
        }
        for (UUID id : episodeIds) {
            if (id == null) {
                throw new InvalidInputException("episodeIds", "must not contain null");
            }
        }
        episodeIds = Collections.unmodifiableList(new ArrayList<>(episodeIds));
    }
}
