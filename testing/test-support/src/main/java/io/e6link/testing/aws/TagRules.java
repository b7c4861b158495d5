package io.e6link.testing.aws;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tag rules IAM, EC2 and Elastic Load Balancing enforce and moto does not (sources in
 * docs/aws-rules.md): IAM's and ELB's narrow character set and lengths, EC2's lengths, at most 50
 * tags per resource, and the {@code aws:} prefix reserved for AWS. The caller that seeds the world
 * (access key {@link StrictAws#AWS_SERVICE_ACCESS_KEY}, standing in for EKS and CloudFormation) may
 * write {@code aws:} tags, as those services do.
 */
final class TagRules {
    /** IAM tag keys and values: Unicode letters, digits, white space, and _ . : / = + - @ (IAM user guide, "Tagging IAM resources"). */
    static final Pattern IAM_TAG_CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final int MAX_TAGS = 50;

    private TagRules() {
    }

    /** Throws the error AWS sends when a tag of {@code request} breaks its service's rules. */
    static void check(AwsRequest request) {
        switch (request.service()) {
            case "iam" -> iam(request, request.tags("Tags.member"));
            case "ec2" -> {
                for (int i = 1; request.params().containsKey("TagSpecification." + i + ".ResourceType"); i++) {
                    ec2(request, request.tags("TagSpecification." + i + ".Tag"));
                }
                ec2(request, request.tags("Tag"));
            }
            case "elasticloadbalancing" -> elb(request, request.tags("Tags.member"));
            default -> {
            }
        }
    }

    private static void iam(AwsRequest request, Map<String, String> tags) {
        narrowCharset(tags);
        tags.keySet().forEach(key -> reserved(request, key, 400, "InvalidInput"));
        count(tags, 400, "LimitExceeded");
    }

    /** IAM's and Elastic Load Balancing's tag rule: the narrow character set, keys 1-128 and values 0-256 characters. */
    private static void narrowCharset(Map<String, String> tags) {
        int index = 0;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            index++;
            checkNarrow(tag.getKey(), "tags." + index + ".member.key", 1, 128);
            checkNarrow(tag.getValue(), "tags." + index + ".member.value", 0, 256);
        }
    }

    private static void checkNarrow(String text, String field, int min, int max) {
        if (text.length() < min || text.length() > max) {
            throw new AwsRuleViolation(400, "ValidationError", "1 validation error detected: Value '" + text + "' at '" + field
                    + "' failed to satisfy constraint: Member must have length between " + min + " and " + max);
        }
        if (!IAM_TAG_CHARACTERS.matcher(text).matches()) {
            throw new AwsRuleViolation(400, "ValidationError", "1 validation error detected: Value '" + text + "' at '" + field
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
        }
    }

    private static void ec2(AwsRequest request, Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().codePointCount(0, tag.getKey().length()) > 127) {
                throw new AwsRuleViolation(400, "InvalidParameterValue", "Tag key exceeds the maximum length of 127 characters or is empty: '" + tag.getKey() + "'");
            }
            if (tag.getValue().codePointCount(0, tag.getValue().length()) > 255) {
                throw new AwsRuleViolation(400, "InvalidParameterValue", "Tag value exceeds the maximum length of 255 characters (key '" + tag.getKey() + "')");
            }
            reserved(request, tag.getKey(), 400, "InvalidParameterValue");
        }
        count(tags, 400, "TagLimitExceeded");
    }

    private static void elb(AwsRequest request, Map<String, String> tags) {
        narrowCharset(tags);
        tags.keySet().forEach(key -> reserved(request, key, 400, "ValidationError"));
        count(tags, 400, "TooManyTags");
    }

    private static void reserved(AwsRequest request, String key, int status, String code) {
        if (key.toLowerCase(Locale.ROOT).startsWith("aws:") && !StrictAws.isAws(request.accessKey())) {
            throw new AwsRuleViolation(status, code, "Tag keys starting with 'aws:' are reserved for internal use: '" + key + "'");
        }
    }

    private static void count(Map<String, String> tags, int status, String code) {
        if (tags.size() > MAX_TAGS) {
            throw new AwsRuleViolation(status, code, "A resource can have at most " + MAX_TAGS + " tags; the request has " + tags.size());
        }
    }
}
