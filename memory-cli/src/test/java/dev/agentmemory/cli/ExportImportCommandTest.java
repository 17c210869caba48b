package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.api.spi.StoreMaintenance.StoredEpisode;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import dev.agentmemory.core.EpisodeEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportCommandTest {

    @TempDir
    Path dir;

    private final Cli source = Cli.inMemory();
    private UUID strategyId;

    @BeforeEach
    void fill() {
        Instant t = Instant.parse("2024-01-01T00:00:00.123456Z");
        for (int i = 0; i < 30; i++) {
            Episode e = Cli.sprint(i % 2 == 0 ? "acme" : "beta", "s-" + i, 5 + i, i % 3 != 0, t.plus(Duration.ofDays(i)));
            if (i % 4 == 0) {
                e = e.toBuilder().outcome(Map.of("velocity", i, "notes", List.of("ok", 1.5))).outcomeQuality(0.25 + i / 100.0)
                        .outcomeRecordedAt(t.plus(Duration.ofDays(i + 1))).chronicleNoteId(UUID.randomUUID())
                        .agentVersion("2.1.0").decisionSource("llm").build();
            }
            if (i == 29) {
                source.stores().episodes().storeEpisode(e, null);
            } else {
                source.remember(e);
            }
        }
        Strategy s = Strategy.builder("create a sprint when the backlog is full")
                .conditions("backlog_tasks >= 10").confidence(0.7).build();
        strategyId = source.stores().knowledge().orElseThrow().storeStrategy(s, Cli.MODEL.embed(s.description()));
        source.stores().knowledge().orElseThrow().recordApplication(strategyId, UUID.randomUUID(), true);
        source.stores().knowledge().orElseThrow().storeStrategy(Strategy.builder("retired").active(false).build(), null);
    }

    private static List<StoredEpisode> episodes(Cli cli) {
        return cli.maintenance().readEpisodes(null, 10_000);
    }

    private static List<StoredStrategy> strategies(Cli cli) {
        return cli.maintenance().readStrategies(null, 10_000);
    }

    @Test
    void exportThenImportGivesEqualEpisodesStrategiesAndVectors() throws Exception {
        Path file = dir.resolve("memory.jsonl");
        Cli.Run export = source.run("export", "--output", file.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported 30 episodes and 2 strategies to " + file);
        assertThat(Files.readAllLines(file)).hasSize(32)
                .first().asString().startsWith("{\"type\":\"episode\",\"episode\":{");

        Cli target = Cli.inMemory();
        Cli.Run imported = target.run("import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 30 episodes and 2 strategies")
                .contains("1 episodes have no vector");

        List<StoredEpisode> before = episodes(source);
        List<StoredEpisode> after = episodes(target);
        assertThat(after).extracting(StoredEpisode::episode)
                .containsExactlyElementsOf(before.stream().map(StoredEpisode::episode).toList());
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).embedding() == null) {
                assertThat(after.get(i).embedding()).isNull();
            } else {
                assertThat(after.get(i).embedding()).containsExactly(before.get(i).embedding(), offset(1e-6f));
            }
        }
        assertThat(strategies(target)).extracting(StoredStrategy::strategy)
                .containsExactlyElementsOf(strategies(source).stream().map(StoredStrategy::strategy).toList());
        assertThat(strategies(target).stream().filter(s -> s.strategy().knowledgeId().equals(strategyId))
                .findFirst().orElseThrow().embedding()).isNotNull();
        assertThat(target.stores().episodes().countEpisodesPendingEmbedding()).isEqualTo(1);
    }

    @Test
    void exportGoesToStandardOutputWithTheSummaryOnStandardError() throws Exception {
        Cli.Run export = source.run("export");
        assertThat(export.exit()).isZero();
        assertThat(export.out().lines()).hasSize(32).allSatisfy(line -> assertThat(Json.MAPPER.readTree(line).isObject()).isTrue());
        assertThat(export.err()).contains("exported 30 episodes and 2 strategies");

        Cli target = Cli.inMemory();
        Cli.Run imported = target.runWithInput(export.out(), "import");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(target.stores().episodes().countEpisodes(null)).isEqualTo(30);
    }

    @Test
    void withoutEmbeddingsTheImportLeavesEpisodesPendingUnlessItReembeds() throws Exception {
        Path file = dir.resolve("bare.jsonl");
        assertThat(source.run("export", "-o", file.toString(), "--no-embeddings").exit()).isZero();
        assertThat(Files.readString(file)).contains("\"embedding\":null").doesNotContain("\"embedding\":[");

        Cli pending = Cli.inMemory();
        assertThat(pending.run("import", file.toString()).exit()).isZero();
        assertThat(pending.stores().episodes().countEpisodesPendingEmbedding()).isEqualTo(30);

        Cli recomputed = Cli.inMemory();
        Cli.Run r = recomputed.run("import", file.toString(), "--reembed");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(recomputed.stores().episodes().countEpisodesPendingEmbedding()).isZero();
        StoredEpisode one = episodes(recomputed).get(0);
        float[] expected = Vectors.normalized(new EpisodeEmbedder(Cli.MODEL).embedEpisode(one.episode()));
        assertThat(one.embedding()).containsExactly(expected, offset(1e-6f));
    }

    @Test
    void vectorsOfAnotherSizeStopTheImportBeforeAnythingIsWrittenUnlessItReembeds() throws Exception {
        Path file = dir.resolve("memory.jsonl");
        assertThat(source.run("export", "-o", file.toString()).exit()).isZero();
        Cli smaller = Cli.projected(96);
        // The first line with a vector: one episode has none, and the export's order is the store's.
        List<String> lines = Files.readAllLines(file);
        int firstWithVector = 1;
        while (!lines.get(firstWithVector - 1).contains("\"embedding\":[")) {
            firstWithVector++;
        }

        Cli.Run refused = smaller.run("import", file.toString(), "--embedder", "projected", "--embedding-model", "96");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString()
                .contains(file + " line " + firstWithVector + ":").contains("384 dimensions").contains("makes 96").contains("--reembed");
        assertThat(smaller.stores().episodes().countEpisodes(null)).isZero();

        Cli.Run reembedded = smaller.run("import", file.toString(), "--embedder", "projected", "--embedding-model", "96",
                "--reembed");
        assertThat(reembedded.exit()).as(reembedded.err()).isZero();
        assertThat(smaller.stores().episodes().countEpisodes(null)).isEqualTo(30);
        assertThat(smaller.stores().episodes().countEpisodesPendingEmbedding()).isZero();
        assertThat(episodes(smaller)).allSatisfy(e -> assertThat(e.embedding()).hasSize(96));
    }

    @Test
    void vectorsOfAnotherModelOfTheSameSizeAreRefusedToo() throws Exception {
        Path file = dir.resolve("memory.jsonl");
        assertThat(source.run("export", "-o", file.toString()).exit()).isZero();
        Cli other = Cli.inMemory();
        Cli.Run r = other.run("import", file.toString(), "--embedder", "projected", "--embedding-model", "384");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("made by " + Cli.MODEL.modelName()).contains("projected to 384");
        assertThat(other.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void badJsonOnAnyLineWritesNothing() throws Exception {
        Path file = dir.resolve("memory.jsonl");
        assertThat(source.run("export", "-o", file.toString()).exit()).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(20, lines.get(20).substring(0, 40));
        Files.write(file, lines);

        Cli target = Cli.inMemory();
        Cli.Run r = target.run("import", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("agent-memory import: " + file + " line 21: malformed JSON");
        assertThat(target.stores().episodes().countEpisodes(null)).isZero();
        assertThat(strategies(target)).isEmpty();
    }

    @Test
    void anUnknownLineTypeAndAnInvalidEpisodeAreNamed() {
        Cli target = Cli.inMemory();
        Cli.Run type = target.runWithInput("{\"type\":\"note\"}\n", "import");
        assertThat(type.exit()).isEqualTo(2);
        assertThat(type.err()).contains("stdin line 1: type 'note' is neither");
        Cli.Run invalid = target.runWithInput("{\"type\":\"episode\",\"episode\":{\"projectId\":\"\",\"perception\":{},"
                + "\"reasoning\":{},\"action\":{}},\"embedding\":null}\n", "import");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("stdin line 1, episode: projectId: must not be blank");
        Cli.Run zero = target.runWithInput("{\"type\":\"episode\",\"episode\":{\"projectId\":\"a\",\"perception\":{},"
                + "\"reasoning\":{},\"action\":{}},\"embedding\":[" + "0,".repeat(383) + "0]}\n", "import");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("stdin line 1: embedding: is the zero vector");
        assertThat(target.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void aMissingFileOrDirectoryIsBadInput() {
        Cli.Run missing = Cli.inMemory().run("import", dir.resolve("missing.jsonl").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString().contains("missing.jsonl' does not exist");
        Cli.Run noDir = source.run("export", "-o", dir.resolve("no/such/dir/x.jsonl").toString());
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).contains("does not exist");
    }

    @Test
    void importingTwiceLeavesOneCopy() throws Exception {
        Path file = dir.resolve("memory.jsonl");
        assertThat(source.run("export", "-o", file.toString()).exit()).isZero();
        Cli target = Cli.inMemory();
        assertThat(target.run("import", file.toString()).exit()).isZero();
        assertThat(target.run("import", file.toString()).exit()).isZero();
        assertThat(target.stores().episodes().countEpisodes(null)).isEqualTo(30);
        assertThat(strategies(target)).hasSize(2);
    }

}
