package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.Template;
import io.e6link.testing.aws.AwsClock;
import io.e6link.testing.aws.StrictAws;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * template.yaml deployed end to end against moto: every custom resource runs as its packaged zip
 * under the Lambda runtime interface client, every reference is resolved from real results. The
 * customer's pre-existing OIDC provider, S3 endpoint, 443 rule and bucket policy must come out of
 * create, update, an EKS upgrade and delete exactly as they went in.
 */
@ExtendWith(MotoExtension.class)
class StackIT {
    private static final String SECOND_CIDR = "10.201.0.0/16";
    private static final String SECOND_BUCKET = "e6data-scratch-analytics";
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private MotoClients clients;
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;
    private IamClient iam;
    private S3Client s3;

    @BeforeEach
    void setUp(Moto moto) {
        clients = new MotoClients(moto);
        ec2 = clients.ec2();
        elb = clients.elb();
        iam = clients.iam();
        s3 = clients.s3();
    }

    private void print(String line) {
        events.add(line);
        System.out.println(line);
    }

    private static Map<String, Object> parameters(String cidrs, String buckets) {
        return Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", cidrs, "E6dataBucketNames", buckets);
    }

    @Test
    void wholeRunbookCreatesUpdatesSurvivesAnUpgradeAndDeletesLeavingTheCustomersThingsAsTheyWere(Moto moto, @TempDir Path calls) throws Exception {
        SampleCluster cluster = SampleCluster.seed(clients);
        CustomerState before = CustomerState.read(clients, cluster);
        s3.createBucket(b -> b.bucket(SECOND_BUCKET));

        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-it", this::print, calls)) {
            // Create
            EmulatedStack.Result created = stack.deploy(parameters(SampleCluster.E6DATA_CIDR, SampleCluster.BUCKET));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            AwsTimeline honest = stack.awsTimeline(AwsClock.standard());
            AwsTimeline fast = stack.awsTimeline(AwsClock.fast());
            int createCalls = assertEveryCallAllowed(IamEvaluation.of(stack), moto, 0);
            PartitionMove.OTHER_PARTITIONS.forEach(elsewhere -> assertEveryCallAllowedIn(elsewhere, IamEvaluation.of(stack, elsewhere), moto));
            Map<String, String> outputs = stack.outputs();
            String serviceId = stack.physicalId("EndpointService");
            assertThat(outputs).containsEntry("EndpointServiceName", "com.amazonaws.vpce.us-east-1." + serviceId)
                    .containsEntry("S3GatewayEndpointId", cluster.customerS3EndpointId)
                    .containsEntry("OidcProviderArn", before.oidcArn());
            assertThat(List.of(outputs.get("RegisteredIps").split(","))).containsExactlyInAnyOrder("10.0.1.10", "10.0.2.10");
            assertThat(registeredIps(stack)).containsExactlyInAnyOrder("10.0.1.10", "10.0.2.10");
            assertThat(nlbZones(stack)).containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
            assertThat(ec2.describeVpcEndpointServicePermissions(b -> b.serviceId(serviceId)).allowedPrincipals())
                    .extracting(p -> p.principal()).containsExactly("arn:aws:iam::" + SampleCluster.E6DATA_ACCOUNT + ":root");
            assertThat(e6dataRuleCount(cluster, SampleCluster.E6DATA_CIDR)).as("the existing rule is adopted, not duplicated").isEqualTo(1);
            VpcEndpoint endpoint = ec2.describeVpcEndpoints(b -> b.vpcEndpointIds(cluster.customerS3EndpointId)).vpcEndpoints().get(0);
            assertThat(endpoint.routeTableIds()).containsExactlyInAnyOrder(cluster.explicitPrivateRouteTableId, cluster.mainRouteTableId);
            assertThat(statementSids(SampleCluster.BUCKET)).hasSize(2).contains("CustomerReadOnly");

            // e6data connects before the update; the update also asks the stack to wait for that connection
            String serviceId2 = stack.physicalId("EndpointService");
            String e6dataEndpoint = stack.requestConnection(serviceId2, SampleCluster.E6DATA_ACCOUNT);
            String strangerEndpoint = stack.requestConnection(serviceId2, "999988887777");

            // Between deployments other workloads fill the NLB's us-east-1b subnet below the 8 free addresses a new NLB subnet needs
            cluster.fillSmallSubnet();
            List<String> nlbSubnetsBefore = nlbSubnets(stack);

            // Update: one more e6data CIDR, one more bucket, one more excluded zone (discovery runs again), wait up to a minute for e6data
            Map<String, Object> changed = new java.util.HashMap<>(parameters(SampleCluster.E6DATA_CIDR + "," + SECOND_CIDR,
                    SampleCluster.BUCKET + "," + SECOND_BUCKET));
            changed.put("WaitForE6dataConnectionMinutes", "1");
            changed.put("ExcludedAvailabilityZones", "us-east-1e,use1-az5");
            EmulatedStack.Result updated = stack.update(changed);

            assertThat(updated.status()).as(updated.reason()).isEqualTo("UPDATE_COMPLETE");
            assertThat(nlbSubnets(stack)).as("an existing NLB keeps its subnets (ELB refuses dropping one while e6data is connected)")
                    .containsExactlyInAnyOrderElementsOf(nlbSubnetsBefore);
            // Roles are updated before the functions that use them run: the update's calls meet the new policies.
            IamEvaluation evaluation = IamEvaluation.of(stack);
            assertThat(e6dataRuleCount(cluster, SECOND_CIDR)).isEqualTo(1);
            assertThat(statementSids(SECOND_BUCKET)).hasSize(1);
            assertThat(stack.outputs()).containsEntry("E6dataConnectionState", "Available");
            assertThat(stateOf(stack, e6dataEndpoint)).isEqualTo("available");
            assertThat(stateOf(stack, strangerEndpoint)).as("only e6data's account is ever accepted; any other is rejected").isEqualTo("rejected");

            // Between deployments e6data adds a second endpoint; the scheduled acceptance takes it, not the stranger's
            String secondE6dataEndpoint = stack.requestConnection(serviceId, SampleCluster.E6DATA_ACCOUNT);
            String laterStranger = stack.requestConnection(serviceId, "999988887777");
            PackagedFunction.Invocation acceptance = stack.runScheduled("ConnectionAcceptanceFunction");

            assertThat(acceptance.error()).as(stack.functionLogs("ConnectionAcceptanceFunction")).isFalse();
            assertThat(stateOf(stack, secondE6dataEndpoint)).isEqualTo("available");
            assertThat(stateOf(stack, laterStranger)).isEqualTo("rejected");

            // EKS upgrade: new control-plane ENIs, old ones deleted; one reconciler run
            List<String> newIps = cluster.upgradeControlPlane();
            PackagedFunction.Invocation reconcile = stack.runScheduled("ReconcilerFunction");

            assertThat(reconcile.error()).as(stack.functionLogs("ReconcilerFunction")).isFalse();
            assertThat(registeredIps(stack)).as("one run converges: new ENIs in, dead ones out").containsExactlyInAnyOrderElementsOf(newIps);

            assertForbiddenByIam(evaluation, cluster, before, stack);

            // Delete
            EmulatedStack.Result deleted = stack.delete();

            assertThat(deleted.status()).as(deleted.reason()).isEqualTo("DELETE_COMPLETE");
            assertThat(stack.connections()).as("open connections are rejected so the service can go")
                    .allMatch(connection -> connection.state().equals("rejected"));
            assertThat(ec2.describeVpcEndpointServiceConfigurations().serviceConfigurations()).isEmpty();
            assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
            assertThat(elb.describeTargetGroups().targetGroups()).isEmpty();
            assertThat(CustomerState.read(clients, cluster)).isEqualTo(before);
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(SECOND_BUCKET);
            assertThat(policyOrNull(SECOND_BUCKET)).as("the policy that held only our statement is gone").isNull();
            assertEveryCallAllowed(evaluation, moto, createCalls);

            // The honest timeline (issue 19): the Create on AWS's clock, e6link's own work at most 5 % of it.
            honest.report().forEach(this::print);
            fast.report().forEach(this::print);
            assertThat(honest.criticalPath()).extracting(AwsTimeline.Step::logicalId).as("discovery and the validation of the path are on it")
                    .contains("ClusterDiscovery", "EndpointValidation");
            assertThat(honest.total()).as("at least AWS's registration and the target group's 10 s x 3 checks")
                    .isGreaterThanOrEqualTo(AwsClock.standard().targetRegistration().plusSeconds(30));
            assertThat(honest.e6linkOnCriticalPath()).as("every custom resource on the path ran a function").isPositive();
            assertThat(honest.e6linkShare()).as("e6link's own work on the critical path, share of the AWS-clock total: " + honest.report())
                    .isLessThanOrEqualTo(0.05);
        }
    }

    @Test
    void aBareAccountGetsEverythingCreatedAndDeletingTheStackRemovesAllOfIt(Moto moto, @TempDir Path calls) {
        SampleCluster cluster = SampleCluster.seedBare(clients);

        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-bare", this::print, calls)) {
            Map<String, Object> governed = new java.util.HashMap<>(parameters(SampleCluster.E6DATA_CIDR, SampleCluster.BUCKET));
            governed.put("ResourceTags", "CostCenter=4711,owner-team=platform@example.com");
            EmulatedStack.Result created = stack.deploy(governed);
            IamEvaluation evaluation = IamEvaluation.of(stack);
            Map<PartitionMove, IamEvaluation> elsewhere = new java.util.LinkedHashMap<>();
            PartitionMove.OTHER_PARTITIONS.forEach(partition -> elsewhere.put(partition, IamEvaluation.of(stack, partition)));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            String providerArn = stack.outputs().get("OidcProviderArn");
            assertThat(iam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(providerArn)).tags())
                    .as("IAM accepts the ownership tag; the customer's ResourceTags are set at creation").extracting(t -> t.key() + "=" + t.value())
                    .containsExactlyInAnyOrder("CostCenter=4711", "owner-team=platform@example.com", "e6link:owner=" + stack.stackId() + "/OidcProvider");
            VpcEndpoint endpoint = ec2.describeVpcEndpoints(b -> b.vpcEndpointIds(stack.outputs().get("S3GatewayEndpointId"))).vpcEndpoints().get(0);
            assertThat(endpoint.routeTableIds()).containsExactlyInAnyOrder(cluster.explicitPrivateRouteTableId, cluster.mainRouteTableId);
            assertThat(endpoint.tags()).extracting(t -> t.key() + "=" + t.value()).contains("CostCenter=4711", "owner-team=platform@example.com");
            assertThat(e6dataRuleCount(cluster, SampleCluster.E6DATA_CIDR)).isEqualTo(1);
            assertThat(ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(cluster.clusterSecurityGroupId)))
                    .securityGroupRules()).filteredOn(rule -> SampleCluster.E6DATA_CIDR.equals(rule.cidrIpv4()))
                    .allSatisfy(rule -> assertThat(rule.tags()).extracting(t -> t.key() + "=" + t.value()).contains("CostCenter=4711"));

            EmulatedStack.Result deleted = stack.delete();

            assertThat(deleted.status()).as(deleted.reason()).isEqualTo("DELETE_COMPLETE");
            assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
            assertThat(ec2.describeVpcEndpoints().vpcEndpoints()).allMatch(gone -> gone.stateAsString().equalsIgnoreCase("deleted"));
            assertThat(e6dataRuleCount(cluster, SampleCluster.E6DATA_CIDR)).isZero();
            assertThat(policyOrNull(SampleCluster.BUCKET)).isNull();
            assertEveryCallAllowed(evaluation, moto, 0);
            // Creating the OIDC provider and the S3 endpoint (ec2:VpceServiceName) and deleting them, in China and GovCloud.
            elsewhere.forEach((partition, roles) -> assertEveryCallAllowedIn(partition, roles, moto));
        }
    }

    /**
     * A StackSets auto-deployment gives every account the set's values: an empty ClusterName finds the
     * account's only cluster and an empty E6dataBucketNames leaves step 6 (the bucket policy) out. Every
     * place that names the cluster (ENI targets, the reconciler and its metrics, the event rule, alarms,
     * the dashboard, the roles' DescribeCluster resource) gets the discovered name.
     */
    @Test
    void aStackSetInstanceWithEmptyClusterNameAndBucketsFindsTheOnlyClusterAndLeavesTheBucketPoliciesAlone(Moto moto, @TempDir Path calls) {
        SampleCluster cluster = SampleCluster.seed(clients);
        CustomerState before = CustomerState.read(clients, cluster);

        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-stackset", this::print, calls)) {
            EmulatedStack.Result created = stack.deploy(Map.of("ClusterName", "", "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                    "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", ""));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            IamEvaluation evaluation = IamEvaluation.of(stack);
            int createCalls = assertEveryCallAllowed(evaluation, moto, 0);
            assertThat(List.of(stack.outputs().get("RegisteredIps").split(","))).containsExactlyInAnyOrder("10.0.1.10", "10.0.2.10");
            assertThat(stack.physicalId("BucketPolicyStatement")).as("no bucket, no step 6").isNull();
            assertThat(CustomerState.read(clients, cluster).bucketPolicy()).isEqualTo(before.bucketPolicy());
            assertThat(stack.resolvedProperties("ReconcilerFunction").toString()).contains("CLUSTER_NAME=" + SampleCluster.NAME);
            assertThat(stack.resolvedProperties("Dashboard").toString()).contains("\"ClusterName\", \"" + SampleCluster.NAME + "\"");
            assertThat(stack.resolvedProperties("FewerThanTwoHealthyTargetsAlarm").get("AlarmDescription")).asString()
                    .startsWith("e6link " + SampleCluster.NAME + ":");
            assertThat(stack.resolvedProperties("ReconcilerFunction").toString())
                    .as("the CloudTrail rule matches the discovered cluster's ENI descriptions").contains("description=[Amazon EKS " + SampleCluster.NAME + "]");

            // EKS upgrade: the reconciler runs on the discovered name
            List<String> newIps = cluster.upgradeControlPlane();
            PackagedFunction.Invocation reconcile = stack.runScheduled("ReconcilerFunction");
            assertThat(reconcile.error()).as(stack.functionLogs("ReconcilerFunction")).isFalse();
            assertThat(registeredIps(stack)).containsExactlyInAnyOrderElementsOf(newIps);

            EmulatedStack.Result deleted = stack.delete();

            assertThat(deleted.status()).as(deleted.reason()).isEqualTo("DELETE_COMPLETE");
            assertEveryCallAllowed(evaluation, moto, createCalls);
        }
    }

    /** Statements no recorded call needs, and why each is still right. */
    private static final Map<String, String> GRANTED_WITHOUT_CALL = Map.of(
            "*least-privilege#WriteOwnLogs", "Lambda's runtime writes the function's logs with its role; the code makes no Logs call",
            "SecurityGroupRulesFunction least-privilege#ModifyOwnedRulesOnly",
            "rewrites the description of owned rules when a release changes the template's Description (in-process moto test)");
    private static final Map<String, Set<String>> STATEMENTS_USED = new TreeMap<>();
    private static final Map<String, Set<String>> STATEMENTS_GRANTED = new TreeMap<>();

    /**
     * Every AWS call the packaged functions made from the {@code from}-th recorded call on, evaluated
     * against the calling function's role as it was then: all Allowed. Returns the number of calls seen.
     */
    private static int assertEveryCallAllowed(IamEvaluation evaluation, Moto moto, int from) {
        List<StrictAws.RecordedCall> calls = moto.strict().recordedCalls();
        List<IamEvaluation.Request> requests = evaluation.requestsOf(calls.subList(from, calls.size()));
        assertThat(requests).isNotEmpty();
        List<IamEvaluation.Decision> decisions = evaluation.evaluate(requests);

        assertThat(decisions.stream().filter(d -> !d.allowed()).map(IamEvaluation.Decision::describe).toList())
                .as("AWS calls of the packaged functions their role does not allow").isEmpty();
        PermissionsDocument.used(evaluation, decisions);
        synchronized (STATEMENTS_USED) {
            decisions.forEach(d -> STATEMENTS_USED.computeIfAbsent(d.request().principal(), f -> new TreeSet<>()).addAll(d.allowedBy()));
            evaluation.statements().forEach((function, statements) -> STATEMENTS_GRANTED.computeIfAbsent(function, f -> new TreeSet<>()).addAll(statements));
        }
        return calls.size();
    }

    /**
     * docs/permissions.md is what this run computed (roles, the calls each statement allowed, the requests proven
     * denied); after a run of the whole class only.
     */
    @AfterAll
    static void thePermissionsDocumentIsCurrent() {
        if (!PermissionsDocument.complete()) {
            return;
        }
        PermissionsDocument.grantedWithoutCall(GRANTED_WITHOUT_CALL);
        String stale = PermissionsDocument.writeAndCompare();
        if (stale != null) {
            org.junit.jupiter.api.Assertions.fail(stale);
        }
    }

    /**
     * The same calls made in a China or GovCloud region are allowed by the roles as the template
     * resolves there: every ARN, host and service name in the policies follows the partition.
     */
    private static void assertEveryCallAllowedIn(PartitionMove elsewhere, IamEvaluation evaluation, Moto moto) {
        List<IamEvaluation.Request> requests = evaluation.requestsOf(moto.strict().recordedCalls()).stream().map(elsewhere::apply).toList();
        assertThat(requests).isNotEmpty();
        assertThat(requests).as("requests moved to " + elsewhere).allSatisfy(request -> assertThat(request.resource()).doesNotContain("arn:aws:", "us-east-1"));
        List<IamEvaluation.Decision> decisions = evaluation.evaluate(requests);
        assertThat(decisions.stream().filter(d -> !d.allowed()).map(IamEvaluation.Decision::describe).toList())
                .as("AWS calls of the packaged functions their role does not allow in " + elsewhere).isEmpty();
    }

    /** Every statement serves at least one recorded call of the stack tests, or is listed with its reason. */
    @AfterAll
    static void noStatementGrantsWhatNoCallNeeds() {
        Map<String, Set<String>> unused = new TreeMap<>();
        STATEMENTS_GRANTED.forEach((function, statements) -> statements.stream()
                .filter(statement -> !STATEMENTS_USED.getOrDefault(function, Set.of()).contains(statement))
                .filter(statement -> !GRANTED_WITHOUT_CALL.containsKey("*" + statement) && !GRANTED_WITHOUT_CALL.containsKey(function + " " + statement))
                .forEach(statement -> unused.computeIfAbsent(function, f -> new TreeSet<>()).add(statement)));
        assertThat(unused).as("statements no recorded call needed (over-grants)").isEmpty();
    }

    /**
     * Destructive or ownership-changing actions on what the stack does not own are denied by IAM
     * itself, not only by the functions' checks.
     */
    private void assertForbiddenByIam(IamEvaluation evaluation, SampleCluster cluster, CustomerState before, EmulatedStack stack) {
        String ec2Arn = "arn:aws:ec2:us-east-1:" + MotoClients.ACCOUNT_ID + ":";
        String otherStack = "arn:aws:cloudformation:us-east-1:" + MotoClients.ACCOUNT_ID + ":stack/other/0f0e0d0c-0000-0000-0000-000000000000";
        String customerRule = ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(cluster.clusterSecurityGroupId)))
                .securityGroupRules().stream().filter(r -> SampleCluster.E6DATA_CIDR.equals(r.cidrIpv4())).findFirst().orElseThrow().securityGroupRuleId();
        String otherTargetGroup = "arn:aws:elasticloadbalancing:us-east-1:" + MotoClients.ACCOUNT_ID + ":targetgroup/someone-else/0123456789abcdef";
        List<IamEvaluation.Request> forbidden = List.of(
                forbidden("S3GatewayEndpointFunction", "ec2:DeleteVpcEndpoints", ec2Arn + "vpc-endpoint/" + cluster.customerS3EndpointId, Map.of()),
                forbidden("S3GatewayEndpointFunction", "ec2:DeleteVpcEndpoints", ec2Arn + "vpc-endpoint/" + cluster.customerS3EndpointId,
                        Map.of("aws:ResourceTag/e6link:owner", otherStack + "/S3GatewayEndpoint")),
                forbidden("S3GatewayEndpointFunction", "ec2:DeleteTags", ec2Arn + "vpc-endpoint/" + cluster.customerS3EndpointId,
                        Map.of("aws:TagKeys", List.of("Name"))),
                forbidden("S3GatewayEndpointFunction", "ec2:CreateTags", ec2Arn + "vpc-endpoint/" + cluster.customerS3EndpointId,
                        Map.of("aws:TagKeys", List.of("Name"), "aws:RequestTag/Name", "mine now")),
                // Tagging the customer's endpoint as ours would make it deletable by DeleteOwnEndpointOnly.
                forbidden("S3GatewayEndpointFunction", "ec2:CreateTags", ec2Arn + "vpc-endpoint/" + cluster.customerS3EndpointId,
                        Map.of("aws:TagKeys", List.of("e6link:owner"), "aws:RequestTag/e6link:owner", stack.stackId() + "/S3GatewayEndpoint")),
                forbidden("S3GatewayEndpointFunction", "ec2:CreateVpcEndpoint", ec2Arn + "vpc-endpoint/*",
                        Map.of("ec2:VpceServiceName", "com.amazonaws.us-east-1.ec2")),
                forbidden("S3GatewayEndpointFunction", "ec2:CreateVpcEndpoint", ec2Arn + "vpc/vpc-0123456789abcdef0", Map.of()),
                forbidden("OidcProviderFunction", "iam:DeleteOpenIDConnectProvider", before.oidcArn(), Map.of()),
                forbidden("OidcProviderFunction", "iam:DeleteOpenIDConnectProvider", before.oidcArn(),
                        Map.of("aws:ResourceTag/e6link:owner", otherStack + "/OidcProvider")),
                forbidden("OidcProviderFunction", "iam:RemoveClientIDFromOpenIDConnectProvider", before.oidcArn(), Map.of()),
                forbidden("OidcProviderFunction", "iam:TagOpenIDConnectProvider", before.oidcArn(),
                        Map.of("aws:TagKeys", List.of("e6link:owner"), "aws:RequestTag/e6link:owner", otherStack + "/OidcProvider")),
                forbidden("SecurityGroupRulesFunction", "ec2:AuthorizeSecurityGroupIngress", ec2Arn + "security-group/sg-0123456789abcdef0", Map.of()),
                forbidden("SecurityGroupRulesFunction", "ec2:ModifySecurityGroupRules", ec2Arn + "security-group-rule/" + customerRule, Map.of()),
                forbidden("SecurityGroupRulesFunction", "ec2:CreateTags", ec2Arn + "security-group/" + cluster.clusterSecurityGroupId,
                        Map.of("aws:TagKeys", List.of("e6link:owner"))),
                forbidden("BucketPolicyFunction", "s3:PutBucketPolicy", "arn:aws:s3:::someone-elses-bucket", Map.of()),
                forbidden("BucketPolicyFunction", "s3:DeleteBucketPolicy", "arn:aws:s3:::someone-elses-bucket", Map.of()),
                forbidden("EniTargetsFunction", "elasticloadbalancing:RegisterTargets", otherTargetGroup, Map.of()),
                forbidden("ReconcilerFunction", "elasticloadbalancing:DeregisterTargets", otherTargetGroup, Map.of()),
                forbidden("ConnectionAcceptanceFunction", "ec2:AcceptVpcEndpointConnections", ec2Arn + "vpc-endpoint-service/vpce-svc-0123456789abcdef0", Map.of()),
                forbidden("ConnectionAcceptanceFunction", "ec2:RejectVpcEndpointConnections", ec2Arn + "vpc-endpoint-service/vpce-svc-0123456789abcdef0", Map.of()),
                forbidden("EndpointValidationFunction", "ec2:RejectVpcEndpointConnections", ec2Arn + "vpc-endpoint-service/vpce-svc-0123456789abcdef0", Map.of()),
                forbidden("DiscoveryFunction", "eks:DescribeCluster", "arn:aws:eks:us-east-1:" + MotoClients.ACCOUNT_ID + ":cluster/someone-else", Map.of()));
        List<IamEvaluation.Decision> decisions = evaluation.evaluate(forbidden);
        assertThat(decisions.stream().filter(IamEvaluation.Decision::allowed).map(IamEvaluation.Decision::describe).toList())
                .as("destructive or ownership-changing requests on what the stack does not own that IAM allows").isEmpty();
        PermissionsDocument.denied(decisions);
        assertThat(stack.stackId()).isNotEqualTo(otherStack);
    }

    private static int forbiddenCount;

    private static IamEvaluation.Request forbidden(String function, String action, String resource, Map<String, Object> context) {
        Map<String, Object> full = new java.util.LinkedHashMap<>(context);
        full.put("aws:RequestedRegion", "us-east-1");
        if (action.startsWith("ec2:")) {
            full.put("ec2:Region", "us-east-1");
        }
        return new IamEvaluation.Request("forbidden" + forbiddenCount++, function, action, resource, full);
    }

    private List<String> nlbSubnets(EmulatedStack stack) {
        return elb.describeLoadBalancers(b -> b.loadBalancerArns(stack.physicalId("LoadBalancer"))).loadBalancers().get(0)
                .availabilityZones().stream().map(z -> z.subnetId()).toList();
    }

    @Test
    void createFailureRollsBackWithTheDiscoveryReasonAndLeavesNothingBehind(Moto moto, @TempDir Path calls) {
        SampleCluster cluster = SampleCluster.seed(clients);
        CustomerState before = CustomerState.read(clients, cluster);

        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-typo", this::print, calls)) {
            EmulatedStack.Result result = stack.deploy(Map.of("ClusterName", "analytcs", "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                    "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));

            assertThat(result.status()).isEqualTo("ROLLBACK_COMPLETE");
            assertThat(result.reason()).startsWith("ClusterDiscovery: ").contains("analytcs");
            assertThat(events).anyMatch(line -> line.contains("CREATE_FAILED") && line.contains("ClusterDiscovery"));
            assertThat(events).noneMatch(line -> line.contains("DELETE_FAILED"));
            assertThat(CustomerState.read(clients, cluster)).isEqualTo(before);
        }
    }

    private List<String> registeredIps(EmulatedStack stack) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(stack.physicalId("TargetGroup"))).targetHealthDescriptions().stream()
                .map(TargetHealthDescription::target).map(t -> t.id()).toList();
    }

    private List<String> nlbZones(EmulatedStack stack) {
        return elb.describeLoadBalancers(b -> b.loadBalancerArns(stack.physicalId("LoadBalancer"))).loadBalancers().get(0)
                .availabilityZones().stream().map(z -> z.zoneName()).toList();
    }

    private long e6dataRuleCount(SampleCluster cluster, String cidr) {
        return ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(cluster.clusterSecurityGroupId)))
                .securityGroupRules().stream()
                .filter(rule -> !Boolean.TRUE.equals(rule.isEgress()) && cidr.equals(rule.cidrIpv4()) && Integer.valueOf(443).equals(rule.fromPort()))
                .count();
    }

    @SuppressWarnings("unchecked")
    private List<String> statementSids(String bucket) {
        Map<String, Object> policy = Json.readObject(s3.getBucketPolicy(b -> b.bucket(bucket)).policy());
        return ((List<Map<String, Object>>) policy.get("Statement")).stream().map(s -> String.valueOf(s.get("Sid"))).toList();
    }

    private String policyOrNull(String bucket) {
        try {
            return s3.getBucketPolicy(b -> b.bucket(bucket)).policy();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return null;
        }
    }

    private static String stateOf(EmulatedStack stack, String endpointId) {
        return stack.connections().stream().filter(c -> c.endpointId().equals(endpointId)).findFirst().orElseThrow().state();
    }

    /** What the customer owned before the stack, read back in a comparable form. */
    record CustomerState(String oidcArn, Set<String> oidcClientIds, Set<String> endpointRouteTables, String endpointPolicy,
                         Set<String> ingressRules, Object bucketPolicy) {
        static CustomerState read(MotoClients clients, SampleCluster cluster) {
            IamClient iam = clients.iam();
            String arn = iam.listOpenIDConnectProviders().openIDConnectProviderList().stream().map(p -> p.arn())
                    .filter(a -> a.endsWith(cluster.oidcIssuer.substring("https://".length()))).findFirst().orElse(null);
            GetOpenIdConnectProviderResponse provider = arn == null ? null : iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
            Ec2Client ec2 = clients.ec2();
            VpcEndpoint endpoint = ec2.describeVpcEndpoints(b -> b.vpcEndpointIds(cluster.customerS3EndpointId)).vpcEndpoints().get(0);
            Set<String> rules = ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(cluster.clusterSecurityGroupId)))
                    .securityGroupRules().stream().sorted(Comparator.comparing(SecurityGroupRule::securityGroupRuleId))
                    .map(r -> r.securityGroupRuleId() + " " + r.isEgress() + " " + r.ipProtocol() + " " + r.fromPort() + "-" + r.toPort() + " " + r.cidrIpv4() + " " + r.description())
                    .collect(Collectors.toCollection(TreeSet::new));
            Object policy = Json.read(clients.s3().getBucketPolicy(b -> b.bucket(SampleCluster.BUCKET)).policy());
            return new CustomerState(arn, provider == null ? Set.of() : new TreeSet<>(provider.clientIDList()),
                    new TreeSet<>(endpoint.routeTableIds()), endpoint.policyDocument(), rules, policy);
        }
    }
}
