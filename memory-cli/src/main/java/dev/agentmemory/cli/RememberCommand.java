package dev.agentmemory.cli;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-memory remember}: stores episodes given as JSON or JSON lines. */
@Command(name = "remember",
        header = "Stores episodes given as JSON or JSON lines.", mixinStandardHelpOptions = true,
        description = {"Remembers decisions: episodes as one JSON object, a JSON array or JSON lines, from a file or "
                + "standard input. Fields as 'export' writes them: projectId, perception, reasoning and action are "
                + "required; timestamp (ISO-8601), outcome, outcomeQuality, sprintId, episodeId and the rest are "
                + "optional.",
                "Every episode is checked before any is stored: one bad episode stores none. An episode whose id is "
                + "already stored is left as it is."})
final class RememberCommand extends MemoryCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
            description = "The episodes; - (the default) reads standard input.")
    String file;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Episodes embedded and stored together (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        Options.range("--batch", batch, 1, 10_000);
        String source = Inputs.name(file);
        List<Episode> episodes = new ArrayList<>();
        List<Json.Located> values;
        try (BufferedReader in = Inputs.open(file, context)) {
            values = Json.readValues(source, in);
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot be read: " + e.getMessage());
        }
        for (Json.Located v : values) {
            episodes.add(Json.convert(v, Episode.class, source));
        }
        if (episodes.isEmpty()) {
            throw new InvalidInputException(source, "holds no episode");
        }
        List<UUID> ids = new ArrayList<>(episodes.size());
        long pending;
        try (AgentMemorySystem memory = open()) {
            long pendingBefore = memory.episodes().countEpisodesPendingEmbedding();
            // A bar only when there is more than one batch to wait for.
            try (Progress progress = progress("remembering", episodes.size() > batch ? episodes.size() : 0)) {
                for (int from = 0; from < episodes.size(); from += batch) {
                    ids.addAll(memory.rememberDecisions(episodes.subList(from, Math.min(episodes.size(), from + batch))));
                    if (episodes.size() > batch) {
                        progress.update(ids.size());
                    }
                }
            }
            pending = Math.max(0, memory.episodes().countEpisodesPendingEmbedding() - pendingBefore);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("remembered", ids.size());
            out.put("pendingEmbedding", pending);
            out.put("ids", ids);
            out().println(Json.writePretty(out));
        } else {
            Table table = new Table("episode", "project", "sprint", "decision");
            for (int i = 0; i < ids.size(); i++) {
                Episode e = episodes.get(i);
                table.row(ids.get(i), e.projectId(), Format.orDash(e.sprintId()), Format.decision(e));
            }
            table.print(out(), width());
            out().println("remembered " + ids.size() + " episodes" + (pending > 0
                    ? ", " + pending + " waiting for an embedding (the embedder failed; run 'agent-memory backfill')" : ""));
        }
        out().flush();
        return 0;
    }
}
