package dev.agentmemory.api;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The argument checks every store applies, worded as the models word theirs, so that both
 * backends refuse the same input with the same message.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param field the parameter name used in the error
     * @param value the value
     * @param <T> its type
     * @return the value
     * @throws InvalidInputException when it is null
     */
    public static <T> T required(String field, @Nullable T value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required");
        }
        return value;
    }

    /**
     * @param projectId a project id
     * @return it, when it follows the models' rule: not blank, no NUL, at most 255 characters
     */
    public static String projectId(@Nullable String projectId) {
        return Episode.checkProjectId(projectId);
    }

    /**
     * @param field the parameter name used in the error
     * @param value a quality, confidence or rate
     * @return it, when it is finite and within [0,1]
     */
    public static double unitInterval(String field, double value) {
        return Episode.checkQuality(field, value);
    }

    /**
     * @param field the parameter name used in the error
     * @param value a similarity threshold
     * @return it, when it is finite and within [-1,1]
     */
    public static double similarity(String field, double value) {
        if (!Double.isFinite(value) || value < -1 || value > 1) {
            throw new InvalidInputException(field, value + " is outside [-1,1]");
        }
        return value;
    }

    /**
     * @param field the parameter name used in the error
     * @param value a time to live or an extension
     * @return it, when it is more than zero
     */
    public static Duration positive(String field, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidInputException(field, value + " must be more than zero");
        }
        return value;
    }

    /**
     * @param field the parameter name used in the error
     * @param start a time
     * @param amount how much later
     * @return {@code start + amount} to the microsecond
     * @throws InvalidInputException when that lies beyond {@link Episode#LATEST}, the last time any
     *     backend stores
     */
    public static Instant plus(String field, Instant start, Duration amount) {
        try {
            Instant end = start.plus(amount).truncatedTo(ChronoUnit.MICROS);
            if (end.isAfter(Episode.LATEST)) {
                throw new InvalidInputException(field, amount + " reaches beyond the latest time that can be stored");
            }
            return end;
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidInputException(field, amount + " reaches beyond the latest time that can be stored");
        }
    }

    /**
     * @param clock a clock
     * @return its time to the microsecond, the precision every stored time keeps
     */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
