package io.e6link.kit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The SDK retry strategy of a function's clients: the SDK's adaptive strategy ({@code ADAPTIVE_V2}: throttling,
 * 5xx and connection errors, three attempts), plus IAM's propagation window. A policy change reaches IAM's
 * data plane some seconds after CloudFormation reports the role updated, so a custom resource run right after
 * a stack update widened its role (a bucket added to {@code E6dataBucketNames}, a route table added) may be
 * denied a call its new policy allows. An <em>implicit</em> deny ({@code AccessDenied}, {@code AccessDeniedException},
 * {@code UnauthorizedOperation} whose message does not say "with an explicit deny") is therefore retried with
 * backoff until {@link #WINDOW} has passed since the first denial; an explicit deny (service control policy,
 * permissions boundary, session, resource-based or VPC endpoint policy) is never retried, as no change to the
 * role can lift it.
 *
 * <p>The window is the slow end of the field evidence (aws-clock.json, {@code iamPropagation}): about 30 s in
 * aws-cdk #37675 and its fix proposal aws-cdk PR #37878, ~30 s in terraform-provider-aws PR #12436, 15 s in
 * aws-sdk-js #850, "a few seconds (usually) to a minute (rare)" in DataDog/stratus-red-team PR #358. IAM
 * documents no bound ("Changes that I make are not always immediately visible", IAM User Guide).
 *
 * <p>The pauses are the SDK's {@link BackoffStrategy} ({@link #BACKOFF}); the SDK itself sleeps them
 * ({@code RetryableStage}), unless a {@link Sleeper} given for tests takes them on a simulated clock.
 * The function's call timeout ({@link AwsClients}) is longer than the window, so a call denied throughout
 * ends with the denial, not a timeout.
 */
public final class IamPropagationRetry implements RetryStrategy {
    /** How long an implicit deny is retried: the slow end of IAM's propagation (aws-clock.json {@code iamPropagation}). */
    public static final Duration WINDOW = Duration.ofSeconds(60);
    /** The pause before each retry of a denied call: about 1 s doubling to about 10 s, half jitter. */
    public static final BackoffStrategy BACKOFF = BackoffStrategy.exponentialDelayHalfJitter(Duration.ofSeconds(1), Duration.ofSeconds(10));

    /** Takes the pause before a retry of a denied call. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * @param pause the backoff's pause, at least 1 ms
         * @return what the SDK should still sleep: {@code pause} in Lambda, zero when this sleeper took the pause itself
         */
        Duration sleep(Duration pause);
    }

    private final RetryStrategy delegate;
    private final Duration window;
    private final BackoffStrategy backoff;
    private final LongSupplier millis;
    private final Sleeper sleeper;

    /**
     * @param delegate the strategy for every failure other than an implicit deny
     * @param window   how long after the first denial an implicit deny is still retried; zero retries none
     * @param backoff  the pauses between denied attempts ({@link BackoffStrategy#computeDelay} of the retry's number, 1 first)
     * @param millis   the clock measuring the window, in milliseconds (any origin)
     * @param sleeper  takes the pauses
     */
    public IamPropagationRetry(RetryStrategy delegate, Duration window, BackoffStrategy backoff, LongSupplier millis, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.window = Objects.requireNonNull(window, "window");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.millis = Objects.requireNonNull(millis, "millis");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Lambda's strategy: the SDK's adaptive one, {@link #WINDOW} on the monotonic clock, pauses slept by the SDK. */
    public static IamPropagationRetry lambda() {
        return on(MONOTONIC_MILLIS, SDK_SLEEPS);
    }

    /**
     * A scheduled function's strategy: the SDK's adaptive one and no propagation window. The next scheduled run,
     * a minute later, is the retry; waiting out the window would outlast the function's 60 s timeout, so a run
     * denied throughout would end in Lambda's "Task timed out" instead of the denial's sentence.
     */
    public static IamPropagationRetry scheduled() {
        return new IamPropagationRetry(AwsRetryStrategy.adaptiveRetryStrategy(), Duration.ZERO, BACKOFF, MONOTONIC_MILLIS, SDK_SLEEPS);
    }

    private static final LongSupplier MONOTONIC_MILLIS = () -> System.nanoTime() / 1_000_000;
    private static final Sleeper SDK_SLEEPS = pause -> pause;

    /** The same strategy on another clock (tests: a simulated clock that {@code sleeper} moves). */
    public static IamPropagationRetry on(LongSupplier millis, Sleeper sleeper) {
        return new IamPropagationRetry(AwsRetryStrategy.adaptiveRetryStrategy(), WINDOW, BACKOFF, millis, sleeper);
    }

    /** The clock measuring the window, in milliseconds. */
    long now() {
        return millis.getAsLong();
    }

    /** How long an implicit deny is retried. */
    public Duration window() {
        return window;
    }

    /** True for an access denied that no policy explicitly caused: the only kind that IAM's propagation can lift. */
    public static boolean isImplicitDeny(Throwable failure) {
        return AwsErrors.isAccessDenied(failure) && AccessDenial.of(failure).explicitPolicy().isEmpty();
    }

    /** A retry token: the delegate's, and the denials seen so far. */
    private record Token(RetryToken inner, long firstDeniedMillis, int denials) implements RetryToken {
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse response = delegate.acquireInitialToken(request);
        return AcquireInitialTokenResponse.create(new Token(response.token(), -1, 0), response.delay());
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        Token token = (Token) request.token();
        if (!isImplicitDeny(request.failure())) {
            RefreshRetryTokenResponse response;
            try {
                response = delegate.refreshRetryToken(request.toBuilder().token(token.inner()).build());
            } catch (TokenAcquisitionFailedException e) {
                throw new TokenAcquisitionFailedException(e.getMessage(), new Token(e.token(), token.firstDeniedMillis(), token.denials()), e.getCause());
            }
            return RefreshRetryTokenResponse.create(new Token(response.token(), token.firstDeniedMillis(), token.denials()), response.delay());
        }
        long now = millis.getAsLong();
        long first = token.firstDeniedMillis() < 0 ? now : token.firstDeniedMillis();
        long left = first + window.toMillis() - now;
        Token next = new Token(token.inner(), first, token.denials() + 1);
        if (left <= 0) {
            throw new TokenAcquisitionFailedException("Still denied " + (now - first) + " ms after the first denial (IAM propagation window "
                    + window.toSeconds() + " s)", next, request.failure());
        }
        long pause = Math.max(1, Math.min(backoff.computeDelay(next.denials()).toMillis(), left));
        return RefreshRetryTokenResponse.create(next, sleeper.sleep(Duration.ofMillis(pause)));
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        Token token = (Token) request.token();
        RecordSuccessResponse response = delegate.recordSuccess(RecordSuccessRequest.create(token.inner()));
        return RecordSuccessResponse.create(new Token(response.token(), token.firstDeniedMillis(), token.denials()));
    }

    @Override
    public int maxAttempts() {
        return delegate.maxAttempts();
    }

    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder toBuilder() {
        return new Builder(delegate.toBuilder(), this);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Changes the delegate's settings; the window, backoff and clock stay. */
    public static final class Builder implements RetryStrategy.Builder<Builder, IamPropagationRetry> {
        private final RetryStrategy.Builder<?, ?> delegate;
        private final IamPropagationRetry from;

        private Builder(RetryStrategy.Builder<?, ?> delegate, IamPropagationRetry from) {
            this.delegate = delegate;
            this.from = from;
        }

        @Override
        public Builder retryOnException(Predicate<Throwable> shouldRetry) {
            delegate.retryOnException(shouldRetry);
            return this;
        }

        @Override
        public Builder maxAttempts(int maxAttempts) {
            delegate.maxAttempts(maxAttempts);
            return this;
        }

        @Override
        public Builder backoffStrategy(BackoffStrategy backoffStrategy) {
            delegate.backoffStrategy(backoffStrategy);
            return this;
        }

        @Override
        public Builder throttlingBackoffStrategy(BackoffStrategy throttlingBackoffStrategy) {
            delegate.throttlingBackoffStrategy(throttlingBackoffStrategy);
            return this;
        }

        @Override
        public Builder treatAsThrottling(Predicate<Throwable> treatAsThrottling) {
            delegate.treatAsThrottling(treatAsThrottling);
            return this;
        }

        @Override
        public IamPropagationRetry build() {
            return new IamPropagationRetry(delegate.build(), from.window, from.backoff, from.millis, from.sleeper);
        }
    }
}
