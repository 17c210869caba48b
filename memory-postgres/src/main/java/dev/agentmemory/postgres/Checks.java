package dev.agentmemory.postgres;

import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/** Argument checks the PostgreSQL stores share, worded as the models word theirs. */
final class Checks {

    /** The latest time {@code timestamptz} can hold, give or take a day. */
    private static final Instant LATEST = Instant.parse("+294276-12-30T00:00:00Z");

    private Checks() {
    }

    static <T> T required(String field, @Nullable T value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required");
        }
        return value;
    }

    static String projectId(@Nullable String projectId) {
        if (projectId == null) {
            throw new InvalidInputException("projectId", "must not be blank");
        }
        // The filter's constructor applies the models' rule: not blank, no NUL, at most 255 characters.
        EpisodeFilter.project(projectId);
        return projectId;
    }

    static double unitInterval(String field, double value) {
        if (!Double.isFinite(value) || value < 0 || value > 1) {
            throw new InvalidInputException(field, value + " is outside [0,1]");
        }
        return value;
    }

    static double similarity(String field, double value) {
        if (!Double.isFinite(value) || value < -1 || value > 1) {
            throw new InvalidInputException(field, value + " is outside [-1,1]");
        }
        return value;
    }

    static Duration positive(String field, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidInputException(field, value + " must be more than zero");
        }
        return value;
    }

    /** @return {@code start + amount} to the microsecond, or an error when PostgreSQL cannot store it */
    static Instant plus(String field, Instant start, Duration amount) {
        try {
            Instant end = start.plus(amount).truncatedTo(ChronoUnit.MICROS);
            if (end.isAfter(LATEST)) {
                throw new InvalidInputException(field, amount + " reaches beyond the latest time that can be stored");
            }
            return end;
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidInputException(field, amount + " reaches beyond the latest time that can be stored");
        }
    }

    /** @return the clock's time to the microsecond, the precision every stored time keeps */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
