package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.TransientMemoryException;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.testkit.TcpProxy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promises of issue 12 on PostgreSQL, and the outage of the database: the memory's pool
 * reaches PostgreSQL through a {@link TcpProxy} that the test takes down and brings back, so the
 * connections break and new ones are refused as when the server is stopped, while the server the
 * other tests share keeps running.
 */
class MemoryPromisesIT extends MemoryPromisesContract {

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:?]+):(\\d+)/");

    @Override
    protected AgentMemory.Builder backend() {
        String schema = TestDatabase.schemaName(MemoryPromisesIT.class);
        TestDatabase.freshSchema(schema, 1).close();
        return AgentMemory.builder().store("postgres").jdbcUrl(TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema))
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true);
    }

    @Override
    protected String backendName() {
        return "postgres";
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aWriteAndABackfillDuringAndAfterADatabaseOutageEachEndWithinTheDeadline() throws Exception {
        String schema = TestDatabase.schemaName(MemoryPromisesIT.class) + "_outage";
        TestDatabase.freshSchema(schema, 1).close();
        Matcher m = HOST_PORT.matcher(TestDatabase.JDBC_URL);
        assertThat(m.find()).as("host and port in " + TestDatabase.JDBC_URL).isTrue();
        try (TcpProxy proxy = TcpProxy.to(m.group(1), Integer.parseInt(m.group(2)))) {
            String url = TestDatabase.urlWithSchema(m.replaceFirst("//127.0.0.1:" + proxy.port() + "/"), schema);
            try (AgentMemorySystem memory = AgentMemory.builder().store("postgres").jdbcUrl(url)
                    .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true).build()) {
                memory.rememberDecision(decision("db-outage", Map.of("queue", 1), List.of()));
                for (int i = 0; i < 3; i++) {
                    memory.episodes().storeEpisode(decision("db-outage", Map.of("queue", 10 + i), List.of()), null);
                }

                proxy.down();
                Episode during = decision("db-outage", Map.of("queue", 2), List.of());
                long[] writeDuring = {0};
                TransientMemoryException writeFailure = failsTransiently(writeDuring,
                        () -> memory.rememberDecision(during));
                long[] backfillDuring = {0};
                TransientMemoryException backfillFailure = failsTransiently(backfillDuring, memory::backfillEmbeddings);

                proxy.up();
                UUID[] written = {null};
                long writeAfter = timed(() -> written[0] = memory.rememberDecision(during));
                int[] embedded = {0};
                long backfillAfter = timed(() -> embedded[0] = memory.backfillEmbeddings());

                System.out.printf("database outage (postgres): write during %d ms (%s), backfill during %d ms (%s),"
                                + " write after %d ms, backfill after %d ms (%d embedded)%n",
                        writeDuring[0], writeFailure.getClass().getSimpleName(), backfillDuring[0],
                        backfillFailure.getClass().getSimpleName(), writeAfter, backfillAfter, embedded[0]);
                // The default deadline is 5 s; one attempt waits at most the pool's 2 s.
                assertThat(writeDuring[0]).isLessThan(8_000);
                assertThat(backfillDuring[0]).isLessThan(8_000);
                assertThat(writeFailure).hasMessageContaining("deadline");
                assertThat(memory.episodes().getEpisodeById(written[0])).isPresent();
                assertThat(embedded[0]).isEqualTo(3);
                assertThat(memory.episodes().countEpisodes("db-outage")).isEqualTo(5);
            }
        }
    }

    private static TransientMemoryException failsTransiently(long[] took, Runnable call) {
        long start = System.nanoTime();
        try {
            call.run();
        } catch (TransientMemoryException e) {
            took[0] = (System.nanoTime() - start) / 1_000_000;
            return e;
        }
        throw new AssertionError("expected a TransientMemoryException while the database was down");
    }
}
