package io.e6link.benchmark;

import java.util.Arrays;
import java.util.List;

/** Median and 10th/90th percentiles (nearest rank) of a list of samples. */
record Stats(double median, double p10, double p90, int count) {

    static Stats of(List<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new Stats(percentile(sorted, 50), percentile(sorted, 10), percentile(sorted, 90), sorted.length);
    }

    private static double percentile(double[] sorted, double p) {
        if (p == 50) {
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    String format(double scale) {
        return count == 0 ? "n/a" : String.format("%.0f (%.0f–%.0f)", median / scale, p10 / scale, p90 / scale);
    }

    static String ratio(Stats ours, Stats baseline) {
        return ours.count == 0 || baseline.count == 0 ? "n/a" : String.format("%.2f", ours.median / baseline.median);
    }

    @Override
    public String toString() {
        return Arrays.toString(new double[] {median, p10, p90});
    }
}
