package dev.agentmemory.api;

/**
 * A part that guards its calls with a circuit breaker (the HTTP embedders do) and tells the
 * breaker's state, so that metrics and health checks can show it without knowing the part.
 */
public interface CircuitBreaking {

    /** The states a breaker can be in, as far as a caller can tell. */
    enum CircuitState {
        /** Calls go through. */
        CLOSED,
        /** A few trial calls go through; their outcome closes or opens the breaker again. */
        HALF_OPEN,
        /** Calls fail at once, without reaching the service. */
        OPEN
    }

    /** @return the breaker's state now */
    CircuitState circuitState();
}
