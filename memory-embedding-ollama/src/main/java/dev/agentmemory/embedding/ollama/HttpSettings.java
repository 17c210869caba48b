package dev.agentmemory.embedding.ollama;

import java.time.Duration;

/**
 * The validated HTTP and resilience settings both embedders share. Built only by
 * {@link HttpSettingsBuilder}, which checks every value.
 *
 * @param timeout the limit of one attempt: connecting, sending and reading together
 * @param maxRetries retries after the first attempt; 0 means one attempt
 * @param retryBackoff the wait before the first retry; later waits double, with jitter
 * @param maxRetryBackoff the longest wait between two attempts
 * @param bulkhead the most requests in flight at once
 * @param batchSize the most texts sent in one request
 * @param expectedDimensions the size every vector must have, or 0 when not configured
 * @param circuitBreakerWindow the number of recent attempts the breaker judges, and the fewest it
 *     needs before it may open
 * @param circuitBreakerFailureRate the percentage of failed attempts in the window that opens it
 * @param circuitBreakerOpenFor how long an open breaker refuses calls before it lets one through
 */
record HttpSettings(
        Duration timeout,
        int maxRetries,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        int bulkhead,
        int batchSize,
        int expectedDimensions,
        int circuitBreakerWindow,
        float circuitBreakerFailureRate,
        Duration circuitBreakerOpenFor) {
}
