package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.api.spi.StoreMaintenance.StoredEpisode;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.testkit.GoingDownEmbedder;
import dev.agentmemory.testkit.ProjectedEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReembedCommandTest {

    private final Cli cli = Cli.inMemory();

    @BeforeEach
    void remember() {
        Instant t = Instant.now().minus(Duration.ofDays(40));
        for (int i = 0; i < 30; i++) {
            cli.remember(Cli.sprint("acme", "s-" + i, i, i % 2 == 0, t.plus(Duration.ofDays(i))));
        }
        Strategy s = Strategy.builder("create a sprint when the backlog is full").build();
        cli.stores().knowledge().orElseThrow().storeStrategy(s, Cli.MODEL.embed(s.description()));
    }

    @Test
    void aNewModelOfTheSameSizeReplacesEveryVectorAndIsRecorded() {
        Cli.Run r = cli.run("reembed", "--embedder", "projected", "--embedding-model", "384", "--batch", "7");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("dropped 31 vectors of the previous model")
                .contains("re-embedded 30 episodes and 1 strategies with " + Cli.MODEL.modelName() + " projected to 384 (384 dimensions)");
        assertThat(r.err()).contains("re-embedding [").contains("30/30");

        EpisodeEmbedder projected = new EpisodeEmbedder(new ProjectedEmbedder(Cli.MODEL, 384));
        List<StoredEpisode> stored = cli.maintenance().readEpisodes(null, 100);
        assertThat(stored).hasSize(30).allSatisfy(e -> assertThat(e.embedding()).containsExactly(
                Vectors.normalized(projected.embedEpisode(e.episode())), offset(1e-5f)));
        assertThat(cli.maintenance().embeddingModel()).contains(Cli.MODEL.modelName() + " projected to 384");
        assertThat(cli.maintenance().readStrategies(null, 10).get(0).embedding()).isNotNull();
    }

    @Test
    void aSecondRunWithTheRecordedModelEmbedsOnlyWhatIsPending() {
        assertThat(cli.run("reembed").exit()).isZero();
        Episode late = Cli.sprint("acme", "late", 3, false, Instant.now());
        cli.stores().episodes().storeEpisode(late, null);

        Cli.Run again = cli.run("reembed");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("the stored vectors are " + Cli.MODEL.modelName() + "'s already")
                .contains("re-embedded 1 episodes and 0 strategies");
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isZero();

        Cli.Run all = cli.run("reembed", "--all", "--json");
        assertThat(all.out()).contains("\"droppedVectors\":32").contains("\"episodes\":31");
    }

    @Test
    void anInterruptedRunContinuesWhereItStopped() {
        // The embedding service goes down after 20 texts: the run stops with two batches of 10 done.
        AtomicInteger served = new AtomicInteger();
        try (EmbeddingServer failing = new EmbeddingServer(new GoingDownEmbedder(Cli.MODEL, 20, served), "127.0.0.1", 0).start()) {
            Cli.Run stopped = cli.run("reembed", "--embedder", "service", "--embedding-url", failing.url(), "--batch", "10");
            assertThat(stopped.exit()).isEqualTo(1);
            assertThat(stopped.err()).contains("stopped after 20 episodes, run again to continue");
        }
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isEqualTo(10);

        AtomicInteger texts = new AtomicInteger();
        try (EmbeddingServer healthy = new EmbeddingServer(new GoingDownEmbedder(Cli.MODEL, Integer.MAX_VALUE, texts),
                "127.0.0.1", 0).start()) {
            Cli.Run resumed = cli.run("reembed", "--embedder", "service", "--embedding-url", healthy.url(), "--batch", "10");
            assertThat(resumed.exit()).as(resumed.err()).isZero();
            // The strategy comes after the episodes, so the first run never reached it.
            assertThat(resumed.out()).contains("re-embedded 10 episodes and 1 strategies");
        }
        assertThat(texts.get()).isEqualTo(11);
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isZero();
    }

    @Test
    void aModelOfAnotherSizeCannotMoveAnInMemoryStoreThatIsAlreadyOpen() {
        Cli.Run r = cli.run("reembed", "--embedder", "projected", "--embedding-model", "96");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("96").contains("384");
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isZero();
    }
}
