package dev.agentmemory.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Scrum projects whose sprints go well or badly depending on what the orchestrator decides.
 *
 * <ul>
 *   <li>A sprint started while the team is unavailable fails: almost nothing gets done.</li>
 *   <li>A sprint for a backlog of fewer than 5 tasks wastes the ceremonies: better to wait.</li>
 *   <li>A team completes about {@code team_size × velocity × availability} tasks (available 1.0,
 *       partial 0.6); assigning more leaves work undone, assigning much less wastes the sprint.</li>
 * </ul>
 */
public final class ScrumWorld implements World {

    private final int[] teamSize;
    private final double[] velocity;

    /**
     * @param projects how many projects
     * @param random sets up each project's team and velocity
     */
    public ScrumWorld(int projects, Random random) {
        teamSize = new int[projects];
        velocity = new double[projects];
        for (int i = 0; i < projects; i++) {
            teamSize[i] = 3 + random.nextInt(6);
            velocity[i] = 1.5 + random.nextInt(16) / 10.0;
        }
    }

    @Override
    public String name() {
        return "scrum";
    }

    @Override
    public String description() {
        return "Scrum projects: start a sprint or wait, and how many tasks to assign";
    }

    @Override
    public String headline() {
        return "sprint_created";
    }

    @Override
    public int projects() {
        return teamSize.length;
    }

    @Override
    public String projectId(int i) {
        return "project-" + (char) ('a' + i % 26) + (i >= 26 ? String.valueOf(i / 26) : "");
    }

    @Override
    public Map<String, Object> perceive(int project, int step, Random random) {
        int roll = random.nextInt(100);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("backlog_tasks", random.nextInt(100) < 20 ? random.nextInt(5) : 5 + random.nextInt(30));
        s.put("team_size", teamSize[project]);
        s.put("team_availability", roll < 55 ? "available" : roll < 80 ? "partial" : "unavailable");
        s.put("velocity", velocity[project]);
        s.put("sprint_number", step);
        s.put("blocked_tasks", random.nextInt(3));
        return s;
    }

    @Override
    public List<Map<String, Object>> options(Map<String, Object> s) {
        int backlog = (Integer) s.get("backlog_tasks");
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(action(false, 0));
        for (int t = 2; t <= Math.min(backlog, 30); t += 2) {
            out.add(action(true, t));
        }
        if (backlog > 0 && backlog % 2 == 1 && backlog <= 30) {
            out.add(action(true, backlog));
        }
        return out;
    }

    private static Map<String, Object> action(boolean sprint, int tasks) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("sprint_created", sprint);
        a.put("tasks_assigned", tasks);
        return a;
    }

    @Override
    public double expectedQuality(Map<String, Object> s, Map<String, Object> a) {
        int backlog = (Integer) s.get("backlog_tasks");
        String availability = (String) s.get("team_availability");
        boolean sprint = Boolean.TRUE.equals(a.get("sprint_created"));
        if (!sprint) {
            return backlog < 5 || "unavailable".equals(availability) ? 0.7 : 0.3;
        }
        if ("unavailable".equals(availability)) {
            return 0.1;
        }
        double factor = "available".equals(availability) ? 1.0 : 0.6;
        double capacity = (Integer) s.get("team_size") * ((Number) s.get("velocity")).doubleValue() * factor;
        int assigned = Math.max(1, ((Number) a.get("tasks_assigned")).intValue());
        double completion = Math.min(assigned, capacity) / assigned;
        double utilisation = Math.min(1, assigned / capacity);
        double q = 0.65 * completion + 0.35 * utilisation;
        return backlog < 5 ? Math.min(q, 0.45) : q;
    }

    @Override
    public double noise() {
        return 0.05;
    }

    @Override
    public List<HiddenRule> hiddenRules() {
        return List.of(
                new HiddenRule("team_availability is 'unavailable'", "sprint_created", false,
                        "do not start a sprint while the team is unavailable"),
                new HiddenRule("backlog_tasks < 5", "sprint_created", false,
                        "do not start a sprint for fewer than 5 tasks"),
                new HiddenRule("team_availability is not 'unavailable' and backlog_tasks >= 5", "sprint_created", true,
                        "otherwise start one"));
    }
}
