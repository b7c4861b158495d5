package io.e6link.distribution;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A source folder for {@code scripts/release}: the project's real template.yaml plus one small zip
 * per artifact it names (distinct bytes each, so the upload layout is checkable without depending
 * on which function modules happen to be built), and the script run against moto's S3.
 */
final class ReleaseWorkspace {
    static final Path SCRIPT = Events.projectRoot().resolve("scripts/release");
    private static final Set<String> CODE_TYPES = Set.of("AWS::Serverless::Function", "AWS::Serverless::LayerVersion");

    final Path source;
    private final Moto moto;

    ReleaseWorkspace(Path temp, Moto moto) {
        this.source = temp.resolve("source");
        this.moto = moto;
        try {
            Files.createDirectories(source);
            Files.copy(Events.projectRoot().resolve("template.yaml"), source.resolve("template.yaml"));
            for (String artifact : artifacts()) {
                writeZip(artifact, "built " + artifact);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The zips the Maven build writes for the CodeUri/ContentUri folders of the project's template.yaml. */
    @SuppressWarnings("unchecked")
    static Set<String> artifacts() {
        Set<String> paths = new LinkedHashSet<>();
        Template template = Template.load();
        for (Map.Entry<String, Object> entry : template.section("Resources").entrySet()) {
            Map<String, Object> resource = (Map<String, Object>) entry.getValue();
            if (CODE_TYPES.contains(resource.get("Type"))) {
                Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
                paths.add(properties.get("CodeUri") instanceof String code ? Template.builtZip(code, false)
                        : Template.builtZip((String) properties.get("ContentUri"), true));
            }
        }
        return paths;
    }

    /** functions/m/target/m.zip → e6link/&lt;version&gt;/functions/m.zip */
    static String key(String version, String artifact) {
        Path path = Path.of(artifact);
        return "e6link/" + version + "/" + path.getName(0) + "/" + path.getFileName();
    }

    void writeZip(String artifact, String content) throws IOException {
        Path zip = source.resolve(artifact);
        Files.createDirectories(zip.getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("content.txt"));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(source.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dist(String version) {
        return source.resolve("dist").resolve(version);
    }

    S3Client s3(String region) {
        return new MotoClients(moto).configure(S3Client.builder()).region(Region.of(region)).forcePathStyle(true).build();
    }

    void createBucket(String name, String region) {
        s3(region).createBucket(request -> {
            request.bucket(name);
            if (!region.equals("us-east-1")) {
                request.createBucketConfiguration(config -> config.locationConstraint(region));
            }
        });
    }

    void putObject(String bucket, String region, String key, String content) {
        s3(region).putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    Map<String, byte[]> objects(String bucket, String region) {
        S3Client s3 = s3(region);
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()) {
            objects.put(object.key(), s3.getObjectAsBytes(request -> request.bucket(bucket).key(object.key())).asByteArray());
        }
        return objects;
    }

    /** Runs scripts/release against moto with test credentials and this workspace as --source-dir. */
    Result release(String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "--endpoint-url", moto.endpointUrl(), "--source-dir", source.toString()));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    static Result run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_"));
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
            env.put("AWS_DEFAULT_REGION", "us-east-1");
            env.put("AWS_CONFIG_FILE", "/dev/null");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            env.put("PATH", withPyenv(env.getOrDefault("PATH", "")));
            Path out = Files.createTempFile("release", ".out");
            Path err = Files.createTempFile("release", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("scripts/release did not finish in 180 s: " + Files.readString(err));
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** python3, cfn-lint and aws-sam-translator live in pyenv on these machines (as in .ci/run). */
    static String withPyenv(String path) {
        Path shims = Path.of(System.getProperty("user.home"), ".pyenv", "shims");
        return Files.isDirectory(shims) ? path + ":" + shims : path;
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
