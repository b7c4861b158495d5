package io.e6link.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The preflight reports a bad E6dataVpcCidrs value with the very reason the stack would fail with: it calls
 * Custom::SecurityGroupIngressRules' own check (no copy). No AWS call is made for CIDRs it refuses.
 */
class StackRulesTest {
    @Test
    void aCidrTheResourceRefusesIsABlockerWithTheResourcesReason() {
        Options options = Options.parse(List.of("--cluster", "analytics", "--e6data-cidrs", "10.200.0.1/16,10.201.0.0/16,fd00::/8"));
        Section section = new Section("443 from e6data");

        new IngressCheck(null).run(options, Optional.empty(), section);

        assertThat(section.findings()).filteredOn(finding -> "E6dataVpcCidrs".equals(finding.parameter())).extracting(Finding::text)
                .containsExactly(
                        "E6dataVpcCidrs (property Cidrs) has invalid value '10.200.0.1/16': host bits are set (did you mean 10.200.0.0/16).",
                        "E6dataVpcCidrs (property Cidrs) has invalid value 'fd00::/8': only IPv4 CIDRs are supported (e6data's VPC CIDRs are IPv4).");
    }

    @Test
    void aBucketPolicyTheResourceCannotMergeIsReportedWithTheResourcesReasonAndSizesAreOfTheMergedDocument() {
        Map<String, Object> statement = BucketPolicyPlan.statement("e6data-workspace", "vpce-0123456789abcdef0", "123456789012", "aws");

        assertThat(BucketPolicyPlan.of("e6data-workspace", Optional.of("{not json"), statement).malformed())
                .isEqualTo("The existing policy of bucket e6data-workspace is not valid JSON, so it cannot be merged safely; "
                        + "fix the bucket policy and retry the stack operation.");
        BucketPolicyPlan none = BucketPolicyPlan.of("e6data-workspace", Optional.empty(), statement);
        BucketPolicyPlan one = BucketPolicyPlan.of("e6data-workspace",
                Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Mine\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::e6data-workspace/*\"}}"),
                statement);
        assertThat(none.hasPolicy()).isFalse();
        assertThat(none.bytesAfter()).isPositive();
        assertThat(one.statements()).isEqualTo(1);
        assertThat(one.bytesAfter()).isGreaterThan(none.bytesAfter());
        assertThat(one.malformed()).isNull();
    }
}
