package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Ownership;
import io.e6link.testing.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules a template must keep to deploy and work in any customer account, which no emulator sees
 * (sources in docs/aws-rules.md): checked on template.yaml and on the expanded template.
 */
final class TemplateRules {
    /** IAM's tag character set, the narrowest of the services the functions tag in. */
    private static final Pattern IAM_TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    /** The longest stack id CloudFormation can give: a 128-character stack name in the longest partition and region. */
    static final String LONGEST_STACK_ID = "arn:aws-us-gov:cloudformation:ap-southeast-7:123456789012:stack/" + "s".repeat(128)
            + "/0f0e0d0c-0b0a-0908-0706-050403020100";

    private TemplateRules() {
    }

    /**
     * Lambda refuses a reservation that leaves the account below its minimum unreserved concurrency
     * (accounts with a quota of 10 cannot reserve at all): no function reserves concurrency unless a
     * parameter asks for it.
     */
    @SuppressWarnings("unchecked")
    static List<String> reservedConcurrency(Template template) {
        List<String> reserving = new ArrayList<>();
        template.section("Resources").forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            Object reserved = properties.get("ReservedConcurrentExecutions");
            if (NativeResources.isFunction(String.valueOf(resource.get("Type"))) && reserved != null && !(reserved instanceof Map<?, ?>)) {
                reserving.add(id + " reserves " + reserved);
            }
        });
        return reserving;
    }

    /** CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key alias/aws/sns. */
    @SuppressWarnings("unchecked")
    static List<String> alarmTopicsUnderAwsManagedKey(Template template) {
        List<String> broken = new ArrayList<>();
        template.section("Resources").forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (!"AWS::SNS::Topic".equals(resource.get("Type"))) {
                return;
            }
            Object key = ((Map<String, Object>) resource.getOrDefault("Properties", Map.of())).get("KmsMasterKeyId");
            if (key != null && String.valueOf(key).contains("alias/aws/sns")) {
                broken.add(id + " uses " + key);
            }
        });
        return broken;
    }

    /** The ownership tag value of every custom resource, for the longest stack id, broken IAM's tag rules. */
    @SuppressWarnings("unchecked")
    static List<String> illegalOwnershipTags(Template template) {
        List<String> illegal = new ArrayList<>();
        template.section("Resources").forEach((id, value) -> {
            if (String.valueOf(((Map<String, Object>) value).get("Type")).startsWith("Custom::")) {
                String tag = Ownership.ownerValue(LONGEST_STACK_ID, id);
                if (!IAM_TAG_VALUE.matcher(tag).matches()) {
                    illegal.add(id + ": " + tag);
                }
            }
        });
        return illegal;
    }

    static void assertDeployableInAnyAccount(Template template) {
        assertThat(reservedConcurrency(template)).as("functions reserving concurrency").isEmpty();
        assertThat(alarmTopicsUnderAwsManagedKey(template)).as("alarm topics CloudWatch cannot publish to").isEmpty();
        assertThat(illegalOwnershipTags(template)).as("ownership tag values IAM refuses").isEmpty();
    }
}
