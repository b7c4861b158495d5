package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused with one sentence naming the parameter, before anything is created (exit status 2). */
class OptionsTest {
    private static final String[] REAL = {"--customer-profile", "cust", "--e6data-profile", "e6", "--region", "us-east-1", "--cluster", "e6link-check"};

    @TempDir
    Path home;

    @Test
    void aCompleteRealAccountCommandLineParses() {
        Options options = Options.parse(REAL);
        assertThat(options.local()).isFalse();
        assertThat(options.customerProfile()).isEqualTo("cust");
        assertThat(options.release()).isEqualTo("local build (template.yaml)");
        assertThat(options.sampleEvery().toSeconds()).isEqualTo(5);
    }

    @Test
    void eachBadOptionIsRefusedWithOneSentenceNamingIt() {
        refused(new String[] {"--region", "us-east-1", "--cluster", "c", "--e6data-profile", "e6"}, "--customer-profile is missing");
        refused(new String[] {"--customer-profile", "same", "--e6data-profile", "same", "--region", "us-east-1", "--cluster", "c"},
                "--e6data-profile names the same profile as --customer-profile");
        refused(with("--region", "US-East"), "--region 'US-East' is not an AWS region name");
        refused(with("--cluster", "-bad name"), "--cluster '-bad name' is not an EKS cluster name");
        refused(with("--next-version", "latest"), "--next-version 'latest' is not a Kubernetes minor version");
        refused(with("--template-url", "http://example.com/template.yaml"), "--template-url 'http://example.com/template.yaml' is not an https URL");
        refused(with("--alarm-email", "nobody"), "--alarm-email 'nobody' is not an e-mail address");
        refused(with("--sample-seconds", "0"), "--sample-seconds '0' is not a whole number from 1 to 60");
        refused(new String[] {"--local", "--customer-profile", "cust"}, "--customer-profile is for real accounts");
        refused(new String[] {"--frobnicate"}, "Unknown option '--frobnicate'");
        refused(new String[] {"--cluster"}, "--cluster needs a value");
    }

    @Test
    void aProfileThatDoesNotExistIsRefusedBeforeAnyCallToAws() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[profile cust]\nregion = us-east-1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = with("--template-url", "https://example-bucket.s3.us-east-1.amazonaws.com/e6link/1.2.3/template.yaml");
        int status = Acceptance.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("HOME", home.toString()));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("Refused: --e6data-profile 'e6' is not a profile in ~/.aws/config or ~/.aws/credentials (aws configure sso --profile e6).");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpDocumentsTheRealAccountUseAndDryRunPrintsThePlanWithTheCost() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Acceptance.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--customer-profile", "--e6data-profile", "--region", "--cluster", "--template-url",
                "--next-version", "--dry-run", "needs-real-account", "aws-clock.measured.json");

        ByteArrayOutputStream plan = new ByteArrayOutputStream();
        Plan.print(Options.parse(with("--next-version", "1.34")), new PrintStream(plan, true, StandardCharsets.UTF_8));
        assertThat(plan.toString(StandardCharsets.UTF_8)).contains("nothing is created", "NLB:", "interface endpoint:", "data through it:", "total: about $",
                "c.2  EKS version upgrade");
    }

    private static String[] with(String option, String value) {
        String[] args = java.util.Arrays.copyOf(REAL, REAL.length + 2);
        args[REAL.length] = option;
        args[REAL.length + 1] = value;
        return args;
    }

    private static void refused(String[] args, String sentenceStart) {
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(Refusal.class)
                .hasMessageStartingWith(sentenceStart)
                .satisfies(e -> assertThat(e.getMessage()).endsWith(".").doesNotContain("\n"));
    }
}
