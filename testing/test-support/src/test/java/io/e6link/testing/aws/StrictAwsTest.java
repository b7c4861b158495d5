package io.e6link.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The strict world refuses what AWS refuses and moto accepts, with AWS's codes, and records authorization requests. */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class StrictAwsTest {
    private static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
    private MotoClients world;
    private MotoClients function;
    private Moto moto;

    @BeforeEach
    void setUp(Moto moto) {
        this.moto = moto;
        world = new MotoClients(moto);
        function = world.as("SomeFunction");
    }

    @Test
    void iamRefusesATagValueOutsideItsCharacterSetThatMotoWouldStore() {
        IamClient iam = function.iam();

        assertThatThrownBy(() -> iam.createOpenIDConnectProvider(b -> b.url(ISSUER).clientIDList("sts.amazonaws.com")
                .tags(t -> t.key("e6link:owner").value("arn:aws:cloudformation:us-east-1:123456789012:stack/s/1|OidcProvider"))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThat(world.iam().listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();

        iam.createOpenIDConnectProvider(b -> b.url(ISSUER).clientIDList("sts.amazonaws.com")
                .tags(t -> t.key("e6link:owner").value("arn:aws:cloudformation:us-east-1:123456789012:stack/s/1/OidcProvider")));
        assertThat(world.iam().listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);
    }

    @Test
    void onlyAwsItselfWritesAwsPrefixedTagsAndEc2TagValuesStopAt255Characters() {
        Ec2Client ec2 = function.ec2();
        String vpc = world.ec2().createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();

        assertThatThrownBy(() -> ec2.createTags(b -> b.resources(vpc).tags(t -> t.key("aws:eks:cluster-name").value("x"))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> ec2.createSecurityGroup(b -> b.groupName("g").description("d").vpcId(vpc)
                .tagSpecifications(s -> s.resourceType(ResourceType.SECURITY_GROUP).tags(t -> t.key("k").value("v".repeat(256))))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        world.ec2().createTags(b -> b.resources(vpc).tags(t -> t.key("aws:eks:cluster-name").value("x")));
    }

    @Test
    void s3RefusesMalformedAndOversizedBucketPolicies() {
        S3Client s3 = function.s3();
        world.s3().createBucket(b -> b.bucket("bucket"));
        String statement = "{\"Sid\":\"S%d\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}";
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; big.length() < 21_000; i++) {
            big.append(i == 0 ? "" : ",").append(String.format(statement, i));
        }
        String oversized = big.append("]}").toString();

        for (String policy : List.of("{\"Version\":\"2012-10-17\",\"Statement\":[", oversized)) {
            assertThatThrownBy(() -> s3.putBucketPolicy(b -> b.bucket("bucket").policy(policy)))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicy"));
        }
    }

    @Test
    void aRouteTableThatRoutesS3ThroughOneGatewayEndpointCannotGetASecond() {
        Ec2Client ec2 = world.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        String other = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        ec2.createVpcEndpoint(b -> b.vpcId(vpc).serviceName("com.amazonaws.us-east-1.s3").vpcEndpointType("Gateway").routeTableIds(table));
        String second = ec2.createVpcEndpoint(b -> b.vpcId(vpc).serviceName("com.amazonaws.us-east-1.s3").vpcEndpointType("Gateway")
                .routeTableIds(other)).vpcEndpoint().vpcEndpointId();

        assertThatThrownBy(() -> function.ec2().createVpcEndpoint(b -> b.vpcId(vpc).serviceName("com.amazonaws.us-east-1.s3")
                .vpcEndpointType("Gateway").routeTableIds(table)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RouteAlreadyExists"));
        assertThatThrownBy(() -> function.ec2().modifyVpcEndpoint(b -> b.vpcEndpointId(second).addRouteTableIds(table)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RouteAlreadyExists"));
    }

    @Test
    void aNetworkLoadBalancerSubnetIsNeitherSwappedWithinItsZoneNorRemovedWhileEndpointsAreAssociated() {
        Ec2Client ec2 = world.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String a2 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String b1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.3.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        String c1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.4.0/24").availabilityZone("us-east-1c")).subnet().subnetId();
        ElasticLoadBalancingV2Client elb = world.elb();
        String nlb = elb.createLoadBalancer(b -> b.name("nlb").type("network").scheme("internal").subnets(a1, b1, c1)).loadBalancers().get(0).loadBalancerArn();

        assertThatThrownBy(() -> elb.setSubnets(b -> b.loadBalancerArn(nlb).subnets(a2, b1, c1)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        moto.strict().hasEndpointAssociations(nlb::equals);
        assertThatThrownBy(() -> elb.setSubnets(b -> b.loadBalancerArn(nlb).subnets(a1, b1)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidConfigurationRequest"));
        moto.strict().hasEndpointAssociations(arn -> false);
        elb.setSubnets(b -> b.loadBalancerArn(nlb).subnets(a1, b1));
    }

    /** A TCP target group like the stack's (10 s × 3), an NLB in us-east-1a and us-east-1b, a listener; us-east-1c is not enabled. */
    private String targetGroupBehindAnNlb(int deregistrationDelaySeconds, boolean withListener) {
        Ec2Client ec2 = world.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String b1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.3.0/24").availabilityZone("us-east-1c"));
        ElasticLoadBalancingV2Client elb = world.elb();
        String group = elb.createTargetGroup(b -> b.name("tg").targetType("ip").protocol("TCP").port(443).vpcId(vpc).healthCheckProtocol("TCP")
                .healthCheckIntervalSeconds(10).healthyThresholdCount(3).unhealthyThresholdCount(3)).targetGroups().get(0).targetGroupArn();
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(group).attributes(t -> t.key("deregistration_delay.timeout_seconds")
                .value(String.valueOf(deregistrationDelaySeconds))));
        if (withListener) {
            String nlb = elb.createLoadBalancer(b -> b.name("nlb").type("network").scheme("internal").subnets(a, b1)).loadBalancers().get(0).loadBalancerArn();
            elb.createListener(b -> b.loadBalancerArn(nlb).protocol("TCP").port(443).defaultActions(d -> d.type("forward").targetGroupArn(group)));
        }
        return group;
    }

    private String eni(String ip) {
        Ec2Client ec2 = world.ec2();
        String subnet = ec2.describeSubnets().subnets().stream().filter(s -> ip.startsWith(s.cidrBlock().substring(0, s.cidrBlock().lastIndexOf('.') + 1)))
                .findFirst().orElseThrow().subnetId();
        return ec2.createNetworkInterface(b -> b.subnetId(subnet).privateIpAddress(ip)).networkInterface().networkInterfaceId();
    }

    private String health(String group, String ip) {
        return function.elb().describeTargetHealth(b -> b.targetGroupArn(group)).targetHealthDescriptions().stream()
                .filter(d -> d.target().id().equals(ip)).map(d -> d.targetHealth().stateAsString()
                        + (d.targetHealth().reasonAsString() == null ? "" : " " + d.targetHealth().reasonAsString()))
                .findFirst().orElse("absent");
    }

    private void register(String group, String ip) {
        function.elb().registerTargets(b -> b.targetGroupArn(group).targets(t -> t.id(ip).port(443)));
    }

    @Test
    void aNewTargetIsInitialUntilIntervalTimesHealthyThresholdThenHealthyAndUnhealthyIntervalTimesUnhealthyThresholdAfterItsEniIsDeleted() {
        String group = targetGroupBehindAnNlb(60, true);
        String eni = eni("10.0.1.10");
        register(group, "10.0.1.10");
        assertThat(health(group, "10.0.1.10")).as("moto alone: healthy at once").isEqualTo("healthy");
        function.elb().deregisterTargets(b -> b.targetGroupArn(group).targets(t -> t.id("10.0.1.10").port(443)));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, Duration.ofSeconds(20));

        register(group, "10.0.1.10");

        assertThat(health(group, "10.0.1.10")).isEqualTo("initial Elb.RegistrationInProgress");
        now.set(now.get().plusSeconds(20));
        assertThat(health(group, "10.0.1.10")).isEqualTo("initial Elb.InitialHealthChecking");
        now.set(now.get().plusSeconds(29));
        assertThat(health(group, "10.0.1.10")).isEqualTo("initial Elb.InitialHealthChecking");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).as("20 s propagation + 10 s × 3 checks").isEqualTo("healthy");

        world.ec2().deleteNetworkInterface(b -> b.networkInterfaceId(eni));
        now.set(now.get().plusSeconds(29));
        assertThat(health(group, "10.0.1.10")).as("two failed checks do not reach the threshold of 3").isEqualTo("healthy");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).isEqualTo("unhealthy Target.FailedHealthChecks");
        assertThat(moto.strict().modelsTargetHealth()).isTrue();
    }

    /**
     * Row 11g: health checks obey the outbound rules of the NLB's security groups. The stack's NLB sits in
     * the cluster security group; revoking its allow-all outbound rule fails every check after the revoke
     * (the checks before it stay as they were answered), and an outbound rule naming the group the target's
     * ENI carries lets them pass again.
     */
    @Test
    void aTargetBehindAnNlbWhoseSecurityGroupAllowsNoOutboundTcpToItBecomesUnhealthyAndRecoversWithAnOutboundRule() {
        Ec2Client ec2 = world.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String b1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        String cluster = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("eks-cluster-sg-prod").description("EKS created security group")).groupId();
        ElasticLoadBalancingV2Client elb = world.elb();
        String group = elb.createTargetGroup(b -> b.name("tg").targetType("ip").protocol("TCP").port(443).vpcId(vpc).healthCheckProtocol("TCP")
                .healthCheckIntervalSeconds(10).healthyThresholdCount(3).unhealthyThresholdCount(3)).targetGroups().get(0).targetGroupArn();
        String nlb = elb.createLoadBalancer(b -> b.name("nlb").type("network").scheme("internal").subnets(a, b1).securityGroups(cluster))
                .loadBalancers().get(0).loadBalancerArn();
        elb.createListener(b -> b.loadBalancerArn(nlb).protocol("TCP").port(443).defaultActions(d -> d.type("forward").targetGroupArn(group)));
        ec2.createNetworkInterface(b -> b.subnetId(a).privateIpAddress("10.0.1.10").groups(cluster));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, Duration.ZERO);
        register(group, "10.0.1.10");
        now.set(now.get().plusSeconds(30));
        assertThat(health(group, "10.0.1.10")).as("EKS's allow-all outbound rule lets the checks leave").isEqualTo("healthy");

        ec2.revokeSecurityGroupEgress(b -> b.groupId(cluster).ipPermissions(p -> p.ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0"))));

        assertThat(health(group, "10.0.1.10")).as("the checks before the revoke passed").isEqualTo("healthy");
        now.set(now.get().plusSeconds(29));
        assertThat(health(group, "10.0.1.10")).as("two failed checks do not reach the threshold of 3").isEqualTo("healthy");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).as("10 s x 3 after the revoke").isEqualTo("unhealthy Target.FailedHealthChecks");

        ec2.authorizeSecurityGroupEgress(b -> b.groupId(cluster).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443)
                .userIdGroupPairs(g -> g.groupId(cluster))));
        now.set(now.get().plusSeconds(29));
        assertThat(health(group, "10.0.1.10")).isEqualTo("unhealthy Target.FailedHealthChecks");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).as("the ENI carries the group the outbound rule names").isEqualTo("healthy");
    }

    /**
     * The checks made while the ENI existed keep their answers after it is deleted, also when the only outbound rule
     * names the ENI's group: the target turns unhealthy interval × threshold after the deletion, not at once.
     */
    @Test
    void aDeletedEnisEarlierChecksKeepPassingThroughAnOutboundRuleNamingItsGroup() {
        Ec2Client ec2 = world.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String b1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        String cluster = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("eks-cluster-sg-prod").description("EKS created security group")).groupId();
        ec2.revokeSecurityGroupEgress(b -> b.groupId(cluster).ipPermissions(p -> p.ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        ec2.authorizeSecurityGroupEgress(b -> b.groupId(cluster).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443)
                .userIdGroupPairs(g -> g.groupId(cluster))));
        ElasticLoadBalancingV2Client elb = world.elb();
        String group = elb.createTargetGroup(b -> b.name("tg").targetType("ip").protocol("TCP").port(443).vpcId(vpc).healthCheckProtocol("TCP")
                .healthCheckIntervalSeconds(10).healthyThresholdCount(3).unhealthyThresholdCount(3)).targetGroups().get(0).targetGroupArn();
        String nlb = elb.createLoadBalancer(b -> b.name("nlb").type("network").scheme("internal").subnets(a, b1).securityGroups(cluster))
                .loadBalancers().get(0).loadBalancerArn();
        elb.createListener(b -> b.loadBalancerArn(nlb).protocol("TCP").port(443).defaultActions(d -> d.type("forward").targetGroupArn(group)));
        String eni = ec2.createNetworkInterface(b -> b.subnetId(a).privateIpAddress("10.0.1.10").groups(cluster)).networkInterface().networkInterfaceId();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, Duration.ZERO);
        register(group, "10.0.1.10");
        now.set(now.get().plusSeconds(30));
        assertThat(health(group, "10.0.1.10")).isEqualTo("healthy");

        ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni));

        assertThat(health(group, "10.0.1.10")).as("the checks before the deletion passed").isEqualTo("healthy");
        now.set(now.get().plusSeconds(29));
        assertThat(health(group, "10.0.1.10")).isEqualTo("healthy");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).isEqualTo("unhealthy Target.FailedHealthChecks");
    }

    /** An NLB without security groups filters nothing that leaves it: a revoke elsewhere changes nothing, its target stays healthy. */
    @Test
    void aTargetBehindAnNlbWithoutSecurityGroupsIsNotSubjectToAnyOutboundRule() {
        String group = targetGroupBehindAnNlb(60, true);
        String vpc = world.ec2().describeSubnets().subnets().get(0).vpcId();
        String defaultGroup = world.ec2().describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(vpc), f -> f.name("group-name").values("default")))
                .securityGroups().get(0).groupId();
        eni("10.0.1.10");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, Duration.ZERO);
        register(group, "10.0.1.10");

        world.ec2().revokeSecurityGroupEgress(b -> b.groupId(defaultGroup).ipPermissions(p -> p.ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        now.set(now.get().plusSeconds(600));

        assertThat(health(group, "10.0.1.10")).isEqualTo("healthy");
    }

    @ParameterizedTest
    @EnumSource(AwsClock.End.class)
    void atAwsClocksSlowAndFastEndsANewTargetRegistersForThatLongThenPassesTheTargetGroupsChecks(AwsClock.End end) {
        AwsClock aws = AwsClock.at(end);
        String group = targetGroupBehindAnNlb(60, true);
        eni("10.0.1.10");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, aws);
        register(group, "10.0.1.10");
        long registration = aws.targetRegistration().toSeconds();
        assertThat(registration).isEqualTo(end == AwsClock.End.SLOW ? 300 : 60);

        now.set(now.get().plusSeconds(registration - 1));
        assertThat(health(group, "10.0.1.10")).isEqualTo("initial Elb.RegistrationInProgress");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).isEqualTo("initial Elb.InitialHealthChecking");
        now.set(now.get().plusSeconds(29));
        assertThat(health(group, "10.0.1.10")).as("the group's 10 s x 3 checks are not done").isEqualTo("initial Elb.InitialHealthChecking");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).as("registration + 10 s x 3").isEqualTo("healthy");
    }

    @ParameterizedTest
    @EnumSource(AwsClock.End.class)
    void atAwsClockADeregisteredTargetDrainsAboutTwoMinutesOrMoreEvenWithAShorterDeregistrationDelay(AwsClock.End end) {
        AwsClock aws = AwsClock.at(end);
        String group = targetGroupBehindAnNlb(10, false);
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, aws);
        register(group, "10.0.1.10");
        function.elb().deregisterTargets(b -> b.targetGroupArn(group).targets(t -> t.id("10.0.1.10").port(443)));
        long lag = aws.deregistration().toSeconds();
        assertThat(lag).isEqualTo(end == AwsClock.End.SLOW ? 300 : 120);

        now.set(now.get().plusSeconds(lag - 1));
        assertThat(health(group, "10.0.1.10")).as("the 10 s delay has long passed").isEqualTo("draining Target.DeregistrationInProgress");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).isEqualTo("absent");
    }

    @Test
    void aTargetInAZoneTheLoadBalancerDoesNotEnableOrInAGroupNoListenerUsesIsUnused() {
        String group = targetGroupBehindAnNlb(60, true);
        eni("10.0.3.10");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        moto.strict().modelTargetHealth(now::get, Duration.ZERO);

        register(group, "10.0.3.10");
        now.set(now.get().plusSeconds(600));

        assertThat(health(group, "10.0.3.10")).as("us-east-1c is not enabled on the NLB").isEqualTo("unused Target.NotInUse");
    }

    @Test
    void aDeregisteredTargetDrainsForTheDeregistrationDelayAndDeregisteringItAgainSucceedsAsOnAws() {
        String group = targetGroupBehindAnNlb(60, false);
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
        TargetHealthModel model = moto.strict().modelTargetHealth(now::get, Duration.ZERO);
        eni("10.0.1.10");
        register(group, "10.0.1.10");
        assertThat(health(group, "10.0.1.10")).as("no listener forwards to the group").isEqualTo("unused Target.NotInUse");

        function.elb().deregisterTargets(b -> b.targetGroupArn(group).targets(t -> t.id("10.0.1.10").port(443)));
        now.set(now.get().plusSeconds(59));

        assertThat(health(group, "10.0.1.10")).isEqualTo("draining Target.DeregistrationInProgress");
        function.elb().deregisterTargets(b -> b.targetGroupArn(group).targets(t -> t.id("10.0.1.10").port(443)));
        assertThat(model.deregistrations()).extracting(d -> d.ip() + " " + d.stateBefore()).containsExactly("10.0.1.10 unused");
        now.set(now.get().plusSeconds(1));
        assertThat(health(group, "10.0.1.10")).isEqualTo("absent");
        assertThat(function.elb().describeTargetHealth(b -> b.targetGroupArn(group).targets(t -> t.id("10.0.1.10").port(443)))
                .targetHealthDescriptions().get(0).targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");
        assertThat(model.registrations()).extracting(r -> r.ip() + " " + r.at()).containsExactly("10.0.1.10 2026-11-30T12:00:00Z");
    }

    @Test
    void createVpcEndpointIsAuthorizedOnTheEndpointTheVpcEachRouteTableAndItsTagsOnCreateTags() {
        Ec2Client ec2 = world.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();

        function.ec2().createVpcEndpoint(b -> b.vpcId(vpc).serviceName("com.amazonaws.us-east-1.s3").vpcEndpointType("Gateway").routeTableIds(table)
                .tagSpecifications(s -> s.resourceType(ResourceType.VPC_ENDPOINT).tags(t -> t.key("e6link:owner").value("me"))));

        StrictAws.RecordedCall call = moto.strict().recordedCalls().get(0);
        assertThat(call.principal()).isEqualTo("SomeFunction");
        assertThat(call.authorizations()).extracting(a -> a.action() + " " + a.resource()).containsExactly(
                "ec2:CreateVpcEndpoint arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/*",
                "ec2:CreateVpcEndpoint arn:aws:ec2:us-east-1:123456789012:vpc/" + vpc,
                "ec2:CreateVpcEndpoint arn:aws:ec2:us-east-1:123456789012:route-table/" + table,
                "ec2:CreateTags arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/*");
        assertThat(call.authorizations().get(0).context()).containsEntry("ec2:VpceServiceName", "com.amazonaws.us-east-1.s3")
                .containsEntry("aws:RequestTag/e6link:owner", "me");
        assertThat(call.authorizations().get(3).context()).containsEntry("ec2:CreateAction", "CreateVpcEndpoint");
    }

    /** Rule 12: a participant of a shared VPC sees the owner's account on it and none of the owner's route tables or endpoints. */
    @Test
    void aParticipantOfASharedVpcSeesTheOwnerAccountButNotItsRouteTablesOrEndpointsAndCannotAddAnEndpoint() {
        Ec2Client owner = world.ec2();
        String vpc = owner.createVpc(b -> b.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String subnet = owner.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.9.1.0/24")).subnet().subnetId();
        String table = owner.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        String endpoint = owner.createVpcEndpoint(b -> b.vpcId(vpc).vpcEndpointType("Gateway").serviceName("com.amazonaws.us-east-1.s3")
                .routeTableIds(table)).vpcEndpoint().vpcEndpointId();
        moto.strict().shareVpc(vpc, "111122223333");
        Ec2Client participant = function.ec2();

        assertThat(participant.describeVpcs(b -> b.vpcIds(vpc)).vpcs()).singleElement().satisfies(v -> assertThat(v.ownerId()).isEqualTo("111122223333"));
        assertThat(participant.describeSubnets(b -> b.subnetIds(subnet)).subnets()).singleElement()
                .satisfies(s -> assertThat(s.ownerId()).isEqualTo("111122223333"));
        assertThat(participant.describeRouteTables(b -> b.filters(f -> f.name("vpc-id").values(vpc))).routeTables()).isEmpty();
        assertThat(participant.describeVpcEndpoints(b -> b.filters(f -> f.name("vpc-id").values(vpc))).vpcEndpoints()).isEmpty();
        assertThatThrownBy(() -> participant.createVpcEndpoint(b -> b.vpcId(vpc).vpcEndpointType("Gateway").serviceName("com.amazonaws.us-east-1.s3")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation"));
        assertThatThrownBy(() -> participant.modifyVpcEndpoint(b -> b.vpcEndpointId(endpoint).addRouteTableIds(table)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcEndpointId.NotFound"));
        // The owner (AWS itself in the emulated world) still sees everything as it is.
        assertThat(owner.describeRouteTables(b -> b.routeTableIds(table)).routeTables()).hasSize(1);
        assertThat(owner.describeVpcEndpoints(b -> b.vpcEndpointIds(endpoint)).vpcEndpoints()).singleElement()
                .satisfies(e -> assertThat(e.routeTableIds()).containsExactly(table));
        assertThat(owner.describeVpcs(b -> b.vpcIds(vpc)).vpcs().get(0).ownerId()).isEqualTo(MotoClients.ACCOUNT_ID);
    }
}
