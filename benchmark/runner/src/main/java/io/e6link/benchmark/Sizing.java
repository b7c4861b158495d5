package io.e6link.benchmark;

import java.util.Map;
import java.util.SortedMap;

/**
 * Chooses a MemorySize from the measured curve. A custom resource runs a few times per stack
 * operation, on its critical path, for fractions of a cent: the smallest size whose median cold start is
 * within {@value #WITHIN_FASTEST} of the fastest measured one. A scheduled function runs every minute for
 * years: the size with the lowest monthly cost whose cold start (p90) stays under half its Timeout.
 *
 * <p>Prices: Lambda x86 in us-east-1, first tier (aws.amazon.com/lambda/pricing): $0.0000166667 per
 * GB-second and $0.20 per million requests. Since 2025-08-01 the INIT phase of on-demand zip functions on
 * managed runtimes is billed like the invocation (AWS Compute Blog, "AWS Lambda standardizes billing for
 * INIT Phase"), so a cold start costs its whole duration.
 */
final class Sizing {
    static final double PRICE_PER_GB_SECOND = 0.0000166667;
    static final double PRICE_PER_REQUEST = 0.20 / 1_000_000;
    /** A one-minute schedule over a 30-day month. */
    static final int RUNS_PER_MONTH = 30 * 24 * 60;
    /**
     * Assumed cold starts per month of a function invoked every minute: one new execution environment an
     * hour. Lambda documents no environment lifetime; AWS's INIT-billing post says cold starts are
     * typically under 1 % of invocations, and one an hour (1.7 % here) is on the safe side of that.
     */
    static final int COLD_STARTS_PER_MONTH = 30 * 24;
    static final double WITHIN_FASTEST = 1.10;

    private Sizing() {
    }

    /**
     * The smallest memory size whose median cold start is within 10 % of the fastest median.
     *
     * @param coldBySize cold-start statistics (ms) by memory size (MB); sizes without samples are ignored
     * @return the chosen memory size in MB
     * @throws IllegalArgumentException when no size has samples
     */
    static int forCustomResource(SortedMap<Integer, Stats> coldBySize) {
        double fastest = coldBySize.values().stream().filter(s -> s.count() > 0).mapToDouble(Stats::median).min()
                .orElseThrow(() -> new IllegalArgumentException("coldBySize has no samples"));
        return coldBySize.entrySet().stream().filter(e -> e.getValue().count() > 0 && e.getValue().median() <= fastest * WITHIN_FASTEST)
                .findFirst().orElseThrow().getKey();
    }

    /**
     * Monthly cost in USD of a function run every minute at a memory size: every run billed for its warm
     * duration plus its request, and {@link #COLD_STARTS_PER_MONTH} runs billed for their cold start instead.
     *
     * @param memoryMb   memory size in MB
     * @param warmMillis billed duration of a warm run, ms
     * @param coldMillis duration of a cold start (INIT and the first invocation), ms
     */
    static double monthlyCost(int memoryMb, double warmMillis, double coldMillis) {
        double gb = memoryMb / 1024.0;
        double warm = RUNS_PER_MONTH * (gb * warmMillis / 1000 * PRICE_PER_GB_SECOND + PRICE_PER_REQUEST);
        return warm + COLD_STARTS_PER_MONTH * gb * Math.max(0, coldMillis - warmMillis) / 1000 * PRICE_PER_GB_SECOND;
    }

    /**
     * The memory size with the lowest {@link #monthlyCost} whose p90 cold start is under half the Timeout.
     *
     * @param cold           cold-start statistics (ms) by memory size (MB)
     * @param warm           warm-run statistics (ms) by memory size (MB)
     * @param timeoutSeconds the function's Timeout
     * @return the chosen memory size in MB
     * @throws IllegalArgumentException when no size has samples within the Timeout bound
     */
    static int forScheduled(SortedMap<Integer, Stats> cold, Map<Integer, Stats> warm, int timeoutSeconds) {
        Integer best = null;
        double bestCost = Double.MAX_VALUE;
        for (Map.Entry<Integer, Stats> entry : cold.entrySet()) {
            Stats w = warm.get(entry.getKey());
            if (entry.getValue().count() == 0 || w == null || w.count() == 0 || entry.getValue().p90() > timeoutSeconds * 500.0) {
                continue;
            }
            double cost = monthlyCost(entry.getKey(), w.median(), entry.getValue().median());
            if (cost < bestCost) {
                best = entry.getKey();
                bestCost = cost;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no memory size has samples with a p90 cold start under half of Timeout " + timeoutSeconds + " s");
        }
        return best;
    }
}
