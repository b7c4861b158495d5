package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.ScriptRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python tools' set-up (scripts/python-tools, sourced by scripts/test and scripts/deploy --local), run
 * as a user runs the scripts: a clean environment whose PATH has no moto_server or cfn-lint. Tools on PATH
 * are used; missing ones are installed from scripts/python-requirements.txt into the project-local virtual
 * environment ({@code E6LINK_VENV} points it into a temporary directory here), saying what it installs; where
 * no package index answers ({@code PIP_INDEX_URL} at a closed port) the scripts stop with the reason before
 * building anything.
 */
class PythonToolsScriptIT {
    private static final Path ROOT = Events.projectRoot();

    @TempDir
    Path work;
    private Path bin;
    private Path venv;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(work.resolve("bin"));
        venv = work.resolve("venv");
    }

    @Test
    void withoutTheToolsAndWithoutAPackageIndexTheTestsStopWithTheReasonBeforeMaven() throws Exception {
        ScriptRun run = run(List.of(ROOT.resolve("scripts/test").toString(), "--emulated"), Map.of());

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr())
                .contains("Cannot run: missing moto_server, cfn-lint")
                .contains("pip install -r scripts/python-requirements.txt")
                .contains("installing them into " + venv + " failed");
        assertThat(run.stdout()).contains("installing moto[server] 5.2.1, cfn-lint 1.51.0").doesNotContain("[INFO]");
    }

    @Test
    void theLocalDeployStopsWithTheSameReasonBeforeBuilding() throws Exception {
        ScriptRun run = run(List.of(ROOT.resolve("scripts/deploy").toString(), "--local"), Map.of());

        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).contains("Cannot run: missing moto_server");
        assertThat(run.stdout()).contains("EMULATED").doesNotContain("Building");
    }

    @Test
    void toolsOnThePathAreUsedAndNothingIsInstalled() throws Exception {
        script(bin.resolve("moto_server"), "exit 0");
        script(bin.resolve("cfn-lint"), "exit 0");
        script(bin.resolve("python3"), "exit 0");

        ScriptRun run = run(List.of("bash", ROOT.resolve("scripts/python-tools").toString()), Map.of());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Python tools: on PATH (" + bin.resolve("moto_server") + ", " + bin.resolve("cfn-lint") + ")")
                .doesNotContain("installing");
        assertThat(venv).doesNotExist();
    }

    @Test
    void missingToolsAreInstalledFromThePinnedRequirementsIntoTheVirtualEnvironmentAndUsedFromThen() throws Exception {
        // A python3 whose venv and pip behave as the real ones when an index answers: pip "installs" the two
        // commands into the environment's bin and records what it was asked for.
        Path pipLog = work.resolve("pip.log");
        String venvPython = "#!/usr/bin/env bash\n"
                + "if [ \"$1 $2 $3\" = \"-m pip install\" ]; then echo \"$@\" >> " + pipLog + ";"
                + " d=\"$(dirname \"$0\")\"; printf '#!/bin/sh\\nexit 0\\n' > \"$d/moto_server\"; printf '#!/bin/sh\\nexit 0\\n' > \"$d/cfn-lint\";"
                + " chmod +x \"$d/moto_server\" \"$d/cfn-lint\"; exit 0; fi\n"
                + "[ -x \"$(dirname \"$0\")/moto_server\" ]\n";
        Path template = Files.writeString(work.resolve("venv-python3"), venvPython);
        script(bin.resolve("python3"), "if [ \"$1\" = -m ] && [ \"$2\" = venv ]; then mkdir -p \"$3/bin\" && cp " + template
                + " \"$3/bin/python3\" && chmod +x \"$3/bin/python3\"; exit 0; fi\nexit 1");

        ScriptRun first = run(List.of("bash", ROOT.resolve("scripts/python-tools").toString()), Map.of());

        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.stdout())
                .contains("Python tools missing (moto_server, cfn-lint, a python3 that imports samtranslator, boto3, yaml and cfnlint)")
                .contains("installing moto[server] 5.2.1, cfn-lint 1.51.0, aws-sam-translator 1.110.0, boto3 1.43.11 and PyYAML 6.0.3")
                .contains("Python tools: " + venv + " (installed from scripts/python-requirements.txt)");
        assertThat(Files.readString(pipLog)).contains("-r " + ROOT.resolve("scripts/python-requirements.txt"));
        assertThat(Files.readString(ROOT.resolve("scripts/python-requirements.txt")))
                .contains("moto[server]==5.2.1").contains("cfn-lint==1.51.0").contains("aws-sam-translator==1.110.0")
                .contains("boto3==1.43.11").contains("PyYAML==6.0.3");

        ScriptRun second = run(List.of("bash", ROOT.resolve("scripts/python-tools").toString()), Map.of());

        assertThat(second.stdout()).contains("Python tools: " + venv + " (scripts/python-requirements.txt)").doesNotContain("installing");
        assertThat(Files.readAllLines(pipLog)).hasSize(1);
    }

    private void script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A command in a clean environment: PATH is the fake bin and the system's, no pyenv, no AWS. */
    private ScriptRun run(List<String> command, Map<String, String> variables) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", work.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("E6LINK_VENV", venv.toString());
        env.put("PIP_INDEX_URL", "http://127.0.0.1:9/simple");
        env.putAll(variables);
        return ScriptRun.of(command, work, env, Duration.ofSeconds(120));
    }
}
