package io.e6link.s3gatewayendpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.withSettings;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.Ownership;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Ec2Faults;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.ResponseRecorder.Put;
import io.e6link.testing.aws.Fault;
import io.e6link.testing.aws.SimulatedIamClock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.AdditionalAnswers;
import org.mockito.MockMakers;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * moto gaps these tests work around (docs/aws-rules.md rule 6 is the first): moto accepts a second S3 gateway
 * endpoint on a route table (AWS refuses: modelled with Mockito below); ModifyVpcEndpoint updates
 * the endpoint's RouteTableIds but adds or removes no prefix-list route, and DeleteVpcEndpoints then
 * fails with InvalidRoute.NotFound for a table added that way. So owned endpoints are deleted here
 * only after updates that removed tables, and route tables are compared where moto models them.
 */
@org.junit.jupiter.api.Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class S3GatewayEndpointResourceTest {
    private static final String EVENT = "s3-gateway-endpoint/create.json";
    private static final String STACK_ID = (String) Events.load(EVENT).get("StackId");
    private static final String OWNER = Ownership.ownerValue(STACK_ID, (String) Events.load(EVENT).get("LogicalResourceId"));
    private static final String S3 = "com.amazonaws.us-east-1.s3";

    private Ec2Client ec2;
    private String vpcId;
    private String rt1;
    private String rt2;
    private String rt3;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        ec2 = new MotoClients(moto).ec2();
        vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        rt1 = routeTable(vpcId);
        rt2 = routeTable(vpcId);
        rt3 = routeTable(vpcId);
        harness = new CustomResourceHarness(function(ec2));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static CustomResourceFunction function(Ec2Client client) {
        return new CustomResourceFunction(S3GatewayEndpointResource.TYPE, () -> new S3GatewayEndpointResource(client, "us-east-1")) { };
    }

    private String routeTable(String vpc) {
        return ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
    }

    private Map<String, Object> props(String... routeTables) {
        return Map.of("VpcId", vpcId, "RouteTableIds", List.of(routeTables));
    }

    private String customerEndpoint(String... routeTables) {
        return ec2.createVpcEndpoint(r -> r.vpcEndpointType("Gateway").vpcId(vpcId).serviceName(S3).routeTableIds(routeTables)
                .tagSpecifications(t -> t.resourceType("vpc-endpoint").tags(Tag.builder().key("Name").value("shared-s3").build())))
                .vpcEndpoint().vpcEndpointId();
    }

    private VpcEndpoint endpoint(String id) {
        return ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0);
    }

    private List<VpcEndpoint> liveEndpoints() {
        return ec2.describeVpcEndpoints(r -> r.filters(f -> f.name("vpc-id").values(vpcId))).vpcEndpoints().stream()
                .filter(e -> e.stateAsString().equals("available")).toList();
    }

    private List<RouteTable> routeTables(String... ids) {
        return ec2.describeRouteTables(r -> r.routeTableIds(ids)).routeTables();
    }

    private Put send(String requestType, String logicalId, String physicalId, Map<String, Object> properties, Map<String, Object> old) {
        Map<String, Object> event = Events.prepare(EVENT, harness.recorder().newUrl(), properties);
        event.put("RequestType", requestType);
        event.put("LogicalResourceId", logicalId);
        if (physicalId != null) {
            event.put("PhysicalResourceId", physicalId);
        }
        if (old != null) {
            event.put("OldResourceProperties", old);
        }
        return harness.send(event);
    }

    @Test
    void withoutAnEndpointCreateMakesAnOwnedOneUpdateNarrowsItInPlaceAndDeleteRemovesIt() {
        List<RouteTable> before = routeTables(rt1, rt3);

        Put created = harness.create(EVENT, props(rt1, rt2));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        String id = created.physicalResourceId();
        assertThat(created.data()).containsEntry("VpcEndpointId", id).containsEntry("Adopted", "false")
                .containsEntry("AddedRouteTableIds", rt1 + "," + rt2);
        VpcEndpoint made = endpoint(id);
        assertThat(made.serviceName()).isEqualTo(S3);
        assertThat(made.vpcEndpointTypeAsString()).isEqualTo("Gateway");
        assertThat(made.routeTableIds()).containsExactlyInAnyOrder(rt1, rt2);
        assertThat(made.tags()).contains(Tag.builder().key(Ownership.TAG_KEY).value(OWNER).build());

        Put updated = harness.update(EVENT, id, props(rt1), props(rt1, rt2));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(id);
        assertThat(updated.data()).containsEntry("AddedRouteTableIds", rt1).containsEntry("Adopted", "false");
        assertThat(endpoint(id).routeTableIds()).containsExactly(rt1);

        Put deleted = harness.delete(EVENT, id, props(rt1));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(liveEndpoints()).isEmpty();
        assertThat(routeTables(rt1, rt3)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void updateAddsRouteTablesToTheOwnedEndpointInPlace() {
        Put created = harness.create(EVENT, props(rt1, rt2));

        Put updated = harness.update(EVENT, created.physicalResourceId(), props(rt2, rt3), props(rt1, rt2));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(updated.data()).containsEntry("AddedRouteTableIds", rt2 + "," + rt3);
        assertThat(endpoint(created.physicalResourceId()).routeTableIds()).containsExactlyInAnyOrder(rt2, rt3);
    }

    @Test
    void anExistingEndpointIsAdoptedOnlyAddedRouteTablesAreTakenBackAndItEndsExactlyAsItWas() {
        String shared = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(shared);
        List<RouteTable> routesBefore = routeTables(rt1, rt2, rt3);

        Put created = harness.create(EVENT, props(rt1, rt2));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(shared);
        assertThat(created.data()).containsEntry("VpcEndpointId", shared).containsEntry("Adopted", "true")
                .containsEntry("AddedRouteTableIds", rt2);
        assertThat(endpoint(shared).routeTableIds()).containsExactlyInAnyOrder(rt1, rt2);
        assertThat(endpoint(shared).tags()).extracting(Tag::key).doesNotContain(Ownership.TAG_KEY);

        Put updated = harness.update(EVENT, shared, props(rt1, rt3), props(rt1, rt2));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(shared);
        assertThat(updated.data()).containsEntry("AddedRouteTableIds", rt3).containsEntry("Adopted", "true");
        assertThat(endpoint(shared).routeTableIds()).containsExactlyInAnyOrder(rt1, rt3);

        Put deleted = harness.delete(EVENT, shared, props(rt1, rt3));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        VpcEndpoint after = endpoint(shared);
        assertThat(after.stateAsString()).isEqualTo(before.stateAsString());
        assertThat(after.routeTableIds()).containsExactlyInAnyOrderElementsOf(before.routeTableIds());
        assertThat(after.tags()).containsExactlyInAnyOrderElementsOf(before.tags());
        assertThat(after.policyDocument()).isEqualTo(before.policyDocument());
        assertThat(routeTables(rt1, rt2, rt3)).containsExactlyInAnyOrderElementsOf(routesBefore);
    }

    @Test
    void aRouteTableTwoStacksRelyOnStaysUntilTheLastOfThemIsDeleted() {
        String shared = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(shared);

        Put first = send("Create", "S3GatewayEndpoint", null, props(rt1, rt2), null);
        Put second = send("Create", "OtherClusterS3GatewayEndpoint", null, props(rt1, rt2), null);

        assertThat(first.data()).containsEntry("AddedRouteTableIds", rt2);
        assertThat(second.data()).containsEntry("AddedRouteTableIds", rt2).containsEntry("Adopted", "true");

        Put firstDeleted = send("Delete", "S3GatewayEndpoint", shared, props(rt1, rt2), null);

        assertThat(firstDeleted.status()).isEqualTo("SUCCESS");
        assertThat(endpoint(shared).routeTableIds()).containsExactlyInAnyOrder(rt1, rt2);

        Put secondDeleted = send("Delete", "OtherClusterS3GatewayEndpoint", shared, props(rt1, rt2), null);

        assertThat(secondDeleted.status()).isEqualTo("SUCCESS");
        assertThat(endpoint(shared).routeTableIds()).containsExactlyInAnyOrderElementsOf(before.routeTableIds());
        assertThat(endpoint(shared).tags()).containsExactlyInAnyOrderElementsOf(before.tags());
    }

    @Test
    void aRepeatedCreateRequestReusesTheEndpointItAlreadyMade() {
        Put first = harness.create(EVENT, props(rt1));
        Put second = harness.create(EVENT, props(rt1));

        assertThat(second.status()).as(second.reason()).isEqualTo("SUCCESS");
        assertThat(second.physicalResourceId()).isEqualTo(first.physicalResourceId());
        assertThat(second.data()).isEqualTo(first.data());
        assertThat(liveEndpoints()).hasSize(1);
    }

    @Test
    void movingToAnotherVpcReplacesTheEndpointAndDeletingTheOldIdRemovesOnlyTheOldOne() {
        Put created = harness.create(EVENT, props(rt1));
        String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String otherTable = routeTable(otherVpc);
        Map<String, Object> moved = Map.of("VpcId", otherVpc, "RouteTableIds", List.of(otherTable));

        Put updated = harness.update(EVENT, created.physicalResourceId(), moved, props(rt1));
        Put oldDeleted = harness.delete(EVENT, created.physicalResourceId(), props(rt1));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isNotEqualTo(created.physicalResourceId());
        assertThat(oldDeleted.status()).isEqualTo("SUCCESS");
        assertThat(liveEndpoints()).isEmpty();
        assertThat(endpoint(updated.physicalResourceId()).stateAsString()).isEqualTo("available");
        assertThat(endpoint(updated.physicalResourceId()).routeTableIds()).containsExactly(otherTable);
    }

    @Test
    void aRouteTableAlreadyServedByAnotherS3EndpointFailsBeforeAnyChange() {
        // Endpoint a serves two of the wanted tables, so it is the one chosen; b holds the third.
        String a = customerEndpoint(rt1, rt3);
        String b = customerEndpoint(rt2);
        VpcEndpoint aBefore = endpoint(a);
        VpcEndpoint bBefore = endpoint(b);

        Put created = harness.create(EVENT, props(rt1, rt2, rt3));
        Put rollback = harness.delete(EVENT, created.physicalResourceId(), props(rt1, rt2, rt3));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Route table " + rt2 + " already routes S3 through gateway endpoint " + b)
                .contains("move " + rt2 + " to " + a).contains("aws:SourceVpce");
        assertThat(rollback.status()).isEqualTo("SUCCESS");
        assertThat(endpoint(a)).isEqualTo(aBefore);
        assertThat(endpoint(b)).isEqualTo(bBefore);
    }

    @Test
    void routeTablesThatDoNotExistOrBelongToAnotherVpcFailBeforeAnyChange() {
        String foreign = routeTable(ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId());

        Put missing = harness.create(EVENT, props(rt1, "rtb-0123456789abcdef0"));
        Put elsewhere = harness.create(EVENT, props(rt1, foreign));
        Put malformed = harness.create(EVENT, props("rt-1"));

        assertThat(missing.status()).isEqualTo("FAILED");
        assertThat(missing.reason()).contains("RouteTableIds").contains("rtb-0123456789abcdef0");
        assertThat(elsewhere.status()).isEqualTo("FAILED");
        assertThat(elsewhere.reason()).contains(foreign).contains(vpcId);
        assertThat(malformed.reason()).isEqualTo("Property RouteTableIds (the private route tables of the cluster named by ClusterName) has invalid value 'rt-1': "
                + "expected route table ids like rtb-0123456789abcdef0.");
        assertThat(liveEndpoints()).isEmpty();
    }

    @Test
    void deleteSucceedsWhenTheEndpointIsAlreadyGone() {
        Put created = harness.create(EVENT, props(rt1));
        ec2.deleteVpcEndpoints(r -> r.vpcEndpointIds(created.physicalResourceId()));

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), props(rt1));
        Put neverExisted = harness.delete(EVENT, "vpce-0123456789abcdef0", props(rt1));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(neverExisted.status()).as(neverExisted.reason()).isEqualTo("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void awsRefusingASecondS3RouteOnAnAdoptedEndpointFailsAndWithdrawsTheClaims() {
        // moto accepts a second S3 route on a table; AWS refuses it (eksctl #2510). Here rt2 has one
        // through an endpoint outside what DescribeVpcEndpoints showed, e.g. created a moment later.
        String shared = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(shared);
        Ec2Client refusing = Ec2Faults.delegatingMock(ec2);
        doThrow(Ec2Faults.error(400, "RouteAlreadyExists", "route table " + rt2 + " already has a route with destination-prefix-list-id pl-63a5400a"))
                .when(refusing).modifyVpcEndpoint(any(ModifyVpcEndpointRequest.class));

        try (CustomResourceHarness refused = new CustomResourceHarness(function(refusing))) {
            Put created = refused.create(EVENT, props(rt1, rt2));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).contains(rt2).contains("already has a route").contains("existing S3 gateway endpoint");
            assertThat(endpoint(shared)).isEqualTo(before);
            verify(refusing).describeRouteTables(any(Consumer.class));
            verify(refusing).describeVpcEndpointsPaginator(any(DescribeVpcEndpointsRequest.class));
            verify(refusing).createTags(any(Consumer.class));
            verify(refusing).modifyVpcEndpoint(any(ModifyVpcEndpointRequest.class));
            verify(refusing).deleteTags(any(Consumer.class));
            verifyNoMoreInteractions(refusing);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void awsRefusingANewEndpointOnATableWithAnS3RouteFailsAndCreatesNothing() {
        Ec2Client refusing = Ec2Faults.delegatingMock(ec2);
        doThrow(Ec2Faults.error(400, "RouteAlreadyExists", "route table " + rt1 + " already has a route with destination-prefix-list-id pl-63a5400a"))
                .when(refusing).createVpcEndpoint(any(CreateVpcEndpointRequest.class));

        try (CustomResourceHarness refused = new CustomResourceHarness(function(refusing))) {
            Put created = refused.create(EVENT, props(rt1));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).contains(rt1).contains("pl-63a5400a");
            assertThat(liveEndpoints()).isEmpty();
            verify(refusing).describeRouteTables(any(Consumer.class));
            verify(refusing).describeVpcEndpointsPaginator(any(DescribeVpcEndpointsRequest.class));
            verify(refusing).createVpcEndpoint(any(CreateVpcEndpointRequest.class));
            verifyNoMoreInteractions(refusing);
        }
    }

    @Test
    void throttlingThatOutlastsRetriesFailsWithARetryReasonAndCreatesNothing(Moto moto) {
        moto.strict().injectFault("ec2:CreateVpcEndpoint", Fault.THROTTLING, 10);

        try (CustomResourceHarness throttledHarness = new CustomResourceHarness(function(kitClient(moto)))) {
            Put created = throttledHarness.create(EVENT, props(rt1));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).isEqualTo("AWS kept throttling ec2:CreateVpcEndpoint on " + vpcId
                    + " (RequestLimitExceeded) after retries; retry the stack operation in a few minutes.");
            assertThat(liveEndpoints()).isEmpty();
        }
    }

    @Test
    void accessDeniedOnDeleteFailsNamingTheActionAndKeepsTheEndpoint(Moto moto) {
        Put created = harness.create(EVENT, props(rt1));
        moto.strict().injectFault("ec2:DeleteVpcEndpoints", Fault.ACCESS_DENIED, 1_000);

        try (CustomResourceHarness deniedHarness = new CustomResourceHarness(function(kitClient(moto)))) {
            Put deleted = deniedHarness.delete(EVENT, created.physicalResourceId(), props(rt1));

            assertThat(deleted.status()).isEqualTo("FAILED");
            assertThat(deleted.physicalResourceId()).isEqualTo(created.physicalResourceId());
            assertThat(deleted.reason()).isEqualTo("The function's IAM role was still denied ec2:DeleteVpcEndpoints on " + created.physicalResourceId()
                    + " (UnauthorizedOperation) after 60 s, longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
            assertThat(liveEndpoints()).extracting(VpcEndpoint::vpcEndpointId).containsExactly(created.physicalResourceId());
        }
    }

    /** A client as the function builds it (the kit's factory, which translates AWS failures), on the emulated world. */
    private static Ec2Client kitClient(Moto moto) {
        return new SimulatedIamClock().configure(Ec2Client.builder()).endpointOverride(moto.endpoint()).build();
    }

    @Test
    void anInvalidVpcIdNamesWhereItCameFrom() {
        Put created = harness.create(EVENT, Map.of("VpcId", "vpc-nope", "RouteTableIds", List.of(rt1)));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("Property VpcId (the VPC of the cluster named by ClusterName) has invalid value 'vpc-nope': "
                + "expected a VPC id like vpc-0123456789abcdef0.");
    }

    // ---- CloudFormation's real lifecycle: made-up ids, failed-Create placeholders, redelivery ----

    @Test
    void deleteWithAMadeUpIdDeletesTheEndpointThisStackCreated() {
        List<RouteTable> before = routeTables(rt1, rt2);
        Put created = harness.create(EVENT, props(rt1, rt2));
        assertThat(created.data()).containsEntry("Adopted", "false");

        Put deleted = harness.delete(EVENT, "e6link-S3GatewayEndpoint-ABCDEF123456", props(rt1, rt2));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(liveEndpoints()).isEmpty();
        assertThat(routeTables(rt1, rt2)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void deleteWithAMadeUpIdWithdrawsOnlyTheClaimsOnAnAdoptedEndpointAndNeverDeletesIt() {
        String shared = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(shared);
        Put created = harness.create(EVENT, props(rt1, rt2));
        assertThat(created.data()).containsEntry("Adopted", "true").containsEntry("AddedRouteTableIds", rt2);

        Put deleted = harness.delete(EVENT, "e6link-S3GatewayEndpoint-ABCDEF123456", props(rt1, rt2));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        VpcEndpoint after = endpoint(shared);
        assertThat(after.stateAsString()).isEqualTo("available");
        assertThat(after.routeTableIds()).containsExactlyInAnyOrderElementsOf(before.routeTableIds());
        assertThat(after.tags()).containsExactlyInAnyOrderElementsOf(before.tags());
    }

    @Test
    void deleteWithAMadeUpIdLeavesAnEndpointThisStackNeverTouchedAlone() {
        String shared = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(shared);

        Put deleted = harness.delete(EVENT, "e6link-S3GatewayEndpoint-ABCDEF123456", props(rt1, rt2));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(endpoint(shared)).isEqualTo(before);
    }

    @Test
    void aCreateWhoseNewEndpointsAnswerWasLostIsCleanedUpByTheRollbackDelete() {
        // EC2 created the endpoint but the answer never reached the function (connection reset).
        Ec2Client lossy = Ec2Faults.delegatingMock(ec2);
        doAnswer(call -> {
            ec2.createVpcEndpoint(call.<CreateVpcEndpointRequest>getArgument(0));
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        }).when(lossy).createVpcEndpoint(any(CreateVpcEndpointRequest.class));
        Put created;
        try (CustomResourceHarness lossyHarness = new CustomResourceHarness(function(lossy))) {
            created = lossyHarness.create(EVENT, props(rt1));
        }
        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(liveEndpoints()).hasSize(1);

        Put rollback = harness.delete(EVENT, created.physicalResourceId(), props(rt1));

        assertThat(rollback.status()).as(rollback.reason()).isEqualTo("SUCCESS");
        assertThat(liveEndpoints()).isEmpty();
    }

    @Test
    void aRouteTableAddedToAnAdoptedEndpointWhoseAnswerWasLostIsTakenBackByTheRollbackDelete() {
        String shared = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(shared);
        // EC2 associated rt2 but the answer never reached the function: the claim must survive the failure.
        Ec2Client lossy = Ec2Faults.delegatingMock(ec2);
        doAnswer(call -> {
            ec2.modifyVpcEndpoint(call.<ModifyVpcEndpointRequest>getArgument(0));
            throw SdkClientException.create("Unable to execute HTTP request: Read timed out");
        }).when(lossy).modifyVpcEndpoint(any(ModifyVpcEndpointRequest.class));
        Put created;
        try (CustomResourceHarness lossyHarness = new CustomResourceHarness(function(lossy))) {
            created = lossyHarness.create(EVENT, props(rt1, rt2));
        }
        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(endpoint(shared).routeTableIds()).containsExactlyInAnyOrder(rt1, rt2);

        Put rollback = harness.delete(EVENT, created.physicalResourceId(), props(rt1, rt2));

        assertThat(rollback.status()).as(rollback.reason()).isEqualTo("SUCCESS");
        VpcEndpoint after = endpoint(shared);
        assertThat(after.routeTableIds()).containsExactlyInAnyOrderElementsOf(before.routeTableIds());
        assertThat(after.tags()).containsExactlyInAnyOrderElementsOf(before.tags());
    }

    @Test
    void aRedeliveredDeleteSucceedsAfterTheEndpointIsGone() {
        Put created = harness.create(EVENT, props(rt1));

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), props(rt1));
        Put again = harness.delete(EVENT, created.physicalResourceId(), props(rt1));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(again.status()).as(again.reason()).isEqualTo("SUCCESS");
        assertThat(liveEndpoints()).isEmpty();
    }

    // ---- ExistingS3GatewayEndpointId: the endpoint is used as is (docs/governance.md, "Shared VPC") ----

    private Map<String, Object> asIs(String endpointId, String vpcOwnerId, String... routeTables) {
        return Map.of("VpcId", vpcId, "RouteTableIds", List.of(routeTables), "ExistingVpcEndpointId", endpointId, "VpcOwnerId", vpcOwnerId);
    }

    @Test
    void aGivenEndpointIsUsedAsIsAddingNoRouteAndDeletingNothing() {
        String given = customerEndpoint(rt1);
        VpcEndpoint before = endpoint(given);

        Put created = harness.create(EVENT, asIs(given, MotoClients.ACCOUNT_ID, rt1, rt2, rt3));
        Put updated = harness.update(EVENT, given, asIs(given, MotoClients.ACCOUNT_ID, rt2), asIs(given, MotoClients.ACCOUNT_ID, rt1, rt2, rt3));
        Put deleted = harness.delete(EVENT, given, asIs(given, MotoClients.ACCOUNT_ID, rt2));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(given);
        assertThat(created.json()).extracting("Data").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("VpcEndpointId", given).containsEntry("Adopted", "true").containsEntry("AddedRouteTableIds", "");
        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(endpoint(given)).as("routes, tags and state exactly as before").isEqualTo(before);
        assertThat(liveEndpoints()).extracting(VpcEndpoint::vpcEndpointId).containsExactly(given);
    }

    @Test
    void aGivenEndpointOfAnotherVpcOrServiceIsRefusedNamingTheParameter() {
        String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String elsewhere = ec2.createVpcEndpoint(r -> r.vpcEndpointType("Gateway").vpcId(otherVpc).serviceName(S3)).vpcEndpoint().vpcEndpointId();
        String dynamo = ec2.createVpcEndpoint(r -> r.vpcEndpointType("Gateway").vpcId(vpcId).serviceName("com.amazonaws.us-east-1.dynamodb"))
                .vpcEndpoint().vpcEndpointId();

        Put wrongVpc = harness.create(EVENT, asIs(elsewhere, MotoClients.ACCOUNT_ID, rt1));
        Put wrongService = harness.create(EVENT, asIs(dynamo, MotoClients.ACCOUNT_ID, rt1));
        Put missing = harness.create(EVENT, asIs("vpce-0123456789abcdef0", MotoClients.ACCOUNT_ID, rt1));

        assertThat(wrongVpc.status()).isEqualTo("FAILED");
        assertThat(wrongVpc.reason()).contains("ExistingS3GatewayEndpointId " + elsewhere + " is in " + otherVpc + ", not in the cluster's VPC " + vpcId);
        assertThat(wrongService.reason()).contains("ExistingS3GatewayEndpointId " + dynamo, "com.amazonaws.us-east-1.dynamodb", "not an S3 gateway endpoint");
        assertThat(missing.reason()).contains("ExistingS3GatewayEndpointId vpce-0123456789abcdef0 does not exist in this account and region");
        assertThat(liveEndpoints()).extracting(VpcEndpoint::routeTableIds).allSatisfy(tables -> assertThat(tables).isEmpty());
    }

    @Test
    void inASharedVpcTheOwnersEndpointIsUsedAsGivenEvenWhenThisAccountCannotSeeIt() {
        Put created = harness.create(EVENT, asIs("vpce-0ffee0ffee0ffee00", "111122223333"));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo("vpce-0ffee0ffee0ffee00");
        assertThat(harness.delete(EVENT, "vpce-0ffee0ffee0ffee00", asIs("vpce-0ffee0ffee0ffee00", "111122223333")).status()).isEqualTo("SUCCESS");
    }

    @Test
    void inASharedVpcWithoutAGivenEndpointTheStepFailsNamingTheOwnerAccountAndTheParameter() {
        Put created = harness.create(EVENT, Map.of("VpcId", vpcId, "RouteTableIds", List.of(), "VpcOwnerId", "111122223333"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains(vpcId + " is shared with this account by account 111122223333",
                "set ExistingS3GatewayEndpointId");
        assertThat(liveEndpoints()).isEmpty();
    }

    @Test
    void inTheAccountsOwnVpcRouteTablesStayRequired() {
        Put created = harness.create(EVENT, Map.of("VpcId", vpcId, "RouteTableIds", List.of(), "VpcOwnerId", MotoClients.ACCOUNT_ID));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("RouteTableIds", "at least one item is required");
        assertThat(liveEndpoints()).isEmpty();
    }
}
