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
    void samDeployGuidedNeedsOnlyThePrebuiltZipsTheMavenBuildWrites() {
        Map<String, Object> config = (Map<String, Object>) samconfig().get("default");
        Map<String, Object> deploy = (Map<String, Object>) ((Map<String, Object>) config.get("deploy")).get("parameters");
        Template template = Template.load();

        // Capabilities match the template: the SAM transform and unnamed IAM roles
        assertThat(template.document().get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(template.section("Resources").values()).anySatisfy(resource -> assertThat(((Map<String, Object>) resource).get("Type")).isEqualTo("AWS::IAM::Role"));
        assertThat(template.section("Resources").values()).noneSatisfy(resource ->
                assertThat((Map<String, Object>) ((Map<String, Object>) resource).getOrDefault("Properties", Map.of())).containsKey("RoleName"));
        assertThat(((String) deploy.get("capabilities")).split(" ")).containsExactlyInAnyOrder("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND");
        assertThat(deploy).containsEntry("confirm_changeset", true).containsEntry("resolve_s3", true)
                .containsEntry("template_file", "template.yaml")
                // customer values belong to --guided prompts, not to the repository
                .doesNotContainKey("parameter_overrides");
        assertThat(ROOT.resolve((String) deploy.get("template_file"))).exists();

        // Every code location is a zip the Maven build writes under target/, skipped by sam build
        assertThat(ReleaseWorkspace.artifacts()).isNotEmpty().allSatisfy(artifact ->
                assertThat(artifact).matches("(functions|layers)/[a-z0-9-]+/target/[a-z0-9-]+\\.zip"));
        template.section("Resources").forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (((String) resource.get("Type")).startsWith("AWS::Serverless::") && !"AWS::Serverless::Application".equals(resource.get("Type"))) {
                assertThat((Map<String, Object>) resource.get("Metadata")).as(id).containsEntry("SkipBuild", true);
            }
        });
        assertThat(Files.isExecutable(ReleaseWorkspace.SCRIPT)).isTrue();
    }
}
