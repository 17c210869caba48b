package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;
import java.time.Duration;
import java.util.Locale;

/** Parsing of the server commands' values. */
final class ServerOptions {

    private ServerOptions() {
    }

    /**
     * @param option the option, for errors
     * @param text {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d}, or an ISO-8601 duration
     * @return the duration
     */
    static Duration duration(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(text.strip());
        } catch (RuntimeException e) {
            throw new InvalidInputException(option, "'" + text + "' is not a duration; write 500ms, 30s, 2m, 1h or 7d");
        }
    }
}
