package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("EC2").errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void aClientErrorOrThrottlingIsARefusalEvenWhenWrapped() {
        assertThat(AwsErrors.isRefused(error(400, "RouteAlreadyExists"))).isTrue();
        assertThat(AwsErrors.isRefused(new CustomResourceException("reason", error(403, "UnauthorizedOperation")))).isTrue();
        assertThat(AwsErrors.isRefused(error(503, "RequestLimitExceeded"))).isTrue();
    }

    @Test
    void noAnswerOrAServerErrorLeavesTheOutcomeUnknown() {
        assertThat(AwsErrors.isRefused(SdkClientException.create("Unable to execute HTTP request: Read timed out"))).isFalse();
        assertThat(AwsErrors.isRefused(error(500, "InternalError"))).isFalse();
        assertThat(AwsErrors.isRefused(new IllegalStateException("boom"))).isFalse();
    }
}
