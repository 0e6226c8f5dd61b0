package io.tidemark.jmh.keys;

import java.util.SplittableRandom;

/**
 * Draws ranks in {@code [0, n)} with probability proportional to {@code 1 / (rank + 1)^theta}, rank 0 the most
 * frequent, following Gray et al., "Quickly Generating Billion-Record Synthetic Databases" (SIGMOD 1994), the method
 * YCSB uses. Setup time only: the constructor sums {@code n} terms.
 */
final class ZipfSampler {
    private final int n;
    private final double theta;
    private final double alpha;
    private final double zetaN;
    private final double eta;
    private final SplittableRandom random;

    ZipfSampler(int n, double theta, long seed) {
        if (n < 2 || theta <= 0 || theta >= 1) {
            throw new IllegalArgumentException("zipf needs n >= 2 and 0 < theta < 1: n=" + n + ", theta=" + theta);
        }
        this.n = n;
        this.theta = theta;
        this.alpha = 1.0 / (1.0 - theta);
        this.zetaN = zeta(n, theta);
        double zeta2 = zeta(2, theta);
        this.eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetaN);
        this.random = new SplittableRandom(seed);
    }

    int next() {
        double u = random.nextDouble();
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return 1;
        }
        int rank = (int) (n * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, n - 1);
    }

    private static double zeta(int n, double theta) {
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }
}
