package io.e6link.endpointservicevalidation;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * @param serviceId                the endpoint service ({@code vpce-svc-...}); also the physical id
 * @param networkLoadBalancerArn   the stack's NLB the service must front
 * @param targetGroupArn           the target group the 443 listener must forward to
 * @param allowedPrincipal         e6data's account principal, {@code arn:<partition>:iam::<account>:root}
 * @param e6dataAccountId          the account in {@code allowedPrincipal}: the only endpoint owner accepted
 * @param acceptConnections        accept e6data's pending endpoint connections
 * @param waitForConnectionSeconds 0 = do not wait; otherwise wait this long for e6data's connection to be Available
 */
record EndpointServiceValidationProperties(String serviceId, String networkLoadBalancerArn, String targetGroupArn,
                                           String allowedPrincipal, String e6dataAccountId, boolean acceptConnections,
                                           int waitForConnectionSeconds) {
    /** The stack parameter allows 0-13 minutes; a Lambda cannot run longer than 15. */
    static final int MAX_WAIT_SECONDS = 900;
    private static final Pattern SERVICE_ID = Pattern.compile("vpce-svc-[0-9a-f]{8,17}");
    private static final Pattern ACCOUNT_ROOT = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):root");
    /** template.yaml: the service, NLB and target group are the stack's own; the principal and wait come from parameters. */
    static final PropertySources SOURCES = PropertySources.NONE
            .derived("ServiceId", "the stack's EndpointService")
            .derived("NetworkLoadBalancerArn", "the stack's LoadBalancer")
            .derived("TargetGroupArn", "the stack's TargetGroup")
            .derived("AllowedPrincipal", "arn:aws:iam::<E6dataAccountId>:root from E6dataAccountId")
            .derived("WaitForConnectionSeconds", "WaitForE6dataConnectionMinutes in seconds");

    static EndpointServiceValidationProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        String serviceId = properties.requiredString("ServiceId");
        if (!isServiceId(serviceId)) {
            throw SOURCES.invalid("ServiceId", serviceId, "expected an endpoint service id like vpce-svc-0123456789abcdef0");
        }
        String nlb = arn(properties, "NetworkLoadBalancerArn", ":loadbalancer/");
        String targetGroup = arn(properties, "TargetGroupArn", ":targetgroup/");
        String principal = properties.requiredString("AllowedPrincipal");
        Matcher root = ACCOUNT_ROOT.matcher(principal);
        if (!root.matches()) {
            // The owner check needs e6data's account; a role or user principal would also be narrower than e6data needs.
            throw SOURCES.invalid("AllowedPrincipal", principal, "expected e6data's account principal arn:aws:iam::<12-digit account>:root");
        }
        return new EndpointServiceValidationProperties(serviceId, nlb, targetGroup, principal, root.group(1),
                properties.bool("AcceptConnections", true),
                properties.integer("WaitForConnectionSeconds", 0, 0, MAX_WAIT_SECONDS));
    }

    static boolean isServiceId(String value) {
        return value != null && SERVICE_ID.matcher(value).matches();
    }

    private static String arn(ResourceProperties properties, String name, String marker) {
        String value = properties.requiredString(name);
        if (!value.startsWith("arn:") || !value.contains(marker)) {
            throw SOURCES.invalid(name, value, "expected an Elastic Load Balancing ARN containing '" + marker + "'");
        }
        return value;
    }
}
