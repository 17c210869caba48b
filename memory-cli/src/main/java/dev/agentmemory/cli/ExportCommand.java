package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.StorageException;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreMaintenance.StoredEpisode;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory export}: every episode and strategy, with its vector, as JSON lines. */
@Command(name = "export",
        header = "Writes every episode and strategy as JSON lines.", mixinStandardHelpOptions = true,
        description = {"Writes every episode and strategy, with its vector, as JSON lines: "
                + "{\"type\":\"episode\",\"episode\":{...},\"embedding\":[...] or null,\"model\":\"...\"}, then "
                + "{\"type\":\"strategy\",...}. 'import' reads it into any store.",
                "A file is written whole or not at all: under a temporary name, renamed when complete."})
final class ExportCommand extends MemoryCommand {

    private static final int PAGE = 500;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
            description = "Where to write; - (the default) is standard output.")
    String output;

    @Option(names = "--no-embeddings", description = "Leave the vectors out ('import --reembed' computes them).")
    boolean noEmbeddings;

    @Override
    boolean embeds() {
        return false;
    }

    @Override
    public Integer call() throws IOException {
        Path target = output.equals("-") ? null : Path.of(output);
        if (target != null) {
            Path dir = target.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new InvalidInputException("--output", "the directory " + dir + " does not exist");
            }
            if (Files.isDirectory(target)) {
                throw new InvalidInputException("--output", "'" + output + "' is a directory");
            }
        }
        Path temporary = null;
        long episodes = 0;
        long strategies = 0;
        try (AgentMemorySystem memory = open()) {
            StoreMaintenance maintenance = maintenance(memory, "export");
            // Vectors are the recorded model's; when none is recorded, the configured embedder's, the
            // one this memory recalls with; unknown (null) while that embedder cannot be reached.
            String model = maintenance.embeddingModel().orElseGet(
                    () -> memory.embedder().healthCheck() ? memory.embedder().modelName() : null);
            long total = memory.episodes().countEpisodes(null);
            Writer sink;
            if (target == null) {
                sink = out();
            } else {
                Path dir = target.toAbsolutePath().getParent();
                temporary = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
                sink = new BufferedWriter(Files.newBufferedWriter(temporary, StandardCharsets.UTF_8));
            }
            try (Progress progress = progress("exporting", total)) {
                UUID after = null;
                List<StoredEpisode> page;
                do {
                    page = maintenance.readEpisodes(after, PAGE);
                    for (StoredEpisode e : page) {
                        sink.write(ExportFormat.episodeLine(e.episode(), noEmbeddings ? null : e.embedding(), model));
                        sink.write('\n');
                        after = e.episode().episodeId();
                        progress.update(++episodes);
                    }
                } while (page.size() == PAGE);
                if (memory.hasKnowledge()) {
                    after = null;
                    List<StoredStrategy> strategyPage;
                    do {
                        strategyPage = maintenance.readStrategies(after, PAGE);
                        for (StoredStrategy s : strategyPage) {
                            sink.write(ExportFormat.strategyLine(s.strategy(), noEmbeddings ? null : s.embedding(), model));
                            sink.write('\n');
                            after = s.strategy().knowledgeId();
                            strategies++;
                        }
                    } while (strategyPage.size() == PAGE);
                }
            }
            sink.flush();
            if (target != null) {
                sink.close();
                move(Objects.requireNonNull(temporary), target);
                temporary = null;
            }
        } catch (IOException e) {
            throw new StorageException("writing " + (target == null ? "standard output" : target) + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
        // With the export on standard output, the summary goes to standard error.
        PrintWriter report = target == null ? err() : out();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("episodes", episodes);
            summary.put("strategies", strategies);
            summary.put("output", target == null ? "-" : target.toString());
            report.println(Json.write(summary));
        } else {
            report.println("exported " + episodes + " episodes and " + strategies + " strategies"
                    + (target == null ? "" : " to " + target));
        }
        report.flush();
        return 0;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
