package dev.agentmemory.testkit;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A second real embedding model for tests that need one of another size or another model name: the
 * vectors of a base model (the local model in tests) multiplied by a fixed random Gaussian matrix
 * of {@code dimensions} rows. A random projection keeps cosine similarities close (Johnson and
 * Lindenstrauss), so it still embeds meaning, yet every vector differs from the base model's: what
 * a test needs to prove that vectors were recomputed, or that a store changed its vector size.
 * The same base and size always give the same matrix.
 */
public final class ProjectedEmbedder implements Embedder {

    private final Embedder base;
    private final int dimensions;
    private final float[][] matrix;

    /**
     * @param base the model whose vectors are projected
     * @param dimensions the size of the projected vectors, 1 to 16000
     */
    public ProjectedEmbedder(Embedder base, int dimensions) {
        if (dimensions < 1 || dimensions > 16_000) {
            throw new InvalidInputException("dimensions", dimensions + " is outside 1 to 16000");
        }
        this.base = base;
        this.dimensions = dimensions;
        SplittableRandom random = new SplittableRandom(0x5eed_0000L + dimensions);
        int from = base.dimensions();
        matrix = new float[dimensions][from];
        double scale = 1 / Math.sqrt(dimensions);
        for (float[] row : matrix) {
            for (int j = 0; j < from; j++) {
                row[j] = (float) (gaussian(random) * scale);
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * @param vector a vector of the base model
     * @return its projection
     */
    public float[] project(float[] vector) {
        float[] out = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            double sum = 0;
            float[] row = matrix[i];
            for (int j = 0; j < row.length; j++) {
                sum += (double) row[j] * vector[j];
            }
            out[i] = (float) sum;
        }
        return out;
    }

    @Override
    public float[] embed(String text) {
        return project(base.embed(text));
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (float[] v : base.embedAll(texts)) {
            out.add(project(v));
        }
        return out;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public String modelName() {
        return base.modelName() + " projected to " + dimensions;
    }

    @Override
    public boolean healthCheck() {
        return base.healthCheck();
    }
}
