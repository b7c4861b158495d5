package io.e6link.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Clients from {@link AwsClients} ride out throttling: EC2 answers RequestLimitExceeded twice, then
 * succeeds, and the custom resource still answers SUCCESS. WireMock plays EC2 (moto never throttles)
 * and CloudFormation's presigned response URL.
 */
class AwsClientsThrottlingTest {
    private static final String THROTTLED = "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
            + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>";
    private static final String VPCS = "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            + "<requestId>r</requestId><vpcSet><item><vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock></item></vpcSet></DescribeVpcsResponse>";
    /** Where the event tells the function to answer; the same server stands in for the presigned S3 URL. */
    private static final String RESPONSE_PATH = "/cloudformation-response";
    private WireMockServer ec2;

    @BeforeEach
    void startEc2() {
        ec2 = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        ec2.start();
        ec2.stubFor(any(anyUrl()).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(THROTTLED)).willSetStateTo("once"));
        ec2.stubFor(any(anyUrl()).inScenario("throttle").whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(503).withBody(THROTTLED)).willSetStateTo("twice"));
        ec2.stubFor(any(anyUrl()).inScenario("throttle").whenScenarioStateIs("twice")
                .willReturn(aResponse().withStatus(200).withBody(VPCS)));
        ec2.stubFor(put(urlEqualTo(RESPONSE_PATH)).atPriority(1).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stopEc2() {
        ec2.stop();
    }

    @Test
    void throttledCallsAreRetriedAndTheResourceSucceeds() throws IOException {
        Ec2Client client = AwsClients.configure(Ec2Client.builder()).endpointOverride(URI.create(ec2.baseUrl())).build();
        CustomResourceType<ResourceProperties> type = new CustomResourceType<>("Custom::Test", properties -> properties);
        CustomResourceFunction function = new CustomResourceFunction(type, () -> new CustomResource<ResourceProperties>() {
            @Override public Outcome create(Invocation<ResourceProperties> invocation) {
                String cidr = client.describeVpcs().vpcs().get(0).cidrBlock();
                return Outcome.of("vpc-1").with("VpcCidr", cidr).build();
            }
            @Override public Outcome update(Invocation<ResourceProperties> invocation) { return create(invocation); }
            @Override public Outcome delete(Invocation<ResourceProperties> invocation) { return invocation.sameId().build(); }
        }) { };

        String event = Json.write(Map.of("RequestType", "Create", "RequestId", "11111111-1111-1111-1111-111111111111",
                "StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/e6link/00000000-0000-0000-0000-000000000000",
                "LogicalResourceId", "Vpc", "ResourceType", "Custom::Test", "ResponseURL", ec2.baseUrl() + RESPONSE_PATH,
                "ResourceProperties", Map.of("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:test")));

        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);

        List<LoggedRequest> answers = ec2.findAll(putRequestedFor(urlEqualTo(RESPONSE_PATH)));
        assertThat(answers).as("exactly one answer to CloudFormation").hasSize(1);
        Map<String, Object> answer = Json.readObject(answers.get(0).getBodyAsString());
        assertThat(answer).as(String.valueOf(answer.get("Reason"))).containsEntry("Status", "SUCCESS");
        assertThat(answer.get("Data")).isEqualTo(Map.of("VpcCidr", "10.0.0.0/16"));
        ec2.verify(3, postRequestedFor(anyUrl()));
    }
}
