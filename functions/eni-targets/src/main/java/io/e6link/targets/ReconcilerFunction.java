package io.e6link.targets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.AwsErrors;
import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The scheduled reconciler (EventBridge), configured by {@code CLUSTER_NAME}, {@code TARGET_GROUP_ARN}
 * and {@code TARGET_PORT}. Each run writes one JSON summary line and one embedded-metric-format
 * document; a failed run throws, so Lambda's Errors metric (and the stack's alarm) sees it. Every
 * step is idempotent, so the next scheduled run finishes whatever a failed one left.
 *
 * <p>The settings and SDK clients are built once per container, on first use: a failure to build
 * them fails that run only and the next run tries again.
 */
public final class ReconcilerFunction implements RequestStreamHandler {
    private final Function<String, String> environment;
    private final Supplier<ServiceClients> clients;
    private final JsonLog log;
    private volatile TargetReconciler reconciler;

    public ReconcilerFunction() {
        this(System::getenv, ServiceClients::fromEnvironment, JsonLog.stdout());
    }

    ReconcilerFunction(Function<String, String> environment, Supplier<ServiceClients> clients, JsonLog log) {
        this.environment = environment;
        this.clients = clients;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scheduledTime", scheduledTime(input));
        ReconcileRun run = new ReconcileRun();
        TargetReconciler current = null;
        try {
            current = reconciler();
            describe(summary, current.settings());
            current.reconcile(run);
        } catch (RuntimeException failure) {
            String reason = AwsErrors.reason(failure);
            summary.putAll(run.fields());
            summary.put("outcome", "FAILED");
            summary.put("reason", reason);
            summary.put("ms", (System.nanoTime() - started) / 1_000_000);
            log.error("Target reconcile failed", summary);
            throw new ReconcileFailedException(reason, failure);
        }
        summary.putAll(run.fields());
        summary.put("outcome", "SUCCESS");
        summary.put("ms", (System.nanoTime() - started) / 1_000_000);
        log.info("Target reconcile finished", summary);
        log.raw(ReconcileMetrics.document(current.settings().clusterName(), run, System.currentTimeMillis()));
        output.write(Json.write(summary).getBytes(StandardCharsets.UTF_8));
    }

    private TargetReconciler reconciler() {
        TargetReconciler built = reconciler;
        if (built == null) {
            synchronized (this) {
                if (reconciler == null) {
                    // Assigned only when both succeed: a failed build is retried by the next run.
                    ReconcilerSettings settings = ReconcilerSettings.from(environment);
                    reconciler = new TargetReconciler(settings, clients.get());
                }
                built = reconciler;
            }
        }
        return built;
    }

    private static void describe(Map<String, Object> summary, ReconcilerSettings settings) {
        summary.put("cluster", settings.clusterName());
        summary.put("targetGroupArn", settings.targetGroupArn());
        summary.put("port", settings.port());
    }

    /** The EventBridge event's time, for correlating runs; any other payload is accepted and ignored. */
    private static Object scheduledTime(InputStream input) {
        try {
            Object time = Json.readObject(input).get("time");
            return time == null ? null : time.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Thrown so that Lambda records the run as an error. */
    static final class ReconcileFailedException extends RuntimeException {
        ReconcileFailedException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
