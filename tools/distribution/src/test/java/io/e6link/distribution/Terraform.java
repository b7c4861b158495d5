package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code terraform} CLI run in a working directory, offline: providers come from the machine's
 * local plugin mirror ({@code terraform init -plugin-dir}), never from the registry. A missing
 * terraform binary or mirror fails the test (CI requires both; .ci/run checks them first).
 */
final class Terraform {
    /** Where this machine image keeps the AWS provider mirror; E6LINK_TF_PLUGIN_DIR overrides. */
    private static final List<String> MIRROR_CANDIDATES = List.of("/opt/tf-plugins", "/usr/share/terraform/plugins",
            System.getProperty("user.home") + "/.terraform.d/plugins");
    private static final String TEST_ACCESS_KEY = "terraform-test";

    private final Path directory;

    Terraform(Path directory) {
        this.directory = directory;
    }

    /** The result of one terraform command: exit code and the two streams. */
    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * The plugin mirror's parent folder (the one holding registry.terraform.io/hashicorp/aws).
     *
     * @throws AssertionError naming the folders searched when there is none
     */
    static Path pluginDirectory() {
        List<String> candidates = new ArrayList<>();
        String override = System.getenv("E6LINK_TF_PLUGIN_DIR");
        if (override != null && !override.isBlank()) {
            candidates.add(override);
        }
        candidates.addAll(MIRROR_CANDIDATES);
        return candidates.stream().map(Path::of).filter(dir -> Files.isDirectory(dir.resolve("registry.terraform.io/hashicorp/aws")))
                .findFirst().orElseThrow(() -> new AssertionError("No Terraform plugin mirror with registry.terraform.io/hashicorp/aws in "
                        + candidates + "; install the AWS provider there (or set E6LINK_TF_PLUGIN_DIR): the Terraform module tests need it."));
    }

    /** Fails (never skips) when terraform is not on PATH. */
    static void requireBinary() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "terraform")));
        assertThat(found).as("terraform is not on PATH; install Terraform >= 1.5 (CI requires it)").isTrue();
    }

    /** A provider block for the emulated AWS: every service the module touches on moto, fixed test keys, no real AWS. */
    static String emulatedProvider(Moto moto) {
        String endpoint = moto.endpointUrl();
        return """
                provider "aws" {
                  region                      = "us-east-1"
                  access_key                  = "%s"
                  secret_key                  = "testing"
                  skip_credentials_validation = true
                  skip_requesting_account_id  = true
                  skip_metadata_api_check     = true
                  endpoints {
                    cloudformation = "%s"
                    s3             = "%s"
                    sts            = "%s"
                  }
                }
                """.formatted(TEST_ACCESS_KEY, endpoint, endpoint, endpoint);
    }

    /** {@code terraform init} from the local mirror only. */
    Run init() {
        return run("init", "-input=false", "-no-color", "-plugin-dir=" + pluginDirectory());
    }

    Run run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("terraform"));
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile("terraform", ".out");
            Path err = Files.createTempFile("terraform", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            // No user CLI configuration, no checkpoint call home, no real credentials from the environment.
            env.put("TF_CLI_CONFIG_FILE", "/dev/null");
            env.put("CHECKPOINT_DISABLE", "1");
            env.put("TF_IN_AUTOMATION", "1");
            env.keySet().removeIf(key -> key.startsWith("AWS_"));
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("terraform " + String.join(" ", arguments) + " did not finish in 5 minutes");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command that must succeed and returns its standard output as JSON. */
    Map<String, Object> json(String... arguments) {
        Run run = run(arguments);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return Json.readObject(run.stdout());
    }

    /** Copies a folder tree (the module or the example) into the working area, so no .terraform lands in the repository. */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.filter(p -> !p.toString().contains(".terraform")).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
