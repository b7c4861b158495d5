package io.e6link.bucketpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.CustomResourceException;
import io.e6link.preflight.BucketPolicyPlan;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The size the preflight predicts is the size of the policy Custom::BucketPolicyStatement writes; malformed is malformed to both. */
class BucketPolicyConformanceTest {
    private static final String BUCKET = "e6data-workspace";
    private static final String ACCOUNT = "123456789012";
    private static final String ENDPOINT = "vpce-0123456789abcdef0";

    @ParameterizedTest
    @ValueSource(strings = {"",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Mine\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::e6data-workspace/*\"}]}",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"pretty\",\n  \"Statement\": {\"Sid\": \"One\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::e6data-workspace/*\", \"Condition\": {\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}}\n}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"E6link3f1c\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::e6data-workspace/*\"}],\"Extra\":[1,2.5,true,null]}",
            "{\"Version\":\"2012-10-17\"}",
            "[1,2]", "{\"Statement\":\"nope\"}", "{\"Statement\":[1]}", "{not json"})
    void sizesAndRefusalsMatchTheResource(String stored) {
        Optional<String> policy = stored.isEmpty() ? Optional.empty() : Optional.of(stored);
        String sid = "E6link" + "0123456789abcdef0123456789abcdef";
        BucketPolicyPlan plan = BucketPolicyPlan.of(policy, BucketPolicyPlan.statement(BUCKET, ENDPOINT, ACCOUNT, "aws"));

        Map<String, Object> statement = SourceVpceStatement.forBucket(BUCKET,
                new BucketPolicyStatementProperties(List.of(BUCKET), ENDPOINT, sid, PrincipalScope.ThisAccount), ACCOUNT, "aws");
        String written;
        try {
            PolicyDocument current = policy.map(text -> PolicyDocument.parse(BUCKET, text)).orElseGet(PolicyDocument::empty);
            written = current.upsert(statement).toJson();
        } catch (CustomResourceException malformed) {
            assertThat(plan.malformed()).as(stored).isNotNull();
            assertThat(malformed.getMessage()).contains(plan.malformed());
            return;
        }
        assertThat(plan.malformed()).as(stored).isNull();
        assertThat(plan.bytesAfter()).as(stored).isEqualTo(PolicyDocument.bytes(written));
        assertThat(BucketPolicyPlan.MAX_BYTES).isEqualTo(PolicyDocument.MAX_BYTES);
    }
}
