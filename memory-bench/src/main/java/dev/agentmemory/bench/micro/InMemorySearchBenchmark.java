package dev.agentmemory.bench.micro;

import dev.agentmemory.api.Episode;
import dev.agentmemory.inmemory.InMemoryAgentMemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code findSimilarEpisodes} of the in-memory store (exact search), limit 10, over all projects
 * and within one project of 100. The vectors are random unit vectors of 384 dimensions: an exact
 * search reads every vector that passes the filter whatever they hold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InMemorySearchBenchmark {

    @Param({"10000"})
    public int size;

    @Param({"all", "project"})
    public String filter;

    private InMemoryAgentMemoryStore store = new InMemoryAgentMemoryStore(384);
    private float[][] queries = new float[0][];
    private int next;

    @Setup
    public void setUp() {
        Random r = new Random(2);
        store = new InMemoryAgentMemoryStore(384);
        Episode template = Episode.builder("p").perception(Map.of("n", 1)).reasoning(Map.of()).action(Map.of()).build();
        for (int start = 0; start < size; start += 1000) {
            List<Episode> batch = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = start; i < Math.min(size, start + 1000); i++) {
                batch.add(template.toBuilder().projectId("project-" + (i % 100)).build());
                vectors.add(vector(r));
            }
            store.storeEpisodes(batch, vectors);
        }
        queries = new float[64][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = vector(r);
        }
    }

    @Benchmark
    public Object search() {
        float[] q = queries[next++ & 63];
        return store.findSimilarEpisodes(q, "project".equals(filter) ? "project-7" : null, 10, -1.0);
    }

    private static float[] vector(Random r) {
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
