package io.e6link.kit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one run of a {@link ScheduledFunction} reports: the fields of its summary log line, in the order
 * they were put, and the embedded-metric-format documents it emits. A run fills it as it goes, so a run
 * that fails half-way still reports what it had done; the function adds {@code outcome}, {@code reason}
 * and {@code ms} when the run ends.
 */
public final class ScheduledRun {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<Map<String, Object>> metrics = new ArrayList<>();
    private final LongSupplier epochMillis;

    ScheduledRun(LongSupplier epochMillis, Object scheduledTime) {
        this.epochMillis = epochMillis;
        fields.put("scheduledTime", scheduledTime);
    }

    /**
     * Adds (or replaces) a field of the summary line. Only values that are safe to log; a null value is
     * left out of the log line.
     *
     * @return this run
     */
    public ScheduledRun put(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    /** Adds each field of {@code more}, as {@link #put}. */
    public ScheduledRun putAll(Map<String, ?> more) {
        fields.putAll(more);
        return this;
    }

    /**
     * Emits an embedded-metric-format document ({@link EmbeddedMetrics#document}); it is written after
     * the summary line whatever the outcome, so a run that emits and then fails still counts.
     */
    public void emit(Map<String, Object> document) {
        metrics.add(document);
    }

    /** Now, epoch milliseconds: the timestamp of the run's metrics. */
    public long nowMillis() {
        return epochMillis.getAsLong();
    }

    Map<String, Object> fields() {
        return fields;
    }

    List<Map<String, Object>> metrics() {
        return Collections.unmodifiableList(metrics);
    }
}
