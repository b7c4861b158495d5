package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.e6link.testing.Events;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EMULATED deploy ({@code ./scripts/deploy --local}) run whole, in its own JVM, from a shell whose AWS
 * login is broken: {@code AWS_PROFILE} names a profile that does not exist. The emulated world must not
 * read it. Before, moto_server inherited the variable, its botocore failed every request with
 * ProfileNotFound (HTTP 500), and the exception escaping LocalDeploy under {@code exec:java} was
 * rendered after the plugin had closed the class loader: {@code NoClassDefFoundError:
 * software/amazon/awssdk/core/exception/SdkDiagnostics}.
 */
class LocalDeployIT {
    @TempDir
    Path work;

    @Test
    void theEmulatedDeployIgnoresABrokenAwsLoginAndSaysItIsEmulated() throws Exception {
        assumeTrue(onPath("moto_server") || "true".equalsIgnoreCase(System.getenv("CI")),
                "SKIPPED LOUDLY: moto_server is not on PATH (pip install 'moto[server]')");
        Path config = Files.writeString(work.resolve("aws-config"), "[profile someone-else]\nregion = eu-west-1\n");
        Path output = work.resolve("local-deploy.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-De6link.root=" + Events.projectRoot(),
                "-cp", System.getProperty("java.class.path"),
                LocalDeploy.class.getName(), "--local")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("AWS_PROFILE", "e6link-no-such-profile");
        env.put("AWS_DEFAULT_PROFILE", "e6link-no-such-profile");
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY");
        env.put("AWS_SECRET_ACCESS_KEY", "the-users-secret");
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the local deploy did not finish within 8 minutes:\n" + Files.readString(output));
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(log).isZero();
        assertThat(log)
                .contains(LocalDeploy.BANNER)
                .contains("Outputs (EMULATED, moto on this machine; not an AWS account):")
                .contains("EndpointServiceName")
                // The handoff e6data copies: one JSON value with the API server hostname it must resolve to its endpoint.
                .containsPattern("E6dataHandoff +\\{\"endpointServiceName\":\"com\\.amazonaws\\.vpce\\.us-east-1\\.vpce-svc-[0-9a-f]+\",\"serviceRegion\":\"us-east-1\"")
                .containsPattern("\"apiServerHostname\":\"[a-z0-9]+\\.[a-z0-9]+\\.us-east-1\\.eks\\.amazonaws\\.com\",\"port\":443\\}")
                .contains("EMULATED stack deleted")
                .containsPattern("On AWS's clock \\(slow end, the default; aws-clock\\.json\\) this Create would take \\d+ min \\d+ s; "
                        + "e6link's own work on its critical path: [0-9.]+ s \\([0-9.]+ %\\)\\.")
                .containsPattern("On AWS's clock \\(fast end; aws-clock\\.json\\)")
                .containsPattern("critical path: .*ClusterDiscovery \\(AWS 0 s, e6link [0-9.]+ s\\) → .*EndpointValidation \\(AWS \\d+ s, e6link [0-9.]+ s\\)")
                .doesNotContain("NoClassDefFoundError")
                .doesNotContain("ProfileNotFound");
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, executable)));
    }
}
