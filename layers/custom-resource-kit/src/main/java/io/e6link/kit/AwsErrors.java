package io.e6link.kit;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The one place that turns exceptions into the one-line reason a customer reads in the stack events. */
public final class AwsErrors {
    private AwsErrors() {
    }

    public static String reason(Throwable failure) {
        if (failure instanceof CustomResourceException) {
            return failure.getMessage();
        }
        if (failure instanceof AwsServiceException service) {
            return serviceReason(service);
        }
        if (failure instanceof ApiCallTimeoutException) {
            return "An AWS API call timed out (" + failure.getMessage() + "); the service may be degraded, retry the stack operation.";
        }
        if (failure instanceof AbortedException) {
            return "An AWS API call was aborted because the function ran out of time.";
        }
        if (failure instanceof SdkClientException) {
            return "Could not reach the AWS API: " + failure.getMessage();
        }
        return "Internal error (" + failure.getClass().getSimpleName() + "): " + failure.getMessage()
                + ". See the function's CloudWatch log for details.";
    }

    /** The AWS error code, or "" when the exception is not a service error. */
    public static String errorCode(Throwable failure) {
        if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            return code == null ? "" : code;
        }
        return "";
    }

    /**
     * True when AWS answered the call with a client error (4xx) or throttled it — the request was
     * refused and changed nothing — looking through the causes of wrapped exceptions. False when the outcome is unknown:
     * no answer (timeouts, connection resets, an interrupted call) or a server error (5xx), after which
     * the change may have been made; whatever a failed operation remembers for clean-up must then stay.
     */
    public static boolean isRefused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AwsServiceException service) {
                // Throttling is refused too, whatever its status (EC2 answers RequestLimitExceeded with 503).
                return (service.statusCode() >= 400 && service.statusCode() < 500) || AwsCalls.isThrottling(service);
            }
        }
        return false;
    }

    public static boolean isAccessDenied(Throwable failure) {
        String code = errorCode(failure);
        return code.contains("AccessDenied") || code.contains("UnauthorizedOperation") || code.equals("AccessDeniedException");
    }

    private static String serviceReason(AwsServiceException service) {
        AwsErrorDetails details = service.awsErrorDetails();
        String serviceName = details == null || details.serviceName() == null ? "AWS" : details.serviceName();
        String code = details == null || details.errorCode() == null ? String.valueOf(service.statusCode()) : details.errorCode();
        String message = details == null || details.errorMessage() == null ? service.getMessage() : details.errorMessage();
        String prefix = isAccessDenied(service)
                ? "The function's IAM role is not allowed to do this in " + serviceName + " (" + code + "): "
                : serviceName + " refused the request (" + code + "): ";
        return prefix + message;
    }
}
