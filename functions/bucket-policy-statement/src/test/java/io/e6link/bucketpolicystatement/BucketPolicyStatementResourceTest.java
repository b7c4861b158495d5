package io.e6link.bucketpolicystatement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.IamPropagationRetry;
import io.e6link.kit.Json;
import io.e6link.testing.CallCounter;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.aws.Fault;
import io.e6link.testing.aws.SimulatedIamClock;
import io.e6link.testing.ResponseRecorder.Put;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class BucketPolicyStatementResourceTest {
    private static final String EVENT = "bucket-policy-statement/create.json";
    private static final String ACCOUNT = MotoClients.ACCOUNT_ID;
    private static final String DATA = "e6data-workspace-data";
    private static final String LOGS = "e6data-workspace-logs";
    private static final String SPARE = "e6data-workspace-spare";
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static final String SID = "E6linkPrivateLinkAccess";
    private static final String ID = "e6link-bucket-policy-statement-e6link-BucketPolicyStatement";

    /** A customer policy with key orders and shapes that a careless rewrite would change. */
    private static final String CUSTOMER_POLICY = """
            {"Id":"customer-policy","Version":"2012-10-17","Statement":[
              {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],
               "Resource":["arn:aws:s3:::e6data-workspace-data","arn:aws:s3:::e6data-workspace-data/*"],
               "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
              {"Effect":"Allow","Resource":"arn:aws:s3:::e6data-workspace-data/reports/*","Action":"s3:GetObject",
               "Principal":{"AWS":"arn:aws:iam::123456789012:role/reporting"},"Sid":"ReportingRead"}]}""";
    /** S3 also accepts a policy whose Statement is one object rather than a list. */
    private static final String SINGLE_STATEMENT_POLICY = """
            {"Version":"2012-10-17","Statement":{"Sid":"LogDelivery","Effect":"Allow",
              "Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject",
              "Resource":"arn:aws:s3:::e6data-workspace-logs/access/*"}}""";

    private S3Client s3;
    private CallCounter calls;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        calls = new CallCounter();
        s3 = new MotoClients(moto, calls).s3();
        for (String bucket : List.of(DATA, LOGS, SPARE)) {
            s3.createBucket(request -> request.bucket(bucket));
        }
        calls.clear();
        harness = new CustomResourceHarness(function(s3));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static CustomResourceFunction function(S3Client client) {
        return new CustomResourceFunction(BucketPolicyStatementResource.TYPE, () -> new BucketPolicyStatementResource(client)) { };
    }

    // ---- full life against moto -------------------------------------------------------------

    @Test
    void fullLifeOnBucketsWithoutAPolicyAddsTheStatementAndDeleteRemovesThePolicy() {
        Put created = harness.create(EVENT, properties(List.of(DATA), "ThisAccount"));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(ID);
        assertThat(created.data()).containsEntry("StatementId", SID).containsEntry("Buckets", DATA);
        assertThat(policy(DATA)).isEqualTo(Map.of("Version", "2012-10-17", "Statement", List.of(expectedStatement(DATA, true))));
        assertThat(keys(statement(policy(DATA), SID))).containsExactly("Sid", "Effect", "Principal", "Action", "Resource", "Condition");

        Put updated = harness.update(EVENT, ID, properties(List.of(DATA, LOGS), "AnyPrincipal"), properties(List.of(DATA), "ThisAccount"));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(ID);
        assertThat(updated.data()).containsEntry("Buckets", DATA + "," + LOGS);
        assertThat(statements(policy(DATA))).containsExactly(expectedStatement(DATA, false));
        assertThat(statements(policy(LOGS))).containsExactly(expectedStatement(LOGS, false));

        Put deleted = harness.delete(EVENT, ID, properties(List.of(DATA, LOGS), "AnyPrincipal"));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(storedPolicy(DATA)).isEmpty();
        assertThat(storedPolicy(LOGS)).isEmpty();
    }

    @Test
    void fullLifeKeepsEveryCustomerStatementExactlyAndDeleteLeavesOnlyThem() {
        putPolicy(DATA, CUSTOMER_POLICY);
        putPolicy(LOGS, SINGLE_STATEMENT_POLICY);
        Map<String, Object> customer = parse(CUSTOMER_POLICY);
        Map<String, Object> single = parse(SINGLE_STATEMENT_POLICY);

        Put created = harness.create(EVENT, properties(List.of(DATA), "ThisAccount"));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        Map<String, Object> merged = policy(DATA);
        assertThat(keys(merged)).containsExactly("Id", "Version", "Statement");
        assertThat(statements(merged)).containsExactly(statements(customer).get(0), statements(customer).get(1), expectedStatement(DATA, true));
        assertThat(keys(statements(merged).get(1))).containsExactly("Effect", "Resource", "Action", "Principal", "Sid");

        Map<String, Object> newProperties = properties(List.of(DATA, LOGS), "AnyPrincipal");
        newProperties.put("StatementId", "E6dataEndpointAccess");
        Put updated = harness.update(EVENT, ID, newProperties, properties(List.of(DATA), "ThisAccount"));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.data()).containsEntry("StatementId", "E6dataEndpointAccess");
        assertThat(statements(policy(DATA))).extracting(statement -> statement.get("Sid"))
                .containsExactly("DenyInsecureTransport", "ReportingRead", "E6dataEndpointAccess");
        assertThat(statements(policy(LOGS))).containsExactly(statements(single).get(0), withSid(expectedStatement(LOGS, false), "E6dataEndpointAccess"));

        Put deleted = harness.delete(EVENT, ID, newProperties);

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(policy(DATA)).isEqualTo(customer);
        Map<String, Object> logsAfter = policy(LOGS);
        // The single statement comes back as a list of one: the same policy to S3 and IAM.
        assertThat(logsAfter.get("Version")).isEqualTo(single.get("Version"));
        assertThat(statements(logsAfter)).containsExactly(statements(single).get(0));
    }

    @Test
    void updateRemovesTheStatementOnlyFromBucketsDroppedFromTheList() {
        putPolicy(LOGS, SINGLE_STATEMENT_POLICY);
        harness.create(EVENT, properties(List.of(DATA, LOGS), "ThisAccount"));

        Put updated = harness.update(EVENT, ID, properties(List.of(DATA), "ThisAccount"), properties(List.of(DATA, LOGS), "ThisAccount"));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(statements(policy(DATA))).containsExactly(expectedStatement(DATA, true));
        assertThat(statements(policy(LOGS))).containsExactly(statements(parse(SINGLE_STATEMENT_POLICY)).get(0));
    }

    @Test
    void createOnAMissingBucketFailsPutsBackTheBucketsAlreadyChangedAndRollbackDeleteChangesNothing() {
        putPolicy(DATA, CUSTOMER_POLICY);
        String missing = "e6data-no-such-bucket";

        Put created = harness.create(EVENT, properties(List.of(DATA, LOGS, missing), "ThisAccount"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Bucket " + missing + " does not exist")
                .contains("put back (" + DATA + ", " + LOGS + ")");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(storedPolicy(DATA)).hasValue(CUSTOMER_POLICY);
        assertThat(storedPolicy(LOGS)).isEmpty();

        calls.clear();
        Put rollback = harness.delete(EVENT, created.physicalResourceId(), properties(List.of(DATA, LOGS, missing), "ThisAccount"));

        assertThat(rollback.status()).isEqualTo("SUCCESS");
        assertThat(storedPolicy(DATA)).hasValue(CUSTOMER_POLICY);
        assertThat(storedPolicy(LOGS)).isEmpty();
        assertThat(calls.calls()).doesNotContain("s3:PutBucketPolicy", "s3:DeleteBucketPolicy");
    }

    @Test
    void repeatedCreateWritesNothingTheSecondTime() {
        harness.create(EVENT, properties(List.of(DATA), "ThisAccount"));
        calls.clear();

        Put again = harness.create(EVENT, properties(List.of(DATA), "ThisAccount"));

        assertThat(again.status()).as(again.reason()).isEqualTo("SUCCESS");
        assertThat(again.physicalResourceId()).isEqualTo(ID);
        assertThat(calls.calls()).containsExactly("s3:GetBucketPolicy");
        assertThat(statements(policy(DATA))).containsExactly(expectedStatement(DATA, true));
    }

    @Test
    void deleteSucceedsWhenTheStatementThePolicyOrTheBucketIsAlreadyGone() {
        putPolicy(DATA, CUSTOMER_POLICY);

        Put deleted = harness.delete(EVENT, ID, properties(List.of(DATA, LOGS, "e6data-deleted-bucket"), "ThisAccount"));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(storedPolicy(DATA)).hasValue(CUSTOMER_POLICY);
        assertThat(calls.calls()).doesNotContain("s3:PutBucketPolicy", "s3:DeleteBucketPolicy");
    }

    @Test
    void createRefusesToGrowAPolicyPastTwentyKilobytesAndLeavesItUnchanged() {
        // moto does not enforce S3's 20 KB limit, so a policy just under it can be stored.
        String large = policyOfSize(20 * 1024 - 100);
        putPolicy(DATA, large);

        Put created = harness.create(EVENT, properties(List.of(DATA), "ThisAccount"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("bucket " + DATA).contains("over S3's 20 KB");
        assertThat(storedPolicy(DATA)).hasValue(large);
    }

    @Test
    void invalidPropertiesFailNamingThePropertyBeforeAnyCall() {
        Map<String, Object> badEndpoint = properties(List.of(DATA), "ThisAccount");
        badEndpoint.put("VpcEndpointId", "vpc-0a1b2c3d");
        Map<String, Object> badScope = properties(List.of(DATA), "Everyone");
        Map<String, Object> badBucket = properties(List.of("arn:aws:s3:::" + DATA), "ThisAccount");

        assertThat(harness.create(EVENT, badEndpoint).reason()).isEqualTo("Property VpcEndpointId (the S3 gateway endpoint of the cluster "
                + "named by ClusterName) has invalid value 'vpc-0a1b2c3d': expected a VPC endpoint id like vpce-0123456789abcdef0.");
        assertThat(harness.create(EVENT, badScope).reason())
                .isEqualTo("BucketPolicyPrincipalScope (property PrincipalScope) has invalid value 'Everyone': expected ThisAccount or AnyPrincipal.");
        assertThat(harness.create(EVENT, badBucket).reason()).isEqualTo("E6dataBucketNames (property BucketNames) has invalid value "
                + "'arn:aws:s3:::" + DATA + "': expected S3 bucket names (3-63 lowercase letters, digits, dots, hyphens), not ARNs.");
        assertThat(calls.calls()).isEmpty();
    }

    @Test
    void statementUsesTheBucketArnsOfTheStacksPartition() {
        Map<String, Object> event = io.e6link.testing.Events.prepare(EVENT, harness.recorder().newUrl(), properties(List.of(DATA), "ThisAccount"));
        event.put("StackId", "arn:aws-us-gov:cloudformation:us-gov-west-1:" + ACCOUNT + ":stack/e6link/00000000-0000-0000-0000-000000000000");

        Put created = harness.send(event);

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(statement(policy(DATA), SID)).containsEntry("Resource", "arn:aws-us-gov:s3:::" + DATA + "/*");
    }

    // ---- faults injected with Mockito around the moto client ---------------------------------

    @Test
    void conflictOnPutIsRetriedAndEveryCallNamesTheExpectedOwner() {
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        doThrow(s3Error(409, "OperationAborted", "A conflicting conditional operation is currently in progress against this resource. Please try again."))
                .doAnswer(call -> s3.putBucketPolicy(call.<PutBucketPolicyRequest>getArgument(0)))
                .when(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));

        Put created = run(faulty, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(statements(policy(DATA))).containsExactly(expectedStatement(DATA, true));
        ArgumentCaptor<GetBucketPolicyRequest> reads = ArgumentCaptor.forClass(GetBucketPolicyRequest.class);
        ArgumentCaptor<PutBucketPolicyRequest> writes = ArgumentCaptor.forClass(PutBucketPolicyRequest.class);
        verify(faulty, times(2)).getBucketPolicy(reads.capture());
        verify(faulty, times(2)).putBucketPolicy(writes.capture());
        verifyNoMoreInteractions(faulty);
        assertThat(reads.getAllValues()).extracting(GetBucketPolicyRequest::expectedBucketOwner).containsOnly(ACCOUNT);
        assertThat(writes.getAllValues()).extracting(PutBucketPolicyRequest::expectedBucketOwner).containsOnly(ACCOUNT);
    }

    @Test
    void conflictThatOutlastsTheDeadlineFailsWithAReasonAndChangesNothing() {
        putPolicy(DATA, CUSTOMER_POLICY);
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        doThrow(s3Error(409, "OperationAborted", "A conflicting conditional operation is currently in progress against this resource."))
                .when(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));

        Put created = run(faulty, h -> h.remainingMillis(12_000).create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("OperationAborted").contains("bucket " + DATA).contains("retry the stack operation");
        assertThat(storedPolicy(DATA)).hasValue(CUSTOMER_POLICY);
        // The read, then the rollback's read finding the previous policy still in place: nothing to put back.
        verify(faulty, times(2)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verify(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));
        verifyNoMoreInteractions(faulty);
        assertThat(created.reason()).doesNotContain("put back");
    }

    @Test
    void throttlingIsLeftToTheSdkAndWhatOutlivesItsRetriesFailsNamingTheActionAndTheBucket(Moto moto) {
        S3Client kitClient = AwsClients.configure(S3Client.builder().forcePathStyle(true)).endpointOverride(moto.endpoint()).build();
        moto.strict().injectFault("s3:GetBucketPolicy", Fault.THROTTLING, 2);

        Put created = run(kitClient, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(moto.strict().clearFaults()).as("throttled attempts the SDK retried").isEqualTo(2);
        moto.strict().injectFault("s3:PutBucketPolicy", Fault.THROTTLING, 10);

        Put updated = run(kitClient, h -> h.update(EVENT, ID, properties(List.of(DATA), "AnyPrincipal"), properties(List.of(DATA), "ThisAccount")));

        assertThat(updated.status()).isEqualTo("FAILED");
        assertThat(updated.reason()).isEqualTo("AWS kept throttling s3:PutBucketPolicy on " + DATA
                + " (SlowDown) after retries; retry the stack operation in a few minutes.");
        assertThat(statements(policy(DATA))).containsExactly(expectedStatement(DATA, true));
    }

    // ---- IAM propagation and explicit denies (issue 19) ----------------------------------------

    /** The function's S3 client as Lambda builds it, its retry strategy on {@code clock}. */
    private static S3Client kitClient(Moto moto, SimulatedIamClock clock) {
        return clock.configure(S3Client.builder().forcePathStyle(true)).endpointOverride(moto.endpoint()).build();
    }

    @Test
    void aCreateDeniedForTheFirstSecondsAfterARoleChangeSucceedsOnceIamHasPropagatedTheChange(Moto moto) {
        SimulatedIamClock clock = new SimulatedIamClock();
        moto.strict().injectFaultUntil("s3:GetBucketPolicy", Fault.ACCESS_DENIED, clock.instants(), Instant.ofEpochMilli(20_000));

        Put created = run(kitClient(moto, clock), h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(statements(policy(DATA))).containsExactly(expectedStatement(DATA, true));
        assertThat(moto.strict().clearFaults()).as("denied attempts retried with backoff").isBetween(3, 12);
        assertThat(clock.millis()).as("simulated time waited").isBetween(20_000L, IamPropagationRetry.WINDOW.toMillis());
    }

    @Test
    void aCreateStillDeniedPastThePropagationWindowFailsSayingForHowLongAndChangesNothing(Moto moto) {
        SimulatedIamClock clock = new SimulatedIamClock();
        moto.strict().injectFault("s3:GetBucketPolicy", Fault.ACCESS_DENIED, 1_000);

        Put created = run(kitClient(moto, clock), h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("The function's IAM role was still denied s3:GetBucketPolicy on " + DATA
                + " (AccessDenied) after 60 s, longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
        assertThat(clock.millis()).isEqualTo(IamPropagationRetry.WINDOW.toMillis());
        assertThat(moto.strict().clearFaults()).as("denied attempts, with backoff, until the window passed").isBetween(6, 30);
        assertThat(storedPolicy(DATA)).isEmpty();
    }

    @Test
    void aServiceControlPolicyDenyIsNotRetriedAndIsReportedAsOneWithWhomToAsk(Moto moto) {
        SimulatedIamClock clock = new SimulatedIamClock();
        putPolicy(DATA, CUSTOMER_POLICY);
        moto.strict().injectFault("s3:GetBucketPolicy", Fault.SERVICE_CONTROL_POLICY_DENY, 1_000);

        Put created = run(kitClient(moto, clock), h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("AWS denied s3:GetBucketPolicy on " + DATA + " with an explicit deny in a service control policy"
                + " (AccessDenied), which no change to the function's role can lift; ask your AWS Organizations administrator"
                + " (service control policies are set on the organization) to allow it, then retry.");
        assertThat(moto.strict().clearFaults()).as("attempts: an explicit deny is not retried").isEqualTo(1);
        assertThat(clock.millis()).isZero();
        assertThat(policy(DATA)).isEqualTo(parse(CUSTOMER_POLICY));
    }

    @Test
    void aPolicyReplacedByAnotherWriterRightAfterOurWriteIsMergedAgain() {
        String otherWriter = """
                {"Version":"2012-10-17","Statement":[{"Sid":"AWSLogDeliveryWrite","Effect":"Allow",
                 "Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::e6data-workspace-data/AWSLogs/*"}]}""";
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        doAnswer(call -> {
            s3.putBucketPolicy(call.<PutBucketPolicyRequest>getArgument(0));
            return s3.putBucketPolicy(request -> request.bucket(DATA).policy(otherWriter)); // last writer wins
        }).doAnswer(call -> s3.putBucketPolicy(call.<PutBucketPolicyRequest>getArgument(0)))
                .when(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));

        Put created = run(faulty, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(statements(policy(DATA))).containsExactly(statements(parse(otherWriter)).get(0), expectedStatement(DATA, true));
        verify(faulty, times(3)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verify(faulty, times(2)).putBucketPolicy(any(PutBucketPolicyRequest.class));
        verifyNoMoreInteractions(faulty);
    }

    @Test
    void accessDeniedOnPutFailsNamingTheBucketAndThePermission() {
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        doThrow(s3Error(403, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/e6link/fn is not authorized to perform: s3:PutBucketPolicy"))
                .when(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));

        Put created = run(faulty, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Access denied changing the policy of bucket " + DATA)
                .contains("s3:PutBucketPolicy").doesNotContain("Block Public Access");
        // The read, the refused put, and the rollback's read finding nothing to put back.
        verify(faulty, times(2)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verify(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));
        verifyNoMoreInteractions(faulty);
        assertThat(storedPolicy(DATA)).isEmpty();
    }

    @Test
    void blockPublicAccessRefusalGetsItsOwnReason() {
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        doThrow(s3Error(403, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/e6link/fn is not authorized to perform: "
                + "s3:PutBucketPolicy on resource: \"arn:aws:s3:::e6data-workspace-data\" because public policies are blocked by the "
                + "BlockPublicPolicy block public access setting."))
                .when(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));

        Put created = run(faulty, h -> h.create(EVENT, properties(List.of(DATA), "AnyPrincipal")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("S3 Block Public Access (BlockPublicPolicy) refused the new policy of bucket " + DATA);
        verify(faulty, times(2)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verify(faulty).putBucketPolicy(any(PutBucketPolicyRequest.class));
        verifyNoMoreInteractions(faulty);
    }

    @Test
    void bucketOwnedByAnotherAccountGetsItsOwnReasonAndIsNeverWritten() {
        // moto ignores ExpectedBucketOwner: S3 answers 403 to the guarded read, and 405 to a caller from another account.
        S3Client s3Mock = mock(S3Client.class);
        when(s3Mock.getBucketPolicy(argThat((GetBucketPolicyRequest r) -> r != null && ACCOUNT.equals(r.expectedBucketOwner()))))
                .thenThrow(s3Error(403, "AccessDenied", "Access Denied"));
        when(s3Mock.getBucketPolicy(argThat((GetBucketPolicyRequest r) -> r != null && r.expectedBucketOwner() == null)))
                .thenThrow(s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource."));

        Put created = run(s3Mock, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("Bucket " + DATA + " belongs to another AWS account than " + ACCOUNT
                + "; this stack can only change policies of buckets in its own account, so add the statement in the bucket owner's account.");
        verify(s3Mock, times(2)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verifyNoMoreInteractions(s3Mock);
    }

    @Test
    void accessDeniedOnReadInTheOwnAccountAsksForThePermission() {
        S3Client s3Mock = mock(S3Client.class);
        when(s3Mock.getBucketPolicy(any(GetBucketPolicyRequest.class))).thenThrow(s3Error(403, "AccessDenied", "Access Denied"));

        Put created = run(s3Mock, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.reason()).startsWith("Access denied reading the policy of bucket " + DATA).contains("s3:GetBucketPolicy");
        verify(s3Mock, times(2)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verifyNoMoreInteractions(s3Mock);
    }

    @Test
    void failureOnTheThirdBucketPutsBackTheExactPoliciesOfTheFirstTwo() {
        putPolicy(DATA, CUSTOMER_POLICY);
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        doThrow(s3Error(403, "AccessDenied", "explicit deny in a resource-based policy"))
                .when(faulty).putBucketPolicy(argThat((PutBucketPolicyRequest r) -> r != null && SPARE.equals(r.bucket())));

        Put created = run(faulty, h -> h.create(EVENT, properties(List.of(DATA, LOGS, SPARE), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Access denied changing the policy of bucket " + SPARE)
                .endsWith("The policies already changed were put back (" + DATA + ", " + LOGS + ").");
        assertThat(storedPolicy(DATA)).hasValue(CUSTOMER_POLICY);
        assertThat(storedPolicy(LOGS)).isEmpty();
        assertThat(storedPolicy(SPARE)).isEmpty();
        // Read + verify for DATA and LOGS, SPARE's read, then one rollback read per bucket.
        verify(faulty, times(8)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verify(faulty, times(4)).putBucketPolicy(any(PutBucketPolicyRequest.class)); // DATA, LOGS, SPARE (denied), DATA restored
        verify(faulty).deleteBucketPolicy(any(DeleteBucketPolicyRequest.class)); // LOGS had no policy
        verifyNoMoreInteractions(faulty);
    }

    @Test
    void malformedExistingPolicyIsNeverOverwrittenAndDoesNotBlockDelete() {
        // moto stores malformed policy JSON as given; S3 would not, so a mock stands in.
        S3Client s3Mock = mock(S3Client.class);
        when(s3Mock.getBucketPolicy(any(GetBucketPolicyRequest.class)))
                .thenReturn(GetBucketPolicyResponse.builder().policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":").build());

        Put created = run(s3Mock, h -> h.create(EVENT, properties(List.of(DATA), "ThisAccount")));
        Put deleted = run(s3Mock, h -> h.delete(EVENT, ID, properties(List.of(DATA), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("The existing policy of bucket " + DATA
                + " is not valid JSON, so it cannot be merged safely; fix the bucket policy and retry the stack operation.");
        assertThat(deleted.status()).isEqualTo("SUCCESS");
        verify(s3Mock, times(2)).getBucketPolicy(any(GetBucketPolicyRequest.class));
        verifyNoMoreInteractions(s3Mock);
    }

    // ---- CloudFormation's real lifecycle: failed-Create placeholders, made-up ids ---------------

    @Test
    void aCreateThatFailedAfterWritingAndCouldNotPutBackIsCleanedUpByTheRollbackDelete() {
        putPolicy(DATA, CUSTOMER_POLICY);
        S3Client faulty = mock(S3Client.class, delegatesTo(s3));
        // DATA's write lands, LOGS' write is refused, and putting DATA's previous policy back is refused too.
        doAnswer(call -> s3.putBucketPolicy(call.<PutBucketPolicyRequest>getArgument(0)))
                .doThrow(s3Error(403, "AccessDenied", "explicit deny in a resource-based policy"))
                .when(faulty).putBucketPolicy(argThat((PutBucketPolicyRequest r) -> r != null && DATA.equals(r.bucket())));
        doThrow(s3Error(403, "AccessDenied", "explicit deny in a resource-based policy"))
                .when(faulty).putBucketPolicy(argThat((PutBucketPolicyRequest r) -> r != null && LOGS.equals(r.bucket())));

        Put created = run(faulty, h -> h.create(EVENT, properties(List.of(DATA, LOGS), "ThisAccount")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(created.reason()).startsWith("Access denied changing the policy of bucket " + LOGS)
                .contains("Could not put back the previous policy of " + DATA);
        assertThat(statements(policy(DATA))).extracting(statement -> statement.get("Sid"))
                .containsExactly("DenyInsecureTransport", "ReportingRead", SID);

        Put rollback = harness.delete(EVENT, created.physicalResourceId(), properties(List.of(DATA, LOGS), "ThisAccount"));

        assertThat(rollback.status()).as(rollback.reason()).isEqualTo("SUCCESS");
        assertThat(rollback.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(policy(DATA)).isEqualTo(parse(CUSTOMER_POLICY));
        assertThat(storedPolicy(LOGS)).isEmpty();
    }

    @Test
    void deleteWithAnIdCloudFormationMadeUpRemovesTheStatementAndKeepsEveryOtherOne() {
        putPolicy(DATA, CUSTOMER_POLICY);
        harness.create(EVENT, properties(List.of(DATA, LOGS), "ThisAccount"));

        Put deleted = harness.delete(EVENT, "e6link-BucketPolicyStatement-ABCDEF123456", properties(List.of(DATA, LOGS), "ThisAccount"));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(policy(DATA)).isEqualTo(parse(CUSTOMER_POLICY));
        assertThat(storedPolicy(LOGS)).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Put run(S3Client client, java.util.function.Function<CustomResourceHarness, Put> action) {
        try (CustomResourceHarness other = new CustomResourceHarness(function(client))) {
            return action.apply(other);
        }
    }

    private static Map<String, Object> properties(List<String> buckets, String scope) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("BucketNames", buckets);
        properties.put("VpcEndpointId", VPCE);
        properties.put("StatementId", SID);
        properties.put("PrincipalScope", scope);
        return properties;
    }

    private static Map<String, Object> expectedStatement(String bucket, boolean thisAccount) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("aws:SourceVpce", VPCE);
        if (thisAccount) {
            condition.put("aws:PrincipalAccount", ACCOUNT);
        }
        return Map.of("Sid", SID, "Effect", "Allow", "Principal", "*", "Action", "s3:*",
                "Resource", "arn:aws:s3:::" + bucket + "/*", "Condition", Map.of("StringEquals", condition));
    }

    private static Map<String, Object> withSid(Map<String, Object> statement, String sid) {
        Map<String, Object> copy = new LinkedHashMap<>(statement);
        copy.put("Sid", sid);
        return copy;
    }

    private void putPolicy(String bucket, String policy) {
        s3.putBucketPolicy(request -> request.bucket(bucket).policy(policy));
        calls.clear();
    }

    private Optional<String> storedPolicy(String bucket) {
        try {
            return Optional.of(s3.getBucketPolicy(request -> request.bucket(bucket)).policy());
        } catch (S3Exception e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucketPolicy");
            return Optional.empty();
        }
    }

    private Map<String, Object> policy(String bucket) {
        return parse(storedPolicy(bucket).orElseThrow(() -> new AssertionError(bucket + " has no policy")));
    }

    private static Map<String, Object> parse(String json) {
        return Json.readObject(json);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Object statement = policy.get("Statement");
        return statement instanceof List<?> list ? (List<Map<String, Object>>) list : List.of((Map<String, Object>) statement);
    }

    private static Map<String, Object> statement(Map<String, Object> policy, String sid) {
        return statements(policy).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow();
    }

    private static List<String> keys(Map<String, Object> map) {
        return new ArrayList<>(map.keySet());
    }

    private static String policyOfSize(int bytes) {
        StringBuilder resources = new StringBuilder();
        int i = 0;
        String head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Big\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":[";
        String tail = "]}]}";
        while (head.length() + resources.length() + tail.length() < bytes - 60) {
            resources.append(i == 0 ? "" : ",").append("\"arn:aws:s3:::e6data-workspace-data/p").append(i++).append("/*\"");
        }
        return head + resources + tail;
    }

    private static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
                .build();
    }
}
