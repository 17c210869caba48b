package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.planner.PlannerApplication;
import com.example.planner.PlannerApplication.SprintPlanner;
import dev.agentmemory.core.AgentMemorySystem;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The README's application with the in-memory store: the starter's memory behind the application's
 * own service, its health contributor and its meters, as the actuator serves them.
 */
@SpringBootTest(classes = PlannerApplication.class, properties = {
        "agent-memory.store=inmemory",
        // no database in this test: the application has no DataSource
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class InMemoryApplicationTest {

    @Autowired
    SprintPlanner planner;

    @Autowired
    AgentMemorySystem memory;

    @Autowired
    HealthContributorRegistry health;

    @Autowired
    MeterRegistry registry;

    @Test
    void thePlannerRecallsWhatItRememberedThroughTheStartersMemory() {
        String project = "inmem-" + UUID.randomUUID();
        Map<String, Object> situation = Map.of("backlog_size", 40, "team_velocity", 18, "days_left", 2);
        UUID first = planner.decide(project, situation);
        planner.outcome(first, 0.2);
        UUID second = planner.decide(project, situation);

        assertThat(memory.episodes().getEpisodesByProject(project, 10, null)).hasSize(2);
        // The second decision saw the first, bad one, and so created no sprint.
        assertThat(memory.episodes().getEpisodeById(second).orElseThrow().reasoning())
                .containsEntry("similar_situations", 1);
        assertThat(memory.episodes().getEpisodeById(second).orElseThrow().action())
                .containsEntry("sprint_created", false);
    }

    @Test
    void theHealthContributorAgentMemoryIsUpAndNamesStoreAndEmbedder() {
        Health h = ((HealthIndicator) health.getContributor("agentMemory")).health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("store", "inmemory")
                .containsEntry("embedder", memory.embedder().modelName());
    }

    @Test
    void rememberAndRecallAreMeasuredWithStoreAndEmbedderTags() {
        String model = memory.embedder().modelName();
        double remembered = count(MetersOf.REMEMBER, model);
        double recalled = count(MetersOf.RECALL, model);

        planner.decide("meters-" + UUID.randomUUID(), Map.of("backlog_size", 7, "days_left", 9));

        assertThat(count(MetersOf.REMEMBER, model)).isEqualTo(remembered + 1);
        assertThat(count(MetersOf.RECALL, model)).isEqualTo(recalled + 1);
        // Other tests of this context store episodes without vectors: the gauge counts what the store holds.
        assertThat(registry.get("agent.memory.embeddings.pending").tag("store", "inmemory").gauge().value())
                .isEqualTo((double) memory.episodes().countEpisodesPendingEmbedding());
        assertThat(registry.get("agent.memory.embedding").tag("embedder", model).timer().count()).isPositive();
    }

    private double count(String name, String model) {
        return registry.find(name).tag("store", "inmemory").tag("embedder", model).timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    /** The meter names of the contract. */
    static final class MetersOf {
        static final String REMEMBER = "agent.memory.remember";
        static final String RECALL = "agent.memory.recall";

        private MetersOf() {
        }
    }
}
