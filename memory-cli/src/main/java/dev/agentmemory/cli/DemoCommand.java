package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.cli.demo.OrchestratorDemo;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-memory demo}: an orchestrator at work on several Scrum projects over many sprints,
 * on the embedded default (in-memory store, local model, no server) unless told otherwise.
 */
@Command(name = "demo",
        header = "Simulates an orchestrator that learns from its memory.", mixinStandardHelpOptions = true,
        description = {"Simulates an orchestrator running Scrum projects: each sprint it perceives, recalls similar "
                + "situations, consults learned strategies, decides, remembers and records the outcome.",
                "Ends with how decision quality moved as memory grew, the strategies learned, an example recall "
                + "and the timings. The same seed prints the same numbers, timings aside."})
public final class DemoCommand extends MemoryCommand {

    @Option(names = "--projects", paramLabel = "N", defaultValue = "8", description = "Projects to simulate (default ${DEFAULT-VALUE}).")
    int projects;

    @Option(names = "--sprints", paramLabel = "N", defaultValue = "40", description = "Sprints per project (default ${DEFAULT-VALUE}).")
    int sprints;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the simulation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-timings", description = "Leave out the timings, so two runs print the same text.")
    boolean noTimings;

    @Override
    public Integer call() {
        if (projects < 1 || projects > 200) {
            throw new InvalidInputException("--projects", projects + " is outside 1 to 200");
        }
        if (sprints < 1 || sprints > 1000) {
            throw new InvalidInputException("--sprints", sprints + " is outside 1 to 1000");
        }
        PrintWriter out = out();
        long t0 = System.nanoTime();
        // The demo creates the schema it needs on PostgreSQL; it refuses a memory that holds anything.
        try (AgentMemorySystem memory = open(true, b -> { })) {
            if (memory.episodes().countEpisodes(null) > 0) {
                throw new InvalidInputException("--store", "the demo needs an empty memory, and "
                        + memory.describe() + " already holds " + memory.episodes().countEpisodes(null)
                        + " episodes; point it at a fresh database or schema");
            }
            out.printf(Locale.ROOT, "agent-memory demo: %d projects x %d sprints, seed %d%n", projects, sprints, seed);
            out.println("memory: " + memory.describe());
            // Load the model now, so its one-off start-up is not counted as the first decision.
            long m0 = System.nanoTime();
            memory.embedder().embed("warm up");
            if (!noTimings) {
                out.printf(Locale.ROOT, "local model ready in %.1f s%n", (System.nanoTime() - m0) / 1e9);
            }
            OrchestratorDemo demo = new OrchestratorDemo(memory, projects, sprints, seed);
            OrchestratorDemo.Report report;
            try (Progress progress = progress("simulating", (long) projects * sprints)) {
                report = demo.run(progress::update);
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
