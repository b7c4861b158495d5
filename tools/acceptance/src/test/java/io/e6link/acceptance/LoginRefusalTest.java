package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.stack.SampleCluster;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.e6link.testing.TestTiers;
import org.junit.jupiter.api.Tag;

/**
 * The real mode's refusals that need AWS's answer, with named profiles resolved by the SDK as the CLI
 * resolves them (endpoint_url pointing at moto): a cluster that is not in the customer account, one account
 * for both profiles, a login that does not work. Nothing is created in any of them.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class LoginRefusalTest {
    @TempDir
    Path home;

    @Test
    void aClusterThatIsNotInTheCustomerAccountIsRefusedAndNothingIsCreated(Moto moto) throws Exception {
        config(moto);
        assertThatThrownBy(() -> connect("missing")).isInstanceOf(Refusal.class)
                .hasMessage("--cluster 'missing' is not an EKS cluster of account 123456789012 in us-east-1.");
        MotoClients clients = new MotoClients(moto);
        assertThat(clients.ec2().describeVpcs().vpcs()).as("only moto's default VPC").hasSizeLessThanOrEqualTo(1);
        assertThat(clients.s3().listBuckets().buckets()).isEmpty();
    }

    @Test
    void twoProfilesOfOneAccountAreRefused(Moto moto) throws Exception {
        config(moto);
        SampleCluster.seedBare(new MotoClients(moto));
        assertThatThrownBy(() -> connect("analytics")).isInstanceOf(Refusal.class)
                .hasMessage("--e6data-profile reaches the same account as --customer-profile (123456789012); e6data must be a second account.");
    }

    @Test
    void aLoginThatDoesNotWorkIsRefusedNamingTheProfile() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), """
                [profile cust]
                region = us-east-1
                endpoint_url = http://127.0.0.1:9
                aws_access_key_id = AKIAEXAMPLE
                aws_secret_access_key = wrong
                [profile e6]
                region = us-east-1
                endpoint_url = http://127.0.0.1:9
                aws_access_key_id = AKIAEXAMPLE2
                aws_secret_access_key = wrong
                """);
        assertThatThrownBy(() -> connect("analytics")).isInstanceOf(Refusal.class).hasMessageStartingWith("--customer-profile 'cust' cannot log in: ")
                .satisfies(e -> assertThat(e.getMessage()).endsWith(".").doesNotContain("\n"));
    }

    /** Both profiles reach moto's one account (a second account needs STS AssumeRole, which the SDK sends to AWS itself). */
    @Test
    void aLocalBuildWhoseZipsAreNotBuiltIsRefusedBeforeAnyCall() throws Exception {
        Path template = Files.writeString(home.resolve("template.yaml"), "Resources:\n  F:\n    Properties:\n      CodeUri: functions/x/target/x.zip\n");
        Options options = Options.parse("--customer-profile", "cust", "--e6data-profile", "e6", "--region", "us-east-1", "--cluster", "analytics",
                "--template", template.toString());
        assertThatThrownBy(() -> AwsWorld.connect(options, Map.of("HOME", home.toString()),
                new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC())))
                .isInstanceOf(Refusal.class).hasMessage("--template " + template + " names functions/x/target/x.zip, which is not built (run ./mvnw -B package -DskipTests).");
    }

    private void config(Moto moto) throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        String e6data = "aws_access_key_id = testing\naws_secret_access_key = testing\n";
        Files.writeString(home.resolve(".aws/config"), "[profile cust]\nregion = us-east-1\nendpoint_url = " + moto.endpointUrl()
                + "\naws_access_key_id = testing\naws_secret_access_key = testing\n[profile e6]\nregion = us-east-1\nendpoint_url = " + moto.endpointUrl()
                + "\n" + e6data);
    }

    private AwsWorld connect(String cluster) {
        Options options = Options.parse("--customer-profile", "cust", "--e6data-profile", "e6", "--region", "us-east-1", "--cluster", cluster,
                "--template-url", "https://example-bucket.s3.us-east-1.amazonaws.com/e6link/1.2.3/template.yaml");
        return AwsWorld.connect(options, Map.of("HOME", home.toString()),
                new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC()));
    }
}
