package io.e6link.eksenitargets;

import io.e6link.kit.EmbeddedMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CloudWatch embedded-metric-format document of one successful run (namespace e6link, per cluster). */
final class ReconcilerMetrics {
    /** The dashboard and alarms in template.yaml read these names in the kit's namespace ({@link EmbeddedMetrics#NAMESPACE}). */
    static final List<String> NAMES = List.of("RegisteredTargets", "HealthyTargets", "TargetsAdded", "TargetsRemoved", "EniDrift", "UnservableTargets");

    private ReconcilerMetrics() {
    }

    /** Every metric of {@link #NAMES}, a Count, with the dimension ClusterName; the envelope is the kit's. */
    static Map<String, Object> document(String clusterName, ReconcilerRun run, long timestampMillis) {
        Map<String, Number> values = values(run);
        return EmbeddedMetrics.document("ClusterName", clusterName,
                NAMES.stream().map(name -> EmbeddedMetrics.count(name, values.get(name))).toList(), timestampMillis);
    }

    /** The document's values by metric name. */
    private static Map<String, Number> values(ReconcilerRun run) {
        Map<String, Number> document = new LinkedHashMap<>();
        document.put("RegisteredTargets", run.registeredTargets());
        document.put("HealthyTargets", run.healthyTargets());
        document.put("TargetsAdded", run.added.size());
        document.put("TargetsRemoved", run.removed.size());
        document.put("EniDrift", run.eniDrift());
        document.put("UnservableTargets", run.unservableTargets());
        return document;
    }
}
