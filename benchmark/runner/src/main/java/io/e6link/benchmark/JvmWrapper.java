package io.e6link.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A shell script placed between taskset and java that edits the command line PackagedFunction builds
 * and then execs java (same PID, so peak RSS is still the JVM's). PackagedFunction passes Lambda's flags
 * on the command line, where JAVA_TOOL_OPTIONS cannot override them; Lambda itself lets
 * JAVA_TOOL_OPTIONS change the tiered-compilation default.
 * <ul>
 *   <li>{@code BENCH_FULL_TIERED=1} drops {@code -XX:TieredStopAtLevel=1} (C1 and C2, the JVM default).</li>
 *   <li>{@code BENCH_TASK_OFF_CLASSPATH=1} removes the task root (a directory) from {@code -cp}, so the
 *   function's own classes load through the runtime's customer class loader from the working directory
 *   (which the script makes LAMBDA_TASK_ROOT), as on Lambda. A CDS archive cannot be dumped while a non-empty directory is on the class path.</li>
 * </ul>
 */
final class JvmWrapper {
    private static final String SCRIPT = """
            #!/bin/sh
            java="$1"; shift
            prev=""
            for arg do
              shift
              if [ -n "$BENCH_FULL_TIERED" ] && [ "$arg" = "-XX:TieredStopAtLevel=1" ]; then prev="$arg"; continue; fi
              if [ -n "$BENCH_TASK_OFF_CLASSPATH" ] && [ "$prev" = "-cp" ]; then arg="${arg#"$LAMBDA_TASK_ROOT:"}"; fi
              prev="$arg"
              set -- "$@" "$arg"
            done
            # The runtime interface client builds its customer class loader from user.dir (Lambda starts it in /var/task).
            if [ -n "$BENCH_TASK_OFF_CLASSPATH" ]; then cd "$LAMBDA_TASK_ROOT" || exit 1; fi
            exec "$java" "$@"
            """;

    private JvmWrapper() {
    }

    static Path write(Path dir) throws IOException {
        Path script = dir.resolve("jvm-wrapper.sh");
        Files.writeString(script, SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
