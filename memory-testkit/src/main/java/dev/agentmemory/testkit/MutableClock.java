package dev.agentmemory.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, so that expiry can be tested without sleeping.
 * Safe for concurrent use.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    private MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * @param start the time the clock shows until it is moved
     * @return a clock standing at {@code start}
     */
    public static MutableClock at(Instant start) {
        return new MutableClock(start);
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far
     * @return the new time
     */
    public Instant advance(Duration amount) {
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** @param time the time the clock shows from now on */
    public void set(Instant time) {
        now.set(time);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Only the instant matters to the stores; the zone is kept fixed so the clock stays one.
        return this;
    }
}
