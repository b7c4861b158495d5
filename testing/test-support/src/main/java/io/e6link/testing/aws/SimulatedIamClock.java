package io.e6link.testing.aws;

import io.e6link.kit.AwsClients;
import io.e6link.kit.IamPropagationRetry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;

/**
 * A simulated clock for IAM's propagation window: a function's clients built here retry implicit denies exactly as
 * in Lambda ({@link IamPropagationRetry} with the SDK's backoff), but their pauses move this clock instead of
 * sleeping, so a test plays a minute of denials in milliseconds. {@link StrictAws#injectFaultUntil} reads the same
 * clock to stop denying when IAM "has propagated" the change.
 */
public final class SimulatedIamClock {
    private final AtomicLong millis = new AtomicLong();

    /** Milliseconds since the clock started (the sum of the pauses taken). */
    public long millis() {
        return millis.get();
    }

    /** The clock as an {@link InstantSource}, starting at the epoch. */
    public InstantSource instants() {
        return () -> Instant.ofEpochMilli(millis.get());
    }

    /** The function's retry strategy on this clock. */
    public IamPropagationRetry retry() {
        return IamPropagationRetry.on(millis::get, pause -> {
            millis.addAndGet(pause.toMillis());
            return Duration.ZERO;
        });
    }

    /** A function's client ({@link AwsClients#configure(AwsClientBuilder, IamPropagationRetry)}) on this clock. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        return AwsClients.configure(builder, retry());
    }
}
