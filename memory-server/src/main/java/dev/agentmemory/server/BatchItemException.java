package dev.agentmemory.server;

import dev.agentmemory.api.InvalidInputException;

/**
 * One episode of a batch was refused: the episode's own {@link InvalidInputException}, with its
 * words and field, and its place in the batch, named in the message as the command line names it
 * ({@link MemoryJson#inElement}). Nothing of the batch was written.
 */
public final class BatchItemException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final int index;

    /**
     * @param index the refused episode's place in the batch, 0 for the first
     * @param count how many episodes the batch holds
     * @param cause what the episode's checks said
     */
    public BatchItemException(int index, int count, InvalidInputException cause) {
        super(cause.field(), MemoryJson.inElement(cause.problem(), index, count));
        this.index = index;
        initCause(cause);
    }

    /** @return the refused episode's place in the batch, 0 for the first */
    public int index() {
        return index;
    }
}
