package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The example in {@link InMemoryAgentMemoryStore}'s class comment, compiled so that it cannot rot. */
class UsageExampleTest {

    @Test
    void classCommentExampleStoresAndRecallsAnEpisode() {
        Episode episode = Episode.builder("acme")
                .perception(Map.of("backlog_tasks", 14))
                .reasoning(Map.of("rule", "enough backlog"))
                .action(Map.of("sprint_created", true))
                .build();
        float[] embedding = new float[384];
        embedding[0] = 1;
        float[] query = embedding.clone();

        AgentMemoryStore store = new InMemoryAgentMemoryStore(384);
        UUID id = store.storeEpisode(episode, embedding);
        List<Episode> similar = store.findSimilarEpisodes(query, "acme", 10, 0.7);

        assertThat(similar).extracting(Episode::episodeId).containsExactly(id);
    }
}
