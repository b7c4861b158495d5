package io.e6link.endpointservicevalidation;

import io.e6link.kit.AwsErrors;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Deadline;
import io.e6link.kit.JsonLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * The checks that prove the provider side of the PrivateLink path, each failing with one sentence
 * that names the thing and what to do. Read-only: nothing here changes AWS state.
 */
record PrivateLinkChecks(Ec2Client ec2, ElasticLoadBalancingV2Client elb, Pacing pacing) {
    private static final String SERVICE_NOT_FOUND = "InvalidVpcEndpointServiceId.NotFound";
    /** The target group's traffic port, which its TCP health checks use (HealthCheckPort: traffic-port). */
    private static final int HEALTH_CHECK_PORT = 443;
    private static final Pattern PRINCIPAL_ACCOUNT = Pattern.compile("arn:aws[a-z-]*:[a-z]+::(\\d{12}):.*");

    /** The service configuration, or empty when the service does not exist. */
    Optional<ServiceConfiguration> findService(String serviceId) {
        try {
            return ec2.describeVpcEndpointServiceConfigurations(request -> request.serviceIds(serviceId))
                    .serviceConfigurations().stream().findFirst();
        } catch (Ec2Exception e) {
            if (SERVICE_NOT_FOUND.equals(AwsErrors.errorCode(e))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The service exists and is Available. */
    ServiceConfiguration service(EndpointServiceValidationProperties wanted) {
        ServiceConfiguration service = findService(wanted.serviceId()).orElseThrow(() -> new CustomResourceException(
                "Endpoint service " + wanted.serviceId() + " does not exist; check the ServiceId property."));
        String state = service.serviceStateAsString();
        if (!"Available".equalsIgnoreCase(state)) {
            throw new CustomResourceException("Endpoint service " + wanted.serviceId() + " is " + state
                    + ", not Available; wait until it is Available and retry, or recreate it if it Failed.");
        }
        return service;
    }

    /** The service fronts the stack's NLB (checked after the NLB itself, whose problems are more telling). */
    void frontsLoadBalancer(ServiceConfiguration service, EndpointServiceValidationProperties wanted) {
        if (!service.networkLoadBalancerArns().contains(wanted.networkLoadBalancerArn())) {
            throw new CustomResourceException("Endpoint service " + wanted.serviceId() + " fronts "
                    + (service.networkLoadBalancerArns().isEmpty() ? "no network load balancer" : String.join(", ", service.networkLoadBalancerArns()))
                    + ", not this stack's load balancer " + wanted.networkLoadBalancerArn() + "; point the service at that load balancer.");
        }
    }

    /** The NLB is this stack's: type network, internal, active. */
    void loadBalancer(EndpointServiceValidationProperties wanted) {
        LoadBalancer nlb;
        try {
            nlb = elb.describeLoadBalancers(request -> request.loadBalancerArns(wanted.networkLoadBalancerArn()))
                    .loadBalancers().stream().findFirst().orElse(null);
        } catch (LoadBalancerNotFoundException e) {
            nlb = null;
        }
        if (nlb == null) {
            throw new CustomResourceException("Load balancer " + wanted.networkLoadBalancerArn()
                    + " does not exist; check the NetworkLoadBalancerArn property.");
        }
        String name = nlb.loadBalancerName();
        if (!"network".equals(nlb.typeAsString())) {
            throw new CustomResourceException("Load balancer " + name + " is of type " + nlb.typeAsString()
                    + "; an endpoint service needs a network load balancer.");
        }
        if (!"internal".equals(nlb.schemeAsString())) {
            throw new CustomResourceException("Network load balancer " + name + " is " + nlb.schemeAsString()
                    + "; e6data's PrivateLink path needs an internal load balancer, recreate it with Scheme internal.");
        }
        String state = nlb.state() == null ? "unknown" : nlb.state().codeAsString();
        if (!"active".equals(state)) {
            String reason = nlb.state() == null || nlb.state().reason() == null ? "" : " (" + nlb.state().reason() + ")";
            throw new CustomResourceException("Network load balancer " + name + " is " + state + reason
                    + ", not active; fix the load balancer and retry the stack operation.");
        }
    }

    /** A TCP listener on 443 forwards to the target group. */
    void listener(EndpointServiceValidationProperties wanted) {
        String nlb = loadBalancerName(wanted.networkLoadBalancerArn());
        List<Listener> on443 = elb.describeListenersPaginator(request -> request.loadBalancerArn(wanted.networkLoadBalancerArn()))
                .listeners().stream()
                .filter(listener -> listener.port() != null && listener.port() == 443)
                .toList();
        if (on443.isEmpty()) {
            throw new CustomResourceException("Network load balancer " + nlb
                    + " has no listener on port 443; add a TCP 443 listener that forwards to the target group.");
        }
        Listener listener = on443.getFirst();
        if (!"TCP".equals(listener.protocolAsString())) {
            throw new CustomResourceException("The port 443 listener of network load balancer " + nlb + " uses "
                    + listener.protocolAsString() + "; e6data connects with TCP 443 (TLS passes through to the cluster), use protocol TCP.");
        }
        List<String> forwardsTo = listener.defaultActions().stream()
                .filter(action -> action.type() == ActionTypeEnum.FORWARD)
                .flatMap(action -> forwardTargets(action).stream())
                .toList();
        if (!forwardsTo.contains(wanted.targetGroupArn())) {
            throw new CustomResourceException("The TCP 443 listener of network load balancer " + nlb + " forwards to "
                    + (forwardsTo.isEmpty() ? "no target group" : String.join(", ", forwardsTo.stream().map(PrivateLinkChecks::targetGroupName).toList()))
                    + ", not to target group " + targetGroupName(wanted.targetGroupArn()) + "; make it forward there.");
        }
    }

    /** The allowed principals contain e6data's and nothing broader ("*" or another account). */
    void principals(EndpointServiceValidationProperties wanted) {
        List<String> principals = ec2.describeVpcEndpointServicePermissionsPaginator(request -> request.serviceId(wanted.serviceId()))
                .allowedPrincipals().stream().map(AllowedPrincipal::principal).toList();
        if (!principals.contains(wanted.allowedPrincipal())) {
            throw new CustomResourceException("Endpoint service " + wanted.serviceId() + " does not allow e6data's principal "
                    + wanted.allowedPrincipal() + "; add it to the service's allowed principals.");
        }
        List<String> broader = principals.stream()
                .filter(principal -> !wanted.e6dataAccountId().equals(accountOf(principal)))
                .toList();
        if (!broader.isEmpty()) {
            throw new CustomResourceException("Endpoint service " + wanted.serviceId() + " also allows " + String.join(", ", broader)
                    + ", broader than e6data's account " + wanted.e6dataAccountId() + "; remove them from the allowed principals.");
        }
    }

    /**
     * At least one registered target is healthy, waiting with backoff up to the bound: on a first Create AWS
     * keeps new targets {@code initial} for minutes ({@code Elb.RegistrationInProgress} up to about 300 s, then
     * {@code Elb.InitialHealthChecking}; see {@link Pacing#LAMBDA}). Each probe whose states differ from the
     * last one's, and at least one a minute, writes a "Waiting for a healthy target" line to {@code log}. The
     * wait ends early when no target can still become healthy: every target is past {@code initial} with a
     * reason waiting does not change ({@link #canStillBecomeHealthy}).
     *
     * @return the number of healthy targets (at least 1)
     * @throws CustomResourceException naming each target's state and reason code when none became healthy
     */
    int healthyTargets(EndpointServiceValidationProperties wanted, Deadline deadline, JsonLog log) {
        Duration bound = pacing.bound(pacing.targetWait(), deadline);
        long started = pacing.polling().millis();
        long boundSeconds = Math.round(bound.toMillis() / 1000.0);
        List<String> lastStates = new ArrayList<>();
        long[] lastLine = {Long.MIN_VALUE};
        List<TargetHealthDescription> targets = pacing.polling().until(deadline, bound, () -> {
            List<TargetHealthDescription> found = elb.describeTargetHealth(request -> request.targetGroupArn(wanted.targetGroupArn()))
                    .targetHealthDescriptions();
            List<String> states = found.stream().map(PrivateLinkChecks::describe).toList();
            long now = pacing.polling().millis();
            if (healthy(found) == 0 && (!states.equals(lastStates) || now - lastLine[0] >= PROGRESS_EVERY.toMillis())) {
                log.info("Waiting for a healthy target", Map.of("targetGroupArn", wanted.targetGroupArn(), "targets", states,
                        "waitedSeconds", (now - started) / 1000, "boundSeconds", boundSeconds));
                lastStates.clear();
                lastStates.addAll(states);
                lastLine[0] = now;
            }
            return found;
        }, found -> healthy(found) > 0 || (!found.isEmpty() && found.stream().noneMatch(PrivateLinkChecks::canStillBecomeHealthy)));
        int healthy = healthy(targets);
        if (healthy > 0) {
            return healthy;
        }
        String group = targetGroupName(wanted.targetGroupArn());
        String inboundCheck = "check that the cluster security group allows TCP 443 from the load balancer and that the targets' zones are enabled on it.";
        if (targets.isEmpty()) {
            throw new CustomResourceException("Target group " + group + " has no registered targets after " + boundSeconds
                    + " s; the cluster's control-plane ENI IPs must be registered on port 443 (see the EksEniTargets resource).");
        }
        String states = String.join("; ", targets.stream().map(PrivateLinkChecks::describe).toList());
        // Health checks leave through the NLB's security group: when its outbound rules block 443 to the
        // targets, say so instead of pointing at the inbound rule.
        List<String> checked = targets.stream().filter(target -> target.targetHealth() != null
                && target.targetHealth().state() != TargetHealthStateEnum.UNUSED).map(target -> target.target().id()).toList();
        Optional<String> egress = checked.isEmpty() ? Optional.empty()
                : new HealthCheckEgress(ec2, elb).blocked(wanted.networkLoadBalancerArn(), checked, HEALTH_CHECK_PORT);
        String check = egress.map(clause -> clause + ".").orElse(inboundCheck);
        if (targets.stream().noneMatch(PrivateLinkChecks::canStillBecomeHealthy)) {
            long waited = Math.round((pacing.polling().millis() - started) / 1000.0);
            throw new CustomResourceException("No target of target group " + group + " can become healthy: " + states + " after " + waited + " s; " + check);
        }
        throw new CustomResourceException("No target of target group " + group + " became healthy within " + boundSeconds + " s (" + states + "); " + check);
    }

    /** At most this long between two progress lines of a wait for a healthy target. */
    private static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);

    /**
     * Whether waiting may still make this target healthy: it is {@code initial} (registration or the first
     * checks in progress), ELB reports an internal error, or its state is unknown. Not for {@code unhealthy}
     * after failed checks ({@code Target.FailedHealthChecks}, {@code Target.Timeout},
     * {@code Target.ResponseCodeMismatch}: the path to the target is closed), {@code unused}
     * ({@code Target.NotInUse}: its zone is not enabled, {@code Target.NotRegistered},
     * {@code Target.InvalidState}, {@code Target.IpUnusable}), {@code draining} or {@code unavailable}
     * (ELB guide, "Target health status" and "Health check reason codes").
     */
    static boolean canStillBecomeHealthy(TargetHealthDescription target) {
        if (target.targetHealth() == null || target.targetHealth().state() == null) {
            return true;
        }
        return switch (target.targetHealth().state()) {
            case INITIAL, UNKNOWN_TO_SDK_VERSION -> true;
            case UNHEALTHY -> "Elb.InternalError".equals(target.targetHealth().reasonAsString());
            default -> false;
        };
    }

    private static int healthy(List<TargetHealthDescription> targets) {
        return (int) targets.stream()
                .filter(target -> target.targetHealth() != null && target.targetHealth().state() == TargetHealthStateEnum.HEALTHY)
                .count();
    }

    private static String describe(TargetHealthDescription target) {
        String reason = target.targetHealth() == null || target.targetHealth().reasonAsString() == null ? "" : " " + target.targetHealth().reasonAsString();
        String state = target.targetHealth() == null ? "unknown" : target.targetHealth().stateAsString();
        return target.target().id() + (target.target().port() == null ? "" : ":" + target.target().port()) + " " + state + reason;
    }

    private static List<String> forwardTargets(Action action) {
        if (action.forwardConfig() != null && !action.forwardConfig().targetGroups().isEmpty()) {
            return action.forwardConfig().targetGroups().stream().map(TargetGroupTuple::targetGroupArn).toList();
        }
        return action.targetGroupArn() == null ? List.of() : List.of(action.targetGroupArn());
    }

    /** The 12-digit account of an IAM principal ARN; null for "*" or anything else. */
    static String accountOf(String principal) {
        Matcher matcher = PRINCIPAL_ACCOUNT.matcher(principal);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** "targetgroup/<name>/<id>" → name; the ARN itself when it has another shape. */
    static String targetGroupName(String arn) {
        return nameAfter(arn, ":targetgroup/");
    }

    /** "loadbalancer/net/<name>/<id>" → name. */
    static String loadBalancerName(String arn) {
        return nameAfter(arn, ":loadbalancer/");
    }

    private static String nameAfter(String arn, String marker) {
        int at = arn.indexOf(marker);
        if (at < 0) {
            return arn;
        }
        String[] parts = arn.substring(at + marker.length()).split("/");
        // loadbalancer/<type>/<name>/<id>; targetgroup/<name>/<id>
        return parts.length >= 3 && marker.contains("loadbalancer") ? parts[1] : parts[0];
    }
}
