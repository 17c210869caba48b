package dev.agentmemory.cli;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** @return "N episodes already stored, left unchanged: id, id, ... and M more" */
    static String alreadyStored(List<UUID> ids) {
        int shown = Math.min(ids.size(), 10);
        StringBuilder b = new StringBuilder().append(ids.size())
                .append(ids.size() == 1 ? " episode" : " episodes").append(" already stored, left unchanged: ");
        for (int i = 0; i < shown; i++) {
            b.append(i > 0 ? ", " : "").append(ids.get(i));
        }
        if (ids.size() > shown) {
            b.append(" and ").append(ids.size() - shown).append(" more");
        }
        return b.toString();
    }

    @Override
    boolean writes() {
        return true;
    }

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
        // Ids are given here, so that what was stored can be told from what was there already.
        for (int i = 0; i < episodes.size(); i++) {
            if (episodes.get(i).episodeId() == null) {
                episodes.set(i, episodes.get(i).withEpisodeId(UUID.randomUUID()));
            }
        }
        Set<UUID> written = new HashSet<>();
        long pending;
        try (AgentMemorySystem memory = open()) {
            long pendingBefore = memory.episodes().countEpisodesPendingEmbedding();
            // A bar only when there is more than one batch to wait for.
            try (Progress progress = progress("remembering", episodes.size() > batch ? episodes.size() : 0)) {
                for (int from = 0; from < episodes.size(); from += batch) {
                    int to = Math.min(episodes.size(), from + batch);
                    written.addAll(memory.rememberDecisionsIfAbsent(episodes.subList(from, to)));
                    if (episodes.size() > batch) {
                        progress.update(to);
                    }
                }
            }
            pending = Math.max(0, memory.episodes().countEpisodesPendingEmbedding() - pendingBefore);
        }
        List<Episode> stored = new ArrayList<>();
        List<UUID> unchanged = new ArrayList<>();
        for (Episode e : episodes) {
            if (written.remove(e.episodeId())) {
                stored.add(e);
            } else {
                unchanged.add(e.episodeId());
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("remembered", stored.size());
            out.put("pendingEmbedding", pending);
            out.put("ids", stored.stream().map(Episode::episodeId).toList());
            out.put("alreadyStored", unchanged);
            out().println(Json.writePretty(out));
        } else {
            if (!stored.isEmpty()) {
                Table table = new Table("episode", "project", "sprint", "decision");
                for (Episode e : stored) {
                    table.row(e.episodeId(), e.projectId(), Format.orDash(e.sprintId()), Format.decision(e));
                }
                table.print(out(), width());
            }
            out().println("remembered " + stored.size() + " episodes" + (pending > 0
                    ? ", " + pending + " waiting for an embedding (the embedder failed; run 'agent-memory backfill')" : ""));
            if (!unchanged.isEmpty()) {
                out().println(alreadyStored(unchanged));
            }
        }
        out().flush();
        return 0;
    }
}
