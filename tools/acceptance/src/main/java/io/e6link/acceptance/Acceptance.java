package io.e6link.acceptance;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * scripts/acceptance: the release proof as one command. Parses the options ({@link Options#USAGE}),
 * refuses bad input with one sentence and exit status 2 before anything is created, prints the plan for
 * --dry-run, else runs the checks ({@link AcceptanceRun}) in real accounts ({@link AwsWorld}) or the
 * emulated world ({@link LocalWorld}) and writes the report.
 */
public final class Acceptance {
    private Acceptance() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err, System.getenv());
        } catch (Throwable e) {
            System.err.println("scripts/acceptance failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * @return 0 passed (every check passed or needs a real account, all cleaned), 1 failed, 2 refused
     */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Refusal refusal) {
            err.println("Refused: " + refusal.getMessage());
            return 2;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return 0;
        }
        Progress progress = new Progress(err, Clock.systemUTC());
        World world;
        try {
            if (options.dryRun() && options.local()) {
                Plan.print(options, out);
                return 0;
            }
            world = options.local() ? LocalWorld.start(options.template(), progress) : AwsWorld.connect(options, env, progress);
        } catch (Refusal refusal) {
            err.println("Refused: " + refusal.getMessage());
            return 2;
        }
        try (world) {
            if (options.dryRun()) {
                Plan.print(options, out);
                return 0;
            }
            String runId = Names.runId(progress.clock().instant());
            Report report = new AcceptanceRun(world, options, progress, runId, AcceptanceRun.fromEnvironment(env)).run(interrupted -> {
                try {
                    interrupted.write(options.reportDir());
                    err.println("Interrupted; report: " + options.reportDir().resolve("report.md"));
                } catch (IOException e) {
                    err.println("Interrupted; the report could not be written: " + e.getMessage());
                }
            });
            report.write(options.reportDir());
            out.print(report.markdown());
            out.println();
            out.println("Report: " + options.reportDir().resolve("report.json") + ", " + options.reportDir().resolve("report.md") + ", "
                    + options.reportDir().resolve("aws-clock.measured.json"));
            return report.passed() ? 0 : 1;
        }
    }
}
