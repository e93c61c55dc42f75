package com.dsqlcdc.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Landed latencies of many rows, kept as weighted segments: the rows of one batch arrived evenly
 * over a span of time and became visible at one instant, so their latencies are spread evenly over
 * an interval. Quantiles integrate those uniform pieces exactly (no binning).
 */
final class LatencyDistribution {

    private final List<double[]> segments = new ArrayList<>(); // {low, high, weight}
    private double weight;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /**
     * @param low    the latency of the last row to arrive (seconds)
     * @param high   the latency of the first (not below {@code low})
     * @param rows   how many rows, spread evenly between them
     */
    void add(double low, double high, double rows) {
        if (rows <= 0) {
            return;
        }
        segments.add(new double[] {low, Math.max(low, high), rows});
        weight += rows;
        min = Math.min(min, low);
        max = Math.max(max, high);
    }

    /** @return the rows recorded */
    double rows() {
        return weight;
    }

    /**
     * @param q a quantile, 0-1
     * @return the latency below which a fraction {@code q} of the rows lies (NaN with no rows)
     */
    double quantile(double q) {
        if (weight == 0) {
            return Double.NaN;
        }
        double lo = min;
        double hi = max;
        for (int i = 0; i < 60 && hi - lo > 1e-3; i++) {
            double mid = (lo + hi) / 2;
            if (below(mid) < q * weight) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private double below(double x) {
        double total = 0;
        for (double[] s : segments) {
            if (x >= s[1]) {
                total += s[2];
            } else if (x > s[0]) {
                total += s[2] * (x - s[0]) / (s[1] - s[0]);
            }
        }
        return total;
    }
}
