package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.e6link.kit.eks.EksLookups;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.aws.Fault;
import io.e6link.testing.aws.SimulatedIamClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every client from {@link AwsClients} turns access denied and throttling that outlived the SDK's
 * retries into one sentence naming the IAM action and the resource, whichever code made the call:
 * moto behind the strict front door answers the calls, with the faults AWS would answer injected.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class AwsFailureTranslationTest {
    /** More attempts than the SDK makes (throttling: 3; implicit denies: through IAM's propagation window), so the call itself fails. */
    private static final int EVERY_ATTEMPT = 1_000;
    private Moto moto;

    @BeforeEach
    void setUp(Moto moto) {
        this.moto = moto;
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return new SimulatedIamClock().configure(builder).endpointOverride(moto.endpoint()).build();
    }

    @Test
    void accessDeniedToTheSharedEksLookupNamesTheActionAndTheCluster() {
        moto.strict().injectFault("eks:DescribeCluster", Fault.ACCESS_DENIED, EVERY_ATTEMPT);
        EksClient eks = client(EksClient.builder());

        Throwable failure = catchThrowable(() -> EksLookups.describeCluster(eks, "analytics"));

        assertThat(AwsErrors.reason(failure)).isEqualTo("The function's IAM role was still denied eks:DescribeCluster on analytics (AccessDeniedException) after 60 s,"
                + " longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
        assertThat(AwsErrors.isRefused(failure)).as("the service's answer stays the cause").isTrue();
        assertThat(AwsErrors.errorCode(failure)).isEqualTo("AccessDeniedException");
    }

    @Test
    void ec2UnauthorizedOperationNamesTheEc2ActionAndTheIds() {
        moto.strict().injectFault("ec2:DescribeSecurityGroups", Fault.ACCESS_DENIED, EVERY_ATTEMPT);
        Ec2Client ec2 = client(Ec2Client.builder());

        Throwable failure = catchThrowable(() -> ec2.describeSecurityGroups(request -> request.groupIds("sg-0123", "sg-0456")));

        assertThat(AwsErrors.reason(failure)).isEqualTo("The function's IAM role was still denied ec2:DescribeSecurityGroups on sg-0123,sg-0456"
                + " (UnauthorizedOperation) after 60 s, longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
        assertThat(failure).isInstanceOf(Ec2Exception.class).hasCauseInstanceOf(Ec2Exception.class);
        assertThat(AwsErrors.errorCode(failure)).isEqualTo("UnauthorizedOperation");
    }

    @Test
    void throttlingThatOutlivesTheRetriesNamesTheActionAndTheTargetGroup() {
        String targetGroup = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link/0123456789abcdef";
        moto.strict().injectFault("elasticloadbalancing:RegisterTargets", Fault.THROTTLING, EVERY_ATTEMPT);
        ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());

        Throwable failure = catchThrowable(() -> elb.registerTargets(request -> request.targetGroupArn(targetGroup)
                .targets(target -> target.id("10.0.1.10").port(443))));

        assertThat(AwsErrors.reason(failure)).isEqualTo("AWS kept throttling elasticloadbalancing:RegisterTargets on " + targetGroup
                + " (Throttling) after retries; retry the stack operation in a few minutes.");
        assertThat(AwsErrors.isRefused(failure)).isTrue();
        assertThat(AwsErrors.isThrottling(failure)).isTrue();
    }

    @Test
    void s3AndIamCallsNameTheirActionsAndResources() {
        String provider = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF";
        moto.strict().injectFault("s3:PutBucketPolicy", Fault.THROTTLING, EVERY_ATTEMPT);
        moto.strict().injectFault("iam:GetOpenIDConnectProvider", Fault.ACCESS_DENIED, EVERY_ATTEMPT);
        S3Client s3 = client(S3Client.builder().forcePathStyle(true));
        IamClient iam = client(IamClient.builder());

        Throwable s3Failure = catchThrowable(() -> s3.putBucketPolicy(request -> request.bucket("e6data-analytics").policy("{}")));
        Throwable iamFailure = catchThrowable(() -> iam.getOpenIDConnectProvider(request -> request.openIDConnectProviderArn(provider)));

        assertThat(AwsErrors.reason(s3Failure)).isEqualTo("AWS kept throttling s3:PutBucketPolicy on e6data-analytics (SlowDown) after retries;"
                + " retry the stack operation in a few minutes.");
        assertThat(AwsErrors.reason(iamFailure)).isEqualTo("The function's IAM role was still denied iam:GetOpenIDConnectProvider on " + provider
                + " (AccessDenied) after 60 s, longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
    }

    @Test
    void aCallWithoutIdentifiersNamesEveryResourceAndItsFiltersAndOtherErrorsPassThroughUntouched() {
        moto.strict().injectFault("ec2:DescribeVpcs", Fault.ACCESS_DENIED, EVERY_ATTEMPT);
        moto.strict().injectFault("ec2:DescribeSecurityGroupRules", Fault.ACCESS_DENIED, EVERY_ATTEMPT);
        moto.strict().injectFault("ec2:DescribeSubnets", Fault.INTERNAL_ERROR, EVERY_ATTEMPT);
        Ec2Client ec2 = client(Ec2Client.builder());

        Throwable denied = catchThrowable(ec2::describeVpcs);
        Throwable filtered = catchThrowable(() -> ec2.describeSecurityGroupRules(request -> request
                .filters(filter -> filter.name("group-id").values("sg-0123"), filter -> filter.name("tag:team").values("a", "b", "c", "d"))));
        Throwable failed = catchThrowable(() -> ec2.describeSubnets(request -> request.subnetIds(List.of("subnet-1"))));

        assertThat(AwsErrors.reason(denied)).isEqualTo("The function's IAM role was still denied ec2:DescribeVpcs on * (UnauthorizedOperation) after 60 s,"
                + " longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
        assertThat(AwsErrors.reason(filtered)).isEqualTo("The function's IAM role was still denied ec2:DescribeSecurityGroupRules on"
                + " * (filter group-id=sg-0123, tag:team=a,b,c and 1 more) (UnauthorizedOperation) after 60 s, longer than IAM takes to apply"
                + " a policy change; allow it in the role's policy and retry.");
        assertThat(failed).isInstanceOf(AwsServiceException.class);
        assertThat(AwsErrors.reason(failed)).isEqualTo("Ec2 refused the request (InternalError): An internal error has occurred. (injected fault)");
    }

    @Test
    void anExplicitDenyIsNotRetriedAndKeepsAwsClauseWithWhomToAsk() {
        moto.strict().injectFault("ec2:DescribeVpcs", Fault.SERVICE_CONTROL_POLICY_DENY, EVERY_ATTEMPT);
        Ec2Client ec2 = client(Ec2Client.builder());

        Throwable denied = catchThrowable(ec2::describeVpcs);

        assertThat(AwsErrors.reason(denied)).isEqualTo("AWS denied ec2:DescribeVpcs on * with an explicit deny in a service control policy"
                + " (UnauthorizedOperation), which no change to the function's role can lift; ask your AWS Organizations administrator"
                + " (service control policies are set on the organization) to allow it, then retry.");
        assertThat(moto.strict().clearFaults()).as("attempts").isEqualTo(1);
    }

    @Test
    void awsDocumentedMessageFormsNameThePolicyKind() {
        // IAM User Guide, "Troubleshoot access denied error messages": explicit and implicit forms, with or without the policy's ARN
        assertThat(AccessDenial.of(s3Denied("User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:GetBucketPolicy"
                + " on resource: \"arn:aws:s3:::b\" with an explicit deny in a permissions boundary: arn:aws:iam::123456789012:policy/boundary")))
                .isEqualTo(new AccessDenial("with an explicit deny in a permissions boundary: arn:aws:iam::123456789012:policy/boundary",
                        java.util.Optional.of("permissions boundary"), java.util.Optional.empty()));
        assertThat(AccessDenial.of(s3Denied("User: x is not authorized to perform: s3:GetBucketPolicy on resource: \"arn:aws:s3:::b\""
                + " with an explicit deny in a VPC endpoint policy")).explicitPolicy()).contains("VPC endpoint policy");
        assertThat(AccessDenial.of(s3Denied("User: x is not authorized to perform: s3:GetBucketPolicy on resource: \"arn:aws:s3:::b\""
                + " with an explicit deny in a resource-based policy")).explicitPolicy()).contains("resource-based policy");
        assertThat(AccessDenial.of(s3Denied("User: x is not authorized to perform: s3:GetBucketPolicy because no permissions boundary allows"
                + " the s3:GetBucketPolicy action"))).satisfies(denial -> {
                    assertThat(denial.explicitPolicy()).isEmpty();
                    assertThat(denial.missingAllow()).contains("permissions boundary");
                });
        assertThat(AccessDenial.of(s3Denied("Access Denied"))).isEqualTo(new AccessDenial("", java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(AccessDenial.whoToAsk("session policy")).startsWith("whoever issued the session's credentials");
    }

    private static AwsServiceException s3Denied(String message) {
        return software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(403)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(message).build())
                .build();
    }

    @Test
    void thePropagationWindowIsTheSlowEndOfAwsClockAndFitsInTheCallTimeout() throws Exception {
        try (var in = Fault.class.getResourceAsStream("aws-clock.json")) {
            Map<String, Object> clock = Json.readObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            Map<?, ?> propagation = (Map<?, ?>) ((Map<?, ?>) clock.get("timings")).get("iamPropagation");
            assertThat(propagation.get("default")).isEqualTo("slow");
            assertThat(((Number) propagation.get("slowSeconds")).longValue()).isEqualTo(IamPropagationRetry.WINDOW.toSeconds());
        }
        assertThat(AwsClients.API_CALL_TIMEOUT).isGreaterThan(IamPropagationRetry.WINDOW.plus(AwsClients.API_CALL_ATTEMPT_TIMEOUT));
    }

    /** A scheduled function's 60 s run must end with the reason: no propagation window, and a 30 s call timeout. */
    @Test
    void aScheduledClientHasNoPropagationWindowAndEndsACallWithinThirtySeconds() {
        try (var scheduled = AwsClients.configure(software.amazon.awssdk.services.ec2.Ec2Client.builder(), IamPropagationRetry.scheduled()).build();
             var customResource = AwsClients.configure(software.amazon.awssdk.services.ec2.Ec2Client.builder(), IamPropagationRetry.lambda()).build()) {
            assertThat(IamPropagationRetry.scheduled().window()).isZero();
            assertThat(scheduled.serviceClientConfiguration().overrideConfiguration().apiCallTimeout()).contains(java.time.Duration.ofSeconds(30));
            assertThat(customResource.serviceClientConfiguration().overrideConfiguration().apiCallTimeout()).contains(AwsClients.API_CALL_TIMEOUT);
        }
    }
}
