package com.example.planner;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;

@SpringBootApplication
public class PlannerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlannerApplication.class, args);
    }

    @Service
    public static class SprintPlanner {
        private final AgentMemorySystem memory;

        public SprintPlanner(AgentMemorySystem memory) {   // the starter's bean
            this.memory = memory;
        }

        public UUID decide(String project, Map<String, Object> situation) {
            List<Episode> similar = memory.recallSimilarSituations(situation, project, 5);
            boolean create = similar.isEmpty() || similar.get(0).outcomeQuality() == null
                    || similar.get(0).outcomeQuality() >= 0.5;
            return memory.rememberDecision(Episode.builder(project)
                    .perception(situation)
                    .reasoning(Map.of("similar_situations", similar.size()))
                    .action(Map.of("sprint_created", create))
                    .build());
        }

        public void outcome(UUID decision, double quality) {
            memory.recordOutcome(decision, Map.of("velocity_ok", quality >= 0.5), quality);
        }
    }
}
