package dev.agentmemory.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Something the agent has learned: when it applies, what to do, and the evidence for it.
 *
 * <p>{@code content} is a JSON-like map. Its key {@value #CONDITIONS_KEY} says when the strategy
 * applies, as one condition in the {@link Condition} language or a list of them that must all
 * hold, for example {@code "team availability is available and backlog_tasks >= 10"}. Without it
 * the strategy applies everywhere. Every other key is free for the agent (what to do, why).
 * Conditions are parsed on construction, so a strategy with an invalid condition cannot be built,
 * let alone stored: the {@link InvalidInputException} gives the position and the reason.
 *
 * @param knowledgeId null until stored
 * @param knowledgeType defaults to "strategy"
 * @param content the conditions and the advice
 * @param description what the strategy says, in words; embedded for semantic ranking
 * @param confidence in [0,1]; defaults to 0.5 and then follows the evidence (see {@link Evidence})
 * @param supportingEpisodes episodes where applying it succeeded
 * @param contradictingEpisodes episodes where applying it failed
 * @param timesApplied how often it was applied
 * @param successCount how often applying it succeeded
 * @param failureCount how often applying it failed
 * @param successRate successCount / timesApplied; null before the first application
 * @param createdAt when it was created; defaults to now
 * @param lastValidated when its evidence last changed
 * @param lastApplied when it was last applied
 * @param createdBy who made it; defaults to "system"
 * @param active whether it is offered; defaults to true
 */
public record Strategy(
        @Nullable UUID knowledgeId,
        String knowledgeType,
        Map<String, Object> content,
        String description,
        double confidence,
        List<UUID> supportingEpisodes,
        List<UUID> contradictingEpisodes,
        int timesApplied,
        int successCount,
        int failureCount,
        @Nullable Double successRate,
        Instant createdAt,
        @Nullable Instant lastValidated,
        @Nullable Instant lastApplied,
        String createdBy,
        boolean active) {

    /** The content key that holds the conditions. */
    public static final String CONDITIONS_KEY = "conditions";
    public static final String DEFAULT_KNOWLEDGE_TYPE = "strategy";
    public static final String DEFAULT_CREATED_BY = "system";
    public static final double DEFAULT_CONFIDENCE = 0.5;

    /** Validates every field and parses the conditions; see the class comment. */
    public Strategy {
        knowledgeType = nonBlank("knowledgeType", knowledgeType == null ? DEFAULT_KNOWLEDGE_TYPE : knowledgeType);
        content = JsonValues.copyMap("content", content);
        description = JsonValues.checkString("description", description == null ? "" : description);
        if (description.length() > 10_000) {
            throw new InvalidInputException("description", "is " + description.length() + " characters long, at most 10000 are allowed");
        }
        Episode.checkQuality("confidence", confidence);
        supportingEpisodes = ids("supportingEpisodes", supportingEpisodes);
        contradictingEpisodes = ids("contradictingEpisodes", contradictingEpisodes);
        if (timesApplied < 0 || successCount < 0 || failureCount < 0) {
            throw new InvalidInputException("timesApplied", "counts must not be negative: timesApplied=" + timesApplied
                    + " successCount=" + successCount + " failureCount=" + failureCount);
        }
        if (successCount + failureCount > timesApplied) {
            throw new InvalidInputException("timesApplied", timesApplied + " is less than successCount + failureCount = "
                    + (successCount + failureCount));
        }
        if (successRate != null) {
            Episode.checkQuality("successRate", successRate);
        }
        createdAt = createdAt == null ? Episode.now() : Episode.micros("createdAt", createdAt);
        lastValidated = lastValidated == null ? null : Episode.micros("lastValidated", lastValidated);
        lastApplied = lastApplied == null ? null : Episode.micros("lastApplied", lastApplied);
        createdBy = nonBlank("createdBy", createdBy == null ? DEFAULT_CREATED_BY : createdBy);
        parseConditions(content);
    }

    /**
     * @param description what the strategy says, in words
     * @return a builder with the defaults of the contract
     */
    public static Builder builder(String description) {
        return new Builder().description(description);
    }

    /** @return a builder holding every field of this strategy */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Evaluates the conditions in {@code content} against a context.
     *
     * @param context the situation, a JSON-like map
     * @return true when every condition holds, or when the strategy has none
     */
    public boolean appliesTo(Map<String, Object> context) {
        for (Condition c : parseConditions(content)) {
            if (!c.test(context)) {
                return false;
            }
        }
        return true;
    }

    /** @return the parsed conditions, empty when the strategy applies everywhere */
    public List<Condition> conditions() {
        return parseConditions(content);
    }

    private static List<Condition> parseConditions(Map<String, Object> content) {
        Object raw = content.get(CONDITIONS_KEY);
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof String s) {
            return List.of(Condition.parse(s));
        }
        if (raw instanceof List<?> list) {
            List<Condition> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new InvalidInputException("content.conditions", "must be a string or a list of strings, found " + o);
                }
                out.add(Condition.parse(s));
            }
            return out;
        }
        throw new InvalidInputException("content.conditions", "must be a string or a list of strings, found " + raw);
    }

    private static String nonBlank(String field, String value) {
        if (value.isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        return JsonValues.checkString(field, value);
    }

    private static List<UUID> ids(String field, @Nullable List<UUID> ids) {
        if (ids == null) {
            return List.of();
        }
        for (UUID id : ids) {
            if (id == null) {
                throw new InvalidInputException(field, "must not contain null");
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(ids));
    }

    /** Builds a {@link Strategy}; {@link #build()} validates. */
    public static final class Builder {
        private @Nullable UUID knowledgeId;
        private String knowledgeType = DEFAULT_KNOWLEDGE_TYPE;
        private Map<String, Object> content = Map.of();
        private String description = "";
        private double confidence = DEFAULT_CONFIDENCE;
        private List<UUID> supportingEpisodes = List.of();
        private List<UUID> contradictingEpisodes = List.of();
        private int timesApplied;
        private int successCount;
        private int failureCount;
        private @Nullable Double successRate;
        private @Nullable Instant createdAt;
        private @Nullable Instant lastValidated;
        private @Nullable Instant lastApplied;
        private String createdBy = DEFAULT_CREATED_BY;
        private boolean active = true;

        private Builder() {
        }

        private Builder(Strategy s) {
            knowledgeId = s.knowledgeId;
            knowledgeType = s.knowledgeType;
            content = s.content;
            description = s.description;
            confidence = s.confidence;
            supportingEpisodes = s.supportingEpisodes;
            contradictingEpisodes = s.contradictingEpisodes;
            timesApplied = s.timesApplied;
            successCount = s.successCount;
            failureCount = s.failureCount;
            successRate = s.successRate;
            createdAt = s.createdAt;
            lastValidated = s.lastValidated;
            lastApplied = s.lastApplied;
            createdBy = s.createdBy;
            active = s.active;
        }

        public Builder knowledgeId(@Nullable UUID v) { knowledgeId = v; return this; }
        public Builder knowledgeType(String v) { knowledgeType = v; return this; }
        public Builder content(Map<String, ?> v) { content = JsonValues.copyMap("content", v); return this; }
        /** Sets {@code content.conditions}, keeping the other keys of the content. */
        public Builder conditions(String condition) {
            Map<String, Object> c = new java.util.LinkedHashMap<>(content);
            c.put(CONDITIONS_KEY, condition);
            content = c;
            return this;
        }
        public Builder description(String v) { description = v; return this; }
        public Builder confidence(double v) { confidence = v; return this; }
        public Builder supportingEpisodes(List<UUID> v) { supportingEpisodes = v; return this; }
        public Builder contradictingEpisodes(List<UUID> v) { contradictingEpisodes = v; return this; }
        public Builder timesApplied(int v) { timesApplied = v; return this; }
        public Builder successCount(int v) { successCount = v; return this; }
        public Builder failureCount(int v) { failureCount = v; return this; }
        public Builder successRate(@Nullable Double v) { successRate = v; return this; }
        public Builder createdAt(@Nullable Instant v) { createdAt = v; return this; }
        public Builder lastValidated(@Nullable Instant v) { lastValidated = v; return this; }
        public Builder lastApplied(@Nullable Instant v) { lastApplied = v; return this; }
        public Builder createdBy(String v) { createdBy = v; return this; }
        public Builder active(boolean v) { active = v; return this; }

        /**
         * @return the validated strategy
         * @throws InvalidInputException when a field or a condition is invalid
         */
        // A builder holds what the caller set, nulls included; the canonical constructor gives each
        // null its default or refuses it by name, which NullAway cannot see through a record.
        @SuppressWarnings("NullAway")
        public Strategy build() {
            return new Strategy(knowledgeId, knowledgeType, content, description, confidence, supportingEpisodes,
                    contradictingEpisodes, timesApplied, successCount, failureCount, successRate, createdAt,
                    lastValidated, lastApplied, createdBy, active);
        }
    }
}
