package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** samconfig.toml read the way SAM CLI reads it (TOML), checked against what template.yaml needs. */
class DeployConfigIT {
    private static final Path ROOT = Events.projectRoot();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> samconfig() {
        // python3's tomllib: the JDK has no TOML reader, and JSON output is valid YAML for SnakeYAML.
        ReleaseWorkspace.Result toml = ReleaseWorkspace.run(List.of("python3", "-c",
                "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))", ROOT.resolve("samconfig.toml").toString()));
        assertThat(toml.exitCode()).as(toml.toString()).isZero();
        return new Yaml().load(toml.stdout());
    }

    @Test
    @SuppressWarnings("unchecked")
    void samDeployReadsTheTemplateSamBuildWroteWithTheCapabilitiesTheTemplateNeeds() {
        Map<String, Object> config = (Map<String, Object>) samconfig().get("default");
        Map<String, Object> deploy = (Map<String, Object>) ((Map<String, Object>) config.get("deploy")).get("parameters");
        Map<String, Object> packaging = (Map<String, Object>) ((Map<String, Object>) config.get("package")).get("parameters");
        Map<String, Object> build = (Map<String, Object>) ((Map<String, Object>) config.get("build")).get("parameters");
        Template template = Template.load();

        // Capabilities match the template: the SAM transform and unnamed IAM roles
        assertThat(template.document().get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(template.section("Resources").values()).anySatisfy(resource -> assertThat(((Map<String, Object>) resource).get("Type")).isEqualTo("AWS::IAM::Role"));
        assertThat(template.section("Resources").values()).noneSatisfy(resource ->
                assertThat((Map<String, Object>) ((Map<String, Object>) resource).getOrDefault("Properties", Map.of())).containsKey("RoleName"));
        assertThat(((String) deploy.get("capabilities")).split(" ")).containsExactlyInAnyOrder("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND");
        assertThat(deploy).containsEntry("confirm_changeset", true).containsEntry("resolve_s3", true)
                // customer values belong to --guided prompts and samconfig.local.toml, not to the repository
                .doesNotContainKey("parameter_overrides");
        // A template_file here would beat SAM CLI's default search, which takes .aws-sam/build/template.yaml
        // first (samcli/commands/_utils/options.py get_or_default_template_file_name): sam deploy would then
        // zip the source folders template.yaml names instead of what sam build built.
        assertThat(deploy).doesNotContainKey("template_file");
        assertThat(packaging).doesNotContainKey("template_file").containsEntry("resolve_s3", true);
        // Every target runs Maven in the same checkout: never two at once, never a stale cache.
        assertThat(build).containsEntry("parallel", false).containsEntry("cached", false);
        assertThat(ROOT.resolve("template.yaml")).exists();
        assertThat(Files.isExecutable(ReleaseWorkspace.SCRIPT)).isTrue();
    }

    @Test
    void notAServerlessApplicationRepositoryAppAndTheDocsSayWhyWithTheirSources() throws Exception {
        Template template = Template.load();
        // SAR refuses Custom:: resource types, and every custom resource of the stack is one (frozen names).
        assertThat(template.section("Metadata")).doesNotContainKey("AWS::ServerlessRepo::Application");
        assertThat(template.section("Resources").values()).anySatisfy(resource ->
                assertThat((String) ((Map<?, ?>) resource).get("Type")).startsWith("Custom::"));
        String distribution = Files.readString(ROOT.resolve("docs/distribution.md"));
        assertThat(distribution).contains("Not in the Serverless Application Repository",
                "https://docs.aws.amazon.com/serverlessrepo/latest/devguide/list-supported-resources.html",
                "aws/aws-sam-cli issue 955", "Cannot use both --resolve-s3 and --s3-bucket parameters")
                .doesNotContain("sam publish --template", "sam package --template-file template.yaml --s3-bucket");
        assertThat(Files.readString(ROOT.resolve("scripts/release"))).doesNotContain("ServerlessRepo", "SemanticVersion");
    }

    @Test
    void guidedAnswersGoToASamconfigCopyThatGitIgnoresAndTheDocsSayHow() throws Exception {
        // --guided writes to the config file in use (samcli/commands/deploy/guided_context.py: the
        // "SAM configuration file" prompt defaults to --config-file), which must exist beforehand
        // (samcli/cli/cli_config_file.py: "Config file ... does not exist or could not be read!").
        String guided = "sam deploy --guided --config-file samconfig.local.toml";
        ReleaseWorkspace.Result ignored = ReleaseWorkspace.run(List.of("git", "-C", ROOT.toString(), "check-ignore", "-q", "samconfig.local.toml"));
        ReleaseWorkspace.Result tracked = ReleaseWorkspace.run(List.of("git", "-C", ROOT.toString(), "check-ignore", "-q", "samconfig.toml"));
        assertThat(ignored.exitCode()).as("git ignores samconfig.local.toml").isZero();
        assertThat(tracked.exitCode()).as("samconfig.toml stays tracked").isEqualTo(1);

        for (String doc : List.of("samconfig.toml", "README.md", "docs/distribution.md")) {
            assertThat(Files.readString(ROOT.resolve(doc))).as(doc)
                    .contains("sam build", "cp samconfig.toml samconfig.local.toml", guided);
        }
        assertThat(Files.readString(ROOT.resolve("scripts/deploy"))).contains("sam build", "cp samconfig.toml samconfig.local.toml", guided);
    }
}
