package dev.agentmemory.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.StorageException;
import dev.agentmemory.api.TransientMemoryException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "08003", "57P01", "57P02", "57P03", "40001", "40P01", "53300"})
    void failuresThatMayPassOnASecondTryAreTransient(String state) {
        MemoryException e = SqlErrors.translate("storing an episode", wrapped(new SQLException("boom", state)));

        assertThat(e).isInstanceOf(TransientMemoryException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).startsWith("storing an episode failed: boom").contains("SQLState " + state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "42P01", "28P01", "22P02", "42501"})
    void failuresThatWillNotPassOnASecondTryAreStorageErrors(String state) {
        MemoryException e = SqlErrors.translate("reading", wrapped(new SQLException("bad", state)));

        assertThat(e).isInstanceOf(StorageException.class);
        assertThat(e.isTransient()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ERROR: prepared statement \"S_1\" already exists|42P05",
            "ERROR: prepared statement \"S_3\" does not exist|26000"})
    void aPreparedStatementLostToATransactionPoolerNamesTheSettingThatFixesIt(String given) {
        String[] parts = given.split("\\|");
        MemoryException e = SqlErrors.translate("storing 500 episodes", wrapped(new SQLException(parts[0], parts[1])));

        assertThat(e).isInstanceOf(dev.agentmemory.api.ConfigurationException.class);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).startsWith("storing 500 episodes failed: " + parts[0] + " (SQLState " + parts[1] + ")")
                .contains("pooler in transaction mode (pgbouncer)").contains("pgbouncer=true");
    }

    @Test
    void aPoolTimeoutWithoutSqlStateIsTransient() {
        assertThat(SqlErrors.translate("reading", wrapped(new SQLTransientConnectionException("pool timed out"))))
                .isInstanceOf(TransientMemoryException.class);
    }

    @Test
    void aLibraryExceptionInTheCausesIsReturnedAsItIs() {
        NotFoundException notFound = new NotFoundException("episode", "x");

        assertThat(SqlErrors.translate("updating", new PersistenceException("wrapped", notFound))).isSameAs(notFound);
    }

    @Test
    void messagesKeepTheFirstLineAndHideSecrets() {
        MemoryException e = SqlErrors.translate("connecting",
                new SQLException("cannot reach jdbc:postgresql://db/x?user=a&password=hunter2\n### SQL: select 1", "08001"));

        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("### SQL").contains("password=****");
    }

    @Test
    void somethingThatIsNoSqlExceptionIsAStorageError() {
        assertThat(SqlErrors.translate("reading", new IllegalStateException("odd"))).isInstanceOf(StorageException.class)
                .hasMessageContaining("odd");
    }

    @Test
    void aFailedBatchIsReportedInTheServersWordsWithoutTheStatementsParameters() {
        SQLException server = new SQLException("ERROR: value too long for type character varying(5)", "22001");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO agent_episodes VALUES "
                + "('private perception', '[0.1,0.2]') was aborted: ERROR: value too long", "22001", 0, new int[] {-3}, server);
        batch.setNextException(server);

        MemoryException e = SqlErrors.translate("storing 2 episodes", wrapped(batch));

        assertThat(e).isInstanceOf(StorageException.class);
        assertThat(e.getMessage()).isEqualTo("storing 2 episodes failed: ERROR: value too long for type character"
                + " varying(5) (SQLState 22001)").doesNotContain("private perception");
    }

    @Test
    void aBatchThatLostItsConnectionIsTransient() {
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO agent_episodes was aborted",
                "08006", 0, new int[] {-3}, lost);

        assertThat(SqlErrors.translate("storing 2 episodes", wrapped(batch))).isInstanceOf(TransientMemoryException.class)
                .hasMessageContaining("An I/O error occurred");
    }

    private static PersistenceException wrapped(SQLException e) {
        return new PersistenceException("### Error querying database. Cause: " + e, e);
    }
}
