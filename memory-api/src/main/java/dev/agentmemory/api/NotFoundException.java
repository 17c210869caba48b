package dev.agentmemory.api;

/** An update named an id that is not stored. Nothing was written. */
public class NotFoundException extends MemoryException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final Object id;

    public NotFoundException(String kind, Object id) {
        super(kind + " " + id + " does not exist");
        this.kind = kind;
        this.id = id;
    }

    /** @return what was looked for: "episode", "strategy", "session" */
    public String kind() {
        return kind;
    }

    public Object id() {
        return id;
    }
}
