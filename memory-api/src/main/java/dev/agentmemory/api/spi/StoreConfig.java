package dev.agentmemory.api.spi;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Redaction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StoreProvider} needs to open its stores. Immutable; built with {@link #builder()},
 * which validates. {@link #toString()} never shows the password, nor one inside the JDBC URL.
 */
public final class StoreConfig {

    private final int dimensions;
    private final boolean migrate;
    private final @Nullable DataSource dataSource;
    private final @Nullable String jdbcUrl;
    private final @Nullable String username;
    private final @Nullable String password;
    private final Map<String, String> properties;

    private StoreConfig(Builder b) {
        this.dimensions = b.dimensions;
        this.migrate = b.migrate;
        this.dataSource = b.dataSource;
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    }

    /** @return a builder with no dimension set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the vector size the stores are created for */
    public int dimensions() {
        return dimensions;
    }

    /** @return whether to create or upgrade the schema when opening */
    public boolean migrate() {
        return migrate;
    }

    /** @return the caller's DataSource, which the stores use and never close */
    public Optional<DataSource> dataSource() {
        return Optional.ofNullable(dataSource);
    }

    /** @return the JDBC URL, when no DataSource was given */
    public Optional<String> jdbcUrl() {
        return Optional.ofNullable(jdbcUrl);
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** @return the password; never log it */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** @return backend-specific settings, such as {@code pool.size} */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param key a property name
     * @param fallback the value when it is not set
     * @return the property as an int
     * @throws InvalidInputException when it is set and not a number
     */
    public int intProperty(String key, int fallback) {
        String v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a whole number");
        }
    }

    /**
     * @param key a property name
     * @param fallback the value when it is not set
     * @return the property as a double
     * @throws InvalidInputException when it is set and not a number
     */
    public double doubleProperty(String key, double fallback) {
        String v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a number");
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        properties.forEach((k, v) -> shown.put(k, Redaction.redact(k + "=" + v).substring(k.length() + 1)));
        return "StoreConfig{dimensions=" + dimensions + ", migrate=" + migrate
                + ", dataSource=" + (dataSource == null ? "none" : dataSource.getClass().getSimpleName())
                + ", jdbcUrl=" + (jdbcUrl == null ? null : Redaction.redact(jdbcUrl)) + ", username=" + username
                + ", password=" + Redaction.mask(password) + ", properties=" + shown + "}";
    }

    /** Builds a {@link StoreConfig}; each setter checks its value, {@link #build()} the whole. */
    public static final class Builder {
        private int dimensions;
        private boolean migrate = true;
        private @Nullable DataSource dataSource;
        private @Nullable String jdbcUrl;
        private @Nullable String username;
        private @Nullable String password;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** @param value the vector size, 1 to 16000 (pgvector's limit for a stored vector) */
        public Builder dimensions(int value) {
            if (value < 1 || value > 16_000) {
                throw new InvalidInputException("dimensions", value + " is outside 1 to 16000");
            }
            this.dimensions = value;
            return this;
        }

        public Builder migrate(boolean value) {
            this.migrate = value;
            return this;
        }

        public Builder dataSource(@Nullable DataSource value) {
            this.dataSource = value;
            return this;
        }

        public Builder jdbcUrl(@Nullable String value) {
            if (value != null && !value.startsWith("jdbc:")) {
                throw new InvalidInputException("jdbcUrl", "'" + Redaction.redact(value) + "' does not start with jdbc:");
            }
            this.jdbcUrl = value;
            return this;
        }

        public Builder username(@Nullable String value) {
            this.username = value;
            return this;
        }

        public Builder password(@Nullable String value) {
            this.password = value;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /**
         * @return the configuration
         * @throws InvalidInputException when no dimension was set
         */
        public StoreConfig build() {
            if (dimensions == 0) {
                throw new InvalidInputException("dimensions", "is required");
            }
            return new StoreConfig(this);
        }
    }
}
