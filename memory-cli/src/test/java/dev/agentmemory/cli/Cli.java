package dev.agentmemory.cli;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.core.Providers;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * Runs the command line in process, as {@code agent-memory} would, against one in-memory store that
 * lives as long as this object: the stores an in-memory process would open and lose, kept so that
 * a test can run several commands on them and look at what they did.
 */
final class Cli {

    /** The local model, loaded once for every test. */
    static final Embedder MODEL = Providers.embedder("onnx").create(EmbedderConfig.ofDefaults());

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }
    }

    private final @Nullable MemoryStores stores;
    private final Map<String, String> env = new HashMap<>();

    private Cli(int dimensions) {
        stores = Providers.store("inmemory").open(StoreConfig.builder().dimensions(dimensions).build());
        env.put("COLUMNS", "160");
    }

    private Cli() {
        stores = null;
        env.put("COLUMNS", "160");
    }

    /** @return a command line that opens the configured store itself, as the process does */
    static Cli unshared() {
        return new Cli();
    }

    /** @return a command line on a fresh in-memory store for vectors of the given size */
    static Cli projected(int dimensions) {
        return new Cli(dimensions);
    }

    /** @return a command line on a fresh in-memory store for the local model's vectors */
    static Cli inMemory() {
        return new Cli(MODEL.dimensions());
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    MemoryStores stores() {
        return stores;
    }

    StoreMaintenance maintenance() {
        return (StoreMaintenance) stores;
    }

    Run run(String... args) {
        return runWithInput("", args);
    }

    Run runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = AgentMemoryCli.commandLine(new CliContext(env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), stores));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Stores an episode with the local model's vector, as rememberDecision would. */
    Episode remember(Episode episode) {
        stores.episodes().storeEpisode(episode, new EpisodeEmbedder(MODEL).embedEpisode(episode));
        return episode;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static Episode sprint(String project, String sprint, int backlog, boolean created, Instant at) {
        return Episode.builder(project)
                .episodeId(java.util.UUID.randomUUID())
                .sprintId(sprint)
                .timestamp(at)
                .perception(Map.of("backlog_tasks", backlog, "team_availability", created ? "available" : "on leave"))
                .reasoning(Map.of("why", created ? "enough work and people" : "team away"))
                .action(ordered("sprint_created", created, "tasks_assigned", created ? backlog / 2 : 0))
                .build();
    }
}
