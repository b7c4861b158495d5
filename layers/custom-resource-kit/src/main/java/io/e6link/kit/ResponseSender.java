package io.e6link.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Delivers the one response to CloudFormation's presigned S3 URL. The URL was signed with an empty
 * Content-Type, so an empty one is sent (HttpURLConnection would otherwise add a form type and S3
 * would answer 403 SignatureDoesNotMatch). Retries 5xx, 429 and I/O errors with backoff while time
 * remains; a 4xx other than 429 is final (an expired or mangled URL does not heal).
 *
 * <p>HttpURLConnection rather than java.net.http.HttpClient: the SDK's url-connection client has
 * already loaded it, while HttpClient would load ~1,100 more classes on every cold start.
 */
public final class ResponseSender {
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private final JsonLog log;

    public ResponseSender(JsonLog log) {
        this.log = log;
    }

    public static ResponseSender create() {
        return create(JsonLog.stdout());
    }

    public static ResponseSender create(JsonLog log) {
        return new ResponseSender(log);
    }

    /** Returns true when CloudFormation's URL accepted the body. Never throws. */
    public boolean send(String responseUrl, String body, Deadline deadline) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Duration backoff = Duration.ofMillis(250);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String outcome;
            try {
                int status = put(responseUrl, bytes, deadline);
                if (status >= 200 && status < 300) {
                    return true;
                }
                outcome = "HTTP " + status;
                if (status < 500 && status != 429) {
                    log.error("CloudFormation response URL refused the response; not retrying",
                            Map.of("status", status, "attempt", attempt));
                    return false;
                }
            } catch (IOException | IllegalArgumentException e) {
                outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            log.warn("Sending the response failed; will retry", Map.of("attempt", attempt, "error", outcome));
            if (attempt == MAX_ATTEMPTS || !sleep(backoff, deadline)) {
                break;
            }
            backoff = backoff.multipliedBy(2);
        }
        log.error("Giving up sending the response to CloudFormation", Map.of("attempts", MAX_ATTEMPTS));
        return false;
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

    private static boolean sleep(Duration backoff, Deadline deadline) {
        if (deadline.remainingMillis() < backoff.toMillis() + 1000) {
            return false;
        }
        try {
            Thread.sleep(backoff.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
