package io.e6link.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Delivers the one response to CloudFormation's presigned S3 URL. The URL was signed with an empty
 * Content-Type, so an empty one is sent (HttpURLConnection would otherwise add a form type and S3
 * would answer 403 SignatureDoesNotMatch). Retries 5xx, 429 and I/O errors on the kit's {@link Polling} while
 * time remains; a 4xx other than 429 is final (an expired or mangled URL does not heal).
 *
 * <p>HttpURLConnection rather than java.net.http.HttpClient: the SDK's url-connection client has
 * already loaded it, while HttpClient would load ~1,100 more classes on every cold start.
 */
public final class ResponseSender {
    private static final int MAX_ATTEMPTS = 5;
    /** The pause before attempt n: 250 ms, doubling (250, 500, 1000, 2000 ms), without jitter: one sender per invocation. */
    static final BackoffStrategy BACKOFF = BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(250), Duration.ofSeconds(4));
    /** Time kept back from the deadline: the last attempt ends before the function's timeout. */
    private static final Duration RESERVE = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private final JsonLog log;
    private final Polling polling;

    public ResponseSender(JsonLog log) {
        this(log, Polling.withBackoff(BACKOFF));
    }

    /**
     * @param log     where refusals and retries are logged
     * @param polling paces the attempts ({@link #BACKOFF} in Lambda; tests inject a clock and a pause)
     */
    ResponseSender(JsonLog log, Polling polling) {
        this.log = log;
        this.polling = polling;
    }

    public static ResponseSender create() {
        return create(JsonLog.stdout());
    }

    public static ResponseSender create(JsonLog log) {
        return new ResponseSender(log);
    }

    /**
     * PUTs {@code body} to CloudFormation's presigned {@code responseUrl}: at most five attempts, paced by the
     * kit's {@link Polling}, while the deadline leaves a second. Never throws.
     *
     * @return true when CloudFormation's URL accepted the body (2xx); false when it refused it (4xx other than
     *     429, not retried) or every attempt failed (5xx, 429, I/O errors)
     */
    public boolean send(String responseUrl, String body, Deadline deadline) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int[] attempts = {0};
        Attempt last = polling.until(deadline, Polling.bound(Duration.ofMillis(deadline.remainingMillis()), deadline, RESERVE),
                () -> attempt(responseUrl, bytes, deadline, ++attempts[0]),
                attempt -> attempt != Attempt.RETRY || attempts[0] >= MAX_ATTEMPTS);
        if (last == Attempt.RETRY) {
            log.error("Giving up sending the response to CloudFormation", Map.of("attempts", attempts[0]));
        }
        return last == Attempt.DELIVERED;
    }

    private enum Attempt { DELIVERED, REFUSED, RETRY }

    private Attempt attempt(String responseUrl, byte[] bytes, Deadline deadline, int attempt) {
        String outcome;
        try {
            int status = put(responseUrl, bytes, deadline);
            if (status >= 200 && status < 300) {
                return Attempt.DELIVERED;
            }
            outcome = "HTTP " + status;
            if (status < 500 && status != 429) {
                log.error("CloudFormation response URL refused the response; not retrying",
                        Map.of("status", status, "attempt", attempt));
                return Attempt.REFUSED;
            }
        } catch (IOException | IllegalArgumentException e) {
            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        log.warn("Sending the response failed; will retry", Map.of("attempt", attempt, "error", outcome));
        return Attempt.RETRY;
    }

    private static int put(String responseUrl, byte[] body, Deadline deadline) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(responseUrl).toURL().openConnection();
        try {
            connection.setRequestMethod("PUT");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "");
            connection.setFixedLengthStreamingMode(body.length);
            connection.setConnectTimeout((int) Math.min(CONNECT_TIMEOUT.toMillis(), Math.max(1000, deadline.remainingMillis())));
            connection.setReadTimeout((int) attemptTimeout(deadline).toMillis());
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status;
        } finally {
            connection.disconnect();
        }
    }

    private static Duration attemptTimeout(Deadline deadline) {
        long remaining = deadline.remainingMillis();
        return remaining > 1000 && remaining < ATTEMPT_TIMEOUT.toMillis() ? Duration.ofMillis(remaining) : ATTEMPT_TIMEOUT;
    }
}
