package dev.agentmemory.server;

import dev.agentmemory.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The keys a server accepts and the projects each reaches: {@code AGENT_MEMORY_API_KEY} reaches
 * every project; each line {@code <key> <pattern>[,<pattern>...]} of the file
 * {@code AGENT_MEMORY_API_KEYS_FILE} reaches the projects its patterns match ({@code *} matches
 * any run of characters). Blank lines and lines starting with {@code #} are skipped.
 *
 * <p>Only SHA-256 digests of the keys are kept, and a presented key is compared with every one of
 * them with {@link MessageDigest#isEqual}, so that neither the time taken nor a heap dump tells a
 * key. No message here ever holds a key: a bad line is named by its number.
 */
public final class ApiKeys {

    /** The environment variable of the one key that reaches every project. */
    public static final String KEY_VARIABLE = "AGENT_MEMORY_API_KEY";
    /** The environment variable naming the file of scoped keys. */
    public static final String KEYS_FILE_VARIABLE = "AGENT_MEMORY_API_KEYS_FILE";

    private static final String BEARER = "Bearer ";

    private record Entry(byte[] digest, Access access) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** @return no keys: every request is let in, with access to every project */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /**
     * @param env the environment: {@link #KEY_VARIABLE} and {@link #KEYS_FILE_VARIABLE}
     * @return the keys it configures
     * @throws ConfigurationException when the file cannot be read or a line is malformed
     */
    public static ApiKeys fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        String key = env.get(KEY_VARIABLE);
        if (key != null && !key.isBlank()) {
            b.key(key.strip(), Access.ALL);
        }
        String file = env.get(KEYS_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            b.file(Path.of(file.strip()));
        }
        return b.build();
    }

    /** @return a builder of keys */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether any key is configured; without one, every request is let in */
    public boolean required() {
        return !entries.isEmpty();
    }

    /** @return how many keys are configured */
    public int size() {
        return entries.size();
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @return the access of the key it presents; empty when keys are required and it presents none
     *     that is configured
     */
    public Optional<Access> authenticate(@Nullable String authorization) {
        if (!required()) {
            return Optional.of(Access.ALL);
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).strip());
        Access found = null;
        // Every entry is compared, whichever matches, so that the time does not tell which did.
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), presented) && found == null) {
                found = e.access();
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public String toString() {
        return "ApiKeys[" + entries.size() + " keys]";
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Collects keys; {@link #build()} refuses a key given twice. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param key the key, at least 16 characters
         * @param access what it reaches
         * @return this builder
         */
        public Builder key(String key, Access access) {
            if (key.length() < 16) {
                throw new ConfigurationException("an API key must be at least 16 characters long (one of "
                        + (entries.size() + 1) + " configured is " + key.length() + ")");
            }
            if (key.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigurationException("an API key must not contain white space");
            }
            byte[] d = digest(key);
            for (Entry e : entries) {
                if (MessageDigest.isEqual(e.digest(), d)) {
                    throw new ConfigurationException("the same API key is configured twice");
                }
            }
            entries.add(new Entry(d, access));
            return this;
        }

        /**
         * @param file lines {@code <key> <pattern>[,<pattern>...]}
         * @return this builder
         */
        public Builder file(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigurationException(KEYS_FILE_VARIABLE + ": cannot read " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (parts.length != 2) {
                    throw new ConfigurationException(KEYS_FILE_VARIABLE + " " + file + " line " + (i + 1)
                            + ": expected '<key> <project pattern>[,<pattern>...]'");
                }
                try {
                    key(parts[0], Access.of(List.of(parts[1].split(","))));
                } catch (ConfigurationException e) {
                    throw new ConfigurationException(KEYS_FILE_VARIABLE + " " + file + " line " + (i + 1) + ": "
                            + e.getMessage(), e);
                }
            }
            return this;
        }

        /** @return the keys */
        public ApiKeys build() {
            return new ApiKeys(entries);
        }
    }

    /**
     * What a key reaches: the projects its patterns match.
     *
     * @param patterns the patterns as configured, {@code *} a wildcard
     */
    public record Access(List<String> patterns) {
        /** Every project. */
        public static final Access ALL = new Access(List.of("*"));

        public Access {
            patterns = List.copyOf(patterns);
            if (patterns.isEmpty()) {
                throw new ConfigurationException("a key needs at least one project pattern");
            }
            for (String p : patterns) {
                if (p.isBlank()) {
                    throw new ConfigurationException("a project pattern must not be blank");
                }
            }
        }

        /**
         * @param patterns project patterns
         * @return the access they give
         */
        public static Access of(List<String> patterns) {
            return new Access(patterns.stream().map(String::strip).toList());
        }

        /** @return whether this reaches every project */
        public boolean all() {
            return patterns.contains("*");
        }

        /**
         * @param projectId a project
         * @return whether this reaches it
         */
        public boolean allows(String projectId) {
            for (String p : patterns) {
                if (glob(p).matcher(projectId).matches()) {
                    return true;
                }
            }
            return false;
        }

        /** @return the projects named without a wildcard, when every pattern is one; else empty */
        public Optional<List<String>> literalProjects() {
            for (String p : patterns) {
                if (p.contains("*")) {
                    return Optional.empty();
                }
            }
            return Optional.of(patterns);
        }

        private static Pattern glob(String pattern) {
            StringBuilder re = new StringBuilder();
            String[] parts = pattern.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    re.append(".*");
                }
                if (!parts[i].isEmpty()) {
                    re.append(Pattern.quote(parts[i]));
                }
            }
            return Pattern.compile(re.toString(), Pattern.DOTALL);
        }
    }
}
