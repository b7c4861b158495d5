package io.e6link.eksenitargets;

import io.e6link.kit.JsonLog;
import io.e6link.kit.ScheduledFunction;
import io.e6link.kit.ScheduledRun;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The scheduled reconciler (EventBridge), configured by {@code CLUSTER_NAME}, {@code TARGET_GROUP_ARN}
 * and {@code TARGET_PORT}. Each run writes one JSON summary line and one embedded-metric-format
 * document; a failed run throws, so Lambda's Errors metric (and the stack's alarm) sees it. Every
 * step is idempotent, so the next scheduled run finishes whatever a failed one left.
 *
 * <p>The settings and SDK clients are built once per container, on first use: a failure to build
 * them fails that run only and the next run tries again (the kit's {@link ScheduledFunction}).
 */
public final class ReconcilerFunction extends ScheduledFunction<Reconciler> {

    public ReconcilerFunction() {
        this(System::getenv, ServiceClients::forSchedule, JsonLog.stdout());
    }

    ReconcilerFunction(Function<String, String> environment, Supplier<ServiceClients> clients, JsonLog log) {
        // The settings first: a bad environment fails before any client is built or called.
        super("Target reconcile finished", "Target reconcile failed",
                () -> new Reconciler(ReconcilerSettings.from(environment), clients.get()), log);
    }

    @Override
    protected void run(Reconciler reconciler, ScheduledRun summary) {
        ReconcilerSettings settings = reconciler.settings();
        summary.put("cluster", settings.clusterName());
        summary.put("targetGroupArn", settings.targetGroupArn());
        summary.put("port", settings.port());
        ReconcilerRun run = new ReconcilerRun();
        try {
            reconciler.reconcile(run);
        } finally {
            // Also when the run fails half-way: what it had already changed.
            summary.putAll(run.fields());
        }
        summary.emit(ReconcilerMetrics.document(settings.clusterName(), run, summary.nowMillis()));
    }
}
