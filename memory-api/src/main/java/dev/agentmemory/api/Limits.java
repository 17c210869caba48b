package dev.agentmemory.api;

/** The one check every store applies to a {@code limit}. */
public final class Limits {

    private Limits() {
    }

    /**
     * @param field the parameter name used in the error
     * @param limit the limit asked for
     * @return the limit
     * @throws InvalidInputException when it is below 1 or above {@link AgentMemoryStore#MAX_LIMIT}
     */
    public static int check(String field, int limit) {
        if (limit <= 0) {
            throw new InvalidInputException(field, limit + " must be at least 1");
        }
        if (limit > AgentMemoryStore.MAX_LIMIT) {
            throw new InvalidInputException(field, limit + " exceeds the maximum of " + AgentMemoryStore.MAX_LIMIT);
        }
        return limit;
    }
}
