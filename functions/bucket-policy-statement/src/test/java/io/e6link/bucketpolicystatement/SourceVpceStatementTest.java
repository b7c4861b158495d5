package io.e6link.bucketpolicystatement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.kit.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The statement this resource writes (DESIGN.md runbook step 6), who it admits per PrincipalScope,
 * and how S3's answers are classified, as tables. No S3, no moto.
 */
class SourceVpceStatementTest {
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ThisAccount  | aws        | {"Sid":"E6linkPrivateLinkAccess","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::e6data-data/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718","aws:PrincipalAccount":"123456789012"}}}
            AnyPrincipal | aws        | {"Sid":"E6linkPrivateLinkAccess","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::e6data-data/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718"}}}
            ThisAccount  | aws-cn     | {"Sid":"E6linkPrivateLinkAccess","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws-cn:s3:::e6data-data/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718","aws:PrincipalAccount":"123456789012"}}}
            AnyPrincipal | aws-us-gov | {"Sid":"E6linkPrivateLinkAccess","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws-us-gov:s3:::e6data-data/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718"}}}
            """)
    void theStatementAdmitsTheEndpointAndThisAccountOnlyWhenScoped(PrincipalScope scope, String partition, String expected) {
        BucketPolicyStatementProperties properties = new BucketPolicyStatementProperties(List.of("e6data-data"), VPCE,
                BucketPolicyStatementProperties.DEFAULT_STATEMENT_ID, scope);

        // Compared as text: the runbook's key order is part of the contract.
        assertThat(Json.write(SourceVpceStatement.forBucket("e6data-data", properties, "123456789012", partition))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ThisAccount, ThisAccount", "thisaccount, ThisAccount", "ANYPRINCIPAL, AnyPrincipal", "AnyPrincipal, AnyPrincipal"})
    void principalScopeIgnoresCase(String given, PrincipalScope expected) {
        assertThat(PrincipalScope.parse(given)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Everyone", "'This Account'", "Account"})
    void anUnknownPrincipalScopeNamesTheTemplateParameter(String given) {
        assertThatThrownBy(() -> PrincipalScope.parse(given))
                .hasMessage("BucketPolicyPrincipalScope (property PrincipalScope) has invalid value '" + given
                        + "': expected ThisAccount or AnyPrincipal.");
    }

    /**
     * Conflicts (409 OperationAborted) heal with time and are the store's to retry; throttling and 5xx are
     * the SDK retry strategy's (what outlives it arrives with the kit's reason); everything else is final.
     */
    @ParameterizedTest(name = "{0} {1} transient={2}")
    @CsvSource({
            "409, OperationAborted, true",
            "409, '', true",
            "503, SlowDown, false",
            "503, ServiceUnavailable, false",
            "400, Throttling, false",
            "400, ThrottlingException, false",
            "400, RequestLimitExceeded, false",
            "403, AccessDenied, false",
            "400, MalformedPolicy, false",
            "404, NoSuchBucket, false",
            "405, MethodNotAllowed, false",
            "500, InternalError, false"})
    void onlyConflictsAreRetriedByTheStore(int status, String code, boolean retried) {
        assertThat(BucketPolicyStore.isTransient(s3Error(status, code, "message"))).isEqualTo(retried);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            because public policies are blocked by the BlockPublicPolicy block public access setting. | true
            User: arn:aws:sts::123456789012:assumed-role/e6link/fn is not authorized to perform: s3:PutBucketPolicy | false
            Access Denied                                                                             | false
            """)
    void blockPublicAccessIsToldApartFromMissingPermissions(String message, boolean blockPublicAccess) {
        assertThat(BucketPolicyStore.isBlockPublicAccess(s3Error(403, "AccessDenied", message))).isEqualTo(blockPublicAccess);
    }

    private static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
                .build();
    }
}
