package io.e6link.preflight;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.e6link.kit.Json;
import io.e6link.stack.SampleCluster;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.aws.Fault;
import io.e6link.testing.aws.StrictAws.RecordedCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The preflight through its entry point, against the emulated (strict) world in the account shapes a
 * customer brings: the sample account with things to adopt, a bare one, and each blocker the stack
 * would meet.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class PreflightTest {
    private static final String SECOND_CIDR = "10.201.0.0/16";
    private final Moto moto;
    private final MotoClients aws;

    PreflightTest(Moto moto) {
        this.moto = moto;
        this.aws = new MotoClients(moto);
    }

    private Preflight.Result preflight(String cluster, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--cluster", cluster, "--e6data-account", SampleCluster.E6DATA_ACCOUNT,
                "--e6data-cidrs", SampleCluster.E6DATA_CIDR + "," + SECOND_CIDR, "--buckets", SampleCluster.BUCKET));
        args.addAll(List.of(more));
        return Accounts.run(moto, args.toArray(String[]::new));
    }

    @Test
    void sampleAccountShowsWhatTheStackAdoptsAndHasNoBlockers() {
        SampleCluster sample = SampleCluster.seed(aws);

        Preflight.Result result = preflight(SampleCluster.NAME);

        assertThat(result.exitCode()).as(result.output()).isZero();
        String text = unwrapped(result);
        assertThat(text).contains("✓ EKS cluster 'analytics' is ACTIVE in us-east-1.")
                .contains("The cluster's VPC is " + sample.vpcId + " (10.0.0.0/16)")
                .contains("2 control-plane ENIs described 'Amazon EKS analytics' (10.0.1.10 in " + sample.privateSubnetIds.get(0))
                .contains("Cluster security group " + sample.clusterSecurityGroupId + " (tagged aws:eks:cluster-name=analytics)");
        // Zones by name and AZ ID, the subnet the NLB takes in each, us-east-1e excluded by the template default.
        assertThat(text).contains("✓ us-east-1a (use1-az6): private " + sample.privateSubnetIds.get(0))
                .contains("the NLB takes " + sample.privateSubnetIds.get(0))
                .contains("us-east-1e (use1-az3): private " + sample.privateSubnetIds.get(3))
                .contains("excluded by ExcludedAvailabilityZones, so no NLB subnet here.")
                .contains("ExcludedAvailabilityZones entry us-east-1e is AZ ID use1-az3 in this account")
                .contains("give e6data the AZ IDs use1-az6, use1-az1, use1-az2");
        // Adoptions: OIDC provider, S3 endpoint (plus the main table), the hand-made 443 rule; the second CIDR is added.
        assertThat(text).contains("IAM OIDC provider arn:aws:iam::123456789012:oidc-provider/" + sample.oidcIssuer.substring(8)
                        + " exists for the cluster's issuer: the stack adopts it")
                .contains("S3 gateway endpoint " + sample.customerS3EndpointId + " is adopted (it already serves " + sample.explicitPrivateRouteTableId
                        + "); the stack adds " + sample.mainRouteTableId)
                .contains("TCP 443 from " + SampleCluster.E6DATA_CIDR + " is already allowed on " + sample.clusterSecurityGroupId)
                .contains("TCP 443 from " + SECOND_CIDR + " is not allowed on " + sample.clusterSecurityGroupId + " yet: the stack adds the rule")
                .contains("Bucket " + SampleCluster.BUCKET + " belongs to this account (123456789012), in us-east-1.")
                .contains("The policy of bucket " + SampleCluster.BUCKET + " has 1 statement (");
        // moto has no lambda:GetAccountSettings: the finding says so instead of failing the run.
        assertThat(text).contains("! Could not check the Lambda concurrency quota: lambda:GetAccountSettings is not offered by this endpoint (HTTP 404).")
                .contains("! No logging CloudTrail trail records management events in us-east-1")
                .contains("Result: ✓ no blockers")
                .contains("ClusterName=analytics E6dataAccountId=111122223333 E6dataVpcCidrs=10.200.0.0/16,10.201.0.0/16");
    }

    @Test
    void bareAccountGetsEverythingCreated() {
        SampleCluster.seedBare(aws);

        Preflight.Result result = preflight(SampleCluster.NAME);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(unwrapped(result)).contains("No IAM OIDC provider exists for issuer https://oidc.eks.us-east-1.amazonaws.com/id/")
                .contains(": the stack creates one (client ID sts.amazonaws.com, tagged e6link:owner) and deletes it with the stack, or set ManageOidcProvider=false")
                .contains("No S3 gateway endpoint in ")
                .contains("TCP 443 from " + SampleCluster.E6DATA_CIDR + " is not allowed on ")
                .contains("Bucket " + SampleCluster.BUCKET + " has no policy: the stack creates one holding only its statement (");
    }

    @Test
    void clusterNameTypoIsABlockerNamingClusterNameWithTheClustersThatExist() {
        SampleCluster.seed(aws);

        Preflight.Result result = preflight("analytcs", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "ClusterName");
            assertThat((String) blocker.get("text")).isEqualTo("EKS cluster 'analytcs' was not found in region us-east-1; check the ClusterName "
                    + "parameter and deploy the stack in the cluster's region (clusters in us-east-1: analytics).");
        });
        // What does not need the cluster is still checked: the bucket.
        assertThat(Accounts.findings(result)).anySatisfy(finding -> assertThat((String) finding.get("text"))
                .startsWith("Bucket " + SampleCluster.BUCKET + " belongs to this account"));
    }

    /**
     * NLB health checks obey the outbound rules of the NLB's security group, the cluster security group: with
     * its egress removed every target would fail its health checks, so the preflight says so before the stack fails.
     */
    @Test
    void aClusterSecurityGroupWithoutEgressIsABlockerNamingOutboundRulesAndTheEniSubnets() {
        SampleCluster sample = SampleCluster.seed(aws);
        Preflight.Result before = preflight(SampleCluster.NAME);
        aws.ec2().revokeSecurityGroupEgress(b -> b.groupId(sample.clusterSecurityGroupId)
                .ipPermissions(p -> p.ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0"))));

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(unwrapped(before)).contains("Outbound rules of " + sample.clusterSecurityGroupId + " let the NLB's health checks reach TCP 443 in "
                + sample.privateSubnetIds.get(0) + " (10.0.1.0/24)");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "ClusterName");
            assertThat((String) blocker.get("text")).startsWith(sample.clusterSecurityGroupId + " has no outbound rule allowing TCP 443 to "
                            + sample.privateSubnetIds.get(0) + " (10.0.1.0/24)")
                    .contains("its health checks obey its outbound rules, so every target would fail its health checks")
                    .endsWith("add an outbound rule for TCP 443 to those subnets (or restore the default allow-all outbound rule).");
        });

        // An outbound rule for 443 to the VPC is enough.
        aws.ec2().authorizeSecurityGroupEgress(b -> b.groupId(sample.clusterSecurityGroupId)
                .ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(r -> r.cidrIp("10.0.0.0/16"))));
        assertThat(preflight(SampleCluster.NAME).exitCode()).isZero();
    }

    @Test
    void excludingEveryZoneIsABlockerNamingExcludedAvailabilityZones() {
        SampleCluster.seed(aws);

        // Names and AZ IDs mixed: use1-az3 is us-east-1e.
        Preflight.Result result = preflight(SampleCluster.NAME, "--excluded-zones", "us-east-1a,us-east-1b,use1-az2,use1-az3", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "ExcludedAvailabilityZones");
            assertThat((String) blocker.get("text")).startsWith("No private subnet of EKS cluster 'analytics' is left for the NLB")
                    .contains("excluded by ExcludedAvailabilityZones=us-east-1a,us-east-1b,use1-az2,use1-az3")
                    .endsWith("Remove a zone from ExcludedAvailabilityZones or give the cluster a private subnet in another zone.");
        });
    }

    @Test
    void aZoneWhoseClusterSubnetIsFullGetsAnotherSubnetOfTheVpcForItsControlPlaneEniAsDiscoveryDoes() {
        SampleCluster sample = SampleCluster.seed(aws);
        sample.fillSmallSubnet();
        String roomyB;
        try (Ec2Client ec2 = aws.ec2()) {
            roomyB = ec2.createSubnet(b -> b.vpcId(sample.vpcId).cidrBlock("10.0.9.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        }

        Preflight.Result result = preflight(SampleCluster.NAME);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(unwrapped(result)).contains("us-east-1b (use1-az1): private " + sample.privateSubnetIds.get(1))
                .contains("the NLB takes " + roomyB + ", another subnet of the VPC, since a control-plane ENI sits in this zone.")
                .contains("give e6data the AZ IDs use1-az6, use1-az1, use1-az2");
    }

    /**
     * No surprise rerouting (issue 21): every route table that would gain an S3 route is "to look at", with how
     * many subnets it serves (the main table's implicit ones too), what changes for their workloads and how to avoid it.
     */
    @Test
    void routeTablesThatWouldGainAnS3RouteAreToLookAtWithTheirSubnetsAndHowToAvoidIt() {
        SampleCluster sample = SampleCluster.seed(aws);

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        List<Map<String, Object>> rerouted = Accounts.findings(result).stream()
                .filter(finding -> String.valueOf(finding.get("text")).contains("gains an S3 route")).toList();
        assertThat(rerouted).singleElement().satisfies(finding -> {
            assertThat(finding).containsEntry("status", "warning").containsEntry("parameter", "ExistingS3GatewayEndpointId");
            assertThat((String) finding.get("text")).contains("Route table " + sample.mainRouteTableId + " (the VPC's main route table: 1 subnet uses it without a route table of its own)",
                    "gains an S3 route through " + sample.customerS3EndpointId,
                    "open S3 connections", "NAT", "ExistingS3GatewayEndpointId");
        });
    }

    /** A VPC shared by a network account (docs/aws-rules.md rule 13): the preflight says what the stack needs, naming the owner. */
    @Test
    void inAVpcSharedByAnotherAccountTheS3StepNeedsTheOwnersEndpointNamingTheOwner() {
        SampleCluster sample = SampleCluster.seed(aws);
        moto.strict().shareVpc(sample.vpcId, "444455556666");

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "ExistingS3GatewayEndpointId");
            assertThat((String) blocker.get("text")).contains("VPC " + sample.vpcId + " is shared with this account by account 444455556666",
                    "ExistingS3GatewayEndpointId");
        });
        assertThat(Accounts.findings(result)).anySatisfy(finding -> assertThat((String) finding.get("text"))
                .contains("route tables of " + sample.vpcId + " belong to account 444455556666"));
    }

    /** The same shared VPC with the owner's endpoint given (--existing-s3-endpoint): no blocker, no route table to look at. */
    @Test
    void inASharedVpcTheOwnersEndpointGivenAsExistingS3GatewayEndpointIdIsUsedAsGiven() {
        SampleCluster sample = SampleCluster.seed(aws);
        moto.strict().shareVpc(sample.vpcId, "444455556666");

        Preflight.Result result = preflight(SampleCluster.NAME, "--json", "--existing-s3-endpoint", sample.customerS3EndpointId);

        assertThat(Accounts.blockers(result)).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(Accounts.findings(result)).anySatisfy(finding -> assertThat((String) finding.get("text"))
                .contains("S3 gateway endpoint " + sample.customerS3EndpointId + " (ExistingS3GatewayEndpointId) belongs to account 444455556666"));
        assertThat(Accounts.findings(result)).noneSatisfy(finding -> assertThat((String) finding.get("text")).contains("gains an S3 route"));
    }

    /** In the account's own VPC a given endpoint is checked by the resource's own rule, and no table gains a route. */
    @Test
    void aGivenEndpointIsUsedAsIsAndAMissingOneIsABlockerNamingExistingS3GatewayEndpointId() {
        SampleCluster sample = SampleCluster.seed(aws);

        Preflight.Result used = preflight(SampleCluster.NAME, "--json", "--existing-s3-endpoint", sample.customerS3EndpointId);
        Preflight.Result missing = preflight(SampleCluster.NAME, "--json", "--existing-s3-endpoint", "vpce-0123456789abcdef0");
        Preflight.Result malformed = preflight(SampleCluster.NAME, "--existing-s3-endpoint", "s3-endpoint");

        assertThat(Accounts.blockers(used)).isEmpty();
        assertThat(Accounts.findings(used)).anySatisfy(finding -> assertThat((String) finding.get("text"))
                .contains("S3 gateway endpoint " + sample.customerS3EndpointId + " (ExistingS3GatewayEndpointId) is used as is"));
        assertThat(Accounts.findings(used)).noneSatisfy(finding -> assertThat((String) finding.get("text")).contains("gains an S3 route"));
        assertThat(Accounts.blockers(missing)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "ExistingS3GatewayEndpointId");
            assertThat((String) blocker.get("text")).startsWith("ExistingS3GatewayEndpointId vpce-0123456789abcdef0 does not exist in this account and region");
        });
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.output()).contains("--existing-s3-endpoint takes a VPC endpoint id like vpce-0123456789abcdef0");
    }

    @Test
    void inABareVpcEveryPrivateRouteTableWouldGainAnS3RouteAndEachIsToLookAt() {
        SampleCluster sample = SampleCluster.seedBare(aws);

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(Accounts.findings(result)).filteredOn(finding -> String.valueOf(finding.get("text")).contains("gains an S3 route"))
                .extracting(finding -> (String) finding.get("text")).hasSize(2)
                .anySatisfy(text -> assertThat(text).contains("Route table " + sample.explicitPrivateRouteTableId + " (3 subnets are associated with it)",
                        "through the endpoint the stack creates"))
                .anySatisfy(text -> assertThat(text).contains("Route table " + sample.mainRouteTableId + " (the VPC's main route table"));
    }

    @Test
    void routeTableServedByAnotherS3EndpointIsABlocker() {
        SampleCluster sample = SampleCluster.seed(aws);
        // A second S3 gateway endpoint, on the main route table (which serves the private us-east-1c subnet).
        String other;
        try (Ec2Client ec2 = aws.ec2()) {
            other = ec2.createVpcEndpoint(b -> b.vpcId(sample.vpcId).serviceName("com.amazonaws.us-east-1.s3").vpcEndpointType("Gateway")
                    .routeTableIds(sample.mainRouteTableId)).vpcEndpoint().vpcEndpointId();
        }

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> assertThat((String) blocker.get("text"))
                .contains("already routes S3 through gateway endpoint")
                .contains("so the bucket policy's aws:SourceVpce matches")
                .containsAnyOf(other, sample.customerS3EndpointId));
    }

    @Test
    void missingBucketAndAnotherAccountsBucketAreBlockersNamingE6dataBucketNames() {
        SampleCluster.seed(aws);
        Accounts.otherAccountsBucket(moto, "someone-elses-data");

        Preflight.Result result = Accounts.run(moto, "--cluster", SampleCluster.NAME, "--e6data-account", SampleCluster.E6DATA_ACCOUNT,
                "--e6data-cidrs", SampleCluster.E6DATA_CIDR, "--buckets", SampleCluster.BUCKET + ",someone-elses-data,no-such-bucket-here", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).hasSize(2).allSatisfy(blocker -> assertThat(blocker).containsEntry("parameter", "E6dataBucketNames"));
        assertThat(Accounts.blockers(result)).extracting(blocker -> (String) blocker.get("text")).containsExactly(
                "Bucket someone-elses-data is not in this account's bucket list, so it belongs to another account and the stack (which writes with "
                        + "ExpectedBucketOwner=123456789012) would fail; remove it from E6dataBucketNames or deploy in the bucket owner's account.",
                "Bucket no-such-bucket-here does not exist; create it or remove it from E6dataBucketNames.");
    }

    @Test
    void bucketPolicyThatTheStatementPushesOver20KbIsABlocker() {
        SampleCluster.seed(aws);
        String policy = Accounts.policyOfAbout(SampleCluster.BUCKET, 20_400);
        aws.s3().putBucketPolicy(b -> b.bucket(SampleCluster.BUCKET).policy(policy));

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "E6dataBucketNames");
            assertThat((String) blocker.get("text")).startsWith("Adding the e6link statement would make the policy of bucket " + SampleCluster.BUCKET)
                    .contains("over S3's 20 KB (20,480 bytes) limit; shorten or merge its other statements");
        });
    }

    @Test
    void bucketPolicyCloseToTheLimitIsAWarningOnly() {
        SampleCluster.seed(aws);
        aws.s3().putBucketPolicy(b -> b.bucket(SampleCluster.BUCKET).policy(Accounts.policyOfAbout(SampleCluster.BUCKET, 19_000)));

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Accounts.findings(result)).anySatisfy(finding -> {
            assertThat(finding).containsEntry("status", "warning");
            assertThat((String) finding.get("text")).contains("leaving little room for later statements");
        });
    }

    @Test
    void clusterWithoutControlPlaneEnisIsABlockerNamingClusterName() {
        SampleCluster.seed(aws);
        try (Ec2Client ec2 = aws.ec2()) {
            ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("description").values("Amazon EKS " + SampleCluster.NAME)))
                    .networkInterfaces().forEach(eni -> ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni.networkInterfaceId())));
        }

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> {
            assertThat(blocker).containsEntry("parameter", "ClusterName");
            assertThat((String) blocker.get("text")).startsWith("No control-plane network interfaces described 'Amazon EKS analytics' were found");
        });
    }

    @Test
    void clusterThatIsNotActiveIsABlockerAndTheRestIsStillChecked() {
        SampleCluster sample = SampleCluster.seed(aws);
        // moto's clusters are always ACTIVE: EKS answers from a stub with the shape AWS documents, the rest from the emulated world.
        WireMockServer eks = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        eks.start();
        try {
            eks.stubFor(get(urlPathMatching("/clusters/analytics")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(Json.write(Map.of("cluster", Map.of("name", "analytics", "arn", "arn:aws:eks:us-east-1:123456789012:cluster/analytics",
                            "status", "UPDATING", "identity", Map.of("oidc", Map.of("issuer", sample.oidcIssuer)),
                            "resourcesVpcConfig", Map.of("subnetIds", sample.privateSubnetIds, "vpcId", sample.vpcId,
                                    "clusterSecurityGroupId", sample.clusterSecurityGroupId, "endpointPrivateAccess", true,
                                    "endpointPublicAccess", false)))))));
            Map<String, String> env = Accounts.env(moto);
            env.put("AWS_ENDPOINT_URL_EKS", "http://127.0.0.1:" + eks.port());

            Preflight.Result result = Accounts.run(env, "--cluster", SampleCluster.NAME, "--json");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(Accounts.blockers(result)).singleElement().satisfies(blocker -> assertThat(blocker)
                    .containsEntry("text", "EKS cluster 'analytics' is UPDATING, not ACTIVE; wait until it is ACTIVE, then deploy the stack.")
                    .containsEntry("parameter", "ClusterName"));
            assertThat(Accounts.findings(result)).extracting(finding -> (String) finding.get("text"))
                    .contains("Private endpoint access is on, so the control-plane ENIs serve the Kubernetes API the NLB forwards to.")
                    .contains("Cluster security group " + sample.clusterSecurityGroupId + " (reported by EKS) goes on the NLB and receives the 443 rules.");
        } finally {
            eks.stop();
        }
    }

    @Test
    void deniedReadsBecomeCouldNotCheckFindingsNotFailures() {
        SampleCluster sample = SampleCluster.seed(aws);
        moto.strict().injectFault("ec2:DescribeVpcEndpoints", Fault.ACCESS_DENIED, 1);
        moto.strict().injectFault("iam:ListOpenIDConnectProviders", Fault.ACCESS_DENIED, 1);
        moto.strict().injectFault("s3:ListAllMyBuckets", Fault.ACCESS_DENIED, 1);

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Accounts.findings(result)).filteredOn(finding -> "unchecked".equals(finding.get("status")))
                .extracting(finding -> (String) finding.get("text")).contains(
                        "Could not look for S3 gateway endpoints in " + sample.vpcId
                                + ": your credentials may not call ec2:DescribeVpcEndpoints (UnauthorizedOperation).",
                        "Could not check the IAM OIDC provider for " + sample.oidcIssuer
                                + ": your credentials may not call iam:ListOpenIDConnectProviders (AccessDenied).",
                        "Could not list this account's buckets (your credentials may not call s3:ListAllMyBuckets (AccessDenied)), so ownership is read "
                                + "from each bucket's policy instead.");
        // Without ListBuckets, the policy read with ExpectedBucketOwner still shows the bucket is this account's.
        assertThat(Accounts.findings(result)).anySatisfy(finding -> assertThat((String) finding.get("text"))
                .startsWith("Bucket " + SampleCluster.BUCKET + " belongs to this account"));
    }

    @Test
    void everyCallIsReadOnly() {
        SampleCluster.seed(aws);
        moto.strict().clear();

        Preflight.Result result = preflight(SampleCluster.NAME, "--json");

        // What reached the emulated world under the preflight's access key.
        List<String> recorded = moto.strict().recordedCalls().stream().filter(call -> Accounts.CALLER.equals(call.principal()))
                .map(RecordedCall::call).toList();
        assertThat(recorded).contains("sts:GetCallerIdentity", "eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeRouteTables",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcEndpoints", "ec2:DescribeSecurityGroupRules", "iam:ListOpenIDConnectProviders",
                "s3:ListAllMyBuckets", "s3:GetBucketPolicy");
        assertThat(recorded).allSatisfy(call -> assertThat(isReadOnly(call)).as(call).isTrue());
        // The strict world cannot name the operation of JSON-protocol calls (Lambda, CloudTrail): the SDK's own names do.
        @SuppressWarnings("unchecked")
        List<String> sdkCalls = (List<String>) Json.readObject(result.output()).get("awsCalls");
        assertThat(sdkCalls).contains("lambda:GetAccountSettings", "cloudtrail:DescribeTrails")
                .allSatisfy(call -> assertThat(call).matches("[a-z0-9]+:(Describe|Get|List|Head)[A-Za-z]*"));
        assertThat(recorded).hasSameSizeAs(sdkCalls);
    }

    /** The text report with wrapped findings joined again (continuation lines are indented by four spaces). */
    private static String unwrapped(Preflight.Result result) {
        return result.output().replace("\n    ", " ");
    }

    /** Describe/Get/List/Head operations, or a REST call the strict world names by method and path (GET, HEAD). */
    private static boolean isReadOnly(String call) {
        String operation = call.substring(call.indexOf(':') + 1);
        boolean jsonProtocol = (call.startsWith("lambda:") || call.startsWith("cloudtrail:")) && operation.equals("Unknown");
        return operation.matches("(Describe|Get|List|Head)[A-Za-z]*") || operation.startsWith("GET ") || operation.startsWith("HEAD ") || jsonProtocol;
    }

    @Test
    void lowLambdaConcurrencyIsAWarningNamingTheQuota() {
        SampleCluster.seed(aws);
        WireMockServer lambda = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        lambda.start();
        try {
            lambda.stubFor(get(urlPathMatching("/2016-08-19/account-settings/?")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"AccountLimit\":{\"TotalCodeSize\":80530636800,\"CodeSizeUnzipped\":262144000,\"CodeSizeZipped\":52428800,"
                            + "\"ConcurrentExecutions\":10,\"UnreservedConcurrentExecutions\":10},\"AccountUsage\":{\"TotalCodeSize\":0,\"FunctionCount\":3}}")));
            Map<String, String> env = Accounts.env(moto);
            env.put("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + lambda.port());

            Preflight.Result result = Accounts.run(env, "--cluster", SampleCluster.NAME, "--json");

            assertThat(result.exitCode()).isZero();
            assertThat(Accounts.findings(result)).anySatisfy(finding -> {
                assertThat(finding).containsEntry("status", "warning").containsEntry("parameter", "ReconcileIntervalMinutes");
                assertThat((String) finding.get("text")).startsWith("The account's Lambda concurrency limit is 10 (10 unreserved): the stack reserves none")
                        .contains("L-B99A9384");
            });
        } finally {
            lambda.stop();
        }
    }

    @Test
    void loggingTrailIsReportedAsDeliveringManagementEvents() {
        SampleCluster.seed(aws);
        aws.s3().createBucket(b -> b.bucket("org-cloudtrail-logs"));
        try (CloudTrailClient cloudTrail = aws.configure(CloudTrailClient.builder()).build()) {
            cloudTrail.createTrail(b -> b.name("management").s3BucketName("org-cloudtrail-logs").isMultiRegionTrail(true));
            cloudTrail.startLogging(b -> b.name("management"));
        }

        Preflight.Result result = preflight(SampleCluster.NAME);

        assertThat(unwrapped(result)).contains("✓ CloudTrail trail management is logging management events, so EventBridge in us-east-1 receives");
    }

    @Test
    void localModeChecksTheSampleAccountOfTheLocalDeploy() {
        Preflight.Result result = Preflight.run(List.of("--local"), Map.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(unwrapped(result)).contains("--local: the emulated sample account of ./scripts/deploy")
                .contains("e6link preflight: what the stack will do for EKS cluster 'analytics' in us-east-1, account 123456789012")
                .contains("the stack adopts it and never changes or deletes it")
                .contains("Result: ✓ no blockers");
    }
}
