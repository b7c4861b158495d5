package io.e6link.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.preflight.S3EndpointCheck;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/** A new stack adopts the endpoint the preflight names: both choose and judge endpoint policies alike. */
class S3EndpointConformanceTest {
    private static final String NEW_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/new/00000000-0000-0000-0000-000000000000/S3GatewayEndpoint";

    @Test
    void theSameEndpointIsChosen() {
        VpcEndpoint older = endpoint("vpce-0000000000000000b", Instant.parse("2024-01-01T00:00:00Z"), "rtb-1");
        VpcEndpoint newer = endpoint("vpce-0000000000000000a", Instant.parse("2025-01-01T00:00:00Z"), "rtb-2");
        VpcEndpoint most = endpoint("vpce-0000000000000000c", Instant.parse("2026-01-01T00:00:00Z"), "rtb-1", "rtb-2");
        VpcEndpoint undated = endpoint("vpce-00000000000000000", null, "rtb-3");
        List<List<VpcEndpoint>> cases = List.of(List.of(older, newer), List.of(newer, older), List.of(older, newer, most), List.of(undated, newer),
                List.of(undated), List.of());
        for (List<VpcEndpoint> endpoints : cases) {
            for (List<String> tables : List.of(List.of("rtb-1"), List.of("rtb-2"), List.of("rtb-1", "rtb-2"), List.of("rtb-9"))) {
                assertThat(S3EndpointCheck.choose(endpoints, tables)).as(endpoints + " / " + tables)
                        .isEqualTo(GatewayEndpoints.choose(endpoints, tables, NEW_STACK));
            }
        }
    }

    /** The preflight looks for the endpoint service the function uses, in every partition (China's is cn.com.amazonaws.<region>.s3). */
    @Test
    void theSameS3ServiceIsLookedForInEveryPartition() {
        for (String region : List.of("us-east-1", "eu-central-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1")) {
            assertThat(S3EndpointCheck.serviceName(region)).as(region).isEqualTo(GatewayEndpoints.s3ServiceName(region));
        }
    }

    @Test
    void customPoliciesAreJudgedAlike() {
        for (String policy : new String[] {null, "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:*\",\"Resource\":[\"*\"]}]}",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::mine/*\"}]}", "not json"}) {
            VpcEndpoint endpoint = VpcEndpoint.builder().vpcEndpointId("vpce-1").policyDocument(policy).build();
            assertThat(S3EndpointCheck.hasCustomPolicy(endpoint)).as(policy).isEqualTo(GatewayEndpoints.hasCustomPolicy(endpoint));
        }
    }

    private static VpcEndpoint endpoint(String id, Instant created, String... tables) {
        return VpcEndpoint.builder().vpcEndpointId(id).creationTimestamp(created).routeTableIds(tables).state("available").build();
    }
}
