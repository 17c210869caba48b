package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Vectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpisodeEmbedderTest {

    private static final LocalModel MODEL = new LocalModel();
    private final EpisodeEmbedder embedder = new EpisodeEmbedder(MODEL);

    private static Episode episode(Map<String, Object> perception) {
        return Episode.builder("project-alpha")
                .perception(perception)
                .reasoning(Map.of("summary", "backlog is large and the team is available", "confidence", 0.8))
                .action(Map.of("sprint_created", true, "tasks_assigned", 8))
                .decisionSource("rule_based_only")
                .build();
    }

    private static Map<String, Object> situation() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("team_size", 4);
        m.put("backlog_tasks", 14);
        m.put("team", Map.of("availability", "partial", "members", List.of("ana", "bo")));
        m.put("velocity", 2.5);
        return m;
    }

    @Test
    void anEpisodeIsRenderedAsItsSituationAloneStatesFirstThenNumbersEachInKeyOrder() {
        String text = embedder.episodeToText(episode(situation()));
        assertThat(text).isEqualTo("situation: team.availability partial; team.members [ana, bo]; "
                + "backlog tasks 14; team size 4; velocity 2.5");
        assertThat(text).isEqualTo(embedder.contextToText(situation()));
        assertThat(text).doesNotContain("decision", "reasoning", "rule_based_only", "project-alpha", "sprint created");
    }

    @Test
    void episodesInTheSameSituationWithDifferentDecisionsRenderAlike() {
        Episode other = Episode.builder("project-beta")
                .perception(situation())
                .reasoning(Map.of("summary", "wait"))
                .action(Map.of("sprint_created", false))
                .build();
        assertThat(embedder.episodeToText(other)).isEqualTo(embedder.episodeToText(episode(situation())));
    }

    @Test
    void renderingDoesNotDependOnKeyOrder() {
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> keys = List.copyOf(situation().keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), situation().get(keys.get(i)));
        }
        assertThat(embedder.episodeToText(episode(reversed))).isEqualTo(embedder.episodeToText(episode(situation())));
    }

    @Test
    void wholeAndDecimalNumbersOfTheSameValueRenderAlike() {
        assertThat(embedder.contextToText(Map.of("backlog_tasks", 14.0)))
                .isEqualTo(embedder.contextToText(Map.of("backlog_tasks", 14)));
    }

    @Test
    void longSituationsAreBoundedToWhatTheModelReadsKeepingTheirStart() {
        Map<String, Object> big = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            big.put(String.format("field_%03d", i), "value number " + i);
        }
        String text = embedder.episodeToText(episode(big));
        assertThat(text).startsWith("situation: field 000 value number 0");
        assertThat(text).doesNotContain("field 399");
        assertThat(text.split("\\s+").length).isLessThan(EpisodeEmbedder.DEFAULT_MAX_WORD_PIECES);
    }

    @Test
    void aContextEqualToAnEpisodesPerceptionHasTheEpisodesVectorWithTheLocalModel() {
        float[] episodeVector = embedder.embedEpisode(episode(situation()));
        float[] contextVector = embedder.embedContext(situation());
        assertThat(Vectors.cosineSimilarity(episodeVector, contextVector)).isGreaterThan(0.9999);
    }

    @Test
    void batchEmbeddingGivesTheSameVectorsAsOneByOne() {
        Episode a = episode(situation());
        Episode b = episode(Map.of("backlog_tasks", 60, "team_size", 9));
        List<float[]> batch = embedder.embedEpisodes(List.of(a, b));
        assertThat(Vectors.cosineSimilarity(batch.get(0), embedder.embedEpisode(a))).isGreaterThan(0.9999);
        assertThat(Vectors.cosineSimilarity(batch.get(1), embedder.embedEpisode(b))).isGreaterThan(0.9999);
    }
}
