package io.e6link.endpointservicevalidation;

import static io.e6link.endpointservicevalidation.PrivateLinkFixture.E6DATA_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.PackagedFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The scheduled acceptor as Lambda runs it: the packaged zip plus the kit layer under the runtime
 * interface client, EC2 served by the connection stub (moto has no endpoint connections).
 */
class ConnectionAcceptanceFunctionIT {
    private static final String SERVICE = "vpce-svc-0123456789abcdef0";

    @Test
    void packagedFunctionAcceptsOnlyE6dataRejectsEveryOtherAccountEmitsMetricsAndEndsAFailedRunAsALambdaError() throws IOException {
        Path apiCalls = Files.createTempFile("connection-acceptance-calls", ".log");
        String event = Events.json(Events.load("connection-acceptance/scheduled.json"));
        try (Ec2ConnectionsStub ec2 = new Ec2ConnectionsStub(null)
                     .connection(SERVICE, "vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")
                     .connection(SERVICE, "vpce-0f0e1a0000000002", "999988887777", "pendingAcceptance")
                     // e6data's previous account (E6dataAccountId changed): its connection is still open
                     .connection(SERVICE, "vpce-0a1d000000000004", "111122223333", "available")
                     .connection("vpce-svc-0ffffffffffffffff", "vpce-0e6da7a0000000ff", E6DATA_ACCOUNT, "pendingAcceptance");
             PackagedFunction function = PackagedFunction.fromTemplate("ConnectionAcceptanceFunction")
                     .environment("SERVICE_ID", SERVICE).environment("E6DATA_ACCOUNT_ID", E6DATA_ACCOUNT)
                     // The template's E6LINK_VERSION is !FindInMap (the release); its deployed value, as any intrinsic.
                     .environment("E6LINK_VERSION", "0.0.0-test")
                     .environment("AWS_ENDPOINT_URL_EC2", ec2.url()).recordApiCallsTo(apiCalls).start()) {

            PackagedFunction.Invocation first = function.invoke(event);

            assertThat(first.error()).as(function.logs()).isFalse();
            assertThat(ec2.calls("AcceptVpcEndpointConnections")).singleElement()
                    .satisfies(call -> assertThat(call.endpointIds()).containsExactly("vpce-0e6da7a000000001"));
            assertThat(ec2.calls("RejectVpcEndpointConnections")).singleElement()
                    .satisfies(call -> assertThat(call.endpointIds()).containsExactly("vpce-0f0e1a0000000002", "vpce-0a1d000000000004"));
            assertThat(ec2.state("vpce-0f0e1a0000000002")).isEqualTo("rejected");
            assertThat(ec2.state("vpce-0a1d000000000004")).isEqualTo("rejected");
            assertThat(ec2.state("vpce-0e6da7a0000000ff")).as("another service's endpoint").isEqualTo("pendingAcceptance");
            assertThat(function.logs()).contains("\"Namespace\":\"e6link\"").contains("\"ConnectionState\":1").contains("\"AcceptedConnections\":1")
                    .contains("\"RejectedConnections\":2").contains("\"owner\":\"111122223333\"");

            // A second e6data endpoint that AWS will not accept: the run must end as a Lambda error.
            ec2.connection(SERVICE, "vpce-0e6da7a000000003", E6DATA_ACCOUNT, "pendingAcceptance").unsuccessful("vpce-0e6da7a000000003", "InvalidState");
            PackagedFunction.Invocation second = function.invoke(event);

            assertThat(second.error()).as(function.logs()).isTrue();
            assertThat(second.body()).contains("AWS did not accept e6data's endpoint connections").contains("vpce-0e6da7a000000003");

            // A stranger AWS will not reject: logged, and the run ends as a Lambda error too.
            ec2.connection(SERVICE, "vpce-0f0e1a0000000005", "999988887777", "available").unsuccessful("vpce-0f0e1a0000000005", "InvalidState");
            PackagedFunction.Invocation third = function.invoke(event);

            assertThat(third.error()).as(function.logs()).isTrue();
            assertThat(third.body()).contains("AWS did not reject the endpoint connections of accounts other than e6data's").contains("vpce-0f0e1a0000000005");
            assertThat(Files.readAllLines(apiCalls)).containsOnly("ec2:DescribeVpcEndpointConnections", "ec2:AcceptVpcEndpointConnections",
                    "ec2:RejectVpcEndpointConnections");
        }
    }

    /**
     * A run whose role stays denied ends with the reason at once: the next scheduled run is the retry, so the
     * acceptor does not wait out IAM's 60 s propagation window, which would outlast its 60 s timeout.
     */
    @Test
    void aDeniedRunEndsWithItsReasonLongBeforeItsTimeout() {
        String event = Events.json(Events.load("connection-acceptance/scheduled.json"));
        try (Ec2ConnectionsStub ec2 = new Ec2ConnectionsStub(null).denyDescribe();
             PackagedFunction function = PackagedFunction.fromTemplate("ConnectionAcceptanceFunction")
                     .environment("SERVICE_ID", SERVICE).environment("E6DATA_ACCOUNT_ID", E6DATA_ACCOUNT)
                     .environment("E6LINK_VERSION", "0.0.0-test")
                     .environment("AWS_ENDPOINT_URL_EC2", ec2.url()).start()) {
            long started = System.nanoTime();
            PackagedFunction.Invocation denied = function.invoke(event);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;

            assertThat(denied.error()).as(function.logs()).isTrue();
            assertThat(function.logs()).contains("may not call ec2:DescribeVpcEndpointConnections");
            assertThat(seconds).as("seconds until the denied run ended").isLessThan(30);
        }
    }
}
