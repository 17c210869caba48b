package dev.agentmemory.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many candidates a similarity search reads exactly before it walks the HNSW index instead. */
class ExactScanLimitTest {

    private static final int CONFIGURED = PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX;

    @Test
    void aTableOfAFewThousandIsSearchedThroughTheIndexWithoutAFilter() {
        // Without a filter every row is a candidate.
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 5_000, 10)).isLessThan(5_000);
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 2_000, 10)).isLessThan(2_000);
    }

    @Test
    void aSmallTableIsAlwaysReadExactly() {
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 0, 1))
                .isEqualTo(PostgresAgentMemoryStore.SMALL_SCAN_ROWS);
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 800, 10)).isGreaterThanOrEqualTo(800);
    }

    @Test
    void aSelectiveProjectOfALargeTableIsReadExactly() {
        // 1,000 of 100,000 (1 %): the index would pass over about 1,000 rows for 10 results.
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 100_000, 10)).isGreaterThanOrEqualTo(3_000);
    }

    @Test
    void aBroadFilterOfALargeTableGoesToTheIndex() {
        // Half of 100,000: the index finds 10 of them after about 20 rows. Even with no configured
        // most, such a filter is not read exactly.
        assertThat(PostgresAgentMemoryStore.exactScanLimit(Integer.MAX_VALUE, 100_000, 10)).isLessThan(50_000);
    }

    @Test
    void aLargerLimitReadsMoreExactlyUpToTheConfiguredMost() {
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 100_000, 100))
                .isGreaterThan(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 100_000, 10));
        assertThat(PostgresAgentMemoryStore.exactScanLimit(CONFIGURED, 10_000_000, 1_000)).isEqualTo(CONFIGURED);
        assertThat(PostgresAgentMemoryStore.exactScanLimit(300, 100_000, 10)).isEqualTo(300);
        assertThat(PostgresAgentMemoryStore.exactScanLimit(0, 100_000, 10)).isZero();
    }
}
