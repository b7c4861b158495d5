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

    /**
     * The one-line reason for a failure: the message of a {@link CustomResourceException}, the sentence
     * {@link AwsFailureTranslation} gave access denied and throttling, else a sentence made from the
     * service's error code and message, the timeout, or the exception.
     */
    public static String reason(Throwable failure) {
        if (failure instanceof CustomResourceException) {
            return failure.getMessage();
        }
        if (failure instanceof AwsServiceException service) {
            return isTranslated(service) ? service.rawMessage() : serviceReason(service);
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
                return (service.statusCode() >= 400 && service.statusCode() < 500) || service.isThrottlingException();
            }
        }
        return false;
    }

    /** True when AWS throttled the call: the SDK's own list of throttling codes ({@code RequestLimitExceeded}, {@code SlowDown}, ...) or HTTP 429. */
    public static boolean isThrottling(Throwable failure) {
        return failure instanceof AwsServiceException service && service.isThrottlingException();
    }

    /**
     * True when AWS denied the call: {@code AccessDenied}, {@code AccessDeniedException}, {@code UnauthorizedOperation};
     * {@link AccessDenial#of} tells an explicit deny from an implicit one.
     */
    public static boolean isAccessDenied(Throwable failure) {
        String code = errorCode(failure);
        return code.contains("AccessDenied") || code.contains("UnauthorizedOperation");
    }

    /** {@code answer} of the same type, code and status, whose message names the throttled IAM action and resource. */
    static AwsServiceException throttled(String action, String resource, AwsServiceException answer) {
        String reason = "AWS kept throttling " + action + " on " + resource + " (" + errorCode(answer)
                + ") after retries; retry the stack operation in a few minutes.";
        return translated(answer, reason);
    }

    /**
     * {@code answer} of the same type, code and status, whose message names the denied IAM action and resource,
     * and who can allow it. An explicit deny keeps AWS's clause (which kind of policy denied, see {@link AccessDenial})
     * and names who can change that policy: the function's role cannot. An implicit deny names the role's policy,
     * or the kind of policy AWS said did not allow the call.
     *
     * @param deniedSeconds how long the call was retried while IAM could still be propagating a role change, or
     *                      negative when it was not retried (the preflight's calls)
     */
    static AwsServiceException denied(String action, String resource, AwsServiceException answer, long deniedSeconds) {
        AccessDenial denial = AccessDenial.of(answer);
        String code = errorCode(answer);
        String reason;
        if (denial.explicitPolicy().isPresent()) {
            reason = "AWS denied " + action + " on " + resource + " " + denial.clause() + " (" + code
                    + "), which no change to the function's role can lift; ask " + AccessDenial.whoToAsk(denial.explicitPolicy().get())
                    + " to allow it, then retry.";
            return translated(answer, reason);
        }
        String missing = denial.missingAllow().filter(type -> !type.equalsIgnoreCase("identity-based policy")).orElse(null);
        String why = missing == null ? code : code + ": " + denial.clause();
        String fix = missing == null ? "allow it in the role's policy and retry." : "ask " + AccessDenial.whoToAsk(missing) + " to allow it, then retry.";
        if (deniedSeconds >= 0) {
            reason = "The function's IAM role was still denied " + action + " on " + resource + " (" + why + ") after "
                    + deniedSeconds + " s, longer than IAM takes to apply a policy change; " + fix;
        } else {
            reason = "The function's IAM role may not call " + action + " on " + resource + " (" + why + "); " + fix;
        }
        return translated(answer, reason);
    }

    /**
     * The SDK accepts from {@code modifyException} only an instance of the failure's own class, so a translation
     * is the service's exception rebuilt (same class, error details, status, request id) with the reason as its
     * message and the original as its cause: callers keep catching {@code Ec2Exception} and reading its code.
     */
    private static AwsServiceException translated(AwsServiceException answer, String reason) {
        return (AwsServiceException) answer.toBuilder().message(reason).cause(answer).build();
    }

    /**
     * True when {@code failure} is {@link AwsFailureTranslation}'s sentence (whose {@link #reason} names the action, the
     * resource, and for access denied who can allow it): a translation carries the service's original answer as its
     * cause; an exception the SDK unmarshalled has none.
     */
    public static boolean isTranslated(Throwable failure) {
        return failure instanceof AwsServiceException service && service.getCause() instanceof AwsServiceException;
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
