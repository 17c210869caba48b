package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.Providers;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import dev.agentmemory.embedding.ollama.OllamaEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures what the HTTP path costs over calling the model in process: p50 (and p90) per call of
 * {@link EmbeddingClient#generateEmbedding}, {@link OllamaEmbedder#embed} and the local model's
 * {@code embed} on the same texts, over loopback. A measurement, not a check: it asserts only
 * that the numbers were taken. Excluded from the default run; run it with
 *
 * <pre>
 * mvn -B -q -pl memory-cli -am verify -Dsurefire.excludedGroups= -Dgroups=measurement -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read {@code memory-cli/target/measurements/client-overhead.txt}.
 */
@Tag("measurement")
class ClientOverheadMeasurementTest {

    private static final int WARMUP_ROUNDS = 2;
    private static final int ROUNDS = 5;

    private static List<String> texts() {
        String[] subjects = {"Sprint 12", "The release sprint", "Sprint 7 of project atlas", "The hotfix sprint",
                "A two-week sprint", "The onboarding sprint", "Sprint 3", "The last sprint of the quarter"};
        String[] outcomes = {"was overloaded with 14 tasks for 3 developers", "finished early with 5 tasks",
                "slipped two days because of a blocked dependency", "closed 9 of 11 tasks",
                "lost a developer to sick leave", "carried 4 tasks over from the previous sprint",
                "met its goal after the scope was cut", "had its velocity drop by a third"};
        List<String> out = new ArrayList<>();
        for (String s : subjects) {
            for (String o : outcomes) {
                out.add(s + " " + o + ".");
            }
        }
        return out;
    }

    /**
     * Times each embedder on each text, the embedders taking turns text by text, so that the load
     * of a shared machine falls on all of them alike.
     */
    private static long[][] time(List<String> texts, List<Function<String, float[]>> embedders) {
        for (int r = 0; r < WARMUP_ROUNDS; r++) {
            for (String t : texts) {
                embedders.forEach(e -> e.apply(t));
            }
        }
        long[][] nanos = new long[embedders.size()][texts.size() * ROUNDS];
        int k = 0;
        for (int r = 0; r < ROUNDS; r++) {
            for (String t : texts) {
                for (int e = 0; e < embedders.size(); e++) {
                    long start = System.nanoTime();
                    embedders.get(e).apply(t);
                    nanos[e][k] = System.nanoTime() - start;
                }
                k++;
            }
        }
        for (long[] n : nanos) {
            Arrays.sort(n);
        }
        return nanos;
    }

    private static double percentileMs(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
    }

    @Test
    void measureClientOverheadAgainstTheServedLocalModel() throws IOException {
        List<String> texts = texts();
        Embedder model = Providers.embedder("onnx").create(EmbedderConfig.ofDefaults());
        long[] local;
        long[] client;
        long[] ollama;
        try (EmbeddingServer server = new EmbeddingServer(model, EmbeddingServer.DEFAULT_HOST, 0).start();
             EmbeddingClient c = new EmbeddingClient(server.url());
             OllamaEmbedder o = new OllamaEmbedder(server.url(), model.modelName())) {
            long[][] all = time(texts, List.of(model::embed, c::generateEmbedding, o::embed));
            local = all[0];
            client = all[1];
            ollama = all[2];
        }
        String report = String.format(Locale.ROOT, """
                client overhead over loopback, %d texts x %d rounds (after %d warm-up rounds), one call at a time,
                the three taking turns text by text
                                                        p50 ms   p90 ms
                in process   model.embed               %7.3f  %7.3f
                HTTP         EmbeddingClient.embed     %7.3f  %7.3f
                HTTP         OllamaEmbedder.embed      %7.3f  %7.3f
                overhead p50: EmbeddingClient %+.3f ms, OllamaEmbedder %+.3f ms
                java %s, %d cores
                """, texts.size(), ROUNDS, WARMUP_ROUNDS,
                percentileMs(local, 0.5), percentileMs(local, 0.9),
                percentileMs(client, 0.5), percentileMs(client, 0.9),
                percentileMs(ollama, 0.5), percentileMs(ollama, 0.9),
                percentileMs(client, 0.5) - percentileMs(local, 0.5),
                percentileMs(ollama, 0.5) - percentileMs(local, 0.5),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.print(report);
        Path out = Path.of("target", "measurements", "client-overhead.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertThat(local).hasSize(client.length).hasSize(ollama.length);
    }
}
