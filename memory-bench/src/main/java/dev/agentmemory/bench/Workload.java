package dev.agentmemory.bench;

import dev.agentmemory.api.Episode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Episodes as an orchestrator writes them: a situation of numbers and states (the generator of
 * {@link RetrievalQualityBenchmark}), a reasoning summary with details, an action and often a
 * sprint. Every episode's text differs, so no embedding cache answers for the model.
 */
final class Workload {

    private static final String[] RISKS = {"none", "scope creep", "a key developer on leave", "an external dependency",
        "flaky integration tests", "an unclear requirement"};

    private Workload() {
    }

    static String project(int code) {
        return "project-" + code;
    }

    /** @return a situation an agent perceives */
    static Map<String, Object> situation(Random r) {
        return RetrievalQualityBenchmark.situation(r);
    }

    /**
     * @param project the project
     * @param r the randomness
     * @return a new decision, without id
     */
    static Episode episode(String project, Random r) {
        Map<String, Object> situation = situation(r);
        int backlog = (int) situation.get("backlog_tasks");
        int team = (int) situation.get("team_size");
        boolean create = backlog >= 10 && !"unavailable".equals(situation.get("team_availability"));
        int tasks = create ? Math.min(backlog, team * (2 + r.nextInt(3))) : 0;
        Map<String, Object> reasoning = new LinkedHashMap<>();
        reasoning.put("summary", create
                ? "backlog of " + backlog + " tasks and a team of " + team + " ready: start a sprint with " + tasks + " tasks"
                : "backlog of " + backlog + " tasks is too small or the team is away: wait");
        reasoning.put("risk", RISKS[r.nextInt(RISKS.length)]);
        reasoning.put("confidence", Math.round(r.nextDouble() * 100) / 100.0);
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("sprint_created", create);
        action.put("tasks_assigned", tasks);
        if (create) {
            action.put("sprint_length_days", 7 + 7 * r.nextInt(2));
        }
        return Episode.builder(project)
                .timestamp(Instant.now().minusSeconds(r.nextInt(86_400 * 30)))
                .perception(situation)
                .reasoning(reasoning)
                .action(action)
                .sprintId(create ? "sprint-" + situation.get("sprint_number") : null)
                .build();
    }

    /** @return {@code count} episodes over {@code projects} projects, round robin */
    static List<Episode> episodes(int count, int projects, Random r) {
        List<Episode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(episode(project(i % projects), r));
        }
        return out;
    }

    /** @return an outcome of a decision */
    static Map<String, Object> outcome(Random r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("completed_tasks", r.nextInt(20));
        o.put("carried_over", r.nextInt(5));
        o.put("team_morale", r.nextBoolean() ? "good" : "strained");
        return o;
    }
}
