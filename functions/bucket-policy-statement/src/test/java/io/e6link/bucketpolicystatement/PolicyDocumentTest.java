package io.e6link.bucketpolicystatement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The merge rules of {@link PolicyDocument} and {@link BucketChange} as tables, on policy text as S3
 * returns it: our statement is found by Sid only, every other statement and top-level key is carried
 * through as read, and a policy left without statements is deleted. No S3, no moto.
 */
class PolicyDocumentTest {
    private static final String BUCKET = "e6data-workspace-data";
    private static final String OURS = "{\"Sid\":\"E6linkPrivateLinkAccess\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"Resource\":\"arn:aws:s3:::e6data-workspace-data/*\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-0a1b2c3d4e5f60718\"}}}";
    private static final String OURS_NEW_ENDPOINT = OURS.replace("vpce-0a1b2c3d4e5f60718", "vpce-0fedcba9876543210");
    /** Shapes a careless rewrite would change: principal maps and lists, several condition operators, numbers, booleans, Not*. */
    private static final String DENY_HTTP = "{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},"
            + "\"Action\":[\"s3:*\"],\"Resource\":[\"arn:aws:s3:::e6data-workspace-data\",\"arn:aws:s3:::e6data-workspace-data/*\"],"
            + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":false},\"NumericLessThan\":{\"s3:TlsVersion\":1.2}}}";
    private static final String READERS = "{\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::e6data-workspace-data/reports/*\","
            + "\"Action\":\"s3:GetObject\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:role/reporting\",\"123456789012\"]},"
            + "\"Sid\":\"ReportingRead\",\"Condition\":{\"StringLike\":{\"aws:userid\":[\"AROA*:alice\",\"AROA*:bob\"]},"
            + "\"IpAddressIfExists\":{\"aws:SourceIp\":\"203.0.113.0/24\"},\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"team\"]}}}";
    private static final String LOG_DELIVERY = "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},"
            + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::e6data-workspace-data/access/*\","
            + "\"Condition\":{\"NumericLessThanEquals\":{\"s3:max-keys\":10},\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::e6data-*\"}}}";
    private static final String NOT_PRINCIPAL = "{\"Sid\":\"DenyOthers\",\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":"
            + "[\"arn:aws:iam::123456789012:root\"]},\"NotAction\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::e6data-workspace-data/public/*\"}";
    /** Not ours although it looks like it: Sids are matched exactly. */
    private static final String LOOK_ALIKE = OURS.replace("E6linkPrivateLinkAccess", "e6linkprivatelinkaccess");

    record Row(String name, String policy, BucketChange change, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> changes() {
        return Stream.of(
                new Row("a bucket without a policy gets a policy holding only our statement",
                        null, add(OURS), policy(OURS)),
                new Row("our statement is appended after every other statement",
                        policy(DENY_HTTP, READERS), add(OURS), policy(DENY_HTTP, READERS, OURS)),
                new Row("our Sid already present is replaced where it stands",
                        policy(DENY_HTTP, OURS, READERS), add(OURS_NEW_ENDPOINT), policy(DENY_HTTP, OURS_NEW_ENDPOINT, READERS)),
                new Row("duplicates of our Sid collapse into one, at the first one's place",
                        policy(OURS, DENY_HTTP, OURS, READERS), add(OURS_NEW_ENDPOINT), policy(OURS_NEW_ENDPOINT, DENY_HTTP, READERS)),
                new Row("statements without a Sid and a look-alike Sid are not ours",
                        policy(LOG_DELIVERY, LOOK_ALIKE), add(OURS), policy(LOG_DELIVERY, LOOK_ALIKE, OURS)),
                new Row("a single-object Statement becomes a list and keeps that statement first",
                        "{\"Version\":\"2012-10-17\",\"Statement\":" + LOG_DELIVERY + "}", add(OURS), policy(LOG_DELIVERY, OURS)),
                new Row("top-level keys other than Statement are kept, in their order",
                        "{\"Id\":\"customer-policy\",\"Version\":\"2008-10-17\",\"Statement\":[" + NOT_PRINCIPAL + "]}", add(OURS),
                        "{\"Id\":\"customer-policy\",\"Version\":\"2008-10-17\",\"Statement\":[" + NOT_PRINCIPAL + "," + OURS + "]}"),
                new Row("a changed Sid removes the old statement and appends the new one",
                        policy(DENY_HTTP, OURS, READERS), BucketChange.add(BUCKET, withSid(OURS, "E6dataEndpointAccess"),
                                Set.of("E6linkPrivateLinkAccess")),
                        policy(DENY_HTTP, READERS, OURS.replace("E6linkPrivateLinkAccess", "E6dataEndpointAccess"))),
                new Row("removing our statement leaves the others exactly, in order",
                        policy(DENY_HTTP, OURS, READERS, NOT_PRINCIPAL), remove(), policy(DENY_HTTP, READERS, NOT_PRINCIPAL)),
                new Row("removing removes every statement with our Sid",
                        policy(OURS, LOG_DELIVERY, OURS), remove(), policy(LOG_DELIVERY)),
                new Row("removing keeps a look-alike Sid",
                        policy(LOOK_ALIKE, OURS), remove(), policy(LOOK_ALIKE)),
                new Row("removing our only statement leaves no statement: the policy is deleted",
                        "{\"Id\":\"e6link\",\"Version\":\"2012-10-17\",\"Statement\":" + OURS + "}", remove(), null),
                new Row("removing from a bucket without our statement changes nothing",
                        policy(DENY_HTTP), remove(), policy(DENY_HTTP)),
                new Row("removing from a bucket without a policy changes nothing",
                        null, remove(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aChangeTouchesOnlyStatementsWithOurSid(Row row) {
        PolicyDocument before = row.policy() == null ? PolicyDocument.empty() : PolicyDocument.parse(BUCKET, row.policy());

        PolicyDocument after = row.change().applyTo(before);

        if (row.expected() == null) {
            assertThat(after.isEmpty()).as("no statement left, so the policy is deleted").isTrue();
            return;
        }
        assertThat(after.isEmpty()).isFalse();
        // Compared as text: values, key order and shapes of every statement must survive exactly.
        assertThat(after.toJson()).isEqualTo(row.expected());
        assertThat(after.sameAs(before)).as("unchanged").isEqualTo(row.expected().equals(row.policy()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                                    | {"Version":"2012-10-17","Statement":[{"Sid":  | is not valid JSON
            a JSON list, not an object                  | [{"Version":"2012-10-17"}]                    | is not a JSON object
            a Statement entry that is not an object     | {"Statement":[{"Sid":"A"},"s3:*"]}            | has a Statement entry that is not a JSON object
            a Statement that is a string                | {"Statement":"Allow everything"}              | has a Statement that is neither a list nor an object
            """)
    void aPolicyThisCodeDoesNotUnderstandIsRefusedNamingTheBucket(String name, String text, String problem) {
        assertThatThrownBy(() -> PolicyDocument.parse(BUCKET, text)).isInstanceOf(CustomResourceException.class)
                .hasMessage("The existing policy of bucket " + BUCKET + " " + problem
                        + ", so it cannot be merged safely; fix the bucket policy and retry the stack operation.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            key order does not matter                 | true  | {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Sid":"A"}]} | {"Statement":[{"Sid":"A","Effect":"Allow"}],"Version":"2012-10-17"}
            one object equals a list of one           | true  | {"Version":"2012-10-17","Statement":{"Sid":"A"}}                    | {"Version":"2012-10-17","Statement":[{"Sid":"A"}]}
            white space does not matter               | true  | {"Version":"2012-10-17","Statement":[{"Sid":"A"}]}                  | { "Version" : "2012-10-17" , "Statement" : [ { "Sid" : "A" } ] }
            another Version differs                   | false | {"Version":"2012-10-17","Statement":[{"Sid":"A"}]}                  | {"Version":"2008-10-17","Statement":[{"Sid":"A"}]}
            an added Id differs                       | false | {"Version":"2012-10-17","Statement":[{"Sid":"A"}]}                  | {"Id":"x","Version":"2012-10-17","Statement":[{"Sid":"A"}]}
            statement order differs                   | false | {"Statement":[{"Sid":"A"},{"Sid":"B"}]}                             | {"Statement":[{"Sid":"B"},{"Sid":"A"}]}
            a string is not the list holding it       | false | {"Statement":[{"Sid":"A","Action":"s3:*"}]}                         | {"Statement":[{"Sid":"A","Action":["s3:*"]}]}
            """)
    void sameAsComparesWhatS3AndIamCompare(String name, boolean same, String one, String other) {
        assertThat(PolicyDocument.parse(BUCKET, one).sameAs(PolicyDocument.parse(BUCKET, other))).isEqualTo(same);
        assertThat(PolicyDocument.parse(BUCKET, other).sameAs(PolicyDocument.parse(BUCKET, one))).isEqualTo(same);
    }

    @Test
    void aPolicyWithoutStatementsIsEmptyAndABucketWithoutAPolicyIsTreatedAsOneWithVersionOnly() {
        assertThat(PolicyDocument.parse(BUCKET, "{\"Version\":\"2012-10-17\"}").isEmpty()).isTrue();
        assertThat(PolicyDocument.parse(BUCKET, "{\"Version\":\"2012-10-17\",\"Statement\":[]}").isEmpty()).isTrue();
        assertThat(PolicyDocument.empty().isEmpty()).isTrue();
        assertThat(PolicyDocument.empty().sameAs(PolicyDocument.parse(BUCKET, "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))).isTrue();
    }

    /**
     * S3 limits a policy to 20 KB measured without insignificant white space (docs/aws-rules.md row 5):
     * what is written and measured is the compact form, in UTF-8 bytes.
     */
    @Test
    void theWrittenPolicyIsCompactAndMeasuredInUtf8Bytes() {
        String pretty = """
                {
                  "Version": "2012-10-17",
                  "Statement": [ { "Sid": "A", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                   "Resource": "arn:aws:s3:::e6data-workspace-data/é/*" } ]
                }""";

        String written = PolicyDocument.parse(BUCKET, pretty).toJson();

        assertThat(written).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::e6data-workspace-data/é/*\"}]}");
        assertThat(PolicyDocument.bytes(written)).isEqualTo(written.length() + 1);
        assertThat(PolicyDocument.MAX_BYTES).isEqualTo(20_480);
    }

    @Test
    void documentsAreImmutable() {
        PolicyDocument original = PolicyDocument.parse(BUCKET, policy(DENY_HTTP, OURS));
        String before = original.toJson();

        original.upsert(statement(OURS_NEW_ENDPOINT));
        original.remove("E6linkPrivateLinkAccess");

        assertThat(original.toJson()).isEqualTo(before);
    }

    private static BucketChange add(String statementJson) {
        return BucketChange.add(BUCKET, statement(statementJson), Set.of());
    }

    private static BucketChange remove() {
        return BucketChange.remove(BUCKET, "E6linkPrivateLinkAccess");
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static Map<String, Object> statement(String json) {
        return Json.readObject(json);
    }

    private static Map<String, Object> withSid(String json, String sid) {
        Map<String, Object> statement = new LinkedHashMap<>(statement(json));
        statement.put("Sid", sid);
        return statement;
    }
}
