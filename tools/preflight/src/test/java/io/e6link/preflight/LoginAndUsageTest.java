package io.e6link.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Exit status 2: command-line mistakes and AWS logins that cannot be used, each with the reason and the fix. */
class LoginAndUsageTest {
    @TempDir
    Path home;

    @Test
    void missingClusterIsAUsageError() {
        Preflight.Result result = Preflight.run(List.of("--region", "us-east-1"), Map.of());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).startsWith("--cluster is required").contains("Usage: scripts/preflight --cluster NAME");
    }

    @Test
    void unknownOptionAndMissingValueAreUsageErrors() {
        assertThat(Preflight.run(List.of("--cluster", "a", "--bucket", "x"), Map.of()).output()).startsWith("Unknown option '--bucket'.");
        assertThat(Preflight.run(List.of("--cluster"), Map.of()).exitCode()).isEqualTo(2);
        assertThat(Preflight.run(List.of("--cluster", "a", "--manage-oidc-provider", "maybe"), Map.of()).output())
                .startsWith("--manage-oidc-provider takes true or false");
    }

    @Test
    void helpExitsZero() {
        Preflight.Result result = Preflight.run(List.of("--help"), Map.of());

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("Exit status: 0 no blockers, 1 blockers found, 2 usage or credential problem.");
    }

    @Test
    void expiredSsoSessionSaysToRunAwsSsoLogin() throws IOException {
        Path config = home.resolve("config");
        Files.writeString(config, """
                [profile analytics-admin]
                sso_start_url = https://example-corp.awsapps.com/start
                sso_region = us-east-1
                sso_account_id = 123456789012
                sso_role_name = ReadOnlyAccess
                region = us-east-1
                """);

        Preflight.Result result = Preflight.run(List.of("--cluster", "analytics"),
                Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_PROFILE", "analytics-admin", "HOME", home.toString()));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).startsWith("The AWS SSO session of profile 'analytics-admin' has expired or was never started")
                .contains("Fix: run aws sso login --profile analytics-admin, then run the preflight again.");
    }

    @Test
    void unknownProfileSaysHowToCreateIt() {
        Preflight.Result result = Preflight.run(List.of("--cluster", "analytics", "--profile", "prod", "--json"), Map.of("HOME", home.toString()));

        assertThat(result.exitCode()).isEqualTo(2);
        Map<String, Object> error = Json.readObject(result.output());
        assertThat((String) error.get("error")).isEqualTo("AWS profile 'prod' is not in " + home.resolve(".aws/config") + " or "
                + home.resolve(".aws/credentials") + ".");
        assertThat((String) error.get("fix")).isEqualTo("run aws configure sso --profile prod (or aws configure --profile prod), or pass another --profile");
    }

    @Test
    void noRegionSaysToPassOne() {
        Preflight.Result result = Preflight.run(List.of("--cluster", "analytics"),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "HOME", home.toString()));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).startsWith("No AWS region").contains("Fix: pass --region with the cluster's region");
    }

    @Test
    void serviceAnswersAboutTheLoginBecomeReasonsWithTheFix() {
        assertThat(LoginProblem.of(serviceError("ExpiredToken", 403), "prod", "us-east-1").sentence())
                .isEqualTo("AWS says the credentials of profile 'prod' have expired (ExpiredToken). Fix: run aws sso login --profile prod, then run the preflight again.");
        assertThat(LoginProblem.of(serviceError("InvalidClientTokenId", 403), null, "ap-east-1").sentence())
                .startsWith("AWS does not recognise the access key of your credentials (InvalidClientTokenId), or region ap-east-1 is not enabled");
        assertThat(LoginProblem.of(SdkClientException.create("Unable to load credentials from any of the providers in the chain"), null, "us-east-1").sentence())
                .startsWith("No AWS credentials were found").contains("Fix: run aws sso login (or aws configure)");
        assertThat(LoginProblem.of(serviceError("Throttling", 400), null, "us-east-1")).isNull();
    }

    private static AwsServiceException serviceError(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("The security token included in the request is expired").build())
                .build();
    }
}
