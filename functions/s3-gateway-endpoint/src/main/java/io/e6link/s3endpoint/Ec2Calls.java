package io.e6link.s3endpoint;

import io.e6link.kit.AwsErrors;
import io.e6link.kit.CustomResourceException;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Runs one EC2 call and turns the two failures a customer most often meets into reasons that name
 * the IAM action and the resource: throttling that outlived the SDK's adaptive retries, and a denied
 * action. Other service errors pass through to the kit's generic reason.
 */
final class Ec2Calls {
    private static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottled");

    private Ec2Calls() {
    }

    static <T> T call(String action, String resource, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(e, action, resource);
        }
    }

    static RuntimeException translate(AwsServiceException e, String action, String resource) {
        String code = AwsErrors.errorCode(e);
        if (THROTTLING.contains(code)) {
            return new CustomResourceException("EC2 kept throttling ec2:" + action + " on " + resource + " (" + code
                    + ") after retries; retry the stack operation in a few minutes.", e);
        }
        if (AwsErrors.isAccessDenied(e)) {
            return new CustomResourceException("The function's IAM role may not call ec2:" + action + " on " + resource
                    + " (" + code + "); allow it in the role's policy and retry.", e);
        }
        return e;
    }
}
