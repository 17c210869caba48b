package dev.agentmemory.api;

/** A vector whose size differs from the dimension the store or embedder was created for. */
public class DimensionMismatchException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final int expected;
    private final int actual;

    public DimensionMismatchException(String field, int expected, int actual) {
        super(field, "vector has " + actual + " dimensions, the store was created for " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public int expected() {
        return expected;
    }

    public int actual() {
        return actual;
    }
}
