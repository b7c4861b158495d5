package io.e6link.preflight;

import io.e6link.kit.AwsErrors;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A read the preflight could not make: the finding becomes "could not check (...)" instead of the
 * run failing. Denied reads name the IAM action to add (docs/preflight.md lists them all); an API
 * the endpoint does not offer (an emulator without it) says so.
 */
final class Unreadable extends RuntimeException {
    private final String action;

    Unreadable(String action, SdkException cause) {
        super(cause.getMessage(), cause);
        this.action = action;
    }

    /** Runs one read-only call, turning any SDK failure into {@link Unreadable}. */
    static <T> T read(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new Unreadable(action, e);
        }
    }

    String action() {
        return action;
    }

    /** "your credentials may not call ec2:DescribeSubnets (UnauthorizedOperation)", or what the service answered. */
    String reason() {
        Throwable cause = getCause();
        if (AwsErrors.isAccessDenied(cause)) {
            return "your credentials may not call " + action + " (" + AwsErrors.errorCode(cause) + ")";
        }
        if (cause instanceof AwsServiceException service) {
            String code = AwsErrors.errorCode(service);
            if (service.statusCode() == 404 && (code.isEmpty() || code.equals("404"))) {
                return action + " is not offered by this endpoint (HTTP 404)";
            }
            String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            return action + " answered " + (code.isEmpty() ? "HTTP " + service.statusCode() : code)
                    + (message == null || message.isBlank() ? "" : ": " + firstLine(message));
        }
        return action + " failed: " + firstLine(String.valueOf(cause.getMessage()));
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse(text).trim();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
