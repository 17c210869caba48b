package dev.agentmemory.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The simulated world of the demo: Scrum projects whose sprints go well or badly depending on
 * what the orchestrator decides. Its rules are hidden from the agent; memory has to discover them.
 *
 * <ul>
 *   <li>A sprint started while the team is unavailable fails: almost nothing gets done.</li>
 *   <li>A team completes about {@code team_size × velocity × availability} tasks (available 1.0,
 *       partial 0.6, unavailable 0.1); assigning more leaves work undone, assigning much less
 *       wastes the sprint.</li>
 *   <li>Waiting is right when the backlog is nearly empty or the team is away, and a missed
 *       opportunity otherwise.</li>
 * </ul>
 */
final class ScrumWorld {

    static final String[] AVAILABILITY = {"available", "partial", "unavailable"};

    private final Random random;
    private final Project[] projects;

    ScrumWorld(int projectCount, Random random) {
        this.random = random;
        this.projects = new Project[projectCount];
        for (int i = 0; i < projectCount; i++) {
            int teamSize = 3 + random.nextInt(6);
            double velocity = 1.5 + random.nextInt(16) / 10.0;
            projects[i] = new Project("project-" + (char) ('a' + i % 26) + (i >= 26 ? String.valueOf(i / 26) : ""),
                    teamSize, velocity, 8 + random.nextInt(20));
        }
    }

    Project project(int i) {
        return projects[i];
    }

    int projectCount() {
        return projects.length;
    }

    /** What the orchestrator perceives at the start of a sprint of {@code p}. */
    Map<String, Object> perceive(Project p, int sprint) {
        int roll = random.nextInt(100);
        p.availability = roll < 55 ? "available" : roll < 80 ? "partial" : "unavailable";
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("backlog_tasks", p.backlog);
        s.put("team_size", p.teamSize);
        s.put("team_availability", p.availability);
        s.put("velocity", p.velocity);
        s.put("sprint_number", sprint);
        s.put("blocked_tasks", random.nextInt(3));
        return s;
    }

    /** Plays out a decision; returns the outcome and its quality in [0,1]. */
    Outcome play(Project p, boolean createSprint, int tasksAssigned) {
        double availability = switch (p.availability) {
            case "available" -> 1.0;
            case "partial" -> 0.6;
            default -> 0.1;
        };
        int inflow = 2 + random.nextInt(7);
        if (!createSprint) {
            boolean right = p.backlog < 5 || "unavailable".equals(p.availability);
            p.backlog += inflow;
            double q = right ? 0.6 : 0.3;
            return new Outcome(Map.of("sprint_started", false, "backlog_after", p.backlog), q);
        }
        double capacity = p.teamSize * p.velocity * availability * (0.85 + random.nextDouble() * 0.3);
        int assigned = Math.max(1, Math.min(tasksAssigned, p.backlog));
        int completed = (int) Math.min(assigned, Math.round(capacity));
        double completion = completed / (double) assigned;
        double utilisation = Math.min(1, assigned / Math.max(1, capacity));
        double quality = Math.max(0, Math.min(1, 0.65 * completion + 0.35 * utilisation));
        if ("unavailable".equals(p.availability)) {
            quality = Math.min(quality, 0.15);
        }
        p.backlog = Math.max(0, p.backlog - completed) + inflow;
        return new Outcome(Map.of("sprint_started", true, "tasks_assigned", assigned, "tasks_completed", completed,
                "completion_rate", Math.round(completion * 100) / 100.0), Math.round(quality * 1000) / 1000.0);
    }

    record Outcome(Map<String, Object> outcome, double quality) {
    }

    static final class Project {
        final String id;
        final int teamSize;
        final double velocity;
        int backlog;
        String availability = "available";

        Project(String id, int teamSize, double velocity, int backlog) {
            this.id = id;
            this.teamSize = teamSize;
            this.velocity = velocity;
            this.backlog = backlog;
        }
    }
}
