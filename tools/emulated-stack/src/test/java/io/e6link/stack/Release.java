package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * scripts/release run against moto S3 the way e6data publishes a release, for the tests that need
 * the expanded (transform-free) template: Service Catalog's launch role, Control Tower's controls,
 * the expanded stack itself.
 */
final class Release {
    private Release() {
    }

    /**
     * Releases template.yaml with its artifacts (the built zips, or stand-ins when {@code builtArtifacts}
     * is false: the release only uploads them) to {@code <prefix>-us-east-1}, which must exist.
     *
     * @return the expanded template the release wrote (dist/&lt;version&gt;/template-expanded.yaml)
     */
    static Template expanded(Moto moto, Path work, String prefix, String version, boolean builtArtifacts) throws IOException, InterruptedException {
        Path source = source(work.resolve("source"), builtArtifacts);
        ProcessBuilder builder = new ProcessBuilder("bash", Events.projectRoot().resolve("scripts/release").toString(), "--version", version,
                "--bucket-prefix", prefix, "--regions", "us-east-1", "--endpoint-url", moto.endpointUrl(), "--source-dir", source.toString())
                .redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", "testing");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Template expanded = Template.load(source.resolve("dist/" + version + "/template-expanded.yaml"));
        assertThat(expanded.document()).doesNotContainKey("Transform");
        return expanded;
    }

    /** template.yaml plus its artifacts at their relative paths, as a release checkout has them. */
    @SuppressWarnings("unchecked")
    private static Path source(Path source, boolean builtArtifacts) throws IOException {
        Path root = Events.projectRoot();
        Files.createDirectories(source);
        Files.copy(root.resolve("template.yaml"), source.resolve("template.yaml"));
        for (Object value : Template.load().section("Resources").values()) {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) value).getOrDefault("Properties", Map.of());
            for (String key : List.of("CodeUri", "ContentUri")) {
                if (properties.get(key) instanceof String location
                        && Template.builtZip(location, "ContentUri".equals(key)) instanceof String path
                        && !Files.exists(source.resolve(path))) {
                    Files.createDirectories(source.resolve(path).getParent());
                    if (builtArtifacts) {
                        Files.copy(root.resolve(path), source.resolve(path));
                    } else {
                        Files.writeString(source.resolve(path), "stand-in for " + path);
                    }
                }
            }
        }
        return source;
    }

    /** Downloads each Lambda code object the expanded template names and points the template at the copy; returns the keys. */
    @SuppressWarnings("unchecked")
    static List<String> pointCodeAtDownloadedObjects(Template expanded, S3Client s3, Path into) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Object value : expanded.section("Resources").values()) {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            Object location = switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Lambda::Function" -> properties.get("Code");
                case "AWS::Lambda::LayerVersion" -> properties.get("Content");
                default -> null;
            };
            if (location instanceof Map<?, ?> code) {
                Map<String, Object> s3Location = (Map<String, Object>) code;
                String bucket = String.valueOf(((Map<String, Object>) s3Location.get("S3Bucket")).get("Fn::Sub")).replace("${AWS::Region}", "us-east-1");
                String key = (String) s3Location.get("S3Key");
                Path file = into.resolve(key);
                Files.createDirectories(file.getParent());
                if (!Files.exists(file)) {
                    s3.getObject(b -> b.bucket(bucket).key(key), file);
                }
                s3Location.put("S3Key", file.toString());
                keys.add(key);
            }
        }
        return keys;
    }
}
