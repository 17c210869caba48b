package dev.agentmemory.bench.micro;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The text an episode and a situation are embedded as ({@link EpisodeEmbedder#episodeToText},
 * {@link EpisodeEmbedder#contextToText}): what every remember and every recall renders before the
 * model runs. The model itself is not loaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TextRenderingBenchmark {

    private EpisodeEmbedder renderer = new EpisodeEmbedder(new OnnxEmbedder());
    private Episode episode = Episode.builder("p").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build();
    private Map<String, Object> situation = Map.of();

    @Setup
    public void setUp() {
        renderer = new EpisodeEmbedder(new OnnxEmbedder());
        situation = new LinkedHashMap<>();
        situation.put("backlog_tasks", 14);
        situation.put("team_size", 4);
        situation.put("velocity", 2.5);
        situation.put("sprint_number", 12);
        situation.put("days_since_last_sprint", 3);
        situation.put("blocked_tasks", 1);
        situation.put("team_availability", "available");
        situation.put("phase", "execution");
        Map<String, Object> reasoning = new LinkedHashMap<>();
        reasoning.put("summary", "backlog of 14 tasks and a team of 4 ready: start a sprint with 8 tasks");
        reasoning.put("risk", "flaky integration tests");
        reasoning.put("confidence", 0.82);
        episode = Episode.builder("project-alpha")
                .perception(situation)
                .reasoning(reasoning)
                .action(Map.of("sprint_created", true, "tasks_assigned", 8, "sprint_length_days", 14))
                .sprintId("sprint-12")
                .build();
    }

    @Benchmark
    public String episodeToText() {
        return renderer.episodeToText(episode);
    }

    @Benchmark
    public String contextToText() {
        return renderer.contextToText(situation);
    }
}
