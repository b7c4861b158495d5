package io.e6link.s3gatewayendpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The decisions and translators of {@link GatewayEndpoints} as tables: which of the VPC's S3 gateway
 * endpoints is used, which states count as live, which ids are endpoint ids, when an endpoint policy
 * is custom, and the requests built. No AWS, no moto.
 */
class GatewayEndpointsTest {
    private static final String ME = "arn:aws:cloudformation:us-east-1:123456789012:stack/e6link/11111111-2222-3333-4444-555555555555/S3GatewayEndpoint";
    private static final String OTHER = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/66666666-7777-8888-9999-000000000000/S3GatewayEndpoint";
    private static final Instant OLD = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2025-01-01T00:00:00Z");

    record ChooseRow(String name, List<VpcEndpoint> endpoints, List<String> wanted, String chosen) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ChooseRow> chooseRows() {
        VpcEndpoint owned = endpoint("vpce-0000000000000000a", NEW, List.of(tag("e6link:owner", ME)), "rtb-1");
        VpcEndpoint claimed = endpoint("vpce-0000000000000000b", NEW, RouteTableClaims.tags(ME, List.of("rtb-1")), "rtb-1");
        VpcEndpoint othersOwned = endpoint("vpce-0000000000000000c", OLD, List.of(tag("e6link:owner", OTHER)), "rtb-1", "rtb-2");
        VpcEndpoint oldOne = endpoint("vpce-0000000000000000d", OLD, List.of(), "rtb-1");
        VpcEndpoint newTwo = endpoint("vpce-0000000000000000e", NEW, List.of(), "rtb-1", "rtb-2");
        VpcEndpoint newOne = endpoint("vpce-00000000000000001", NEW, List.of(), "rtb-2");
        VpcEndpoint undated = endpoint("vpce-00000000000000000", null, List.of(), "rtb-1");
        VpcEndpoint sameTimeLowerId = endpoint("vpce-0000000000000000f", OLD, List.of(), "rtb-3");
        VpcEndpoint sameTimeHigherId = endpoint("vpce-0000000000000001f", OLD, List.of(), "rtb-3");
        return Stream.of(
                new ChooseRow("no endpoint: none chosen, one will be created", List.of(), List.of("rtb-1"), null),
                new ChooseRow("the endpoint this resource owns wins, even over one serving more tables",
                        List.of(newTwo, owned), List.of("rtb-1", "rtb-2"), owned.vpcEndpointId()),
                new ChooseRow("an endpoint holding this resource's claims wins (a retried request)",
                        List.of(newTwo, claimed), List.of("rtb-1", "rtb-2"), claimed.vpcEndpointId()),
                new ChooseRow("another stack's endpoint is adopted like any other, by the tables it serves",
                        List.of(oldOne, othersOwned), List.of("rtb-1", "rtb-2"), othersOwned.vpcEndpointId()),
                new ChooseRow("else the one serving most wanted tables (least change)",
                        List.of(oldOne, newTwo), List.of("rtb-1", "rtb-2"), newTwo.vpcEndpointId()),
                new ChooseRow("tables that are not wanted do not count",
                        List.of(newTwo, oldOne), List.of("rtb-1"), oldOne.vpcEndpointId()),
                new ChooseRow("on a tie the oldest, so repeated runs choose the same one",
                        List.of(newOne, oldOne), List.of("rtb-9"), oldOne.vpcEndpointId()),
                new ChooseRow("an endpoint without a creation time counts as the newest",
                        List.of(undated, newOne), List.of("rtb-9"), newOne.vpcEndpointId()),
                new ChooseRow("on the same creation time the lowest id",
                        List.of(sameTimeHigherId, sameTimeLowerId), List.of("rtb-3"), sameTimeLowerId.vpcEndpointId()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chooseRows")
    void theEndpointUsedIsTheKnownOneElseTheLeastChange(ChooseRow row) {
        assertThat(GatewayEndpoints.choose(row.endpoints(), row.wanted(), ME).map(VpcEndpoint::vpcEndpointId)).isEqualTo(
                java.util.Optional.ofNullable(row.chosen()));
    }

    /** EC2's VPC endpoint states: PendingAcceptance, Pending, Available, Deleting, Deleted, Rejected, Failed, Expired, Partial. */
    @ParameterizedTest(name = "{0} live={1}")
    @CsvSource({"available, true", "Available, true", "pending, true", "Pending, true", "pendingAcceptance, false", "deleting, false",
            "deleted, false", "rejected, false", "failed, false", "expired, false", ", false"})
    void onlyAvailableAndPendingEndpointsAreLive(String state, boolean live) {
        assertThat(GatewayEndpoints.isLive(VpcEndpoint.builder().vpcEndpointId("vpce-1").state(state).build())).isEqualTo(live);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"vpce-0a1b2c3d4e5f60718, true", "vpce-0a1b2c3d, true", "vpce-0a1b2c3, false", "vpce-0a1b2c3d4e5f607189, false",
            "vpce-0A1B2C3D4E5F60718, false", "vpce-svc-0a1b2c3d4e5f60718, false",
            "e6link-create-failed-0f7d3a9c-2c4e-4b4a-9d7e-6a1b2c3d4e5f, false", "e6link-S3GatewayEndpoint-ABCDEF123456, false", ", false"})
    void onlyVpcEndpointIdsAreTakenAsThisResourcesOwnIds(String physicalId, boolean endpointId) {
        assertThat(GatewayEndpoints.isEndpointId(physicalId)).isEqualTo(endpointId);
    }

    /**
     * A gateway endpoint's default policy allows everything to everyone; anything that does not visibly do
     * that may keep e6data's buckets out, so the resource warns. VPC guide, "Control access to VPC endpoints
     * using endpoint policies", https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
     */
    @ParameterizedTest(name = "{0}: custom={1}")
    @CsvSource(delimiter = '|', textBlock = """
            no policy                             | false | ''
            AWS's default policy                  | false | {"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}
            s3:* and AWS * in lists               | false | {"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":["*"]}]}
            a principal list holding *            | false | {"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"*","Resource":"*"}]}
            a single statement object             | false | {"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}
            only some buckets                     | true  | {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::mine","arn:aws:s3:::mine/*"]}]}
            only some actions                     | true  | {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}
            only some principals                  | true  | {"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"*","Resource":"*"}]}
            allow everything under a condition    | true  | {"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"123456789012"}}}]}
            allow everything but deny some        | true  | {"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::e6data-*/*"}]}
            a NotResource allow                   | true  | {"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::secret/*"}]}
            not JSON                              | true  | not json
            """)
    void aPolicyIsCustomUnlessItVisiblyAllowsEverythingToEveryone(String name, boolean custom, String policy) {
        VpcEndpoint endpoint = VpcEndpoint.builder().vpcEndpointId("vpce-1").policyDocument(policy.isEmpty() ? null : policy).build();

        assertThat(GatewayEndpoints.hasCustomPolicy(endpoint)).isEqualTo(custom);
    }

    /**
     * AWS names its endpoint services by the partition's DNS suffix reversed: China's S3 is
     * cn.com.amazonaws.cn-north-1.s3 (aws ec2 describe-vpc-endpoint-services in cn-north-1; aws-cdk #16139).
     */
    @ParameterizedTest
    @CsvSource({"us-east-1, com.amazonaws.us-east-1.s3", "eu-west-1, com.amazonaws.eu-west-1.s3",
            "cn-north-1, cn.com.amazonaws.cn-north-1.s3", "cn-northwest-1, cn.com.amazonaws.cn-northwest-1.s3",
            "us-gov-west-1, com.amazonaws.us-gov-west-1.s3"})
    void theS3ServiceNameFollowsTheRegionsPartition(String region, String serviceName) {
        assertThat(GatewayEndpoints.s3ServiceName(region)).isEqualTo(serviceName);
        assertThat(GatewayEndpoints.describeS3Gateways("vpc-0123456789abcdef0", region).filters())
                .anySatisfy(filter -> assertThat(filter.values()).containsExactly(serviceName));
    }

    @Test
    void aCreatedEndpointIsAGatewayForTheRegionsS3TaggedWithItsOwnerAndItsClaimsInTheCreatingCall() {
        Map<String, String> creationTags = new LinkedHashMap<>();
        creationTags.put("team", "data");
        creationTags.put("e6link:owner", ME);

        CreateVpcEndpointRequest request = GatewayEndpoints.create(
                new S3GatewayEndpointProperties("vpc-0123456789abcdef0", List.of("rtb-1", "rtb-2")), "eu-west-1", creationTags);

        assertThat(request.vpcEndpointType()).isEqualTo(VpcEndpointType.GATEWAY);
        assertThat(request.vpcId()).isEqualTo("vpc-0123456789abcdef0");
        assertThat(request.serviceName()).isEqualTo("com.amazonaws.eu-west-1.s3");
        assertThat(request.routeTableIds()).containsExactly("rtb-1", "rtb-2");
        assertThat(request.tagSpecifications()).singleElement().satisfies(spec -> {
            assertThat(spec.resourceType()).isEqualTo(ResourceType.VPC_ENDPOINT);
            assertThat(spec.tags()).containsExactlyElementsOf(Stream.concat(Stream.of(tag("team", "data"), tag("e6link:owner", ME)),
                    RouteTableClaims.tags(ME, List.of("rtb-1", "rtb-2")).stream()).toList());
        });
    }

    @ParameterizedTest(name = "add {0} remove {1}")
    @CsvSource({"'rtb-1,rtb-2', ''", "'', rtb-3", "rtb-1, rtb-3", "'', ''"})
    void aModificationNamesOnlyTheListsThatHaveTables(String add, String remove) {
        List<String> adds = add.isEmpty() ? List.of() : List.of(add.split(","));
        List<String> removes = remove.isEmpty() ? List.of() : List.of(remove.split(","));

        ModifyVpcEndpointRequest request = GatewayEndpoints.associate("vpce-1", adds, removes);

        assertThat(request.vpcEndpointId()).isEqualTo("vpce-1");
        assertThat(request.hasAddRouteTableIds()).isEqualTo(!adds.isEmpty());
        assertThat(request.addRouteTableIds()).containsExactlyElementsOf(adds);
        assertThat(request.hasRemoveRouteTableIds()).isEqualTo(!removes.isEmpty());
        assertThat(request.removeRouteTableIds()).containsExactlyElementsOf(removes);
    }

    /** The choice a new stack makes (and the preflight reports): most wanted tables, then the oldest, an undated endpoint last. */
    @Test
    void aNewStackTakesTheEndpointServingMostTablesThenTheOldestWithUndatedOnesLast() {
        VpcEndpoint older = endpoint("vpce-0000000000000000b", Instant.parse("2024-01-01T00:00:00Z"), List.of(), "rtb-1");
        VpcEndpoint newer = endpoint("vpce-0000000000000000a", Instant.parse("2025-01-01T00:00:00Z"), List.of(), "rtb-2");
        VpcEndpoint undated = endpoint("vpce-00000000000000000", null, List.of(), "rtb-1");

        assertThat(GatewayEndpoints.leastChange(List.of(newer, older, undated), List.of("rtb-1")).map(VpcEndpoint::vpcEndpointId))
                .contains("vpce-0000000000000000b");
        assertThat(GatewayEndpoints.leastChange(List.of(older, newer), List.of("rtb-9")).map(VpcEndpoint::vpcEndpointId))
                .contains("vpce-0000000000000000b");
        assertThat(GatewayEndpoints.leastChange(List.of(undated, newer), List.of("rtb-1", "rtb-2")).map(VpcEndpoint::vpcEndpointId))
                .contains("vpce-0000000000000000a");
        assertThat(GatewayEndpoints.leastChange(List.of(), List.of("rtb-1"))).isEmpty();
    }

    private static VpcEndpoint endpoint(String id, Instant created, List<Tag> tags, String... routeTables) {
        return VpcEndpoint.builder().vpcEndpointId(id).creationTimestamp(created).tags(tags).routeTableIds(routeTables).state("available").build();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
