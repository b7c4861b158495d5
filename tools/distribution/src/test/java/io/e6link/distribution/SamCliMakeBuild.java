package io.e6link.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What {@code sam build} does for one function or layer whose Metadata says {@code BuildMethod: makefile},
 * built in process (no {@code --use-container}, no {@code --build-in-source}), as read in the sources of
 * aws/aws-sam-cli ({@code samcli/lib/build/app_builder.py}: {@code _build_function}, {@code _build_layer},
 * {@code _get_build_options}; {@code samcli/lib/build/workflow_config.py}: {@code get_layer_subfolder}) and
 * aws/aws-lambda-builders ({@code aws_lambda_builders/workflows/custom_make/workflow.py, actions.py, make.py}):
 * <ul>
 *   <li>the code folder is {@code <template folder>/<CodeUri or ContentUri>}, resolved; the manifest is
 *       {@code <code folder>/Makefile} (no {@code ContextPath}/{@code ProjectRootDirectory} in the Metadata);</li>
 *   <li>{@code CustomMakeWorkflow} builds in a fresh scratch folder ({@code DEFAULT_BUILD_DIR = SCRATCH}) into
 *       which {@code CopySourceAction} first copies the code folder, leaving out {@code .aws-sam} and {@code .git}
 *       at any depth ({@code shutil.ignore_patterns});</li>
 *   <li>{@code CustomMakeAction} creates the artifacts folder and runs
 *       {@code make --makefile <manifest> build-<LogicalId>} with the scratch folder as working directory (no
 *       {@code WorkingDirectory} Metadata) and the environment of {@code sam} plus
 *       {@code ARTIFACTS_DIR=<artifacts folder>}; a non-zero exit fails the build;</li>
 *   <li>the artifacts folder is {@code .aws-sam/build/<LogicalId>}; for a makefile layer the subfolder is
 *       {@code ""} ("User is responsible for creating subfolder"), so the target lays out {@code java/lib}.</li>
 * </ul>
 */
final class SamCliMakeBuild {
    private static final Set<String> EXCLUDED = Set.of(".aws-sam", ".git");

    private SamCliMakeBuild() {
    }

    /**
     * Builds one resource as SAM CLI does.
     *
     * @param templateDir the folder of template.yaml (SAM CLI's base dir)
     * @param codeUri     the resource's CodeUri or ContentUri (a folder)
     * @param logicalId   the resource's logical id (the make target is {@code build-<logicalId>})
     * @return the artifacts folder, {@code <templateDir>/.aws-sam/build/<logicalId>}
     * @throws AssertionError with make's output when the target fails
     */
    static Path build(Path templateDir, String codeUri, String logicalId) {
        try {
            Path codeDir = templateDir.resolve(codeUri).toRealPath();
            Path manifest = codeDir.resolve("Makefile");
            Path artifacts = templateDir.resolve(".aws-sam/build/" + logicalId);
            Path scratch = Files.createTempDirectory("sam-scratch-" + logicalId);
            try {
                copySource(codeDir, scratch);
                Files.createDirectories(artifacts);
                ProcessBuilder make = new ProcessBuilder(List.of("make", "--makefile", manifest.toString(), "build-" + logicalId))
                        .directory(scratch.toFile()).redirectErrorStream(true);
                make.environment().put("ARTIFACTS_DIR", artifacts.toString());
                Path log = Files.createTempFile("sam-build-" + logicalId, ".log");
                Process process = make.redirectOutput(log.toFile()).start();
                if (!process.waitFor(15, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("make build-" + logicalId + " did not finish in 15 minutes:\n" + Files.readString(log));
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("make build-" + logicalId + " exited " + process.exitValue() + ":\n" + Files.readString(log));
                }
                return artifacts;
            } finally {
                deleteTree(scratch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** CopySourceAction: the whole folder except .aws-sam and .git (at any depth), symlinks followed. */
    private static void copySource(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && EXCLUDED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!EXCLUDED.contains(file.getFileName().toString())) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
