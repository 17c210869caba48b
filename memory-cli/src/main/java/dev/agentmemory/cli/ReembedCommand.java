package dev.agentmemory.cli;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.DimensionChange;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreProvider;
import dev.agentmemory.core.AgentMemoryConfig;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory reembed}: moves every vector to the configured embedder. */
@Command(name = "reembed",
        header = "Re-embeds everything after a change of embedding model.", mixinStandardHelpOptions = true,
        description = {"Re-embeds every episode and strategy with the configured embedder, after a change of model.",
                "When the model makes vectors of another size, the store's vector columns are changed to that size "
                + "first. Either way every old vector is dropped at once (vectors of two models cannot be compared) "
                + "and the new model recorded; then the episodes are embedded batch by batch.",
                "Resumable: stopped half-way, the next run finds the new model recorded and embeds only what is "
                + "still pending. --all starts again from the beginning."})
final class ReembedCommand extends MemoryCommand {

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Episodes embedded together (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--all", description = "Drop and recompute every vector even when the recorded model is the "
            + "configured one.")
    boolean all;

    @Override
    boolean checksRecordedModel() {
        return false;
    }

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() {
        Options.range("--batch", batch, 1, 10_000);
        AgentMemoryConfig config = config(b -> { });
        Embedder embedder = createEmbedder(config);
        String model = embedder.modelName();
        int from = embedder.dimensions();
        boolean resized = false;
        try {
            if (context.sharedStores() == null) {
                StoreProvider provider = provider(config);
                if (provider instanceof DimensionChange change) {
                    OptionalInt stored = change.storedDimensions(storeConfig(config, embedder.dimensions(), false));
                    if (stored.isPresent() && stored.getAsInt() != embedder.dimensions()) {
                        from = change.changeDimensions(storeConfig(config, embedder.dimensions(), false), model);
                        resized = true;
                    }
                }
            }
        } catch (RuntimeException e) {
            if (embedder instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        long dropped = 0;
        boolean cleared = resized;
        long episodes;
        long strategies;
        long left;
        try (AgentMemorySystem memory = open(false, b -> b.embedder(embedder))) {
            StoreMaintenance maintenance = maintenance(memory, "re-embed");
            if (!resized && (all || !maintenance.embeddingModel().map(model::equals).orElse(false))) {
                dropped = maintenance.clearEmbeddings(model);
                cleared = true;
            }
            long pending = memory.episodes().countEpisodesPendingEmbedding();
            try (Progress progress = progress("re-embedding", pending)) {
                episodes = Embedding.pendingEpisodes(memory, batch, progress);
            }
            strategies = Embedding.strategiesWithoutVector(memory, maintenance);
            left = memory.episodes().countEpisodesPendingEmbedding();
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("dimensions", embedder.dimensions());
            out.put("previousDimensions", from);
            out.put("droppedVectors", dropped);
            out.put("episodes", episodes);
            out.put("strategies", strategies);
            out.put("pendingEmbedding", left);
            out().println(Json.write(out));
        } else {
            if (resized) {
                out().println("changed the vector size from " + from + " to " + embedder.dimensions()
                        + "; every vector was dropped");
            } else if (cleared) {
                out().println("dropped " + dropped + " vectors of the previous model");
            } else {
                out().println("the stored vectors are " + model + "'s already; embedding what is pending"
                        + " (--all recomputes everything)");
            }
            out().println("re-embedded " + episodes + " episodes and " + strategies + " strategies with " + model
                    + " (" + embedder.dimensions() + " dimensions)" + (left > 0 ? "; " + left + " still pending" : ""));
        }
        out().flush();
        return 0;
    }
}
