package dev.agentmemory.api;

/**
 * Checks for embedding vectors and the cosine similarity every backend uses.
 *
 * <p>Vectors are copied at the boundary: a caller who changes its array after handing it over
 * changes nothing stored.
 */
public final class Vectors {

    private Vectors() {
    }

    /**
     * Checks a vector that is about to be stored and returns a copy.
     *
     * @param field the name used in errors
     * @param vector the vector
     * @param dimensions the size the store was created for
     * @return a copy of the vector
     * @throws DimensionMismatchException when the size differs
     * @throws InvalidInputException when a component is NaN or infinite, or the vector is zero
     */
    public static float[] checkedCopy(String field, float[] vector, int dimensions) {
        if (vector == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (vector.length != dimensions) {
            throw new DimensionMismatchException(field, dimensions, vector.length);
        }
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            float v = vector[i];
            if (!Float.isFinite(v)) {
                throw new InvalidInputException(field, "component " + i + " is " + v + ", components must be finite");
            }
            norm += (double) v * v;
        }
        if (norm == 0) {
            // Cosine distance is undefined for the zero vector; pgvector would answer NaN.
            throw new InvalidInputException(field, "is the zero vector, which has no direction for cosine similarity");
        }
        return vector.clone();
    }

    /**
     * @param vector a vector
     * @return its Euclidean length
     */
    public static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /**
     * @param vector a non-zero vector
     * @return a new vector of length 1 pointing the same way
     */
    public static float[] normalized(float[] vector) {
        double n = norm(vector);
        float[] out = new float[vector.length];
        if (n == 0) {
            return out;
        }
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / n);
        }
        return out;
    }

    /**
     * Cosine similarity, {@code 1 - cosine distance}, as pgvector's {@code <=>} defines it.
     *
     * @param a a vector
     * @param b a vector of the same size
     * @return the similarity in [-1, 1]
     */
    public static double cosineSimilarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new DimensionMismatchException("vector", a.length, b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }
}
