package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.cli.demo.OrchestratorDemo;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-memory demo}: an orchestrator at work on several Scrum projects over many sprints,
 * on the embedded default (in-memory store, local model, no server) unless told otherwise.
 */
@Command(name = "demo",
        header = "Plays a world side by side without memory and with memory.", mixinStandardHelpOptions = true,
        description = {"Plays one world (Scrum projects by default) twice on the same situations: an agent without "
                + "memory picks among its options at random; an agent with memory decides from the strategies the "
                + "library learns (consolidate) and the advice on similar situations (advise), exploring now and then.",
                "Ends with decision quality over time for both, the rules learned in plain words next to the world's "
                + "hidden rules, an example of advice and the timings. The same seed prints the same numbers, "
                + "timings aside. With --json, the same as one JSON object."})
public final class DemoCommand extends MemoryCommand {

    @Option(names = "--projects", paramLabel = "N", defaultValue = "8", description = "Projects to simulate (default ${DEFAULT-VALUE}).")
    int projects;

    @Option(names = "--sprints", paramLabel = "N", defaultValue = "40",
            description = "Decisions per project: sprints, incidents, weeks (default ${DEFAULT-VALUE}).")
    int sprints;

    @Option(names = "--world", paramLabel = "NAME", defaultValue = "scrum",
            description = "The world: scrum, oncall or inventory (default ${DEFAULT-VALUE}).")
    String world;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the simulation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-timings", description = "Leave out the timings, so two runs print the same text.")
    boolean noTimings;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() {
        if (projects < 1 || projects > 200) {
            throw new InvalidInputException("--projects", projects + " is outside 1 to 200");
        }
        if (sprints < 1 || sprints > 1000) {
            throw new InvalidInputException("--sprints", sprints + " is outside 1 to 1000");
        }
        if (!dev.agentmemory.cli.demo.World.names().contains(world)) {
            throw new InvalidInputException("--world", "'" + world + "' is not a world; the worlds are "
                    + String.join(", ", dev.agentmemory.cli.demo.World.names()));
        }
        PrintWriter out = out();
        long t0 = System.nanoTime();
        // Like every command but init, the demo leaves the schema as it finds it (on PostgreSQL, run
        // 'init' first); it refuses a memory that holds anything.
        try (AgentMemorySystem memory = open()) {
            if (memory.episodes().countEpisodes(null) > 0) {
                throw new InvalidInputException("--store", "the demo needs an empty memory, and "
                        + memory.describe() + " already holds " + memory.episodes().countEpisodes(null)
                        + " episodes; point it at a fresh database or schema");
            }
            OrchestratorDemo demo = new OrchestratorDemo(memory, world, projects, sprints, seed);
            if (!json) {
                out.printf(Locale.ROOT, "agent-memory demo: world %s, %d projects x %d decisions, seed %d%n", world,
                        projects, sprints, seed);
                out.println("memory: " + memory.describe());
            }
            // Load the model now, so its one-off start-up is not counted as the first decision.
            long m0 = System.nanoTime();
            memory.embedder().embed("warm up");
            double modelSeconds = (System.nanoTime() - m0) / 1e9;
            if (!noTimings && !json) {
                out.printf(Locale.ROOT, "local model ready in %.1f s%n", modelSeconds);
            }
            OrchestratorDemo.Report report;
            try (Progress progress = progress("simulating " + world, (long) projects * sprints)) {
                report = demo.run(progress::update);
            }
            if (json) {
                // One object on standard output, the progress on standard error: a script reads the run.
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("memory", memory.describe());
                summary.putAll(report.summary(!noTimings));
                if (!noTimings) {
                    summary.put("modelReadySeconds", Math.round(modelSeconds * 1000) / 1000.0);
                    summary.put("totalSeconds", Math.round((System.nanoTime() - t0) / 1e6) / 1000.0);
                }
                out.println(Json.writePretty(summary));
                out.flush();
                return 0;
            }
            report.print(out, !noTimings);
        }
        out.flush();
        if (!noTimings) {
            out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            out.flush();
        }
        return 0;
    }
}
