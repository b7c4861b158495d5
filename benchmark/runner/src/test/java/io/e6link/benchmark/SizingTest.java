package io.e6link.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SizingTest {

    @Test
    void theQuotaIsMemoryOver1769OfAPeriodAndAtMostTwoCpus() {
        assertThat(CpuShare.quotaMicros(512)).isEqualTo(28_943);
        assertThat(CpuShare.quotaMicros(1769)).isEqualTo(100_000);
        assertThat(CpuShare.quotaMicros(3008)).isEqualTo(170_040);
        assertThat(CpuShare.quotaMicros(10_240)).isEqualTo(200_000);
        assertThatThrownBy(() -> CpuShare.quotaMicros(64)).hasMessageContaining("memoryMb");
    }

    @Test
    void aCustomResourceGetsTheSmallestSizeWithinTenPercentOfTheFastestColdStart() {
        TreeMap<Integer, Stats> cold = new TreeMap<>(Map.of(512, stats(6000), 1024, stats(3100), 1769, stats(2000), 3008, stats(1950)));

        assertThat(Sizing.forCustomResource(cold)).isEqualTo(1769);
    }

    @Test
    void aScheduledFunctionGetsTheCheapestSizeWhoseColdStartFitsHalfItsTimeout() {
        TreeMap<Integer, Stats> cold = new TreeMap<>(Map.of(512, stats(8000), 1024, stats(4000), 1769, stats(2300)));
        Map<Integer, Stats> warm = Map.of(512, stats(120), 1024, stats(110), 1769, stats(105));

        assertThat(Sizing.forScheduled(cold, warm, 60)).isEqualTo(512);
        assertThat(Sizing.forScheduled(cold, warm, 10)).isEqualTo(1024);
        assertThatThrownBy(() -> Sizing.forScheduled(cold, warm, 2)).hasMessageContaining("Timeout 2 s");
    }

    @Test
    void aMonthAtOneMinuteIsEveryRunsWarmDurationAndRequestPlusTheColdStartsExtra() {
        // 43,200 × (0.5 GB × 0.1 s × $0.0000166667 + $0.0000002) + 720 × 0.5 GB × 1.9 s × $0.0000166667
        assertThat(Sizing.monthlyCost(512, 100, 2000)).isCloseTo(0.036 + 0.00864 + 0.0114, org.assertj.core.data.Offset.offset(0.0001));
    }

    private static Stats stats(double millis) {
        return Stats.of(List.of(millis));
    }
}
