package dev.agentmemory.cli.demo;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated world for an agent to decide in: situations, the actions possible in each, and how
 * good an action turns out. Its rules are hidden from the agent, which sees only the situation, the
 * possible actions and the outcome: memory has to discover the rest.
 */
public interface World {

    /** @return the world's name, as {@code --world} takes it */
    String name();

    /** @return what the world is, in a line */
    String description();

    /** @return the action field that names the decision in an episode's summary, for display */
    String headline();

    /** @return how many projects (teams, sites, services) the world has */
    int projects();

    /** @return the id of a project */
    String projectId(int project);

    /**
     * @param project the project
     * @param step the how-manyth decision of that project, from 1
     * @param random the world's randomness
     * @return what the agent perceives
     */
    Map<String, Object> perceive(int project, int step, Random random);

    /**
     * @param situation a situation
     * @return every action the agent may take in it (what it can do, not what is good)
     */
    List<Map<String, Object>> options(Map<String, Object> situation);

    /**
     * @param situation a situation
     * @param action one of its options
     * @return the quality the action earns on average, in [0,1]
     */
    double expectedQuality(Map<String, Object> situation, Map<String, Object> action);

    /** @return how much an outcome's quality varies around its expectation */
    double noise();

    /**
     * @param situation a situation
     * @param action one of its options
     * @param random the world's randomness
     * @return what happened, with its quality
     */
    default Outcome play(Map<String, Object> situation, Map<String, Object> action, Random random) {
        double q = expectedQuality(situation, action) + noise() * random.nextGaussian();
        q = Math.round(Math.max(0, Math.min(1, q)) * 1000) / 1000.0;
        return new Outcome(Map.of("quality", q, "good", q >= 0.5), q);
    }

    /** @return the rules that decide the world, as a reader would write them, for judging what was learned */
    List<HiddenRule> hiddenRules();

    /**
     * What happened after a decision.
     *
     * @param outcome what the agent observes
     * @param quality how good, in [0,1]
     */
    record Outcome(Map<String, Object> outcome, double quality) {
    }

    /**
     * A rule of the world.
     *
     * @param condition where it holds, in the condition language
     * @param field the action field it decides
     * @param value the right value there; for a number, the middle of the right range
     * @param words the rule in plain words
     */
    record HiddenRule(String condition, String field, Object value, String words) {
    }

    /** @return the worlds the demo knows, by name */
    static List<String> names() {
        return List.of("scrum", "oncall", "inventory");
    }

    /**
     * @param name a world's name
     * @param projects how many projects
     * @param random the randomness that sets the projects up
     * @return the world
     * @throws dev.agentmemory.api.InvalidInputException for an unknown name
     */
    static World named(String name, int projects, Random random) {
        return switch (name) {
            case "scrum" -> new ScrumWorld(projects, random);
            case "oncall" -> new OnCallWorld(projects);
            case "inventory" -> new InventoryWorld(projects);
            default -> throw new dev.agentmemory.api.InvalidInputException("--world",
                    "'" + name + "' is not a world; the worlds are " + String.join(", ", names()));
        };
    }

    /** @return the best quality reachable in a situation, with its action */
    default Map.Entry<Map<String, Object>, Double> best(Map<String, Object> situation) {
        Map<String, Object> best = null;
        double q = -1;
        for (Map<String, Object> a : options(situation)) {
            double e = expectedQuality(situation, a);
            if (e > q) {
                q = e;
                best = a;
            }
        }
        return Map.entry(best, q);
    }
}
