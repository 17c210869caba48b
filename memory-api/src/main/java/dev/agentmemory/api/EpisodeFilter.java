package dev.agentmemory.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which episodes a search may return. Every field is optional; a null field does not filter.
 *
 * <p>{@link #test(Episode)} is the meaning of the filter: the in-memory store and memory-core ask
 * it, and the PostgreSQL store translates the same fields into one SQL fragment
 * ({@code EpisodeMapper.xml}, {@code <sql id="filter">}); a contract test holds the two equal.
 *
 * @param projectId only this project; null searches every project
 * @param excludeProjectId never this project (to recall what other projects learned)
 * @param decisionSource only episodes with this decision source
 * @param controlMode only episodes with this control mode
 * @param minOutcomeQuality only episodes whose recorded outcome quality is at least this
 * @param from only episodes at or after this time
 * @param to only episodes before this time
 */
public record EpisodeFilter(
        @Nullable String projectId,
        @Nullable String excludeProjectId,
        @Nullable String decisionSource,
        @Nullable String controlMode,
        @Nullable Double minOutcomeQuality,
        @Nullable Instant from,
        @Nullable Instant to) {

    /** A filter that lets everything through. */
    public static final EpisodeFilter ALL = new EpisodeFilter(null, null, null, null, null, null, null);

    /** Validates the fields. */
    public EpisodeFilter {
        if (projectId != null) {
            Episode.checkProjectId(projectId);
        }
        if (excludeProjectId != null) {
            Episode.checkProjectId(excludeProjectId);
        }
        if (decisionSource != null) {
            JsonValues.checkString("decisionSource", decisionSource);
        }
        if (controlMode != null) {
            JsonValues.checkString("controlMode", controlMode);
        }
        if (minOutcomeQuality != null) {
            Episode.checkQuality("minOutcomeQuality", minOutcomeQuality);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidInputException("from", from + " is not before to " + to);
        }
    }

    /**
     * @param episode a stored episode
     * @return whether this filter lets it through
     */
    public boolean test(Episode episode) {
        Checks.required("episode", episode);
        return (projectId == null || projectId.equals(episode.projectId()))
                && (excludeProjectId == null || !excludeProjectId.equals(episode.projectId()))
                && (decisionSource == null || decisionSource.equals(episode.decisionSource()))
                && (controlMode == null || controlMode.equals(episode.controlMode()))
                && (minOutcomeQuality == null
                        || (episode.outcomeQuality() != null && episode.outcomeQuality() >= minOutcomeQuality))
                && (from == null || !episode.timestamp().isBefore(from))
                && (to == null || episode.timestamp().isBefore(to));
    }

    /**
     * @param projectId a project, or null for every project
     * @return a filter on the project only
     */
    public static EpisodeFilter project(@Nullable String projectId) {
        return projectId == null ? ALL : builder().projectId(projectId).build();
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link EpisodeFilter}. */
    public static final class Builder {
        private @Nullable String projectId;
        private @Nullable String excludeProjectId;
        private @Nullable String decisionSource;
        private @Nullable String controlMode;
        private @Nullable Double minOutcomeQuality;
        private @Nullable Instant from;
        private @Nullable Instant to;

        public Builder projectId(@Nullable String v) { projectId = v; return this; }
        public Builder excludeProjectId(@Nullable String v) { excludeProjectId = v; return this; }
        public Builder decisionSource(@Nullable String v) { decisionSource = v; return this; }
        public Builder controlMode(@Nullable String v) { controlMode = v; return this; }
        public Builder minOutcomeQuality(@Nullable Double v) { minOutcomeQuality = v; return this; }
        public Builder from(@Nullable Instant v) { from = v; return this; }
        public Builder to(@Nullable Instant v) { to = v; return this; }

        public EpisodeFilter build() {
            return new EpisodeFilter(projectId, excludeProjectId, decisionSource, controlMode, minOutcomeQuality, from, to);
        }
    }
}
