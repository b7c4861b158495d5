package io.e6link.s3gatewayendpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The route-table claims kept as tags on an S3 gateway endpoint ({@link RouteTableClaims}), as tables:
 * one tag per (owner, route table), key {@code e6link:route-table/<owner hash>/<rtb-id>}, value the
 * owner. A claim counts as this owner's only when both the key's hash and the value are its own. No
 * AWS, no moto.
 */
class RouteTableClaimsTest {
    private static final String ME = "arn:aws:cloudformation:us-east-1:123456789012:stack/e6link/11111111-2222-3333-4444-555555555555/S3GatewayEndpoint";
    private static final String OTHER = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/66666666-7777-8888-9999-000000000000/S3GatewayEndpoint";
    /** The first 12 hex digits of SHA-256 over the owner, computed outside Java (Python hashlib). */
    private static final String MY_HASH = "38c0fc05a697";
    private static final String OTHER_HASH = "20fd390953ea";

    record Row(String name, List<Tag> tags, List<String> mine, List<String> others) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("an endpoint without claims", List.of(tag("Name", "shared-s3")), List.of(), List.of()),
                new Row("my claims, in tag order",
                        List.of(claim(MY_HASH, "rtb-2", ME), claim(MY_HASH, "rtb-1", ME)), List.of("rtb-2", "rtb-1"), List.of()),
                new Row("another stack's claims are others', never mine",
                        List.of(claim(MY_HASH, "rtb-1", ME), claim(OTHER_HASH, "rtb-1", OTHER), claim(OTHER_HASH, "rtb-2", OTHER)),
                        List.of("rtb-1"), List.of("rtb-1", "rtb-2")),
                new Row("a table two other stacks claim is listed once",
                        List.of(claim(OTHER_HASH, "rtb-3", OTHER), claim("0123456789ab", "rtb-3", "third-owner")), List.of(), List.of("rtb-3")),
                new Row("a key under my hash with another value is not mine",
                        List.of(claim(MY_HASH, "rtb-4", OTHER)), List.of(), List.of("rtb-4")),
                new Row("my value under another hash is not mine",
                        List.of(claim(OTHER_HASH, "rtb-5", ME)), List.of(), List.of("rtb-5")),
                new Row("the ownership tag and other tags are not claims",
                        List.of(tag("e6link:owner", ME), tag("e6link:route-table", ME), tag("Name", "rtb-6")), List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void claimsAreSortedIntoMineAndOthers(Row row) {
        assertThat(RouteTableClaims.claimedBy(row.tags(), ME)).containsExactlyElementsOf(row.mine());
        assertThat(RouteTableClaims.claimedByOthers(row.tags(), ME)).containsExactlyElementsOf(row.others());
    }

    @Test
    void claimTagsNameTheOwnerHashAndTheTableAndReadBackAsMine() {
        List<Tag> tags = RouteTableClaims.tags(ME, List.of("rtb-0123456789abcdef0", "rtb-0fedcba9876543210"));

        assertThat(tags).containsExactly(
                tag("e6link:route-table/" + MY_HASH + "/rtb-0123456789abcdef0", ME),
                tag("e6link:route-table/" + MY_HASH + "/rtb-0fedcba9876543210", ME));
        assertThat(RouteTableClaims.claimedBy(tags, ME)).containsExactly("rtb-0123456789abcdef0", "rtb-0fedcba9876543210");
        assertThat(RouteTableClaims.claimedByOthers(tags, ME)).isEmpty();
        assertThat(RouteTableClaims.claimedBy(tags, OTHER)).isEmpty();
        assertThat(RouteTableClaims.claimedByOthers(tags, OTHER)).containsExactly("rtb-0123456789abcdef0", "rtb-0fedcba9876543210");
    }

    /** EC2 tag keys are at most 127 characters (docs/aws-rules.md row 2) and values 255, whatever the stack's name. */
    @Test
    void aClaimForTheLongestOwnerFitsEc2sTagLimits() {
        String longest = "arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/" + "s".repeat(128)
                + "/11111111-2222-3333-4444-555555555555/S3GatewayEndpoint";

        Tag claim = RouteTableClaims.tags(longest, List.of("rtb-0123456789abcdef0")).get(0);

        assertThat(claim.key()).hasSizeLessThanOrEqualTo(127).startsWith(RouteTableClaims.PREFIX);
        assertThat(claim.value()).isEqualTo(longest).hasSizeLessThanOrEqualTo(255);
    }

    private static Tag claim(String hash, String routeTable, String owner) {
        return tag(RouteTableClaims.PREFIX + hash + "/" + routeTable, owner);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
