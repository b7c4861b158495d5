package io.e6link.kit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Delivers the one response to CloudFormation's presigned S3 URL. The URL was signed with an empty
 * Content-Type, so none is sent. Retries 5xx, 429 and I/O errors with backoff while time remains;
 * a 4xx other than 429 is final (an expired or mangled URL does not heal).
 */
public final class ResponseSender {
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http;
    private final JsonLog log;

    public ResponseSender(HttpClient http, JsonLog log) {
        this.http = http;
        this.log = log;
    }

    public static ResponseSender create() {
        return create(JsonLog.stdout());
    }

    public static ResponseSender create(JsonLog log) {
        return new ResponseSender(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build(), log);
    }

    /** Returns true when CloudFormation's URL accepted the body. Never throws. */
    public boolean send(String responseUrl, String body, Deadline deadline) {
        Duration backoff = Duration.ofMillis(250);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String outcome;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(responseUrl))
                        .timeout(attemptTimeout(deadline))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
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
