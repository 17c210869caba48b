package dev.agentmemory.api;

/**
 * The one rule by which a strategy's confidence follows from its evidence.
 *
 * <p>Confidence is the lower bound of the Wilson score interval at 95% ({@code z = 1.96}) for the
 * success rate: the success rate we can be fairly sure the strategy reaches, given how often it was
 * tried. It rewards evidence as well as success: 3 successes out of 3 give 0.44, 90 out of 100
 * give 0.83, 9 out of 10 give 0.60. Before the first application the confidence it was created
 * with stands.
 */
public final class Evidence {

    /** The normal quantile for a two-sided 95% interval. */
    public static final double Z = 1.96;

    private Evidence() {
    }

    /**
     * @param successes how often applying the strategy succeeded
     * @param trials how often it was applied
     * @param prior the confidence to keep while there is no evidence
     * @return the confidence in [0,1]
     */
    public static double confidence(int successes, int trials, double prior) {
        if (trials <= 0) {
            return prior;
        }
        return wilsonLowerBound(successes, trials);
    }

    /**
     * @param successes successes, 0 to trials
     * @param trials trials, more than 0
     * @return the lower bound of the Wilson score interval
     */
    public static double wilsonLowerBound(int successes, int trials) {
        double n = trials;
        double p = successes / n;
        double z2 = Z * Z;
        double centre = p + z2 / (2 * n);
        double margin = Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
        double lower = (centre - margin) / (1 + z2 / n);
        return Math.max(0, Math.min(1, lower));
    }
}
