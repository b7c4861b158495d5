package io.e6link.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch embedded metric format (EMF): a JSON log line that CloudWatch Logs turns into metrics, with
 * no PutMetricData call and no permission for it. Every e6link metric is in namespace {@value #NAMESPACE}
 * under one dimension (the cluster, the endpoint service). The document is written as is with
 * {@link JsonLog#raw}.
 *
 * <p>Source: CloudWatch User Guide, "Specification: Embedded metric format" — the {@code _aws} member
 * holds {@code Timestamp} (epoch milliseconds) and {@code CloudWatchMetrics} directives of
 * {@code Namespace}, {@code Dimensions} (lists of member names) and {@code Metrics} ({@code Name},
 * {@code Unit}); the dimension and metric values are root members named like them.
 */
public final class EmbeddedMetrics {
    /** The namespace of every e6link metric (the stack's dashboard reads it). */
    public static final String NAMESPACE = "e6link";

    /**
     * One metric value.
     *
     * @param name  the metric name, also the document member that holds the value
     * @param unit  a CloudWatch unit: {@code Count}, or {@code None} for a state code
     * @param value the value
     */
    public record Metric(String name, String unit, Number value) {
    }

    private EmbeddedMetrics() {
    }

    /** A {@code Count} metric. */
    public static Metric count(String name, Number value) {
        return new Metric(name, "Count", value);
    }

    /**
     * The EMF document: {@code _aws} first, then the dimension, then each metric's value, in the order given.
     *
     * @param dimension       the dimension's name ({@code ClusterName}, {@code ServiceId})
     * @param dimensionValue  its value
     * @param metrics         the metrics, at least one
     * @param timestampMillis the metrics' time, epoch milliseconds
     * @return a map for {@link JsonLog#raw}
     * @throws IllegalArgumentException when there is no metric, a metric has no value, or a name is used twice
     */
    public static Map<String, Object> document(String dimension, String dimensionValue, List<Metric> metrics, long timestampMillis) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("An embedded metric document needs at least one metric.");
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(List.of(dimension)));
        directive.put("Metrics", metrics.stream().map(EmbeddedMetrics::definition).toList());
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestampMillis);
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_aws", aws);
        document.put(dimension, dimensionValue);
        for (Metric metric : metrics) {
            if (metric.value() == null) {
                throw new IllegalArgumentException("Metric " + metric.name() + " has no value.");
            }
            if (document.put(metric.name(), metric.value()) != null) {
                throw new IllegalArgumentException("Metric " + metric.name() + " is listed twice.");
            }
        }
        return document;
    }

    private static Map<String, Object> definition(Metric metric) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("Name", metric.name());
        definition.put("Unit", metric.unit());
        return definition;
    }
}
