package io.e6link.endpointservice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch embedded metric format: the log line is the metric, no PutMetricData call or permission.
 * Namespace e6link, dimension ServiceId, for both functions of this zip.
 */
final class EmbeddedMetrics {
    static final String NAMESPACE = "e6link";

    /** One metric value and its CloudWatch unit ("None", "Count"). */
    record Metric(String name, String unit, Number value) {
    }

    private EmbeddedMetrics() {
    }

    static Metric count(String name, int value) {
        return new Metric(name, "Count", value);
    }

    static Map<String, Object> document(String serviceId, List<Metric> metrics) {
        Map<String, Object> directive = Map.of(
                "Namespace", NAMESPACE,
                "Dimensions", List.of(List.of("ServiceId")),
                "Metrics", metrics.stream().map(m -> Map.of("Name", m.name(), "Unit", m.unit())).toList());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_aws", Map.of("Timestamp", System.currentTimeMillis(), "CloudWatchMetrics", List.of(directive)));
        document.put("ServiceId", serviceId);
        metrics.forEach(m -> document.put(m.name(), m.value()));
        return document;
    }
}
