package dev.agentmemory.postgres;

import dev.agentmemory.api.Episode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One row of {@code agent_episodes} as MyBatis reads and writes it. */
final class EpisodeRow {
    @Nullable UUID episodeId;
    @Nullable String projectId;
    @Nullable Instant timestamp;
    @Nullable Map<String, Object> perception;
    @Nullable Map<String, Object> reasoning;
    @Nullable Map<String, Object> action;
    @Nullable Map<String, Object> outcome;
    @Nullable Double outcomeQuality;
    @Nullable Instant outcomeRecordedAt;
    @Nullable String agentVersion;
    @Nullable String controlMode;
    @Nullable String decisionSource;
    @Nullable String sprintId;
    @Nullable UUID chronicleNoteId;
    float @Nullable [] embedding;
    /** Only on search results: 1 - cosine distance to the query. */
    @Nullable Double similarity;

    static EpisodeRow of(Episode e, UUID id, float @Nullable [] embedding) {
        EpisodeRow r = new EpisodeRow();
        r.episodeId = id;
        r.projectId = e.projectId();
        r.timestamp = e.timestamp();
        r.perception = e.perception();
        r.reasoning = e.reasoning();
        r.action = e.action();
        r.outcome = e.outcome();
        r.outcomeQuality = e.outcomeQuality();
        r.outcomeRecordedAt = e.outcomeRecordedAt();
        r.agentVersion = e.agentVersion();
        r.controlMode = e.controlMode();
        r.decisionSource = e.decisionSource();
        r.sprintId = e.sprintId();
        r.chronicleNoteId = e.chronicleNoteId();
        r.embedding = embedding;
        return r;
    }

    /**
     * @return the episode; a map column that is NULL (possible in a table created by hand before
     *     this library) reads as an empty map
     */
    // project_id is NOT NULL in every schema we read; the builder refuses a null by name anyway.
    @SuppressWarnings("NullAway")
    Episode toEpisode() {
        return Episode.builder(projectId)
                .episodeId(episodeId)
                .timestamp(timestamp)
                .perception(perception == null ? Map.of() : perception)
                .reasoning(reasoning == null ? Map.of() : reasoning)
                .action(action == null ? Map.of() : action)
                .outcome(outcome)
                .outcomeQuality(outcomeQuality)
                .outcomeRecordedAt(outcomeRecordedAt)
                .agentVersion(agentVersion)
                .controlMode(controlMode)
                .decisionSource(decisionSource)
                .sprintId(sprintId)
                .chronicleNoteId(chronicleNoteId)
                .similarity(similarity)
                .build();
    }
}
