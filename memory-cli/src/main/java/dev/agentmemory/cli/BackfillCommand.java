package dev.agentmemory.cli;

import dev.agentmemory.core.AgentMemorySystem;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory backfill}: embeds the episodes stored without a vector. */
@Command(name = "backfill",
        header = "Embeds the episodes stored without a vector.", mixinStandardHelpOptions = true,
        description = "Embeds the episodes stored without a vector (the embedder was down when they were remembered, "
                + "or they were imported without one). Can be stopped and run again: it continues.")
final class BackfillCommand extends MemoryCommand {

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Episodes embedded together (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() {
        Options.range("--batch", batch, 1, 10_000);
        long done;
        long left;
        try (AgentMemorySystem memory = open()) {
            long pending = memory.episodes().countEpisodesPendingEmbedding();
            try (Progress progress = progress("embedding", pending)) {
                done = Embedding.pendingEpisodes(memory, batch, progress);
            }
            left = memory.episodes().countEpisodesPendingEmbedding();
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("embedded", done);
            out.put("pendingEmbedding", left);
            out().println(Json.write(out));
        } else {
            out().println("embedded " + done + " episodes" + (left > 0 ? "; " + left + " still pending" : ""));
        }
        out().flush();
        return 0;
    }
}
