package dev.agentmemory.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One decision an agent took: what it perceived, how it reasoned, what it did and, once known, how
 * it turned out.
 *
 * <p>Validated on construction: a blank {@code projectId}, an {@code outcomeQuality} outside
 * [0,1], a non-finite number or a map value that is not JSON-like (see {@link JsonValues}) is an
 * {@link InvalidInputException}. Times are kept to the microsecond, the precision PostgreSQL
 * stores, so that an episode reads back equal to what was written, and must lie between
 * {@link #EARLIEST} and {@link #LATEST}, the range PostgreSQL stores, on every backend alike.
 *
 * @param episodeId null until stored; assigned on the client before the first write, so a retried
 *     write cannot make a duplicate
 * @param projectId the project (tenant) the decision belongs to; required, not blank
 * @param timestamp when the decision was taken; defaults to now
 * @param perception the situation as the agent saw it
 * @param reasoning why it decided as it did
 * @param action what it did
 * @param outcome how it turned out; null until recorded
 * @param outcomeQuality the outcome's quality in [0,1]; null until recorded
 * @param outcomeRecordedAt when the outcome was recorded; null until then
 * @param agentVersion the version of the agent that decided; defaults to "1.0.0"
 * @param controlMode how the agent was controlled; defaults to "rule_based_only"
 * @param decisionSource what took the decision; defaults to "rule_based_only"
 * @param sprintId the sprint the decision concerns, if any
 * @param chronicleNoteId a note in the agent's chronicle, if any
 * @param similarity set only on search results: 1 - cosine distance to the query
 */
public record Episode(
        @Nullable UUID episodeId,
        String projectId,
        Instant timestamp,
        Map<String, Object> perception,
        Map<String, Object> reasoning,
        Map<String, Object> action,
        @Nullable Map<String, Object> outcome,
        @Nullable Double outcomeQuality,
        @Nullable Instant outcomeRecordedAt,
        String agentVersion,
        String controlMode,
        String decisionSource,
        @Nullable String sprintId,
        @Nullable UUID chronicleNoteId,
        @Nullable Double similarity) {

    public static final String DEFAULT_AGENT_VERSION = "1.0.0";
    public static final String DEFAULT_CONTROL_MODE = "rule_based_only";
    public static final String DEFAULT_DECISION_SOURCE = "rule_based_only";
    /**
     * The earliest time a model accepts: PostgreSQL's {@code timestamptz} starts at 4714-11-24 BC
     * (ISO year -4713); a day later, so that no time zone pushes a stored time out of range.
     */
    public static final Instant EARLIEST = Instant.parse("-4713-11-25T00:00:00Z");
    /** The latest time a model accepts: PostgreSQL's {@code timestamptz} ends in 294276 AD. */
    public static final Instant LATEST = Instant.parse("+294276-12-30T00:00:00Z");

    /** Validates and normalises every field; see the class comment. */
    public Episode {
        projectId = checkProjectId(projectId);
        timestamp = timestamp == null ? now() : micros("timestamp", timestamp);
        perception = JsonValues.copyMap("perception", perception);
        reasoning = JsonValues.copyMap("reasoning", reasoning);
        action = JsonValues.copyMap("action", action);
        outcome = JsonValues.copyNullableMap("outcome", outcome);
        if (outcomeQuality != null) {
            checkQuality("outcomeQuality", outcomeQuality);
        }
        outcomeRecordedAt = outcomeRecordedAt == null ? null : micros("outcomeRecordedAt", outcomeRecordedAt);
        agentVersion = text("agentVersion", agentVersion, DEFAULT_AGENT_VERSION);
        controlMode = text("controlMode", controlMode, DEFAULT_CONTROL_MODE);
        decisionSource = text("decisionSource", decisionSource, DEFAULT_DECISION_SOURCE);
        if (sprintId != null) {
            JsonValues.checkString("sprintId", sprintId);
        }
        if (similarity != null && !Double.isFinite(similarity)) {
            throw new InvalidInputException("similarity", similarity + " is not a finite number");
        }
    }

    /**
     * @param projectId the project the decision belongs to
     * @return a builder with the defaults of the contract
     */
    public static Builder builder(String projectId) {
        return new Builder(projectId);
    }

    /** @return a builder holding every field of this episode */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * "Episode {projectId}: sprint_created at {ISO time}" when {@code action.sprint_created} is
     * true, else "Episode {projectId}: tasks_assigned at {ISO time}".
     *
     * @return a one-line summary
     */
    public String summary() {
        String what = Boolean.TRUE.equals(action.get("sprint_created")) ? "sprint_created" : "tasks_assigned";
        return "Episode " + projectId + ": " + what + " at " + timestamp;
    }

    /** @return true once an outcome has been recorded */
    public boolean hasOutcome() {
        return outcomeQuality != null;
    }

    /**
     * @param id the id to assign
     * @return this episode with the id set
     */
    public Episode withEpisodeId(UUID id) {
        return toBuilder().episodeId(id).build();
    }

    /**
     * @param value the similarity to a query
     * @return this episode as a search result
     */
    public Episode withSimilarity(@Nullable Double value) {
        return toBuilder().similarity(value).build();
    }

    static String checkProjectId(@Nullable String projectId) {
        if (projectId == null || projectId.isBlank()) {
            throw new InvalidInputException("projectId", "must not be blank");
        }
        if (projectId.length() > 255) {
            throw new InvalidInputException("projectId", "is " + projectId.length() + " characters long, at most 255 are allowed");
        }
        JsonValues.checkString("projectId", projectId);
        return projectId;
    }

    static double checkQuality(String field, double quality) {
        if (!Double.isFinite(quality) || quality < 0 || quality > 1) {
            throw new InvalidInputException(field, quality + " is outside [0,1]");
        }
        return quality;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * @param field the field, for the error
     * @param t a time
     * @return the time to the microsecond
     * @throws InvalidInputException when it lies outside {@link #EARLIEST} to {@link #LATEST}
     */
    static Instant micros(String field, Instant t) {
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new InvalidInputException(field, t + " is outside " + EARLIEST + " to " + LATEST
                    + ", the times PostgreSQL can store");
        }
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(String field, @Nullable String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        return JsonValues.checkString(field, value);
    }

    /** Builds an {@link Episode}; {@link #build()} validates. */
    public static final class Builder {
        private @Nullable UUID episodeId;
        private String projectId;
        private @Nullable Instant timestamp;
        // Required by the contract: build() rejects an episode whose builder never set them.
        private @Nullable Map<String, Object> perception;
        private @Nullable Map<String, Object> reasoning;
        private @Nullable Map<String, Object> action;
        private @Nullable Map<String, Object> outcome;
        private @Nullable Double outcomeQuality;
        private @Nullable Instant outcomeRecordedAt;
        private @Nullable String agentVersion;
        private @Nullable String controlMode;
        private @Nullable String decisionSource;
        private @Nullable String sprintId;
        private @Nullable UUID chronicleNoteId;
        private @Nullable Double similarity;

        private Builder(String projectId) {
            this.projectId = projectId;
        }

        private Builder(Episode e) {
            this.episodeId = e.episodeId;
            this.projectId = e.projectId;
            this.timestamp = e.timestamp;
            this.perception = e.perception;
            this.reasoning = e.reasoning;
            this.action = e.action;
            this.outcome = e.outcome;
            this.outcomeQuality = e.outcomeQuality;
            this.outcomeRecordedAt = e.outcomeRecordedAt;
            this.agentVersion = e.agentVersion;
            this.controlMode = e.controlMode;
            this.decisionSource = e.decisionSource;
            this.sprintId = e.sprintId;
            this.chronicleNoteId = e.chronicleNoteId;
            this.similarity = e.similarity;
        }

        public Builder episodeId(@Nullable UUID value) {
            this.episodeId = value;
            return this;
        }

        public Builder projectId(String value) {
            this.projectId = value;
            return this;
        }

        public Builder timestamp(@Nullable Instant value) {
            this.timestamp = value;
            return this;
        }

        public Builder perception(Map<String, ?> value) {
            this.perception = JsonValues.copyMap("perception", value);
            return this;
        }

        public Builder reasoning(Map<String, ?> value) {
            this.reasoning = JsonValues.copyMap("reasoning", value);
            return this;
        }

        public Builder action(Map<String, ?> value) {
            this.action = JsonValues.copyMap("action", value);
            return this;
        }

        public Builder outcome(@Nullable Map<String, ?> value) {
            this.outcome = JsonValues.copyNullableMap("outcome", value);
            return this;
        }

        public Builder outcomeQuality(@Nullable Double value) {
            this.outcomeQuality = value;
            return this;
        }

        public Builder outcomeRecordedAt(@Nullable Instant value) {
            this.outcomeRecordedAt = value;
            return this;
        }

        public Builder agentVersion(@Nullable String value) {
            this.agentVersion = value;
            return this;
        }

        public Builder controlMode(@Nullable String value) {
            this.controlMode = value;
            return this;
        }

        public Builder decisionSource(@Nullable String value) {
            this.decisionSource = value;
            return this;
        }

        public Builder sprintId(@Nullable String value) {
            this.sprintId = value;
            return this;
        }

        public Builder chronicleNoteId(@Nullable UUID value) {
            this.chronicleNoteId = value;
            return this;
        }

        public Builder similarity(@Nullable Double value) {
            this.similarity = value;
            return this;
        }

        /**
         * @return the validated episode
         * @throws InvalidInputException when a field is invalid
         */
        // A builder holds what the caller set, nulls included; the canonical constructor gives each
        // null its default or refuses it by name, which NullAway cannot see through a record.
        @SuppressWarnings("NullAway")
        public Episode build() {
            return new Episode(episodeId, projectId, timestamp, perception, reasoning, action, outcome,
                    outcomeQuality, outcomeRecordedAt, agentVersion, controlMode, decisionSource, sprintId,
                    chronicleNoteId, similarity);
        }
    }
}
