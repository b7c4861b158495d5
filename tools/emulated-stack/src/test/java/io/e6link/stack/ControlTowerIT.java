package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * AWS Control Tower's proactive controls on e6link, as a governed account's CloudFormation hook would run them:
 * the expanded template scripts/release publishes (the resource types CloudFormation provisions, after the SAM
 * transform) is deployed in the emulated world, every resource's properties are taken as the stack resolved
 * them (parameters, Ref, GetAtt of the custom resources' real answers, Sub, If), and all Control Tower rules of
 * the pinned {@code @cdklabs/cdk-validator-cfnguard} are run on them by cfn-guard ({@code testing/control-tower/evaluate.py},
 * installed by {@code npm ci} in scripts/test; a missing install fails the test). Values are typed as the resource's registry
 * schema says before the rules run (a parameter resolves to a string: RetentionInDays "365" becomes 365), with the schemas
 * cfn-lint's Python package ships.
 *
 * <p>Twice: with the defaults, and with every optional governance parameter set. docs/governance.md lists every
 * control that applies to e6link's resources with one of three outcomes, and this test holds the document to
 * the rules' verdicts: {@code met} (passes in both), {@code met with `Parameter`} (fails at defaults, passes
 * once that parameter is set), {@code not met} (fails in both, the row says why). A control that starts or
 * stops failing, or a row for a control that no longer applies, fails the test until the table says so.
 */
@ExtendWith(MotoExtension.class)
class ControlTowerIT {
    private static final String PREFIX = "e6link-controltower";
    private static final String VERSION = "9.9.9";
    private static final Path GOVERNANCE = Events.projectRoot().resolve("docs/governance.md");
    private static final Path OUT = Path.of("target", "control-tower");
    private static final String ACCOUNT = NativeResources.ACCOUNT;
    private static final String BOUNDARY = "arn:aws:iam::" + ACCOUNT + ":policy/landing-zone/DeveloperBoundary";
    private static final String LOG_KEY = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String ACCESS_LOGS_BUCKET = "nlb-access-logs-" + ACCOUNT + "-us-east-1";
    /** Every optional governance parameter, as a governed account would give them. */
    private static final Map<String, Object> GOVERNED = Map.of("PermissionsBoundary", BOUNDARY,
            "ResourceTags", "CostCenter=4711,owner=platform team@example.com", "LogGroupKmsKeyArn", LOG_KEY,
            "NlbAccessLogsBucket", ACCESS_LOGS_BUCKET);
    /** A table row of docs/governance.md: | CT.X.PR.n | requires | outcome | how |. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(CT\\.[A-Z0-9-]+\\.PR\\.\\d+)\\s*\\|[^|]*\\|\\s*([^|]+?)\\s*\\|");
    private static final Pattern MET_WITH = Pattern.compile("met with `(\\w+)`");

    private static Template expanded;

    @BeforeAll
    static void releaseTheExpandedTemplate(Moto moto, @TempDir Path work) throws Exception {
        MotoClients clients = new MotoClients(moto);
        S3Client s3 = clients.s3();
        s3.createBucket(b -> b.bucket(PREFIX + "-us-east-1"));
        expanded = Release.expanded(moto, work, PREFIX, VERSION, true);
        // The code objects are read now: moto is reset before each test.
        Release.pointCodeAtDownloadedObjects(expanded, s3, work.resolve("s3"));
        Files.createDirectories(OUT);
    }

    @Test
    void everyApplicableControlIsMetAtDefaultsOrWithADocumentedParameterOrListedWithItsReason(Moto moto, @TempDir Path work) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> defaults = controlsOnDeployedStack(moto, work, "default", Map.of());
        Map<String, Object> governed = controlsOnDeployedStack(moto, work, "governed", GOVERNED);
        Map<String, String> atDefaults = statuses(defaults);
        Map<String, String> withParameters = statuses(governed);
        Map<String, String> listed = governanceTable();

        List<String> problems = new ArrayList<>();
        TreeSet<String> applicable = new TreeSet<>();
        atDefaults.forEach((id, status) -> {
            if (!status.equals("SKIP") || !withParameters.get(id).equals("SKIP")) {
                applicable.add(id);
            }
        });
        for (String id : applicable) {
            String d = atDefaults.get(id);
            String g = withParameters.get(id);
            String outcome = listed.get(id);
            String seen = id + " (" + title(defaults, id) + ") is " + d + " at defaults" + failing(defaults, id) + " and " + g
                    + " with " + GOVERNED.keySet() + failing(governed, id);
            if (outcome == null) {
                problems.add(seen + ", but docs/governance.md has no row for it");
                continue;
            }
            Matcher with = MET_WITH.matcher(outcome);
            if (outcome.equals("met")) {
                if (d.equals("FAIL") || g.equals("FAIL")) {
                    problems.add(seen + ", but docs/governance.md says 'met'");
                }
            } else if (with.matches()) {
                if (!d.equals("FAIL") || !g.equals("PASS")) {
                    problems.add(seen + ", but docs/governance.md says '" + outcome + "' (fails at defaults, passes with the parameter)");
                }
                if (!GOVERNED.containsKey(with.group(1))) {
                    problems.add(id + ": docs/governance.md names `" + with.group(1) + "`, which is not one of the governance parameters " + GOVERNED.keySet());
                }
            } else if (outcome.equals("not met")) {
                if (!d.equals("FAIL") || !g.equals("FAIL")) {
                    problems.add(seen + ", but docs/governance.md says 'not met'");
                }
            } else {
                problems.add(id + ": docs/governance.md's outcome '" + outcome + "' is none of: met, met with `Parameter`, not met");
            }
        }
        listed.keySet().stream().filter(id -> !applicable.contains(id))
                .forEach(id -> problems.add(id + " is listed in docs/governance.md but no resource of the stack is subject to it (the rules skip it)"));

        assertThat(problems).as("Control Tower controls and docs/governance.md").isEmpty();
        System.out.printf("ControlTowerIT: %s, cfn-guard %s, %d rules; %d controls apply to e6link: %s at defaults, %s with %s (%d ms)%n",
                defaults.get("package"), defaults.get("guard"), ((Number) defaults.get("rules")).intValue(), applicable.size(),
                summary(atDefaults), summary(withParameters), GOVERNED.keySet(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Deploys the expanded template with {@code parameters} on the sample cluster, runs the controls on every
     * resource's resolved properties, checks the governance parameters reached what they govern, and deletes.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> controlsOnDeployedStack(Moto moto, Path work, String variant, Map<String, Object> governance)
            throws IOException, InterruptedException {
        moto.reset();
        MotoClients clients = new MotoClients(moto);
        clients.s3().createBucket(b -> b.bucket(ACCESS_LOGS_BUCKET));
        SampleCluster.seed(clients);
        Map<String, Object> parameters = new LinkedHashMap<>(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));
        parameters.putAll(governance);
        try (EmulatedStack stack = new EmulatedStack(expanded, moto, "ct-" + variant, System.out::println, work.resolve(variant))) {
            EmulatedStack.Result created = stack.deploy(parameters);
            assertThat(created.status()).as(variant + ": " + created.reason()).isEqualTo("CREATE_COMPLETE");

            Map<String, Object> resources = new TreeMap<>();
            stack.resourceTypes().forEach((id, type) -> resources.put(id, Map.of("Type", type, "Properties", stack.resolvedProperties(id))));
            assertGovernanceParametersReachedWhatTheyGovern(stack, governance);
            Path document = OUT.resolve(variant + "-resources.json");
            Files.writeString(document, Json.write(Map.of("Resources", resources)));
            Map<String, Object> controls = evaluate(document);
            Files.writeString(OUT.resolve(variant + "-controls.json"), Json.write(controls));

            EmulatedStack.Result deleted = stack.delete();
            assertThat(deleted.status()).as(variant + ": " + deleted.reason()).isEqualTo("DELETE_COMPLETE");
            return controls;
        }
    }

    /** Part of the governed-account contract the controls do not see: the boundary on every role, the tags on what the functions create. */
    @SuppressWarnings("unchecked")
    private static void assertGovernanceParametersReachedWhatTheyGovern(EmulatedStack stack, Map<String, Object> governance) {
        List<String> roles = stack.resourceTypes().entrySet().stream().filter(e -> e.getValue().equals("AWS::IAM::Role")).map(Map.Entry::getKey).toList();
        assertThat(roles).hasSize(9);
        for (String role : roles) {
            assertThat(stack.resolvedProperties(role).get("PermissionsBoundary")).as(role + " PermissionsBoundary")
                    .isEqualTo(governance.get("PermissionsBoundary"));
        }
        List<String> expectedTags = governance.containsKey("ResourceTags") ? List.of(String.valueOf(governance.get("ResourceTags")).split(",")) : List.of("");
        for (String creator : List.of("OidcProvider", "ClusterIngressRules", "S3GatewayEndpoint")) {
            assertThat((List<Object>) stack.resolvedProperties(creator).get("ResourceTags")).as(creator + " ResourceTags").isEqualTo(expectedTags);
        }
    }

    private static Map<String, Object> evaluate(Path document) throws IOException, InterruptedException {
        Path runner = Events.projectRoot().resolve("testing/control-tower/evaluate.py");
        Process process = new ProcessBuilder("python3", runner.toString(), "--resources", document.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("cfn-guard run finished").isTrue();
        assertThat(process.exitValue()).as("testing/control-tower/evaluate.py failed (did scripts/test run npm ci --prefix testing/control-tower?): " + out)
                .isZero();
        return Json.readObject(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> statuses(Map<String, Object> result) {
        Map<String, String> statuses = new TreeMap<>();
        ((Map<String, Object>) result.get("controls")).forEach((id, value) -> statuses.put(id, String.valueOf(((Map<String, Object>) value).get("status"))));
        assertThat(statuses).as("Control Tower rules evaluated").hasSizeGreaterThan(100);
        return statuses;
    }

    @SuppressWarnings("unchecked")
    private static String title(Map<String, Object> result, String id) {
        return String.valueOf(((Map<String, Object>) ((Map<String, Object>) result.get("controls")).get(id)).get("title"));
    }

    @SuppressWarnings("unchecked")
    private static String failing(Map<String, Object> result, String id) {
        List<Object> resources = (List<Object>) ((Map<String, Object>) ((Map<String, Object>) result.get("controls")).get(id)).get("resources");
        return resources.isEmpty() ? "" : " (" + resources + ")";
    }

    private static String summary(Map<String, String> statuses) {
        Map<String, List<String>> by = new TreeMap<>();
        statuses.forEach((id, status) -> {
            if (!status.equals("SKIP")) {
                by.computeIfAbsent(status, s -> new ArrayList<>()).add(id);
            }
        });
        return by.toString();
    }

    /** Control id -> outcome column of docs/governance.md's table. */
    private static Map<String, String> governanceTable() throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(GOVERNANCE)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String outcome = row.group(2).replace("*", "").strip();
                assertThat(rows.put(row.group(1), outcome)).as(row.group(1) + " is listed twice in docs/governance.md").isNull();
            }
        }
        assertThat(rows).as("control rows in docs/governance.md").isNotEmpty();
        return rows;
    }
}
