package dev.agentmemory.postgres;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.Redaction;
import dev.agentmemory.api.StorageException;
import dev.agentmemory.api.TransientMemoryException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates what JDBC, MyBatis, HikariCP and Flyway throw into the library's exceptions, at the
 * edge of this module. A failure that may succeed when tried again becomes a
 * {@link TransientMemoryException}; anything else a {@link StorageException}. Messages carry the
 * database's own words and SQLState, never a password.
 */
final class SqlErrors {

    /**
     * SQLStates that say "try again": the connection broke or could not be made (class 08), the
     * server is shutting down or starting (57P01 to 57P03), a serialization failure or deadlock
     * lost the race (40001, 40P01), too many connections (53300).
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "40001", "40P01", "53300");

    /**
     * 42P05 "prepared statement ... already exists" and 26000 "prepared statement ... does not
     * exist": the driver's named statements met another server session. PostgreSQL itself never
     * does that to pgjdbc; a pooler in transaction mode does, which hands each transaction the next
     * free server connection. Trying again cannot help, configuring the pool can.
     */
    private static final Set<String> PREPARED_STATEMENT_STATES = Set.of("42P05", "26000");

    static final String POOLER_HINT = "; the JDBC URL seems to lead to a connection pooler in transaction mode"
            + " (pgbouncer), which does not keep prepared statements between transactions: set the store property "
            + PostgresStoreOptions.PGBOUNCER + "=true (and " + PostgresStoreOptions.MIGRATION_JDBC_URL
            + " to the server's direct address for migrations)";

    private SqlErrors() {
    }

    private static boolean lostPreparedStatement(SQLException e) {
        String text = e.getMessage();
        String state = e.getSQLState();
        return state != null && PREPARED_STATEMENT_STATES.contains(state) && text != null
                && text.contains("prepared statement");
    }

    /**
     * @param operation what was being done, for the message ("storing an episode")
     * @param failure what was thrown
     * @return the exception to throw in its place; a {@link MemoryException} in the causes is
     *     returned as it is (a type handler's or a check's own)
     */
    static MemoryException translate(String operation, Throwable failure) {
        SQLException sql = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MemoryException m) {
                return m;
            }
            if (sql == null && t instanceof SQLException s) {
                sql = s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (sql == null) {
            return new StorageException(operation + " failed: " + firstLine(failure.getMessage()), failure);
        }
        if (sql instanceof BatchUpdateException batch) {
            // A batch's own message quotes the failed statement with its parameters (a whole
            // episode, vector and all); the server's words and SQLState are in the exception it
            // chains as the next one and as its cause.
            SQLException inner = batch.getNextException() != null ? batch.getNextException()
                    : batch.getCause() instanceof SQLException cause ? cause : null;
            if (inner != null) {
                sql = inner;
            }
        }
        String state = sql.getSQLState();
        String message = operation + " failed: " + firstLine(sql.getMessage()) + (state == null ? "" : " (SQLState " + state + ")");
        if (lostPreparedStatement(sql)) {
            return new ConfigurationException(message + POOLER_HINT, failure);
        }
        return isTransient(sql) ? new TransientMemoryException(message, failure) : new StorageException(message, failure);
    }

    /**
     * @param e a JDBC exception
     * @return whether the same call may succeed when tried again
     */
    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state));
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        // Redact in case a driver or pool put a URL with credentials in its message.
        return Redaction.redact(nl < 0 ? trimmed : trimmed.substring(0, nl));
    }
}
