package dev.agentmemory.api;

import java.util.Objects;

/**
 * The caller passed something agent-memory will not accept. Nothing was written.
 *
 * <p>The message names the field and the problem, for example
 * {@code "outcomeQuality: 1.5 is outside [0,1]"}; {@link #field()} and {@link #problem()} give
 * them separately.
 */
public class InvalidInputException extends MemoryException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = Objects.requireNonNull(field, "field");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** @return the name of the offending field or parameter, dotted for nested values */
    public String field() {
        return field;
    }

    /** @return what is wrong with it */
    public String problem() {
        return problem;
    }
}
