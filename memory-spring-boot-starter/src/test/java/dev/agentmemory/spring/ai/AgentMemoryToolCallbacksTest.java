package dev.agentmemory.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.planner.PlannerApplication;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter's tool callbacks called as Spring AI calls them when a model asks for a tool: with
 * the model's JSON arguments as a string, answering JSON text. No model is involved; what the
 * calls did is read back from the memory.
 */
@SpringBootTest(classes = PlannerApplication.class, properties = {
        "agent-memory.store=inmemory",
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class AgentMemoryToolCallbacksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    @Qualifier("agentMemoryToolCallbacks")
    ToolCallbackProvider provider;

    @Autowired
    AgentMemorySystem memory;

    @Test
    void theProviderOffersTheFiveToolsWithSchemasThatRequireTheirArguments() {
        assertThat(Arrays.stream(provider.getToolCallbacks()).map(t -> t.getToolDefinition().name()))
                .containsExactlyInAnyOrder("remember_decision", "recall_similar_situations", "record_outcome",
                        "get_learned_strategies", "advise");
        Map<String, Object> schema = read(tool("remember_decision").getToolDefinition().inputSchema());
        assertThat(strings(schema.get("required"))).containsExactlyInAnyOrder("projectId", "perception", "reasoning",
                "action");
        assertThat(read(tool("record_outcome").getToolDefinition().inputSchema()).get("required").toString())
                .contains("episodeId", "outcome", "outcomeQuality");
    }

    @Test
    void aModelRemembersRecallsAndRecordsAnOutcomeAndTheMemoryHoldsIt() {
        String project = "tools-" + UUID.randomUUID();
        String remembered = tool("remember_decision").call("""
                {"projectId": "%s",
                 "perception": {"backlog_size": 31, "team_velocity": 12, "blocked_tasks": 4},
                 "reasoning": {"why": "velocity too low for a full sprint"},
                 "action": {"sprint_created": false, "tasks_assigned": 6}}
                """.formatted(project));
        UUID id = UUID.fromString((String) read(remembered).get("episodeId"));
        Episode stored = memory.episodes().getEpisodeById(id).orElseThrow();
        assertThat(stored.projectId()).isEqualTo(project);
        assertThat(stored.action()).containsEntry("tasks_assigned", 6);

        Map<String, Object> recalled = read(tool("recall_similar_situations").call("""
                {"context": {"backlog_size": 31, "team_velocity": 12, "blocked_tasks": 4},
                 "projectId": "%s", "limit": 3}
                """.formatted(project)));
        List<?> episodes = (List<?>) recalled.get("episodes");
        assertThat(episodes).hasSize(1);
        Map<?, ?> first = (Map<?, ?>) episodes.get(0);
        assertThat(first.get("episodeId")).isEqualTo(id.toString());
        assertThat(((Number) first.get("similarity")).doubleValue()).isGreaterThan(0.99);
        assertThat(first.get("timestamp")).as("an ISO-8601 time a model can read").asString()
                .matches("\\d{4}-\\d{2}-\\d{2}T.*Z");

        Map<String, Object> recorded = read(tool("record_outcome").call("""
                {"episodeId": "%s", "outcome": {"finished_on_time": true}, "outcomeQuality": 0.9}
                """.formatted(id)));
        assertThat(recorded).containsEntry("recorded", true);
        Episode after = memory.episodes().getEpisodeById(id).orElseThrow();
        assertThat(after.outcomeQuality()).isEqualTo(0.9);
        assertThat(after.outcome()).containsEntry("finished_on_time", true);

        Map<String, Object> advice = read(tool("advise").call("""
                {"context": {"backlog_size": 31, "team_velocity": 12, "blocked_tasks": 4}, "projectId": "%s"}
                """.formatted(project)));
        List<?> options = (List<?>) advice.get("advice");
        assertThat(options).isNotEmpty();
        Map<?, ?> best = (Map<?, ?>) options.get(0);
        assertThat(best.get("action")).isEqualTo(Map.of("sprint_created", false, "tasks_assigned", 6));
        assertThat(strings(best.get("episodeIds"))).contains(id.toString());
    }

    @Test
    void learnedStrategiesComeBackAsJson() {
        // A history where, with six or more blocked tasks, creating no sprint went well.
        String project = "strategies-" + UUID.randomUUID();
        List<Episode> history = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            int blocked = i % 12;
            boolean create = (i / 12) % 2 == 0;
            boolean good = (blocked >= 6) != create;
            history.add(Episode.builder(project).perception(Map.of("blocked_tasks", blocked))
                    .reasoning(Map.of()).action(Map.of("sprint_created", create))
                    .outcome(Map.of("on_time", good)).outcomeQuality(good ? 0.9 : 0.1).build());
        }
        memory.episodes().storeEpisodes(history, Arrays.asList(new float[history.size()][]));
        assertThat(memory.consolidate(project)).isNotEmpty();

        Map<String, Object> answer = read(tool("get_learned_strategies").call("""
                {"context": {"blocked_tasks": 9}, "minConfidence": 0.0}
                """));
        List<?> strategies = (List<?>) answer.get("strategies");
        assertThat(strategies).isNotEmpty();
        assertThat(strategies).anySatisfy(s -> {
            Map<?, ?> strategy = (Map<?, ?>) s;
            assertThat(strategy.get("createdBy")).isEqualTo("consolidation");
            assertThat(((Map<?, ?>) strategy.get("content")).get("recommendation"))
                    .isEqualTo(Map.of("sprint_created", false));
        });
    }

    @Test
    void aBadArgumentFailsTheCallNamingItAndWritesNothing() {
        String project = "bad-" + UUID.randomUUID();
        assertThatThrownBy(() -> tool("remember_decision").call("""
                {"projectId": "%s", "perception": {"backlog_size": 3}, "reasoning": {}}
                """.formatted(project)))
                .isInstanceOf(ToolExecutionException.class)
                .cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("action");
        assertThat(memory.episodes().getEpisodesByProject(project, 10, null)).isEmpty();

        assertThatThrownBy(() -> tool("record_outcome").call("""
                {"episodeId": "not-a-uuid", "outcome": {}, "outcomeQuality": 0.5}
                """))
                .isInstanceOf(ToolExecutionException.class)
                .cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("episodeId");

        assertThatThrownBy(() -> tool("recall_similar_situations").call("""
                {"context": {"backlog_size": 3}, "limit": 5000}
                """))
                .isInstanceOf(ToolExecutionException.class)
                .cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("limit");
    }

    private ToolCallback tool(String name) {
        return Arrays.stream(provider.getToolCallbacks()).filter(t -> t.getToolDefinition().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no tool " + name));
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String json) {
        return JSON.readValue(json, Map.class);
    }
}
