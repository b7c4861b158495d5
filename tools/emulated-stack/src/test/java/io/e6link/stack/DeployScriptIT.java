package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.e6link.testing.Events;
import io.e6link.testing.ScriptRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/deploy's choice of where to deploy, run as a user runs it: a fake HOME, a clean environment
 * and a fake {@code aws} on PATH answering as AWS CLI v1 does (no network), with {@code --dry-run}, which
 * stops after the decision and the login check, before any build. A configured but broken login stops
 * with the reason and the fix and never reaches the emulator; only {@code --local} or no AWS
 * configuration at all deploys EMULATED.
 */
class DeployScriptIT {
    private static final String ACCOUNT = "111122223333";
    private static final String ARN = "arn:aws:iam::111122223333:user/platform-engineer";

    @TempDir
    Path work;
    private Path home;
    private Path bin;
    private Path awsCalls;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(work.resolve("home"));
        bin = Files.createDirectories(work.resolve("bin"));
        awsCalls = work.resolve("aws-calls.log");
    }

    @Test
    void aMissingProfileStopsWithTheReasonAndTheFixAndNeverDeploysEmulated() throws Exception {
        fakeAws("echo >&2; echo \"The config profile ($AWS_PROFILE) could not be found\" >&2; exit 255");

        ScriptRun run = deploy(Map.of("AWS_PROFILE", "nope"));

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr())
                .contains("The config profile (nope) could not be found")
                .contains("AWS_PROFILE=nope names no profile in ~/.aws/config")
                .contains("aws configure sso --profile nope")
                .contains("unset AWS_PROFILE")
                .contains("--local");
        assertThat(run.stdout()).doesNotContain("EMULATED").doesNotContain("mode:");
        assertThat(awsCalls()).containsExactly("sts get-caller-identity --query [Account,Arn] --output text");
    }

    @Test
    void helpPrintsEveryModeAndAnOptionTheEmulatedDeployDoesNotTakeStopsBeforeAnythingIsBuilt() throws Exception {
        ScriptRun help = deploy(Map.of(), "--help");
        ScriptRun unknown = deploy(Map.of(), "--local", "--bogus");

        assertThat(help.exit()).isZero();
        assertThat(help.stdout()).contains("./scripts/deploy --local", "--dry-run", "sam deploy --guided");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("Unknown option '--bogus' for the EMULATED deploy, which takes only --keep");
        assertThat(unknown.stdout()).doesNotContain("mode: local").doesNotContain("Building");
        assertThat(awsCalls()).isEmpty();
    }

    @Test
    void noAwsConfigurationAtAllDeploysEmulatedWithoutAskingTheCli() throws Exception {
        fakeAws("echo \"" + ACCOUNT + "\t" + ARN + "\"");

        ScriptRun run = deploy(Map.of());

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).contains("No AWS configuration").contains("EMULATED").contains("mode: local (EMULATED)");
        assertThat(awsCalls()).isEmpty();
    }

    @Test
    void aWorkingLoginPrintsTheAccountBeforeDeployingToAws() throws Exception {
        fakeAws("echo \"" + ACCOUNT + "\t" + ARN + "\"");

        ScriptRun run = deploy(Map.of("AWS_PROFILE", "prod"));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("AWS login: account " + ACCOUNT + " as " + ARN + " (AWS_PROFILE=prod)")
                .contains("mode: aws (account " + ACCOUNT + ")")
                .doesNotContain("EMULATED");
    }

    @Test
    void aConfigFileAloneIsConfigurationAndALoginWithoutCredentialsStops() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = eu-west-1\n");
        fakeAws("echo >&2; echo 'Unable to locate credentials. You can configure credentials by running \"aws configure\".' >&2; exit 255");

        ScriptRun run = deploy(Map.of());

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).contains("AWS is configured (~/.aws/config)").contains("Unable to locate credentials")
                .contains("aws configure sso").contains("./scripts/deploy --local");
        assertThat(run.stdout()).doesNotContain("EMULATED");
    }

    @Test
    void theConfigAndCredentialsFileVariablesAreHonoured() throws Exception {
        Path elsewhere = Files.writeString(work.resolve("team-credentials"), "[default]\naws_access_key_id = AKIAEXAMPLE\n");
        fakeAws("echo \"" + ACCOUNT + "\t" + ARN + "\"");

        ScriptRun viaCredentialsFile = deploy(Map.of("AWS_SHARED_CREDENTIALS_FILE", elsewhere.toString()));
        assertThat(viaCredentialsFile.stdout()).contains("mode: aws").contains(elsewhere.toString());

        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\n");
        ScriptRun configFileMovedAway = deploy(Map.of("AWS_CONFIG_FILE", work.resolve("absent").toString()));
        assertThat(configFileMovedAway.stdout()).contains("mode: local (EMULATED)");
    }

    @Test
    void anExpiredSsoLoginNamesTheLoginCommand() throws Exception {
        fakeAws("echo >&2; echo 'Error when retrieving token from sso: Token has expired and refresh failed' >&2; exit 255");

        ScriptRun run = deploy(Map.of("AWS_PROFILE", "dev-sso"));

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).contains("Token has expired and refresh failed").contains("aws sso login --profile dev-sso");
    }

    @Test
    void anExpiredSessionTokenAsksForFreshCredentials() throws Exception {
        fakeAws("echo >&2; echo 'An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired' >&2; exit 254");

        ScriptRun run = deploy(Map.of("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "token"));

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).contains("(ExpiredToken)").contains("have expired; export fresh ones");
    }

    @Test
    void invalidKeysAreNamed() throws Exception {
        fakeAws("echo >&2; echo 'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.' >&2; exit 254");

        ScriptRun run = deploy(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wrong"));

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).contains("(InvalidClientTokenId)").contains("AWS does not accept the access key")
                .contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void containerCredentialsAreConfiguration() throws Exception {
        fakeAws("echo \"" + ACCOUNT + "\t" + ARN + "\"");

        ScriptRun run = deploy(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"));

        assertThat(run.stdout()).contains("mode: aws").contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    }

    @Test
    void withoutTheAwsCliAConfiguredLoginCannotBeCheckedAndStops() throws Exception {
        assumeFalse(Files.exists(Path.of("/usr/local/bin/aws")) || Files.exists(Path.of("/usr/bin/aws")) || Files.exists(Path.of("/bin/aws")),
                "an aws CLI is installed system-wide");

        ScriptRun run = deploy(Map.of("AWS_PROFILE", "prod"));

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).contains("the AWS CLI is not installed").contains("install the AWS CLI");
        assertThat(run.stdout()).doesNotContain("EMULATED");
    }

    @Test
    void localIgnoresTheConfigurationAndNeverAsksTheCli() throws Exception {
        fakeAws("echo >&2; echo \"The config profile ($AWS_PROFILE) could not be found\" >&2; exit 255");

        ScriptRun run = deploy(Map.of("AWS_PROFILE", "nope"), "--local");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).contains("--local: deploying EMULATED").contains("(AWS_PROFILE=nope) is ignored")
                .contains("mode: local (EMULATED)");
        assertThat(awsCalls()).isEmpty();
    }

    @Test
    void theOldLocalVariableStillWorksAndSaysItIsDeprecated() throws Exception {
        fakeAws("exit 255");

        ScriptRun run = deploy(Map.of("AWS_PROFILE", "nope", "E6LINK_LOCAL", "1"));

        assertThat(run.exit()).isZero();
        assertThat(run.stderr()).contains("E6LINK_LOCAL=1 is deprecated: use ./scripts/deploy --local");
        assertThat(run.stdout()).contains("mode: local (EMULATED)");
        assertThat(awsCalls()).isEmpty();
    }

    @Test
    void aWorkingLoginRunsSamBuildThenGuidedDeployThatSavesTheAnswersToTheIgnoredLocalConfig() throws Exception {
        // A checkout holding what the AWS path touches; the fake sam records where and how it is called.
        Path checkout = Files.createDirectories(work.resolve("checkout/scripts"));
        for (String file : List.of("scripts/deploy", "scripts/java-home", "samconfig.toml")) {
            Files.copy(Events.projectRoot().resolve(file), work.resolve("checkout").resolve(file), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        fakeAws("echo \"" + ACCOUNT + "\t" + ARN + "\"");
        Path sam = bin.resolve("sam");
        Files.writeString(sam, "#!/usr/bin/env bash\necho \"$PWD: sam $*\" >> \"$FAKE_AWS_CALLS\"\n");
        Files.setPosixFilePermissions(sam, PosixFilePermissions.fromString("rwxr-xr-x"));

        ScriptRun run = run(checkout.resolve("deploy"), false, Map.of("AWS_PROFILE", "prod"), "--stack-name", "e6link-prod");

        Path root = checkout.getParent().toRealPath();
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(awsCalls()).containsExactly("sts get-caller-identity --query [Account,Arn] --output text",
                root + ": sam build",
                root + ": sam deploy --guided --config-file samconfig.local.toml --stack-name e6link-prod");
        // The answers' file starts as the tracked defaults; samconfig.toml itself is never written.
        assertThat(root.resolve("samconfig.local.toml")).hasSameTextualContentAs(Events.projectRoot().resolve("samconfig.toml"));
        assertThat(root.resolve("samconfig.toml")).hasSameTextualContentAs(Events.projectRoot().resolve("samconfig.toml"));
    }

    private void fakeAws(String body) throws IOException {
        Path aws = bin.resolve("aws");
        Files.writeString(aws, "#!/usr/bin/env bash\necho \"$*\" >> \"$FAKE_AWS_CALLS\"\n" + body + "\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> awsCalls() throws IOException {
        return Files.exists(awsCalls) ? Files.readAllLines(awsCalls) : List.of();
    }

    /** scripts/deploy --dry-run in a clean environment: only PATH, HOME, JAVA_HOME and {@code variables}. */
    private ScriptRun deploy(Map<String, String> variables, String... args) throws Exception {
        return run(Events.projectRoot().resolve("scripts/deploy"), true, variables, args);
    }

    private ScriptRun run(Path script, boolean dryRun, Map<String, String> variables, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        if (dryRun) {
            command.add("--dry-run");
        }
        command.addAll(List.of(args));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FAKE_AWS_CALLS", awsCalls.toString());
        env.putAll(variables);
        return ScriptRun.of(command, work, env, Duration.ofSeconds(60));
    }
}
