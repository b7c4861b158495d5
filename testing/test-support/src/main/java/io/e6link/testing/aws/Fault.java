package io.e6link.testing.aws;

/**
 * A failure the emulated world can inject into a call, answered as the service answers it. The SDK
 * retries throttling and 5xx errors, so {@link StrictAws#injectFault} fails as many attempts as asked.
 */
public enum Fault {
    /**
     * The caller's role lacks the permission (HTTP 403): EC2 {@code UnauthorizedOperation}, the REST-JSON services
     * (EKS, Lambda) {@code AccessDeniedException}, others {@code AccessDenied}.
     */
    ACCESS_DENIED,
    /**
     * A service control policy denies the call (HTTP 403, the same codes as {@link #ACCESS_DENIED}), in the form of
     * the IAM User Guide's "Troubleshoot access denied error messages": "User: … is not authorized to perform:
     * ACTION on resource: … with an explicit deny in a service control policy".
     */
    SERVICE_CONTROL_POLICY_DENY,
    /** The service throttles: EC2 {@code RequestLimitExceeded} (503), S3 {@code SlowDown} (503), others {@code Throttling} (400). */
    THROTTLING,
    /** The service fails: {@code InternalError} (HTTP 500). */
    INTERNAL_ERROR;

    AwsRuleViolation violation(AwsRequest request) {
        String service = request.service();
        return switch (this) {
            case ACCESS_DENIED -> {
                // Same-account answers name the policy that did not allow the call (IAM User Guide, "Troubleshoot access
                // denied error messages"); EC2 answers with an encoded authorization message instead.
                String message = "User: arn:aws:sts::123456789012:assumed-role/" + request.accessKey() + "/session is not authorized to perform: "
                        + request.iamAction() + " on resource: * because no identity-based policy allows the " + request.iamAction() + " action (injected fault)";
                yield switch (service) {
                    case "ec2" -> new AwsRuleViolation(403, "UnauthorizedOperation", "You are not authorized to perform this operation. (injected fault)");
                    case "eks", "lambda" -> new AwsRuleViolation(403, "AccessDeniedException", message);
                    default -> new AwsRuleViolation(403, "AccessDenied", message);
                };
            }
            case SERVICE_CONTROL_POLICY_DENY -> {
                String message = "User: arn:aws:sts::123456789012:assumed-role/" + request.accessKey() + "/session is not authorized to perform: "
                        + request.iamAction() + " on resource: * with an explicit deny in a service control policy (injected fault)";
                yield switch (service) {
                    case "ec2" -> new AwsRuleViolation(403, "UnauthorizedOperation", message);
                    case "eks", "lambda" -> new AwsRuleViolation(403, "AccessDeniedException", message);
                    default -> new AwsRuleViolation(403, "AccessDenied", message);
                };
            }
            case THROTTLING -> switch (service) {
                case "ec2" -> new AwsRuleViolation(503, "RequestLimitExceeded", "Request limit exceeded. (injected fault)");
                case "s3" -> new AwsRuleViolation(503, "SlowDown", "Please reduce your request rate. (injected fault)");
                default -> new AwsRuleViolation(400, "Throttling", "Rate exceeded (injected fault)");
            };
            case INTERNAL_ERROR -> new AwsRuleViolation(500, "InternalError", "An internal error has occurred. (injected fault)");
        };
    }
}
