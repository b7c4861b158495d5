package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.TestTiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class of the repository is in exactly one test tier ({@link TestTiers}; docs/developing.md,
 * "Test tiers"), read from the sources: a class with tests is named {@code *Test} (surefire) or {@code *IT}
 * (failsafe), so no class goes unrun; a {@code *Test} carries the emulated tag exactly when it uses moto
 * (extended with MotoExtension, or starting MotoServer, shared or independent), so {@code ./scripts/test --fast} neither drops nor starts an emulator;
 * {@code *IT} classes carry no tier tag (their name is their tier).
 */
class TestTierSourcesTest {
    private static final Pattern TEST_METHOD = Pattern.compile("@(Test|ParameterizedTest|TestFactory|RepeatedTest|TestTemplate)\\b");
    private static final Pattern EMULATED_TAG = Pattern.compile("(?m)^@(org\\.junit\\.jupiter\\.api\\.)?Tag\\(\\s*(TestTiers\\.EMULATED|\"emulated\")\\s*\\)");
    private static final Pattern USES_MOTO = Pattern.compile("@ExtendWith\\([^)]*MotoExtension|Moto(Server|Extension)\\.start(Independent)?\\(");

    @Test
    void everyClassWithTestsIsNamedForSurefireOrFailsafe() {
        assertThat(testSources())
                .filteredOn(path -> TEST_METHOD.matcher(read(path)).find())
                .filteredOn(path -> !name(path).endsWith("Test") && !name(path).endsWith("IT"))
                .as("classes with tests that neither surefire (*Test) nor failsafe (*IT) runs")
                .isEmpty();
    }

    @Test
    void aSurefireClassCarriesTheEmulatedTagExactlyWhenItUsesMoto() {
        List<Path> surefire = testSources().stream().filter(path -> name(path).endsWith("Test")).toList();
        assertThat(surefire)
                .filteredOn(path -> USES_MOTO.matcher(read(path)).find() && !EMULATED_TAG.matcher(read(path)).find())
                .as("*Test classes that use moto without @Tag(TestTiers.EMULATED): they would fail ./scripts/test --fast")
                .isEmpty();
        assertThat(surefire)
                .filteredOn(path -> EMULATED_TAG.matcher(read(path)).find() && !USES_MOTO.matcher(read(path)).find())
                .as("*Test classes tagged emulated that use no emulator: they belong in the pure tier")
                .isEmpty();
        assertThat(surefire).filteredOn(path -> EMULATED_TAG.matcher(read(path)).find()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(surefire).filteredOn(path -> !EMULATED_TAG.matcher(read(path)).find()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void integrationTestsAreTheirOwnTierAndCarryNoTierTag() {
        assertThat(testSources())
                .filteredOn(path -> name(path).endsWith("IT") && EMULATED_TAG.matcher(read(path)).find())
                .isEmpty();
    }

    private static List<Path> testSources() {
        Path root = Events.projectRoot();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> sources = files
                    .filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> path.toString().contains("/src/test/java/"))
                    .filter(path -> !path.toString().contains("/node_modules/") && !path.toString().contains("/target/"))
                    .map(root::relativize)
                    .map(root::resolve)
                    .sorted()
                    .toList();
            assertThat(sources).as("test sources under " + root).hasSizeGreaterThan(50);
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path path) {
        String file = path.getFileName().toString();
        return file.substring(0, file.length() - ".java".length());
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
