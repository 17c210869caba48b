package dev.agentmemory.core.learning;

/** The few statistics learning needs: bounds, quantiles and the two-sample test. */
final class Stats {

    /** The normal quantile of a two-sided 95% interval, as {@link dev.agentmemory.api.Evidence#Z}. */
    static final double Z95 = dev.agentmemory.api.Evidence.Z;

    private Stats() {
    }

    /**
     * The Wilson score lower bound for a rate of {@code successes} in {@code n}; successes may be
     * fractional (a mean quality times n).
     */
    static double wilsonLower(double successes, double n, double z) {
        if (n <= 0) {
            return 0;
        }
        double p = Math.max(0, Math.min(1, successes / n));
        double z2 = z * z;
        double centre = p + z2 / (2 * n);
        double margin = z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
        return Math.max(0, Math.min(1, (centre - margin) / (1 + z2 / n)));
    }

    /**
     * Welch's statistic for mean(a) > mean(b), converted to the normal scale through its
     * Welch-Satterthwaite degrees of freedom, so small groups are not judged as large ones.
     * A floor on the variance keeps a noiseless world from dividing by zero.
     */
    static double welchZ(double meanA, double varA, int nA, double meanB, double varB, int nB) {
        double va = Math.max(varA, VARIANCE_FLOOR) / nA;
        double vb = Math.max(varB, VARIANCE_FLOOR) / nB;
        double se = Math.sqrt(va + vb);
        double t = (meanA - meanB) / se;
        double df = (va + vb) * (va + vb) / (va * va / Math.max(1, nA - 1) + vb * vb / Math.max(1, nB - 1));
        return tToZ(t, Math.max(1, df));
    }

    static final double VARIANCE_FLOOR = 1e-4;

    // Wallace's approximation of the normal deviate with the same tail probability as Student's t.
    static double tToZ(double t, double df) {
        if (Double.isInfinite(df)) {
            return t;
        }
        double z = (8 * df + 1) / (8 * df + 3) * Math.sqrt(df * Math.log1p(t * t / df));
        return t < 0 ? -z : z;
    }

    /**
     * The upper quantile: the z with P(Z > z) = p, for p in (0, 0.5]. Acklam's rational
     * approximation (relative error below 1.2e-9), accurate far into the tail, where the many
     * tests of a consolidation push the threshold.
     */
    static double upperQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0,1): " + p);
        }
        return -lowerQuantile(p);
    }

    private static double lowerQuantile(double p) {
        final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                6.680131188771972e+01, -1.328068155288572e+01};
        final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p <= 1 - low) {
            double q = p - 0.5;
            double r = q * q;
            return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        double q = Math.sqrt(-2 * Math.log(1 - p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
}
