package io.e6link.s3gatewayendpoint;

import io.e6link.kit.Json;
import io.e6link.kit.Ownership;
import io.e6link.kit.Partitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/** Static translators and decisions about S3 gateway endpoints; no calls, no state. */
public final class GatewayEndpoints {
    /** States in which an endpoint still routes (or is about to); the others are on their way out. */
    private static final Set<String> LIVE_STATES = Set.of("available", "pending");
    private static final java.util.regex.Pattern ENDPOINT_ID = java.util.regex.Pattern.compile("vpce-[0-9a-f]{8,17}");

    private GatewayEndpoints() {
    }

    /** The region's S3 endpoint service: {@code com.amazonaws.<region>.s3}, in China {@code cn.com.amazonaws.<region>.s3}. */
    static String s3ServiceName(String region) {
        return Partitions.endpointServiceName(region, "s3");
    }

    static DescribeVpcEndpointsRequest describeS3Gateways(String vpcId, String region) {
        return DescribeVpcEndpointsRequest.builder().filters(
                Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("service-name").values(s3ServiceName(region)).build(),
                Filter.builder().name("vpc-endpoint-type").values("Gateway").build()).build();
    }

    /** @param creationTags the customer's ResourceTags and the ownership tag ({@link io.e6link.kit.ResourceTags#forCreation}) */
    static CreateVpcEndpointRequest create(S3GatewayEndpointProperties wanted, String region, Map<String, String> creationTags) {
        String owner = creationTags.get(Ownership.TAG_KEY);
        List<Tag> tags = new ArrayList<>();
        creationTags.forEach((key, value) -> tags.add(Tag.builder().key(key).value(value).build()));
        tags.addAll(RouteTableClaims.tags(owner, wanted.routeTableIds()));
        return CreateVpcEndpointRequest.builder()
                .vpcEndpointType(VpcEndpointType.GATEWAY)
                .vpcId(wanted.vpcId())
                .serviceName(s3ServiceName(region))
                .routeTableIds(wanted.routeTableIds())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC_ENDPOINT).tags(tags).build())
                .build();
    }

    static ModifyVpcEndpointRequest associate(String endpointId, Collection<String> add, Collection<String> remove) {
        ModifyVpcEndpointRequest.Builder request = ModifyVpcEndpointRequest.builder().vpcEndpointId(endpointId);
        if (!add.isEmpty()) {
            request.addRouteTableIds(add);
        }
        if (!remove.isEmpty()) {
            request.removeRouteTableIds(remove);
        }
        return request.build();
    }

    /**
     * Why a visible endpoint cannot serve as ExistingS3GatewayEndpointId, or empty when it can: it must be an
     * S3 gateway endpoint ({@link #s3ServiceName}) of the cluster's VPC in a live state. The resource fails with
     * this sentence; the preflight reports it as a blocker.
     *
     * @param endpoint the endpoint DescribeVpcEndpoints returned for the given id
     * @param vpcId    the cluster's VPC
     * @param region   the stack's region (its partition names the S3 service)
     */
    public static Optional<String> unusableAsGiven(VpcEndpoint endpoint, String vpcId, String region) {
        String id = endpoint.vpcEndpointId();
        String s3 = s3ServiceName(region);
        String problem = null;
        if (!vpcId.equals(endpoint.vpcId())) {
            problem = "ExistingS3GatewayEndpointId " + id + " is in " + endpoint.vpcId() + ", not in the cluster's VPC "
                    + vpcId + "; give the S3 gateway endpoint of " + vpcId + ".";
        } else if (!s3.equals(endpoint.serviceName()) || !"Gateway".equalsIgnoreCase(endpoint.vpcEndpointTypeAsString())) {
            problem = "ExistingS3GatewayEndpointId " + id + " is a " + endpoint.vpcEndpointTypeAsString() + " endpoint for "
                    + endpoint.serviceName() + ", not an S3 gateway endpoint (" + s3 + "); give the S3 gateway endpoint of " + vpcId + ".";
        } else if (!isLive(endpoint)) {
            problem = "ExistingS3GatewayEndpointId " + id + " is " + endpoint.stateAsString()
                    + "; give an available S3 gateway endpoint of " + vpcId + ".";
        }
        return Optional.ofNullable(problem);
    }

    /** The reason when the given endpoint is not visible and the VPC is this account's own: it does not exist here. */
    public static String givenNotFound(String endpointId, String vpcId) {
        String reason = "ExistingS3GatewayEndpointId " + endpointId + " does not exist in this account and region; give the S3 gateway "
                + "endpoint of " + vpcId + " (aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=" + vpcId + ").";
        return reason;
    }

    /** An endpoint in state available or pending (one the resource can adopt); the preflight filters with it too. */
    public static boolean isLive(VpcEndpoint endpoint) {
        return endpoint.stateAsString() != null && LIVE_STATES.contains(endpoint.stateAsString().toLowerCase());
    }

    static boolean isOwnedBy(VpcEndpoint endpoint, String owner) {
        return endpoint.tags().stream().anyMatch(tag -> Ownership.isOwnerTag(tag.key(), tag.value(), owner));
    }

    /** A VPC endpoint id, the only kind of physical id this resource answers with. */
    static boolean isEndpointId(String physicalId) {
        return physicalId != null && ENDPOINT_ID.matcher(physicalId).matches();
    }

    static boolean isKnownTo(VpcEndpoint endpoint, String owner) {
        return isOwnedBy(endpoint, owner) || !RouteTableClaims.claimedBy(endpoint.tags(), owner).isEmpty();
    }

    /**
     * Which of the VPC's S3 gateway endpoints this resource uses: the one it owns or has claims on
     * (a retried request), else the one already serving most of the wanted route tables (least
     * change), the oldest on a tie so repeated runs choose the same one.
     */
    static Optional<VpcEndpoint> choose(List<VpcEndpoint> endpoints, List<String> routeTableIds, String owner) {
        Optional<VpcEndpoint> known = endpoints.stream().filter(endpoint -> isKnownTo(endpoint, owner)).findFirst();
        if (known.isPresent()) {
            return known;
        }
        return leastChange(endpoints, routeTableIds);
    }

    /**
     * The choice for a stack that owns and claims no endpoint yet (a new stack, and the preflight's question):
     * the endpoint already serving most of {@code routeTableIds}, the oldest on a tie, then the lowest id.
     *
     * @return empty when {@code endpoints} is empty
     */
    public static Optional<VpcEndpoint> leastChange(List<VpcEndpoint> endpoints, List<String> routeTableIds) {
        return endpoints.stream().min(Comparator
                .comparingLong((VpcEndpoint endpoint) -> -endpoint.routeTableIds().stream().filter(routeTableIds::contains).count())
                .thenComparing(endpoint -> endpoint.creationTimestamp() == null ? java.time.Instant.MAX : endpoint.creationTimestamp())
                .thenComparing(VpcEndpoint::vpcEndpointId));
    }

    /**
     * True unless the endpoint policy visibly allows everything to everyone on S3 (the default): a
     * statement allowing every (S3) action on every resource to every principal without a condition,
     * and no Deny statement. A custom policy may not allow e6data's buckets; the resource then warns,
     * it does not change it.
     */
    public static boolean hasCustomPolicy(VpcEndpoint endpoint) {
        if (endpoint.policyDocument() == null || endpoint.policyDocument().isBlank()) {
            return false;
        }
        try {
            Object statements = Json.readObject(endpoint.policyDocument()).get("Statement");
            List<?> list = statements instanceof List<?> l ? l : List.of(statements);
            // A Deny or a Condition narrows what the allow-all statement grants: no longer the default.
            boolean denies = list.stream().anyMatch(statement -> statement instanceof Map<?, ?> s && "Deny".equals(s.get("Effect")));
            return denies || list.stream().noneMatch(statement -> statement instanceof Map<?, ?> s
                    && "Allow".equals(s.get("Effect")) && !s.containsKey("Condition")
                    && isWildcard(s.get("Principal"), "*") && isWildcard(s.get("Resource"), "*")
                    && (isWildcard(s.get("Action"), "*") || isWildcard(s.get("Action"), "s3:*")));
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    private static boolean isWildcard(Object value, String wildcard) {
        if (value instanceof Map<?, ?> map) {
            // {"AWS": "*"} and {"AWS": ["*"]} both mean every principal.
            return isWildcard(map.get("AWS"), wildcard);
        }
        if (value instanceof List<?> list) {
            return list.contains(wildcard);
        }
        return wildcard.equals(value);
    }
}
