package dev.agentmemory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EvidenceTest {

    @Test
    void threeOutOfThreeIsLessConvincingThanNinetyOutOfAHundred() {
        assertThat(Evidence.confidence(3, 3, 0.5)).isLessThan(Evidence.confidence(90, 100, 0.5));
    }

    @Test
    void confidenceIsTheWilsonLowerBoundQuotedInTheDocumentation() {
        assertThat(Evidence.confidence(3, 3, 0.5)).isCloseTo(0.44, within(0.005));
        assertThat(Evidence.confidence(90, 100, 0.5)).isCloseTo(0.83, within(0.005));
        assertThat(Evidence.confidence(9, 10, 0.5)).isCloseTo(0.60, within(0.005));
    }

    @Test
    void withoutTrialsThePriorStands() {
        assertThat(Evidence.confidence(0, 0, 0.37)).isEqualTo(0.37);
    }

    @Test
    void confidenceRisesWithSuccessesAndWithEvidence() {
        assertThat(Evidence.confidence(0, 5, 0.5)).isCloseTo(0, within(1e-12));
        assertThat(Evidence.confidence(4, 10, 0.5)).isLessThan(Evidence.confidence(6, 10, 0.5));
        assertThat(Evidence.confidence(7, 10, 0.5)).isLessThan(Evidence.confidence(70, 100, 0.5));
        assertThat(Evidence.confidence(1000, 1000, 0.5)).isGreaterThan(0.99).isLessThanOrEqualTo(1.0);
    }

    @Test
    void confidenceNeverExceedsTheSuccessRate() {
        for (int trials = 1; trials <= 50; trials++) {
            for (int successes = 0; successes <= trials; successes++) {
                double c = Evidence.confidence(successes, trials, 0.5);
                // Rounding may leave 1e-17 where the exact bound is 0.
                assertThat(c).isBetween(0.0, (double) successes / trials + 1e-12);
            }
        }
    }
}
