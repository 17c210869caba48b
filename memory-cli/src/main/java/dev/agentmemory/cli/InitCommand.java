package dev.agentmemory.cli;

import dev.agentmemory.core.AgentMemorySystem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory init}: creates the schema, or upgrades it to this version. */
@Command(name = "init",
        header = "Creates or upgrades the store's schema.", mixinStandardHelpOptions = true,
        description = {"Creates the store's schema for the embedder's vector size, or upgrades it; a second run "
                + "changes nothing. The other commands never change the schema.",
                "The in-memory store keeps nothing between runs, so there is nothing to create."})
final class InitCommand extends MemoryCommand {

    @Option(names = "--partitions", paramLabel = "N",
            description = "PostgreSQL: hash-partition agent_episodes by project into N partitions (the store property "
                    + "schema.partitions); an existing table's rows are moved, resumably, with progress on standard "
                    + "error. 0 keeps one table.")
    @Nullable Integer partitions;

    @Override
    public Integer call() {
        try (AgentMemorySystem memory = open(true, b -> {
            if (partitions != null) {
                b.storeProperty("schema.partitions", Integer.toString(partitions));
            }
        })) {
            String version = memory.maintenance().flatMap(m -> m.schemaVersion()).orElse(null);
            int dimensions = memory.episodes().dimensions();
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("store", memory.describe());
                out.put("schemaVersion", version);
                out.put("dimensions", dimensions);
                out.put("embedder", memory.embedder().modelName());
                out().println(Json.writePretty(out));
            } else if (version == null) {
                out().println("no schema to create or upgrade: " + memory.describe());
            } else {
                out().println("schema at version " + version + " for " + dimensions + "-dimensional vectors: "
                        + memory.describe());
            }
        }
        out().flush();
        return 0;
    }
}
