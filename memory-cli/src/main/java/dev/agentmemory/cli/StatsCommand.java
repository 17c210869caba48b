package dev.agentmemory.cli;

import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;

/** {@code agent-memory stats}: what the store holds. */
@Command(name = "stats",
        header = "Shows what the store holds.", mixinStandardHelpOptions = true,
        description = "Shows what the store holds: episodes per project, episodes waiting for an embedding, "
                + "strategies, the schema version, the embedder and its vector size, and the model the stored "
                + "vectors were made with when recorded.")
final class StatsCommand extends MemoryCommand {

    private static final int PAGE = 1_000;

    // Stats ask the embedder when it answers, to show its size beside the store's (and say which
    // command fixes a mismatch); they show the recorded model rather than refuse another one.
    @Override
    boolean checksRecordedModel() {
        return false;
    }

    @Override
    public Integer call() {
        Map<String, Object> stats = new LinkedHashMap<>();
        try (AgentMemorySystem memory = open()) {
            StoreMaintenance maintenance = maintenance(memory, "count episodes per project");
            stats.put("store", memory.describe());
            stats.put("schemaVersion", maintenance.schemaVersion().orElse(null));
            // Stats need no embedder: one that is down is shown as such, not asked again and again.
            stats.put("embedder", memory.embedder().healthCheck() ? memory.embedder().modelName() : null);
            stats.put("dimensions", memory.embedder().dimensions());
            stats.put("vectorsMadeBy", maintenance.embeddingModel().orElse(null));
            stats.put("episodes", memory.episodes().countEpisodes(null));
            stats.put("pendingEmbedding", memory.episodes().countEpisodesPendingEmbedding());
            long active = 0;
            long total = 0;
            if (memory.hasKnowledge()) {
                UUID after = null;
                List<StoredStrategy> page;
                do {
                    page = maintenance.readStrategies(after, PAGE);
                    for (StoredStrategy s : page) {
                        total++;
                        active += s.strategy().active() ? 1 : 0;
                        after = s.strategy().knowledgeId();
                    }
                } while (page.size() == PAGE);
            }
            stats.put("strategies", total);
            stats.put("activeStrategies", active);
            stats.put("projects", maintenance.countEpisodesByProject());
        }
        if (json) {
            out().println(Json.writePretty(stats));
        } else {
            Table summary = new Table("", "");
            summary.row("store", stats.get("store"));
            summary.row("schema version", stats.get("schemaVersion") == null ? "n/a" : stats.get("schemaVersion"));
            summary.row("embedder", stats.get("embedder") == null
                    ? "not reachable (the store holds vectors of " + stats.get("dimensions") + " dimensions)"
                    : stats.get("embedder") + " (" + stats.get("dimensions") + " dimensions)");
            summary.row("vectors made by", stats.get("vectorsMadeBy") == null
                    ? "(not recorded; 'agent-memory reembed' records it)" : stats.get("vectorsMadeBy"));
            summary.row("episodes", stats.get("episodes") + ", " + stats.get("pendingEmbedding") + " pending embedding");
            summary.row("strategies", stats.get("activeStrategies") + " active of " + stats.get("strategies"));
            summary.printWithoutHeader(out(), width());
            @SuppressWarnings("unchecked")
            Map<String, Long> projects = (Map<String, Long>) stats.get("projects");
            if (!projects.isEmpty()) {
                out().println();
                Table perProject = new Table("project", "episodes>");
                projects.forEach(perProject::row);
                perProject.print(out(), width());
            }
        }
        out().flush();
        return 0;
    }
}
