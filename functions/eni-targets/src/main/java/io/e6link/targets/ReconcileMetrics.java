package io.e6link.targets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CloudWatch embedded-metric-format document of one successful run (namespace e6link, per cluster). */
final class ReconcileMetrics {
    static final String NAMESPACE = "e6link";
    static final List<String> NAMES = List.of("RegisteredTargets", "HealthyTargets", "TargetsAdded", "TargetsRemoved", "EniDrift", "UnservableTargets");

    private ReconcileMetrics() {
    }

    static Map<String, Object> document(String clusterName, ReconcileRun run, long timestampMillis) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(List.of("ClusterName")));
        directive.put("Metrics", NAMES.stream().map(name -> Map.of("Name", name, "Unit", "Count")).toList());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_aws", Map.of("Timestamp", timestampMillis, "CloudWatchMetrics", List.of(directive)));
        document.put("ClusterName", clusterName);
        document.put("RegisteredTargets", run.registeredTargets());
        document.put("HealthyTargets", run.healthyTargets());
        document.put("TargetsAdded", run.added.size());
        document.put("TargetsRemoved", run.removed.size());
        document.put("EniDrift", run.eniDrift());
        document.put("UnservableTargets", run.unservableTargets());
        return document;
    }
}
