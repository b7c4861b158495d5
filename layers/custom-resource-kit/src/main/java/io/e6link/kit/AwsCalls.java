package io.e6link.kit;

import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Runs one AWS call and turns the two failures a customer most often meets into reasons that name
 * the IAM action and the resource: throttling that outlived the SDK's adaptive retries, and a denied
 * action. Other service errors pass through unchanged to {@link AwsErrors}' generic reason.
 */
public final class AwsCalls {
    private static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "RequestThrottled", "TooManyRequestsException", "SlowDown");

    private AwsCalls() {
    }

    /**
     * @param action   the IAM action, e.g. {@code ec2:ModifyVpcEndpoint}
     * @param resource what the call acts on, for the reason (an id, ARN or list)
     */
    public static <T> T call(String action, String resource, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(e, action, resource);
        }
    }

    public static RuntimeException translate(AwsServiceException e, String action, String resource) {
        String code = AwsErrors.errorCode(e);
        if (isThrottling(e)) {
            String service = action.contains(":") ? action.substring(0, action.indexOf(':')).toUpperCase() : "AWS";
            return new CustomResourceException(service + " kept throttling " + action + " on " + resource + " (" + code
                    + ") after retries; retry the stack operation in a few minutes.", e);
        }
        if (AwsErrors.isAccessDenied(e)) {
            return new CustomResourceException("The function's IAM role may not call " + action + " on " + resource
                    + " (" + code + "); allow it in the role's policy and retry.", e);
        }
        return e;
    }

    public static boolean isThrottling(Throwable failure) {
        return THROTTLING.contains(AwsErrors.errorCode(failure));
    }
}
