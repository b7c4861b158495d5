package io.e6link.kit;

/**
 * Thrown by {@link ScheduledFunction#handleRequest} when a run failed, so that Lambda records the
 * invocation as an error (its {@code Errors} metric, which the stack's alarms watch). The message is
 * the run's one-sentence reason ({@link AwsErrors#reason}); the cause is what failed.
 */
public final class ScheduledRunFailedException extends RuntimeException {
    /**
     * @param reason the reason the run's log line gives
     * @param cause  what failed
     */
    public ScheduledRunFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
