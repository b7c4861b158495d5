package io.e6link.acceptance;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command line of scripts/acceptance, checked before anything is created (see {@link #USAGE}).
 *
 * @param local           run against the emulated world instead of AWS
 * @param dryRun          print the plan and the cost estimate, create nothing
 * @param help            print the usage
 * @param customerProfile AWS profile of the customer account (runs the stack); real mode only
 * @param e6dataProfile   AWS profile of the account standing in for e6data; real mode only
 * @param region          the cluster's region
 * @param cluster         the throwaway EKS cluster the stack connects (real mode)
 * @param templateUrl     a released template (https://…/template.yaml), or null for the local build
 * @param template        the local build's template, when no URL is given
 * @param nextVersion     the Kubernetes version the upgrade check moves the cluster to; null skips it
 * @param alarmEmail      e-mail subscribed to the stack's alarm topic, or null
 * @param reportDir       where report.json, report.md and aws-clock.measured.json are written
 * @param sampleEvery     how often targets and ENIs are sampled during the upgrade
 * @param cloudTrailWait  how long after the last ENI change the CloudTrail look-up waits (delivery lag)
 */
public record Options(boolean local, boolean dryRun, boolean help, String customerProfile, String e6dataProfile, String region,
                      String cluster, URI templateUrl, Path template, String nextVersion, String alarmEmail, Path reportDir,
                      Duration sampleEvery, Duration cloudTrailWait) {

    static final String USAGE = """
            scripts/acceptance — the release proof as one command (docs/real-account-check.md).

            Real accounts (creates a stack and test objects, tags all of them e6link:acceptance-run=<run id>,
            deletes exactly those again, whatever happens; nothing it did not create is changed):
              scripts/acceptance --customer-profile PROFILE --e6data-profile PROFILE --region REGION --cluster NAME
                                 [--template-url https://…/template.yaml | --template template.yaml]
                                 [--next-version 1.34] [--alarm-email you@example.com]
                                 [--report-dir DIR] [--sample-seconds 5] [--cloudtrail-wait-minutes 15] [--dry-run]
            Emulated (CI; needs moto_server; checks that need AWS's data path are reported "needs-real-account"):
              scripts/acceptance --local [--report-dir DIR]

            --customer-profile  profile of the account with the throwaway EKS cluster; the stack runs there
            --e6data-profile    profile of a second account standing in for e6data: it creates the consumer VPC,
                                the interface endpoint and a probe function that connects through it
            --region            the cluster's region (both accounts work there)
            --cluster           an EKS cluster made for this check: private subnets in two or more AZs, ideally
                                no IAM OIDC provider and no S3 gateway endpoint (the creation path), one minor
                                version behind the newest when --next-version is given (the upgrade check)
            --template-url      a released template (default: the local build, template.yaml, packaged by
                                `sam package` into a bucket the run creates and deletes)
            --next-version      run the EKS version upgrade check (c.2) to this Kubernetes version; the cluster
                                stays upgraded (EKS cannot downgrade)
            --alarm-email       subscribe this address to the alarm topic (check g: confirm the mail)
            --dry-run           print the plan and the cost estimate, create nothing
            --report-dir        default target/acceptance; writes report.json, report.md and
                                aws-clock.measured.json (the measured timings in the shape of
                                testing/test-support/.../aws-clock.json, to recalibrate the emulated clock)

            Exit status: 0 every check passed or needs a real account and everything was cleaned up; 1 a check
            failed or something could not be cleaned (the report lists it); 2 refused (bad option, profile,
            region or cluster; nothing created).
            """;

    private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-gov)?-[a-z]+-\\d$");
    private static final Pattern CLUSTER = Pattern.compile("^[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}$");
    private static final Pattern K8S_VERSION = Pattern.compile("^1\\.\\d{2}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    /**
     * Parses and checks the arguments.
     *
     * @throws Refusal naming the option, when an option is unknown, lacks its value, is malformed, or
     *                 a required one is missing for the chosen mode
     */
    public static Options parse(String... args) {
        boolean local = false;
        boolean dryRun = false;
        boolean help = false;
        String customer = null;
        String e6data = null;
        String region = null;
        String cluster = null;
        String url = null;
        String template = null;
        String next = null;
        String email = null;
        String reportDir = null;
        String sample = null;
        String trailWait = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--local" -> local = true;
                case "--dry-run" -> dryRun = true;
                case "--help", "-h" -> help = true;
                case "--customer-profile" -> customer = value(arg, rest);
                case "--e6data-profile" -> e6data = value(arg, rest);
                case "--region" -> region = value(arg, rest);
                case "--cluster" -> cluster = value(arg, rest);
                case "--template-url" -> url = value(arg, rest);
                case "--template" -> template = value(arg, rest);
                case "--next-version" -> next = value(arg, rest);
                case "--alarm-email" -> email = value(arg, rest);
                case "--report-dir" -> reportDir = value(arg, rest);
                case "--sample-seconds" -> sample = value(arg, rest);
                case "--cloudtrail-wait-minutes" -> trailWait = value(arg, rest);
                default -> throw new Refusal("Unknown option '" + arg + "' (scripts/acceptance --help lists the options).");
            }
        }
        Path reports = Path.of(reportDir == null ? "target/acceptance" : reportDir);
        Duration every = Duration.ofSeconds(number("--sample-seconds", sample, 5, 1, 60));
        Duration trail = Duration.ofMinutes(number("--cloudtrail-wait-minutes", trailWait, 15, 0, 60));
        if (help) {
            return new Options(local, dryRun, true, customer, e6data, region, cluster, null, null, next, email, reports, every, trail);
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new Refusal("--alarm-email '" + email + "' is not an e-mail address.");
        }
        if (next != null && !K8S_VERSION.matcher(next).matches()) {
            throw new Refusal("--next-version '" + next + "' is not a Kubernetes minor version like 1.34.");
        }
        if (url != null && template != null) {
            throw new Refusal("--template-url and --template both name the template under test: give one.");
        }
        URI templateUrl = null;
        if (url != null) {
            templateUrl = URI.create(url);
            if (!"https".equals(templateUrl.getScheme()) || !url.endsWith(".yaml") && !url.endsWith(".yml") && !url.endsWith(".json")) {
                throw new Refusal("--template-url '" + url + "' is not an https URL of a template (…/template.yaml).");
            }
        }
        Path templatePath = Path.of(template == null ? "template.yaml" : template);
        if (template != null && !Files.isRegularFile(templatePath)) {
            throw new Refusal("--template '" + template + "' is not a file.");
        }
        if (local) {
            for (String[] realOnly : new String[][] {{"--customer-profile", customer}, {"--e6data-profile", e6data}, {"--template-url", url},
                    {"--next-version", next}, {"--alarm-email", email}}) {
                if (realOnly[1] != null) {
                    throw new Refusal(realOnly[0] + " is for real accounts; --local runs the emulated world and takes none.");
                }
            }
            return new Options(true, dryRun, false, null, null, region == null ? "us-east-1" : region, null, null, templatePath, null, null,
                    reports, every, trail);
        }
        if (customer == null || customer.isBlank()) {
            throw new Refusal("--customer-profile is missing: name the AWS profile of the account with the throwaway EKS cluster (or use --local).");
        }
        if (e6data == null || e6data.isBlank()) {
            throw new Refusal("--e6data-profile is missing: name the AWS profile of a second account standing in for e6data (or use --local).");
        }
        if (customer.equals(e6data)) {
            throw new Refusal("--e6data-profile names the same profile as --customer-profile; e6data must be a second account.");
        }
        if (region == null) {
            throw new Refusal("--region is missing: name the cluster's region, e.g. --region us-east-1.");
        }
        if (!REGION.matcher(region).matches()) {
            throw new Refusal("--region '" + region + "' is not an AWS region name like us-east-1.");
        }
        if (cluster == null) {
            throw new Refusal("--cluster is missing: name the throwaway EKS cluster in " + region + ".");
        }
        if (!CLUSTER.matcher(cluster).matches()) {
            throw new Refusal("--cluster '" + cluster + "' is not an EKS cluster name (letters, digits, hyphens, underscores; up to 100).");
        }
        return new Options(false, dryRun, false, customer, e6data, region, cluster, templateUrl, templateUrl == null ? templatePath : null, next,
                email, reports, every, trail);
    }

    /** What the run deploys, for the report: the release URL or the local template's path. */
    public String release() {
        return templateUrl != null ? templateUrl.toString() : "local build (" + template + ")";
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new Refusal(option + " needs a value.");
        }
        return rest.remove(0);
    }

    private static int number(String option, String value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // the refusal below
        }
        throw new Refusal(option + " '" + value + "' is not a whole number from " + min + " to " + max + ".");
    }
}
