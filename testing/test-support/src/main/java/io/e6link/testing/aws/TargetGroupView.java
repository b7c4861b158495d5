package io.e6link.testing.aws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * What the target health model needs to know about one target group, read from moto at one moment:
 * its health-check settings and deregistration delay as moto stores them, whether a load balancer uses
 * it, the Availability Zones and security groups of that load balancer, the zone of every subnet of its VPC (ELB
 * takes an IP target's zone from the subnet that holds the address), and the targets moto has
 * registered.
 *
 * @param arn                 the target group ARN
 * @param port                the target group's traffic port, used for targets named without a port
 * @param healthCheckPort     HealthCheckPort as stored ({@code traffic-port} or a number)
 * @param checks              interval and thresholds
 * @param deregistrationDelay {@code deregistration_delay.timeout_seconds} (AWS default 300 s)
 * @param usedByLoadBalancer  whether any load balancer's listener forwards to the group
 * @param enabledZones        Availability Zone names enabled on those load balancers
 * @param securityGroups      the security groups of each of those load balancers that has any (one set per
 *                            load balancer; a load balancer without security groups is left out: nothing
 *                            filters what leaves it)
 * @param subnetZones         IPv4 CIDR of each subnet of the group's VPC → its Availability Zone name
 * @param registered          the targets moto holds for the group, as {@code ip:port}
 */
record TargetGroupView(String arn, int port, String healthCheckPort, HealthChecks checks, Duration deregistrationDelay,
                       boolean usedByLoadBalancer, Set<String> enabledZones, List<Set<String>> securityGroups, Map<String, String> subnetZones,
                       Set<String> registered) {
    static final Duration DEFAULT_DEREGISTRATION_DELAY = Duration.ofSeconds(300);

    /** Reads the group from moto; throws the SDK's TargetGroupNotFoundException when it does not exist. */
    static TargetGroupView read(ElasticLoadBalancingV2Client elb, Ec2Client ec2, String arn) {
        TargetGroup group = elb.describeTargetGroups(b -> b.targetGroupArns(arn)).targetGroups().get(0);
        HealthChecks defaults = HealthChecks.NLB_TCP_DEFAULTS;
        HealthChecks checks = new HealthChecks(
                group.healthCheckIntervalSeconds() == null ? defaults.interval() : Duration.ofSeconds(group.healthCheckIntervalSeconds()),
                group.healthyThresholdCount() == null ? defaults.healthyThreshold() : group.healthyThresholdCount(),
                group.unhealthyThresholdCount() == null ? defaults.unhealthyThreshold() : group.unhealthyThresholdCount());
        Duration delay = elb.describeTargetGroupAttributes(b -> b.targetGroupArn(arn)).attributes().stream()
                .filter(attribute -> attribute.key().equals("deregistration_delay.timeout_seconds"))
                .map(attribute -> Duration.ofSeconds(Long.parseLong(attribute.value())))
                .findFirst().orElse(DEFAULT_DEREGISTRATION_DELAY);
        List<String> loadBalancers = group.loadBalancerArns();
        List<LoadBalancer> described = loadBalancers.isEmpty() ? List.of()
                : elb.describeLoadBalancers(b -> b.loadBalancerArns(loadBalancers)).loadBalancers();
        Set<String> zones = described.stream().flatMap(lb -> lb.availabilityZones().stream()).map(zone -> zone.zoneName()).collect(Collectors.toSet());
        List<Set<String>> securityGroups = described.stream().filter(lb -> !lb.securityGroups().isEmpty())
                .map(lb -> Set.copyOf(lb.securityGroups())).toList();
        Map<String, String> subnetZones = new LinkedHashMap<>();
        if (group.vpcId() != null) {
            for (Subnet subnet : ec2.describeSubnetsPaginator(b -> b.filters(f -> f.name("vpc-id").values(group.vpcId()))).subnets()) {
                subnetZones.put(subnet.cidrBlock(), subnet.availabilityZone());
            }
        }
        Set<String> registered = elb.describeTargetHealth(b -> b.targetGroupArn(arn)).targetHealthDescriptions().stream()
                .map(description -> description.target().id() + ":" + description.target().port()).collect(Collectors.toSet());
        return new TargetGroupView(arn, group.port() == null ? 0 : group.port(), group.healthCheckPort(), checks, delay,
                !loadBalancers.isEmpty(), zones, securityGroups, subnetZones, registered);
    }

    /** The port health checks of a target registered on {@code trafficPort} go to: HealthCheckPort, or the traffic port for {@code traffic-port}. */
    int healthCheckPort(int trafficPort) {
        return healthCheckPort == null || "traffic-port".equals(healthCheckPort) ? trafficPort : Integer.parseInt(healthCheckPort);
    }

    /** The Availability Zone of the subnet that holds {@code ip}, or null when no subnet of the VPC does. */
    String zoneOf(String ip) {
        long address = ipv4(ip);
        for (Map.Entry<String, String> subnet : subnetZones.entrySet()) {
            String[] cidr = subnet.getKey().split("/");
            int bits = Integer.parseInt(cidr[1]);
            long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
            if ((address & mask) == (ipv4(cidr[0]) & mask)) {
                return subnet.getValue();
            }
        }
        return null;
    }

    private static long ipv4(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }
}
