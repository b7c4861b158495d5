package io.e6link.kit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The one way e6link waits for AWS: a probe repeated until it reports done, with pauses computed by the
 * SDK's own {@link BackoffStrategy} (the strategy SDK retries use), for at most a bound that the
 * {@link Deadline} shortens further. Returns what the last probe saw, done or not, so the caller can
 * build its one-sentence timeout reason from it.
 *
 * <p>The clock that measures the bound and the pause are injected, so tests move a counter instead of
 * sleeping; Lambda uses {@link #withBackoff}.
 *
 * <p>Source for the pauses: AWS SDK for Java 2.x, {@code software.amazon.awssdk.retries.api.BackoffStrategy}
 * (artifact {@code retries-spi}): {@code computeDelay(n)} is the delay before attempt {@code n}, zero for the
 * first; the exponential strategies take {@code base * 2^(n-2)}, capped at their maximum, and the half-jitter
 * one then a uniformly random value between half of it and all of it.
 */
public final class Polling {
    /**
     * For AWS resources changing state (targets leaving {@code initial}, connections closing): about 2 s,
     * doubling to about 15 s, with half jitter (each pause is between half and all of that) so that
     * concurrent waits do not probe in step.
     */
    public static final BackoffStrategy STATE_CHANGE = BackoffStrategy.exponentialDelayHalfJitter(Duration.ofSeconds(2), Duration.ofSeconds(15));

    /** How a poll waits between probes; Lambda sleeps with {@link Deadline#sleep}. */
    @FunctionalInterface
    public interface Pause {
        /** Waits {@code duration}, which is at least 1 ms and never past the deadline. */
        void pause(Deadline deadline, Duration duration);
    }

    private final BackoffStrategy backoff;
    private final LongSupplier millis;
    private final Pause pause;

    /**
     * @param backoff the pause before each probe after the first ({@link BackoffStrategy#computeDelay} of the
     *                probe's attempt number, 2 for the second probe)
     * @param millis  measures the bound: a clock in milliseconds (any origin)
     * @param pause   waits between probes
     */
    public Polling(BackoffStrategy backoff, LongSupplier millis, Pause pause) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.millis = Objects.requireNonNull(millis, "millis");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /** Polling on the monotonic system clock that sleeps the Lambda thread. */
    public static Polling withBackoff(BackoffStrategy backoff) {
        return new Polling(backoff, () -> System.nanoTime() / 1_000_000, Deadline::sleep);
    }

    /** The clock that measures bounds, in milliseconds (any origin): for "waited N s" in progress lines and reasons. */
    public long millis() {
        return millis.getAsLong();
    }

    /**
     * The bound for a wait: {@code wanted}, or less when the deadline comes sooner, keeping {@code reserve}
     * of the remaining time so that the wait ends with its own reason rather than the kit's timeout (or
     * leaves time to undo what the operation changed). Zero when nothing is left beyond the reserve.
     */
    public static Duration bound(Duration wanted, Deadline deadline, Duration reserve) {
        long available = Math.max(0, deadline.remainingMillis() - reserve.toMillis());
        return Duration.ofMillis(Math.min(wanted.toMillis(), available));
    }

    /**
     * Probes until {@code done} holds or {@code bound} has passed (or the deadline: the last pause ends at
     * the bound, and one last probe follows it). The first probe is made at once, whatever the bound.
     *
     * @param deadline the operation's deadline; the pauses never go past it
     * @param bound    how long the wait may take
     * @param probe    one look (an AWS call); what it throws ends the wait and reaches the caller
     * @param done     true when the look shows what the caller waits for
     * @return the last look, for which {@code done} holds unless the bound or the deadline passed
     */
    public <T> T until(Deadline deadline, Duration bound, Supplier<? extends T> probe, Predicate<? super T> done) {
        long end = millis.getAsLong() + bound.toMillis();
        for (int attempt = 1; ; attempt++) {
            T result = probe.get();
            long left = Math.min(end - millis.getAsLong(), deadline.remainingMillis());
            if (done.test(result) || left <= 0) {
                return result;
            }
            long delay = backoff.computeDelay(attempt + 1).toMillis();
            pause.pause(deadline, Duration.ofMillis(Math.max(1, Math.min(delay, left))));
        }
    }

    /**
     * Calls until the call succeeds, fails with an exception that is not {@code transient}, or
     * {@code bound} has passed; while retrying, the deadline's step says what the last failure was.
     *
     * @return the call's result
     * @throws RuntimeException a failure that is not transient, at once; or the last transient failure once
     *                          the bound has passed
     */
    public <T> T retry(Deadline deadline, Duration bound, Supplier<? extends T> call, Predicate<? super RuntimeException> isTransient) {
        String step = deadline.currentStep();
        Attempt<T> last = until(deadline, bound, () -> {
            try {
                return new Attempt<T>(call.get(), null);
            } catch (RuntimeException failure) {
                if (!isTransient.test(failure)) {
                    throw failure;
                }
                deadline.step(step + " (retrying after " + describe(failure) + ")");
                return new Attempt<T>(null, failure);
            }
        }, attempt -> attempt.failure() == null);
        deadline.step(step);
        if (last.failure() != null) {
            throw last.failure();
        }
        return last.result();
    }

    private record Attempt<T>(T result, RuntimeException failure) {
    }

    /** "OperationAborted", "HTTP 503", or the exception's class for failures that are not AWS errors. */
    private static String describe(RuntimeException failure) {
        String code = AwsErrors.errorCode(failure);
        if (!code.isEmpty()) {
            return code;
        }
        return failure instanceof AwsServiceException service ? "HTTP " + service.statusCode() : failure.getClass().getSimpleName();
    }
}
