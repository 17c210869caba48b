package dev.agentmemory.spring.ai;

import dev.agentmemory.api.Advice;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The memory as Spring AI tools, named as the MCP server's: {@code remember_decision},
 * {@code recall_similar_situations}, {@code record_outcome}, {@code get_learned_strategies} and
 * {@code advise}. Give the bean to a {@code ChatClient} ({@code .defaultTools(tools)}), or the
 * {@code ToolCallbackProvider} the starter makes of it ({@code .defaultToolCallbacks(provider)}).
 * Bad arguments throw the library's {@code InvalidInputException}, naming the argument, and
 * nothing is written; Spring AI hands its message back to the model.
 */
public class AgentMemoryTools {

    /** The largest {@code limit} a tool accepts: a model asking for more floods its own context. */
    public static final int MAX_LIMIT = 100;

    private final AgentMemorySystem memory;

    /** @param memory the memory the tools read and write */
    public AgentMemoryTools(AgentMemorySystem memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /**
     * @param projectId the project the decision belongs to
     * @param perception the situation as the agent saw it
     * @param reasoning why it decided as it did
     * @param action what it did
     * @param sprintId the sprint it concerns, if any
     * @return {@code {"episodeId": "..."}}
     */
    @Tool(name = "remember_decision", description = "Remembers one decision the agent took: what it perceived, "
            + "how it reasoned, what it did. Answers the episode's id, which record_outcome needs later.")
    public Map<String, Object> rememberDecision(
            @ToolParam(description = "the project (tenant) the decision belongs to") String projectId,
            @ToolParam(description = "the situation as the agent saw it, as a JSON object") Map<String, Object> perception,
            @ToolParam(description = "why it decided as it did, as a JSON object") Map<String, Object> reasoning,
            @ToolParam(description = "what it did, as a JSON object") Map<String, Object> action,
            @ToolParam(description = "the sprint the decision concerns", required = false) @Nullable String sprintId) {
        Episode episode = Episode.builder(required("projectId", projectId))
                .perception(required("perception", perception))
                .reasoning(required("reasoning", reasoning))
                .action(required("action", action))
                .sprintId(sprintId)
                .build();
        return Map.of("episodeId", memory.rememberDecision(episode).toString());
    }

    /**
     * @param context the situation now
     * @param projectId only this project's episodes; null for every project
     * @param limit at most this many; 5 when null
     * @return {@code {"episodes": [...]}}, most similar first, each with its similarity
     */
    @Tool(name = "recall_similar_situations", description = "Past situations similar to the given one, most "
            + "similar first, each with its similarity, the decision taken and how it turned out.")
    public Map<String, Object> recallSimilarSituations(
            @ToolParam(description = "the situation now, as a JSON object") Map<String, Object> context,
            @ToolParam(description = "only this project's past; omit for every project", required = false)
            @Nullable String projectId,
            @ToolParam(description = "at most this many, 1 to 100; 5 when omitted", required = false)
            @Nullable Integer limit) {
        List<Episode> episodes = memory.recallSimilarSituations(required("context", context), projectId,
                limit("limit", limit, 5));
        return Map.of("episodes", episodes);
    }

    /**
     * @param episodeId the id {@code remember_decision} answered
     * @param outcome what happened
     * @param outcomeQuality how good it was, in [0,1]
     * @return {@code {"episodeId": "...", "recorded": true}}
     */
    @Tool(name = "record_outcome", description = "Records how a remembered decision turned out, with a quality "
            + "from 0 (bad) to 1 (good). The memory learns from these.")
    public Map<String, Object> recordOutcome(
            @ToolParam(description = "the id remember_decision answered") String episodeId,
            @ToolParam(description = "what happened, as a JSON object") Map<String, Object> outcome,
            @ToolParam(description = "how good the outcome was, from 0 to 1") Double outcomeQuality) {
        UUID id = uuid(required("episodeId", episodeId));
        memory.recordOutcome(id, required("outcome", outcome), required("outcomeQuality", outcomeQuality));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("episodeId", id.toString());
        answer.put("recorded", true);
        return answer;
    }

    /**
     * @param context the situation now
     * @param minConfidence the least confidence; 0.5 when null
     * @return {@code {"strategies": [...]}}, most confident first
     */
    @Tool(name = "get_learned_strategies", description = "Strategies learned from past outcomes that apply in "
            + "the given situation, most confident first, each with its recommendation and evidence.")
    public Map<String, Object> getLearnedStrategies(
            @ToolParam(description = "the situation now, as a JSON object") Map<String, Object> context,
            @ToolParam(description = "the least confidence, 0 to 1; 0.5 when omitted", required = false)
            @Nullable Double minConfidence) {
        double min = minConfidence == null ? 0.5 : minConfidence;
        if (!(min >= 0 && min <= 1)) {
            throw new InvalidInputException("minConfidence", min + " is outside [0,1]");
        }
        List<Strategy> strategies = memory.getLearnedStrategies(required("context", context), min);
        return Map.of("strategies", strategies);
    }

    /**
     * @param context the situation now
     * @param projectId only this project's episodes; null for every project
     * @param limit at most this many; 3 when null
     * @return {@code {"advice": [...]}}, best expected outcome first
     */
    @Tool(name = "advise", description = "The decisions taken in situations like the given one, best expected "
            + "outcome first, each with its expected quality, confidence and the episodes it rests on.")
    public Map<String, Object> advise(
            @ToolParam(description = "the situation now, as a JSON object") Map<String, Object> context,
            @ToolParam(description = "only this project's past; omit for every project", required = false)
            @Nullable String projectId,
            @ToolParam(description = "at most this many, 1 to 100; 3 when omitted", required = false)
            @Nullable Integer limit) {
        List<Advice> advice = memory.advise(required("context", context), projectId, limit("limit", limit, 3));
        return Map.of("advice", advice);
    }

    private static <T> T required(String name, @Nullable T value) {
        if (value == null) {
            throw new InvalidInputException(name, "is required");
        }
        return value;
    }

    private static int limit(String name, @Nullable Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > Math.min(MAX_LIMIT, AgentMemoryStore.MAX_LIMIT)) {
            throw new InvalidInputException(name, value + " is outside 1 to " + MAX_LIMIT);
        }
        return value;
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("episodeId", "'" + value + "' is not a UUID");
        }
    }
}
