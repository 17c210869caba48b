package dev.agentmemory.api;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text that may be logged or shown: JDBC URLs, HTTP URLs and configuration
 * dumps. Every {@code toString}, log line and error message that can hold a URL goes through here.
 */
public final class Redaction {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    // password=..., passwd=..., pwd=..., secret=..., token=..., apikey=... in a query string or
    // property list, up to the next separator.
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|sslpassword)\\s*[=:]\\s*)([^&;,\\s\"'}]+)");
    // user:password@host in any URL. The password runs to the last '@' before the path, so that
    // one holding an unencoded '@' is masked whole, not up to its first '@'.
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)([^/?#\\s]+)(@)");

    private Redaction() {
    }

    /**
     * @param text a URL or any text that may hold one
     * @return the text with passwords, tokens and user-info passwords masked
     */
    public static String redact(String text) {
        String out = USER_INFO.matcher(text).replaceAll("$1" + MASK + "$3");
        return KEY_VALUE.matcher(out).replaceAll("$1" + MASK);
    }

    /**
     * @param secret a secret, or null
     * @return {@link #MASK} when a secret is set, else "(not set)"
     */
    public static String mask(@Nullable String secret) {
        return secret == null || secret.isEmpty() ? "(not set)" : MASK;
    }
}
