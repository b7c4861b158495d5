package io.e6link.testing.aws;

import io.e6link.kit.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * AWS rules that depend on what already exists, checked against moto's state before a request is
 * forwarded (sources in docs/aws-rules.md):
 * <ul>
 *   <li>S3 {@code PutBucketPolicy}: the policy must be a JSON object and at most 20 KB;</li>
 *   <li>EC2 {@code CreateVpcEndpoint}/{@code ModifyVpcEndpoint}: a route table that already routes a
 *       gateway service through one endpoint cannot get a second ({@code RouteAlreadyExists});</li>
 *   <li>ELB {@code SetSubnets} on a Network Load Balancer: a subnet cannot be swapped for another in
 *       the same Availability Zone, and no subnet can be removed while the load balancer has VPC
 *       endpoint associations.</li>
 * </ul>
 */
final class StatefulRules {
    static final int MAX_BUCKET_POLICY_BYTES = 20 * 1024;
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private final Predicate<String> hasEndpointAssociations;

    /**
     * @param hasEndpointAssociations whether a load balancer ARN serves VPC endpoint connections that
     *                                are pending or available (the emulated stack knows; moto does not)
     */
    StatefulRules(Ec2Client ec2, ElasticLoadBalancingV2Client elb, Predicate<String> hasEndpointAssociations) {
        this.ec2 = ec2;
        this.elb = elb;
        this.hasEndpointAssociations = hasEndpointAssociations;
    }

    void check(AwsRequest request) {
        switch (request.iamAction()) {
            case "s3:PutBucketPolicy" -> bucketPolicy(request.body());
            case "ec2:CreateVpcEndpoint" -> {
                if ("Gateway".equalsIgnoreCase(request.param("VpcEndpointType"))) {
                    routesFree(request.param("ServiceName"), request.param("VpcId"), request.list("RouteTableId"), null);
                }
            }
            case "ec2:ModifyVpcEndpoint" -> {
                List<String> added = request.list("AddRouteTableId");
                if (!added.isEmpty()) {
                    List<VpcEndpoint> found = ec2.describeVpcEndpoints(b -> b.vpcEndpointIds(request.param("VpcEndpointId"))).vpcEndpoints();
                    if (!found.isEmpty()) {
                        routesFree(found.get(0).serviceName(), found.get(0).vpcId(), added, found.get(0).vpcEndpointId());
                    }
                }
            }
            case "elasticloadbalancing:SetSubnets" -> subnets(request);
            default -> {
            }
        }
    }

    private static void bucketPolicy(byte[] body) {
        if (body.length > MAX_BUCKET_POLICY_BYTES) {
            throw new AwsRuleViolation(400, "MalformedPolicy", "Policy exceeds the maximum allowed document size of 20 KB (" + body.length + " bytes)");
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            // Statement may be one object or a list of them (IAM policy grammar).
            Object statement = text.startsWith("{") ? Json.readObject(text).get("Statement") : null;
            if (!(statement instanceof List<?> || statement instanceof java.util.Map<?, ?>)) {
                throw new IllegalArgumentException("no Statement");
            }
        } catch (RuntimeException e) {
            throw new AwsRuleViolation(400, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
        }
    }

    private void routesFree(String serviceName, String vpcId, List<String> routeTables, String except) {
        List<VpcEndpoint> gateways = new ArrayList<>();
        ec2.describeVpcEndpointsPaginator(b -> b.filters(f -> f.name("vpc-id").values(vpcId), f -> f.name("service-name").values(serviceName)))
                .vpcEndpoints().forEach(gateways::add);
        for (VpcEndpoint endpoint : gateways) {
            if (endpoint.vpcEndpointId().equals(except) || "deleted".equalsIgnoreCase(endpoint.stateAsString())) {
                continue;
            }
            for (String table : routeTables) {
                if (endpoint.routeTableIds().contains(table)) {
                    throw new AwsRuleViolation(400, "RouteAlreadyExists", "route table " + table + " already has a route with destination-prefix-list-id for "
                            + serviceName + " (through " + endpoint.vpcEndpointId() + ")");
                }
            }
        }
    }

    private void subnets(AwsRequest request) {
        String arn = request.param("LoadBalancerArn");
        List<LoadBalancer> found = elb.describeLoadBalancers(b -> b.loadBalancerArns(arn)).loadBalancers();
        if (found.isEmpty() || !"network".equals(found.get(0).typeAsString())) {
            return;
        }
        List<String> wanted = new ArrayList<>(request.list("Subnets.member"));
        for (int i = 1; request.params().containsKey("SubnetMappings.member." + i + ".SubnetId"); i++) {
            wanted.add(request.param("SubnetMappings.member." + i + ".SubnetId"));
        }
        Map<String, String> wantedByZone = new HashMap<>();
        if (!wanted.isEmpty()) {
            for (Subnet subnet : ec2.describeSubnets(b -> b.subnetIds(wanted)).subnets()) {
                wantedByZone.put(subnet.availabilityZone(), subnet.subnetId());
            }
        }
        for (AvailabilityZone zone : found.get(0).availabilityZones()) {
            String next = wantedByZone.get(zone.zoneName());
            if (next != null && !next.equals(zone.subnetId())) {
                throw new AwsRuleViolation(400, "ValidationError", "The subnet of Availability Zone " + zone.zoneName() + " cannot be changed from "
                        + zone.subnetId() + " to " + next + " in one request; remove the subnet first, then add the other");
            }
            if (next == null && hasEndpointAssociations.test(arn)) {
                throw new AwsRuleViolation(400, "InvalidConfigurationRequest", "Subnet " + zone.subnetId() + " (" + zone.zoneName()
                        + ") cannot be removed: the load balancer has active VPC endpoint associations");
            }
        }
    }
}
