package dev.agentmemory.inmemory;

import dev.agentmemory.api.Episode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures {@code findSimilarEpisodes} on random vectors; a program, not a test (machines are too
 * noisy for timed assertions). Run from the module directory after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:../memory-api/target/classes \
 *     dev.agentmemory.inmemory.SearchBenchmark 10000,100000 384,1024
 * </pre>
 */
public final class SearchBenchmark {

    private SearchBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
        int[] dims = Arrays.stream((args.length > 1 ? args[1] : "384,1024").split(",")).mapToInt(Integer::parseInt).toArray();
        System.out.printf("cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (int d : dims) {
            for (int n : sizes) {
                run(n, d);
            }
        }
    }

    private static void run(int n, int dims) {
        Random random = new Random(1);
        InMemoryAgentMemoryStore store = new InMemoryAgentMemoryStore(dims);
        Episode template = Episode.builder("p").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build();
        for (int start = 0; start < n; start += 1000) {
            List<Episode> batch = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + 1000); i++) {
                batch.add(template.toBuilder().projectId("p" + (i % 20)).build());
                vectors.add(vector(random, dims));
            }
            store.storeEpisodes(batch, vectors);
        }
        for (String label : List.of("all projects, limit 10, min -1", "one project of 20, limit 10, min -1",
                "all projects, limit 10, min 0.7")) {
            String project = label.startsWith("one") ? "p3" : null;
            double min = label.endsWith("0.7") ? 0.7 : -1;
            for (int i = 0; i < 200; i++) {
                store.findSimilarEpisodes(vector(random, dims), project, 10, min);
            }
            int runs = 200;
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                float[] q = vector(random, dims);
                long t0 = System.nanoTime();
                store.findSimilarEpisodes(q, project, 10, min);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf("n=%7d dims=%5d %-38s median %7.3f ms  p90 %7.3f ms%n", n, dims, label,
                    nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6);
        }
    }

    private static float[] vector(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
