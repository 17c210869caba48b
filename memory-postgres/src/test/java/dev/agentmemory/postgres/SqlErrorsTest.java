package dev.agentmemory.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.StorageException;
import dev.agentmemory.api.TransientMemoryException;
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

    private static PersistenceException wrapped(SQLException e) {
        return new PersistenceException("### Error querying database. Cause: " + e, e);
    }
}
