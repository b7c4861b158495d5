package io.e6link.kit;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What AWS's access denied message says about the policy that denied a call. Source: IAM User Guide,
 * "Troubleshoot access denied error messages": an explicit deny reads "… is not authorized to perform: ACTION
 * on resource: RESOURCE with an explicit deny in a POLICY-TYPE[: policy ARN]", an implicit one "… because no
 * POLICY-TYPE allows the ACTION action", where the policy type is a service control policy, resource control
 * policy, identity-based policy, resource-based policy, permissions boundary, session policy or VPC endpoint
 * policy (field examples: aws-quickstart/quickstart-amazon-eks #277 "with an explicit deny in a service control
 * policy"; permissions boundary and identity-based forms in public lab write-ups). Services that give no
 * context (EC2's encoded message, older S3 answers) leave both empty.
 *
 * @param clause         AWS's own clause, e.g. "with an explicit deny in a service control policy", or "" when none
 * @param explicitPolicy the policy type that explicitly denied, e.g. "service control policy"
 * @param missingAllow   the policy type that did not allow (implicit deny), e.g. "identity-based policy"
 */
public record AccessDenial(String clause, Optional<String> explicitPolicy, Optional<String> missingAllow) {
    private static final Pattern EXPLICIT = Pattern.compile("with an explicit deny in (?:a |an |the )?([A-Za-z -]+?(?:policy|boundary))(: ?[^\\s,;]+)?(?=$|[\\s.,;(])");
    private static final Pattern IMPLICIT = Pattern.compile("because no ([A-Za-z -]+?(?:policy|boundary)) allows the [^\\s]+ action");

    /** Who can change each kind of policy (the kinds AWS names in access denied messages). */
    private static final Map<String, String> WHO = Map.of(
            "service control policy", "your AWS Organizations administrator (service control policies are set on the organization)",
            "resource control policy", "your AWS Organizations administrator (resource control policies are set on the organization)",
            "permissions boundary", "your IAM administrator, who set the permissions boundary on the function's role",
            "session policy", "whoever issued the session's credentials with that session policy",
            "identity-based policy", "your IAM administrator (a Deny statement in a policy attached to the function's role)",
            "resource-based policy", "the owner of the resource (its resource policy, e.g. the bucket policy)",
            "VPC endpoint policy", "the owner of the VPC endpoint the call went through (its endpoint policy)");

    /** Reads the message of {@code failure} (an {@link AwsServiceException}; anything else has no context). */
    public static AccessDenial of(Throwable failure) {
        String message = failure instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorMessage() != null ? service.awsErrorDetails().errorMessage() : "";
        Matcher explicit = EXPLICIT.matcher(message);
        if (explicit.find()) {
            return new AccessDenial(explicit.group(0), Optional.of(explicit.group(1)), Optional.empty());
        }
        Matcher implicit = IMPLICIT.matcher(message);
        if (implicit.find()) {
            return new AccessDenial(implicit.group(0), Optional.empty(), Optional.of(implicit.group(1)));
        }
        return new AccessDenial("", Optional.empty(), Optional.empty());
    }

    /** Who can lift a denial by {@code policyType} ("service control policy", ...); the account's administrator for kinds AWS may add later. */
    public static String whoToAsk(String policyType) {
        return WHO.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(policyType)).map(Map.Entry::getValue)
                .findFirst().orElse("your AWS account administrator");
    }
}
