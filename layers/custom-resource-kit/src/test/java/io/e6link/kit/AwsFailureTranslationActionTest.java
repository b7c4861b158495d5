package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The IAM action is the endpoint prefix and the operation, save where the Service Authorization
 * Reference names another; the real clients' prefixes are covered through moto in test-support.
 */
class AwsFailureTranslationActionTest {

    private static String action(String endpointPrefix, String operation) {
        return AwsFailureTranslation.iamAction(ExecutionAttributes.builder()
                .put(AwsExecutionAttribute.ENDPOINT_PREFIX, endpointPrefix)
                .put(SdkExecutionAttribute.OPERATION_NAME, operation)
                .build());
    }

    @Test
    void theActionIsTheEndpointPrefixAndTheOperation() {
        assertThat(action("sts", "GetCallerIdentity")).isEqualTo("sts:GetCallerIdentity");
        assertThat(action("elasticloadbalancing", "DeregisterTargets")).isEqualTo("elasticloadbalancing:DeregisterTargets");
    }

    @Test
    void cloudWatchAndS3BucketListingUseTheirIamNames() {
        assertThat(action("monitoring", "PutMetricData")).isEqualTo("cloudwatch:PutMetricData");
        assertThat(action("s3", "HeadBucket")).isEqualTo("s3:ListBucket");
        assertThat(action("s3", "ListBuckets")).isEqualTo("s3:ListAllMyBuckets");
    }
}
