package dev.agentmemory.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The models go through Jackson and back unchanged, without any annotation on them. */
class JacksonRoundTripTest {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private <T> T roundTrip(T value, Class<T> type) throws Exception {
        return mapper.readValue(mapper.writeValueAsString(value), type);
    }

    private static Map<String, Object> nested() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 14);
        m.put("long", 9_007_199_254_740_993L);
        m.put("big", new BigInteger("123456789012345678901234567890"));
        m.put("double", 0.1);
        m.put("float", 2.1f);
        m.put("bool", true);
        m.put("null", null);
        m.put("text", "quote \" backslash \\ unicode 日本語 🚀");
        m.put("list", List.of(1, "two", List.of(3.5), Map.of("four", 4)));
        m.put("map", Map.of("inner", Map.of("deeper", List.of())));
        return m;
    }

    @Test
    void episodeWithEveryFieldSurvivesJson() throws Exception {
        Episode e = Episode.builder("acme")
                .episodeId(UUID.randomUUID())
                .timestamp(Instant.parse("2024-05-01T12:00:00.123456Z"))
                .perception(nested())
                .reasoning(Map.of("why", "backlog"))
                .action(Map.of("sprint_created", true))
                .outcome(nested())
                .outcomeQuality(0.75)
                .outcomeRecordedAt(Instant.parse("2024-05-02T00:00:00.000001Z"))
                .agentVersion("2.0.0")
                .controlMode("llm_assisted")
                .decisionSource("llm")
                .sprintId("s-1")
                .chronicleNoteId(UUID.randomUUID())
                .similarity(0.93)
                .build();

        assertThat(roundTrip(e, Episode.class)).isEqualTo(e);
    }

    @Test
    void minimalEpisodeSurvivesJsonWithItsNulls() throws Exception {
        Episode e = Episode.builder("acme").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build();

        Episode back = roundTrip(e, Episode.class);

        assertThat(back).isEqualTo(e);
        assertThat(back.episodeId()).isNull();
        assertThat(back.outcome()).isNull();
    }

    @Test
    void episodeJsonHoldsTheRecordComponentsOnly() throws Exception {
        Episode e = Episode.builder("acme").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build();

        Map<String, Object> json = mapper.readValue(mapper.writeValueAsString(e),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });

        assertThat(json.keySet()).containsExactlyInAnyOrder("episodeId", "projectId", "timestamp", "perception",
                "reasoning", "action", "outcome", "outcomeQuality", "outcomeRecordedAt", "agentVersion", "controlMode",
                "decisionSource", "sprintId", "chronicleNoteId", "similarity");
        assertThat(json.get("timestamp")).isInstanceOf(String.class);
    }

    @Test
    void strategySurvivesJson() throws Exception {
        Strategy s = Strategy.builder("sprint when the team is free")
                .knowledgeId(UUID.randomUUID())
                .knowledgeType("heuristic")
                .content(Map.of("conditions", List.of("team availability is available", "backlog_tasks >= 10"),
                        "advice", nested()))
                .confidence(0.66)
                .supportingEpisodes(List.of(UUID.randomUUID()))
                .contradictingEpisodes(List.of(UUID.randomUUID(), UUID.randomUUID()))
                .timesApplied(5)
                .successCount(3)
                .failureCount(2)
                .successRate(0.6)
                .createdAt(Instant.parse("2024-05-01T12:00:00.123456Z"))
                .lastValidated(Instant.parse("2024-05-01T13:00:00.5Z"))
                .lastApplied(Instant.parse("2024-05-01T14:00:00Z"))
                .createdBy("analyst")
                .active(false)
                .build();

        Strategy back = roundTrip(s, Strategy.class);

        assertThat(back).isEqualTo(s);
        assertThat(back.appliesTo(Map.of("team_availability", "available", "backlog_tasks", 12))).isTrue();
    }

    @Test
    void workingMemorySessionSurvivesJson() throws Exception {
        WorkingMemorySession s = new WorkingMemorySession(UUID.randomUUID(), "acme", nested(),
                Instant.parse("2024-05-01T12:00:00.123456Z"), Instant.parse("2024-05-01T12:05:00.000001Z"),
                Instant.parse("2024-05-01T13:00:00Z"), 7);

        assertThat(roundTrip(s, WorkingMemorySession.class)).isEqualTo(s);
    }
}
