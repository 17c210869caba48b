package dev.agentmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on a tiny configuration, in memory and with the real local model: every
 * scenario runs and lands in the results, the report and the charts. It asserts no timing.
 */
class BenchSmokeTest {

    @Test
    void tinyRunWritesResultsReportAndChartsForEveryInMemoryScenario(@TempDir Path out) throws Exception {
        Bench.Options options = new Bench.Options(BenchConfig.tiny(), out,
                new LinkedHashSet<>(List.of("remember", "ingest", "search", "concurrency", "memory", "quality")),
                false, "smoke test");

        List<String> failures = Bench.run(options);

        assertThat(failures).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<String> ids = new ArrayList<>();
        doc.get("results").forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).contains("embed.local", "remember.local.inmemory", "remember.service.inmemory",
                "ingest.embed.inmemory", "ingest.store.inmemory.2k", "search.inmemory.2k.all",
                "search.inmemory.2k.project", "agents.inmemory.1", "agents.inmemory.4", "memory.heap.inmemory",
                "quality.default.project");
        JsonNode search = find(doc, "search.inmemory.2k.all");
        // Exact search finds the exact neighbours: recall is a measured value, and this one is 1.
        assertThat(search.get("metrics").get("recall_at_10").asDouble()).isEqualTo(1.0);
        assertThat(search.get("latency_ms").get("count").asInt()).isEqualTo(BenchConfig.tiny().searchQueries());
        JsonNode remember = find(doc, "remember.local.inmemory");
        assertThat(remember.get("targets").get(0).get("text").asText()).isEqualTo("p50 ≤ 5 ms");
        assertThat(remember.get("verdict").asText()).matches("pass|MISS: .*");

        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("## Results against targets", "| rememberDecision, local model, in memory |",
                "## Against the old deployment", "## Missed targets and what explains them");
        // Issue 16's table: every row of the issue, those this run did not measure as "not run", never met.
        assertThat(report).contains("## Issue 16's rows", "| store only, HNSW maintained, 5k | not run |",
                "| 64 concurrent agents, PostgreSQL | not run |", "| heap per 100k episodes, in memory | ");
        assertThat(report).containsPattern("\\| remember, default model, p50, in memory \\| p50 [^|]+ \\| model alone p50 "
                + "[^|]+ \\| p50 ≤ 1.2 × the model's own one-text time, same run \\| (met|\\*\\*missed\\*\\*) \\|");
        assertThat(doc.get("issue16_rows")).isNotEmpty();
        assertThat(out.resolve(Charts.LATENCY)).isNotEmptyFile();
        assertThat(out.resolve(Charts.THROUGHPUT)).isNotEmptyFile();
    }

    private static JsonNode find(JsonNode doc, String id) {
        for (JsonNode r : doc.get("results")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no result " + id);
    }
}
