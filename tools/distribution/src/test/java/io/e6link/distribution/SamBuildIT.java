package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import io.e6link.testing.Template;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sam build} on a fresh checkout: every function and the kit layer carry {@code BuildMethod: makefile},
 * and each {@code build-<LogicalId>} target, run exactly as SAM CLI runs it ({@link SamCliMakeBuild}), leaves
 * in {@code .aws-sam/build/<LogicalId>} what Lambda runs - the same files as the zip the packaged-Lambda tests
 * and the emulated stack run - and the SAM-built function runs with the SAM-built layer under the runtime
 * interface client. The checkout is a copy of the repository's files (no target/ folders), so the Makefiles
 * must build from sources alone, and the build never rewrites the jars this test JVM has open.
 */
@ExtendWith(MotoExtension.class)
class SamBuildIT {
    private static final Path ROOT = Events.projectRoot();

    @TempDir
    static Path temp;
    private static Path checkout;
    /** Logical id → SAM's artifacts folder, in template order. */
    private static final Map<String, Path> BUILT = new LinkedHashMap<>();

    @BeforeAll
    static void samBuildOnAFreshCheckout() throws IOException, InterruptedException {
        checkout = freshCheckout(temp.resolve("checkout"));
        buildable().forEach((id, codeUri) -> BUILT.put(id, SamCliMakeBuild.build(checkout, codeUri, id)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionAndTheLayerIsBuiltBySamCliFromItsSourceFolderWithAMakefile() {
        Template template = Template.load();
        Map<String, String> buildable = buildable();

        long codeResources = template.section("Resources").values().stream()
                .filter(value -> ((String) ((Map<String, Object>) value).get("Type")).matches("AWS::Serverless::(Function|LayerVersion)")).count();
        assertThat(buildable).hasSize((int) codeResources);
        buildable.forEach((id, codeUri) -> {
            Map<String, Object> metadata = (Map<String, Object>) template.resource(id).getOrDefault("Metadata", Map.of());
            // SAM CLI skips a resource with SkipBuild or a .zip CodeUri: nothing would be built.
            assertThat(metadata).as(id).containsEntry("BuildMethod", "makefile").doesNotContainKey("SkipBuild");
            assertThat(codeUri).as(id).doesNotEndWith(".zip");
            assertThat(ROOT.resolve(codeUri).resolve("Makefile")).as(id).isRegularFile();
        });
        // A layer's build needs a BuildMethod (MissingBuildMethodException otherwise); java21 is what it serves.
        assertThat((List<String>) template.properties("CustomResourceKitLayer").get("CompatibleRuntimes")).containsExactly("java21");
    }

    @Test
    void eachBuildTargetLaysOutTheFilesOfTheZipThePackagedTestsRunInLambdasJavaLayout() throws IOException {
        Template template = Template.load();
        assertThat(BUILT).hasSize(buildable().size());
        for (Map.Entry<String, Path> built : BUILT.entrySet()) {
            String id = built.getKey();
            boolean layer = "AWS::Serverless::LayerVersion".equals(template.resource(id).get("Type"));
            Map<String, byte[]> files = files(built.getValue());
            Path zip = ROOT.resolve(Template.builtZip(buildable().get(id), layer));
            Map<String, byte[]> tested = entries(zip);

            // The same files as the zip the packaged-Lambda tests run; class files byte for byte.
            assertThat(files.keySet()).as(id + " vs " + zip).containsExactlyInAnyOrderElementsOf(tested.keySet());
            files.forEach((name, bytes) -> {
                if (name.endsWith(".class")) {
                    assertThat(bytes).as(id + ": " + name).isEqualTo(tested.get(name));
                }
            });
            if (layer) {
                // Lambda puts /opt/java/lib/*.jar on a Java function's class path.
                assertThat(files.keySet()).as(id).allMatch(name -> name.matches("java/lib/[^/]+\\.jar"))
                        .anyMatch(name -> name.startsWith("java/lib/custom-resource-kit-"));
            } else {
                // Classes at the root, the function's own jars in lib/; the handler class is there.
                String handler = (String) template.functionProperties(id).get("Handler");
                String handlerClass = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
                assertThat(files).as(id).containsKey(handlerClass);
                assertThat(files.keySet()).as(id).allMatch(name -> name.endsWith(".class") || name.matches("lib/[^/]+\\.jar") || name.startsWith("META-INF/"));
            }
        }
    }

    @Test
    void theSamBuiltFunctionRunsWithTheSamBuiltLayerUnderTheRuntimeInterfaceClient(Moto moto) throws IOException {
        // sam package zips each artifacts folder; point a copy of the template at those zips.
        Path functionZip = zip(BUILT.get("DiscoveryFunction"), temp.resolve("DiscoveryFunction.zip"));
        Path layerZip = zip(BUILT.get("CustomResourceKitLayer"), temp.resolve("CustomResourceKitLayer.zip"));
        String text = Files.readString(ROOT.resolve("template.yaml"))
                .replace("CodeUri: functions/eks-cluster-discovery\n", "CodeUri: " + functionZip + "\n")
                .replace("ContentUri: layers/custom-resource-kit\n", "ContentUri: " + layerZip + "\n");
        Path templateCopy = Files.writeString(temp.resolve("template.yaml"), text);
        assertThat(text).contains("CodeUri: " + functionZip, "ContentUri: " + layerZip);

        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate(Template.load(templateCopy), "DiscoveryFunction").endpoint(moto).start()) {
            // The emulated account has no EKS cluster "prod": the handler answers FAILED, naming it.
            PackagedFunction.Invocation create = function.invoke(Events.json(Events.prepare("eks-cluster-discovery/create.json", recorder.newUrl(), Map.of())));
            ResponseRecorder.Put answer = recorder.await(Duration.ofSeconds(20));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(answer.status()).as(function.logs()).isEqualTo("FAILED");
            assertThat(answer.reason()).as(function.logs()).contains("prod");
        }
    }

    /** Logical id → CodeUri/ContentUri of every function and layer, in template order. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> buildable() {
        Map<String, String> buildable = new LinkedHashMap<>();
        Template.load().section("Resources").forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            switch ((String) resource.get("Type")) {
                case "AWS::Serverless::Function" -> buildable.put(id, (String) properties.get("CodeUri"));
                case "AWS::Serverless::LayerVersion" -> buildable.put(id, (String) properties.get("ContentUri"));
                default -> { }
            }
        });
        return buildable;
    }

    /** The repository's files as a clone has them (tracked plus new, not ignored; no build output). */
    private static Path freshCheckout(Path into) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).isZero();
        List<String> files = new ArrayList<>();
        for (String name : listing.split("\0")) {
            if (!name.isEmpty() && !name.contains("node_modules/") && Files.isRegularFile(ROOT.resolve(name))) {
                files.add(name);
            }
        }
        assertThat(files).contains("mvnw", "pom.xml", "template.yaml", "scripts/sam-build.mk");
        for (String name : files) {
            Path target = into.resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(ROOT.resolve(name), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return into;
    }

    private static Map<String, byte[]> files(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        assertThat(zip).as("built by the Maven build before this test").isRegularFile();
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), file.getInputStream(entry).readAllBytes());
                }
            }
        }
        return entries;
    }

    private static Path zip(Path folder, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipped = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files(folder).entrySet()) {
                zipped.putNextEntry(new ZipEntry(file.getKey()));
                zipped.write(file.getValue());
                zipped.closeEntry();
            }
        }
        return zip;
    }
}
