package dev.agentmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.StorageException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-memory import}: reads what {@code export} wrote, into any store. */
@Command(name = "import",
        header = "Imports what export wrote, into any store.", mixinStandardHelpOptions = true,
        description = {"Imports JSON lines written by 'export' (from any store) into this one: episodes with every "
                + "field and id kept, strategies with their evidence.",
                "The stored vectors are used when they fit this memory's embedder (same size and model); otherwise "
                + "the import stops before writing anything unless --reembed computes new ones.",
                "The whole input is checked before anything is written. Episodes already stored (same id) are left "
                + "as they are, so an interrupted import can be run again."})
final class ImportCommand extends MemoryCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
            description = "The export; - (the default) reads standard input.")
    String file;

    @Option(names = "--reembed", description = "Compute every vector with this memory's embedder instead of "
            + "using the stored ones.")
    boolean reembed;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
            description = "Episodes stored together (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() throws IOException {
        Options.range("--batch", batch, 1, 10_000);
        String source = Inputs.name(file);
        Path input = null;
        Path copy = null;
        try {
            if (file.equals("-")) {
                // Read twice, once to check and once to write: standard input is kept for the second time.
                copy = Files.createTempFile("agent-memory-import", ".jsonl");
                try (InputStream in = context.stdin()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                input = copy;
            } else {
                input = Inputs.checkReadable(file);
            }
            return importFrom(input, source);
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    private int importFrom(Path input, String source) {
        Counts counts = new Counts();
        try (AgentMemorySystem memory = open()) {
            int dimensions = memory.embedder().dimensions();
            String model = memory.embedder().modelName();
            // First pass: every line is read and checked; nothing is written.
            read(input, source, (where, line) -> {
                check(where, line, dimensions, model);
                if (line.strategy() != null && !memory.hasKnowledge()) {
                    throw new ConfigurationException("the input holds strategies and " + memory.describe()
                            + " has no knowledge store");
                }
                counts.lines++;
            });
            if (counts.lines == 0) {
                throw new InvalidInputException(source, "holds nothing to import");
            }
            List<Episode> episodes = new ArrayList<>(batch);
            List<float @Nullable []> vectors = new ArrayList<>(batch);
            try (Progress progress = progress("importing", counts.lines)) {
                read(input, source, (where, line) -> {
                    if (line.episode() != null) {
                        Episode e = line.episode();
                        // An id given here tells what was stored from what was there already.
                        episodes.add(e.episodeId() != null ? e : e.withEpisodeId(java.util.UUID.randomUUID()));
                        vectors.add(reembed ? null : line.embedding());
                        if (episodes.size() == batch) {
                            store(memory, episodes, vectors, counts);
                        }
                    } else {
                        Strategy s = Objects.requireNonNull(line.strategy(), "a line that is not an episode is a strategy");
                        float[] vector = reembed
                                ? (s.description().isBlank() ? null : memory.embedder().embed(s.description()))
                                : line.embedding();
                        memory.knowledge().storeStrategy(s, vector);
                        counts.strategies++;
                    }
                    progress.update(++counts.done);
                });
                store(memory, episodes, vectors, counts);
                progress.update(counts.done);
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("episodes", counts.episodes);
            out.put("strategies", counts.strategies);
            out.put("pendingEmbedding", counts.pending);
            out.put("alreadyStored", counts.unchanged);
            out().println(Json.write(out));
        } else {
            out().println("imported " + counts.episodes + " episodes and " + counts.strategies + " strategies"
                    + (counts.unchanged > 0 ? "; " + counts.unchanged + " episodes already stored, left unchanged" : "")
                    + (counts.pending > 0 ? "; " + counts.pending + " episodes have no vector: run 'agent-memory backfill'" : ""));
        }
        out().flush();
        return 0;
    }

    private static final class Counts {
        long lines;
        long done;
        long episodes;
        long strategies;
        long pending;
        long unchanged;
    }

    private interface LineHandler {
        void accept(String where, ExportFormat.Line line);
    }

    private static void read(Path input, String source, LineHandler handler) {
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String text; (text = in.readLine()) != null; ) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                String where = Json.where(source, number);
                JsonNode node = Json.readLine(source, number, text);
                handler.accept(where, ExportFormat.parse(where, node));
            }
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw new StorageException("reading " + source + " failed: " + e.getMessage(), e);
        }
    }

    private void check(String where, ExportFormat.Line line, int dimensions, String model) {
        float[] v = line.embedding();
        if (reembed || v == null) {
            return;
        }
        if (v.length != dimensions) {
            throw new InvalidInputException(where, "the embedding has " + v.length + " dimensions, this memory's "
                    + "embedder " + model + " makes " + dimensions + ": run again with --reembed to compute new vectors");
        }
        if (line.model() != null && !line.model().equals(model)) {
            throw new InvalidInputException(where, "the embedding was made by " + line.model() + ", this memory "
                    + "embeds with " + model + ": run again with --reembed to compute new vectors");
        }
        try {
            Vectors.checkedCopy("embedding", v, dimensions);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where, String.valueOf(e.getMessage()));
        }
    }

    private void store(AgentMemorySystem memory, List<Episode> episodes, List<float @Nullable []> vectors, Counts counts) {
        if (episodes.isEmpty()) {
            return;
        }
        List<float @Nullable []> toStore = vectors;
        if (reembed) {
            toStore = new ArrayList<>(memory.episodeEmbedder().embedEpisodes(episodes));
        }
        Set<UUID> written = new HashSet<>(memory.episodes().storeEpisodesIfAbsent(episodes, toStore));
        for (int i = 0; i < episodes.size(); i++) {
            if (written.contains(episodes.get(i).episodeId())) {
                counts.episodes++;
                counts.pending += toStore.get(i) == null ? 1 : 0;
            } else {
                counts.unchanged++;
            }
        }
        episodes.clear();
        vectors.clear();
    }
}
