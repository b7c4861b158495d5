package io.e6link.kit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Lambda entry point of every scheduled (EventBridge) function. {@link #handleRequest} is final: it
 * builds the function's subject on first use, runs it, and writes one JSON summary line per run —
 * the event's {@code scheduledTime}, the run's own fields, {@code outcome} ({@code SUCCESS} or
 * {@code FAILED}), on failure the {@code reason} ({@link AwsErrors#reason}), and {@code ms} — then the
 * run's embedded-metric-format documents. A failed run throws {@link ScheduledRunFailedException}
 * after logging, so that Lambda counts it in its {@code Errors} metric (which the stack's alarms watch);
 * the next scheduled run is the retry. A successful run returns the summary as the invocation's result.
 *
 * <p>The subject (settings read from the environment and the SDK clients) is built once per container,
 * on first use, inside the guarded path: a failure to build it fails that run only, and the next run
 * builds again ({@link Lazy}).
 *
 * <p>Subclasses name their log messages, say how to build the subject, and implement {@link #run}.
 *
 * @param <S> what a run works with: the function's settings and SDK clients
 */
public abstract class ScheduledFunction<S> implements RequestStreamHandler {
    private final String finishedMessage;
    private final String failedMessage;
    private final Lazy<S> subject;
    private final JsonLog log;
    private final LongSupplier epochMillis;

    /**
     * @param finishedMessage the summary line's message when the run succeeded
     * @param failedMessage   the summary line's message when it failed (the ERROR line operators search for)
     * @param factory         builds the subject; may throw, and is then called again by the next run
     * @param log             where the summary line and the metrics go
     */
    protected ScheduledFunction(String finishedMessage, String failedMessage, Supplier<? extends S> factory, JsonLog log) {
        this(finishedMessage, failedMessage, factory, log, System::currentTimeMillis);
    }

    /** As the other constructor, with the clock (epoch milliseconds) that times the run and stamps its metrics. */
    protected ScheduledFunction(String finishedMessage, String failedMessage, Supplier<? extends S> factory, JsonLog log,
                                LongSupplier epochMillis) {
        this.finishedMessage = finishedMessage;
        this.failedMessage = failedMessage;
        this.subject = new Lazy<>(factory);
        this.log = log;
        this.epochMillis = epochMillis;
    }

    /**
     * One run: does the function's job with {@code subject}, putting what it saw and did into {@code run}
     * as it goes (a run that fails half-way still reports what it had done) and emitting its metrics there.
     *
     * @throws RuntimeException when the run cannot do its job; a {@link CustomResourceException}'s message
     *                          is the reason as written, an AWS error is translated by {@link AwsErrors#reason}
     */
    protected abstract void run(S subject, ScheduledRun run);

    /**
     * Runs once for one scheduled event (any payload; only its {@code time} is read).
     *
     * @param output receives the summary (a JSON object) when the run succeeded
     * @throws ScheduledRunFailedException when the run failed, after the summary line and metrics are written
     */
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = epochMillis.getAsLong();
        ScheduledRun run = new ScheduledRun(epochMillis, scheduledTime(input));
        try {
            run(subject.get(), run);
        } catch (RuntimeException failure) {
            String reason = AwsErrors.reason(failure);
            end(run, "FAILED", reason, started);
            log.error(failedMessage, run.fields());
            run.metrics().forEach(log::raw);
            throw new ScheduledRunFailedException(reason, failure);
        }
        end(run, "SUCCESS", null, started);
        log.info(finishedMessage, run.fields());
        run.metrics().forEach(log::raw);
        output.write(Json.write(run.fields()).getBytes(StandardCharsets.UTF_8));
    }

    private void end(ScheduledRun run, String outcome, String reason, long startedMillis) {
        run.put("outcome", outcome);
        if (reason != null) {
            run.put("reason", reason);
        }
        run.put("ms", epochMillis.getAsLong() - startedMillis);
    }

    /** The EventBridge event's time, for correlating runs; null when the payload has none. */
    private static Object scheduledTime(InputStream input) {
        try {
            Map<String, Object> event = Json.readObject(input);
            Object time = event == null ? null : event.get("time");
            return time == null ? null : time.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
