package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * agent-memory was configured wrongly or a feature that a call needs was not configured: an
 * unknown store or embedder name, a missing JDBC URL, a knowledge store that was never set up.
 */
public class ConfigurationException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
