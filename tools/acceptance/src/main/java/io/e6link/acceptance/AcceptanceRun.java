package io.e6link.acceptance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One acceptance run: the checks of docs/real-account-check.md in the runbook's order against a
 * {@link World}, each result into the {@link Report}, everything created into the {@link Ledger}, and
 * — whatever happens, a failed check, an exception, an injected fault — the cleanup of exactly what
 * the ledger holds, then a scan for anything still tagged with the run.
 */
public final class AcceptanceRun {
    static final String E6_VPC_CIDR = "10.50.0.0/16";
    static final String ADOPTED_CIDR = "10.60.0.0/16";
    static final String EXTRA_CIDR = "10.70.0.0/16";
    /** TEST-NET-1 (RFC 5737): no e6data client ever has it, so the gate must close. */
    static final String WRONG_CIDR = "192.0.2.0/24";
    /** Host bits set: the security-group function refuses it, so the update must roll back. */
    static final String INVALID_CIDR = "10.99.0.1/16";
    static final String OWNER_TAG = "e6link:owner";
    /** The environment variable that makes the run fail before a named check (tests of the cleanup). */
    public static final String FAULT_VARIABLE = "E6LINK_ACCEPTANCE_FAIL_BEFORE";

    /** Called before each check; a test throws from it to prove the cleanup. */
    @FunctionalInterface
    public interface FaultHook {
        void before(String checkId);
    }

    /** A fault injected before a check (the run stops, cleans up and reports it). */
    public static final class InjectedFault extends RuntimeException {
        public InjectedFault(String checkId) {
            super("fault injected before check " + checkId + " (" + FAULT_VARIABLE + ")");
        }
    }

    /** The run cannot go on (the stack did not create, say); the checks after it are not run. */
    static final class Stop extends RuntimeException {
        Stop(String reason) {
            super(reason);
        }
    }

    private final World world;
    private final Options options;
    private final Progress progress;
    private final Ledger ledger;
    private final Report report;
    private final String runId;
    private final FaultHook faults;
    private final Map<String, String> runTags;
    private final List<String> buckets = new ArrayList<>();
    private final Instant started;
    private Instant upgradeStarted;
    private final java.util.concurrent.atomic.AtomicBoolean finishing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private String preexistingOidc;
    private boolean preexistingS3Endpoint;

    public AcceptanceRun(World world, Options options, Progress progress, String runId, FaultHook faults) {
        this.world = world;
        this.options = options;
        this.progress = progress;
        this.runId = runId;
        this.faults = faults;
        this.ledger = new Ledger(progress);
        this.report = new Report(world.mode(), world.region(), world.cluster().name(), options.release(), runId, progress.clock().instant());
        this.runTags = Map.of(Ledger.RUN_TAG, runId);
        this.started = progress.clock().instant();
    }

    /** The hook that reads {@link #FAULT_VARIABLE}: fails before the check it names, if any. */
    public static FaultHook fromEnvironment(Map<String, String> env) {
        String at = env.get(FAULT_VARIABLE);
        return checkId -> {
            if (checkId.equals(at)) {
                throw new InjectedFault(checkId);
            }
        };
    }

    /**
     * Runs every check, then the cleanup and the leak scan.
     *
     * @return the report (also when the run stopped early)
     */
    public Report run() {
        return run(report -> { });
    }

    /**
     * Runs every check, then the cleanup and the leak scan. Ctrl-C or SIGTERM (the JVM shutting down)
     * still cleans up: a shutdown hook runs the same cleanup, hands the report to {@code interrupted}
     * (which writes it), or waits for a cleanup already under way.
     *
     * @param interrupted receives the report when the JVM is shutting down before the run finished
     * @return the report (also when the run stopped early)
     */
    public Report run(java.util.function.Consumer<Report> interrupted) {
        Thread hook = new Thread(() -> {
            if (finishing.compareAndSet(false, true)) {
                report.failed("interrupted: the JVM is shutting down (Ctrl-C or SIGTERM)");
                progress.step("interrupted: cleaning up before exit");
                cleanUpAndScan();
                interrupted.accept(report);
            } else {
                try {
                    finished.await(50, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "e6link-acceptance-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            phaseA();
            phaseB();
            cloudTrail();
        } catch (RuntimeException e) {
            String reason = e instanceof Stop || e instanceof InjectedFault ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            progress.step("the run stops: " + reason);
            report.failed(reason);
        } finally {
            if (finishing.compareAndSet(false, true)) {
                cleanUpAndScan();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or waiting for this cleanup: nothing to remove
        }
        return report;
    }

    private void cleanUpAndScan() {
        try {
            progress.step("cleanup: deleting the " + ledger.pending().size() + " objects this run created, newest first");
            List<Ledger.Outcome> outcomes = ledger.cleanUp();
            List<String> left;
            try {
                left = world.taggedWithRun(runId);
            } catch (RuntimeException e) {
                left = List.of("the leak scan failed: " + e.getMessage());
            }
            long notCleaned = outcomes.stream().filter(o -> !o.cleaned()).count();
            Set<String> done = report.checks().stream().map(CheckResult::id).collect(Collectors.toSet());
            for (Checklist.Item item : Checklist.ITEMS) {
                if (!done.contains(item.id()) && !item.id().equals("cleanup")) {
                    report.add(CheckResult.notRun(item.id(), item.title(), "not reached: the run stopped before it"));
                }
            }
            report.add(CheckResult.of(notCleaned == 0 && left.isEmpty(), "cleanup", Checklist.item("cleanup").title(),
                    notCleaned == 0 && left.isEmpty() ? "every object the run created was deleted; the leak scan by tag " + Ledger.RUN_TAG + "=" + runId + " found nothing"
                            : notCleaned + " objects could not be deleted and " + left.size() + " remain tagged with the run (listed under cleanup)",
                    new Measurement("created", outcomes.size(), "objects"), new Measurement("notCleaned", notCleaned, "objects"),
                    new Measurement("leftoversByTag", left.size(), "objects")));
            report.cleanedUp(outcomes, left, progress.clock().instant());
        } finally {
            finished.countDown();
        }
    }

    private void phaseA() {
        progress.step("phase A (creation paths): run " + runId + ", " + world.mode() + " mode, cluster " + world.cluster().name() + " in " + world.region());
        preexistingOidc = oidcProviderOfCluster();
        preexistingS3Endpoint = !s3Endpoints().isEmpty();
        if (preexistingOidc != null || preexistingS3Endpoint) {
            progress.step("note: the cluster already has " + (preexistingOidc != null ? "an OIDC provider " : "") + (preexistingS3Endpoint ? "an S3 gateway endpoint " : "")
                    + "- phase A adopts instead of creating it (the creation path of that object is not exercised)");
        }
        createBuckets();
        StackDriver stack = world.stack(Names.prefix(runId) + "-a", runTags, ledger);
        ledger.created("CloudFormation stack", stack.name(), "customer", () -> deleteStack(stack));
        Sampler sampler = new Sampler(world.customer(), () -> stack.physicalId("TargetGroup"), world.cluster(), progress.clock());
        StackDriver.Outcome created;
        run("A");
        if (world.mode().equals("aws")) {
            sampler.every(options.sampleEvery());
        }
        try {
            progress.step("creating stack " + stack.name() + " (E6dataVpcCidrs=" + E6_VPC_CIDR + ", E6dataBucketNames=" + buckets.get(0) + ")");
            created = stack.create(parameters(E6_VPC_CIDR, buckets.get(0)));
            sampler.sampleNow();
        } finally {
            sampler.close();
        }
        report.time("stackCreate", "CloudFormation CreateStack of the whole e6link stack, CREATE_IN_PROGRESS to CREATE_COMPLETE", created.seconds());
        report.add(CheckResult.of(created.ok(), "A", Checklist.item("A").title(), created.status() + (created.reason() == null ? "" : ": " + created.reason()),
                new Measurement("stackCreate", created.seconds(), "s")));
        if (!created.ok()) {
            throw new Stop("stack " + stack.name() + " did not create: " + created.status() + " " + created.reason());
        }
        check("c.1", () -> registration(sampler));
        check("f.1", () -> ownershipTags(stack));
        check("h", () -> concurrency(stack));
        check("b", () -> zones(stack));
        String[] endpoint = new String[1];
        check("a.1", () -> connection(stack, endpoint));
        check("a.3", () -> dataPath(endpoint[0]));
        check("a.5", () -> securityGroupGate(stack, endpoint[0]));
        check("g", () -> alarm(stack));
        check("c.2", () -> upgrade(stack, endpoint[0]));
        check("i", () -> rollback(stack));
        check("e.1", () -> denials(stack));
        check("f.2", () -> deleteAndLeaks(stack, endpoint[0]));
    }

    private void phaseB() {
        run("d");
        progress.step("phase B (adoption): seeding the customer's own OIDC provider, S3 gateway endpoint, 443 rule and bucket policy");
        Seeded seeded = seedCustomerObjects();
        Map<String, String> before = snapshot(seeded);
        StackDriver stack = world.stack(Names.prefix(runId) + "-b", runTags, ledger);
        ledger.created("CloudFormation stack", stack.name(), "customer", () -> deleteStack(stack));
        List<String> problems = new ArrayList<>();
        List<Measurement> measured = new ArrayList<>();
        StackDriver.Outcome created = stack.create(parameters(E6_VPC_CIDR + "," + ADOPTED_CIDR, buckets.get(0)));
        measured.add(new Measurement("stackCreate", created.seconds(), "s"));
        report.time("stackCreate", "CloudFormation CreateStack of the whole e6link stack, CREATE_IN_PROGRESS to CREATE_COMPLETE", created.seconds());
        if (!created.ok()) {
            report.add(CheckResult.fail("d", Checklist.item("d").title(), "create: " + created.status() + " " + created.reason(), measured.toArray(Measurement[]::new)));
            return;
        }
        if (seeded.oidcArn != null && !seeded.oidcArn.equals(stack.outputs().get("OidcProviderArn"))) {
            problems.add("OidcProviderArn " + stack.outputs().get("OidcProviderArn") + " is not the customer's " + seeded.oidcArn);
        }
        if (s3Endpoints().size() != 1) {
            problems.add("the VPC has " + s3Endpoints().size() + " S3 gateway endpoints, not the adopted one alone");
        }
        requireRule(problems, seeded.ruleId, ADOPTED_CIDR, null, "after create");
        requireOwnedRule(problems, stack, E6_VPC_CIDR, "after create");
        String policy = bucketPolicy(buckets.get(0));
        if (policy == null || !policy.contains("CustomerDenyInsecure") || !policy.contains(statementId(stack))) {
            problems.add("the policy of " + buckets.get(0) + " lacks CustomerDenyInsecure or " + statementId(stack) + ": " + policy);
        }
        StackDriver.Outcome updated = stack.update(parameters(ADOPTED_CIDR + "," + EXTRA_CIDR, buckets.get(0) + "," + buckets.get(1)));
        measured.add(new Measurement("stackUpdate", updated.seconds(), "s"));
        report.time("stackUpdate", "CloudFormation UpdateStack changing E6dataVpcCidrs and E6dataBucketNames, to UPDATE_COMPLETE", updated.seconds());
        if (!updated.ok()) {
            problems.add("update: " + updated.status() + " " + updated.reason());
        } else {
            requireRule(problems, seeded.ruleId, ADOPTED_CIDR, null, "after update");
            requireOwnedRule(problems, stack, EXTRA_CIDR, "after update");
            if (rules().stream().anyMatch(r -> E6_VPC_CIDR.equals(r.cidrIpv4()))) {
                problems.add("after update the " + E6_VPC_CIDR + " rule is still there");
            }
            String second = bucketPolicy(buckets.get(1));
            if (second == null || !second.contains(statementId(stack))) {
                problems.add("after update " + buckets.get(1) + " has no " + statementId(stack) + " statement");
            }
        }
        StackDriver.Outcome deleted = stack.delete();
        measured.add(new Measurement("stackDelete", deleted.seconds(), "s"));
        report.time("stackDelete", "CloudFormation DeleteStack of the whole e6link stack, to DELETE_COMPLETE", deleted.seconds());
        if (!deleted.ok()) {
            problems.add("delete: " + deleted.status() + " " + deleted.reason());
        } else {
            ledger.deleted(stack.name());
        }
        Map<String, String> after = snapshot(seeded);
        before.forEach((what, value) -> {
            if (!Objects.equals(value, after.get(what))) {
                problems.add(what + " changed: before " + value + ", after " + after.get(what));
            }
        });
        measured.add(new Measurement("objectsCompared", before.size(), "objects"));
        report.add(CheckResult.of(problems.isEmpty(), "d", Checklist.item("d").title(), problems.isEmpty()
                ? "adopted the customer's OIDC provider, S3 endpoint and 443 rule, changed only what it added; after delete all " + before.size()
                        + " objects read back exactly as before" : String.join("; ", problems), measured.toArray(Measurement[]::new)));
    }

    private void cloudTrail() {
        run("e.2");
        Checklist.Item item = Checklist.item("e.2");
        if (world.observability().isEmpty()) {
            report.add(CheckResult.needsRealAccount(item.id(), item.title(), "needs a real account: the emulated world records no CloudTrail events"));
            return;
        }
        Duration wait = options.cloudTrailWait();
        Instant since = progress.waiting("CloudTrail to deliver the run's events (lookup-events lags up to 15 min)", wait);
        sleep(wait);
        progress.waited("CloudTrail delivery wait", since, "done");
        List<String> identities = world.observability().get().eniEventIdentities(world.cluster().name(), upgradeStarted != null ? upgradeStarted : started);
        List<String> denied = world.observability().get().deniedEvents(started);
        report.add(CheckResult.of(denied.isEmpty(), item.id(), item.title(), "ENI event identities: " + (identities.isEmpty() ? "none seen" : String.join(", ", identities))
                        + (denied.isEmpty() ? "; no denial of an e6link role" : "; denied: " + String.join("; ", denied)),
                new Measurement("eniEvents", identities.size(), "events"), new Measurement("deniedCalls", denied.size(), "calls")));
    }

    // ---- phase A checks ----------------------------------------------------------------------------

    private CheckResult registration(Sampler sampler) {
        Checklist.Item item = Checklist.item("c.1");
        Map<String, double[]> registration = Sampler.registration(sampler.samples());
        if (registration.isEmpty()) {
            return CheckResult.fail(item.id(), item.title(), "no target was ever sampled in the target group");
        }
        List<String> never = new ArrayList<>();
        double slowest = 0;
        double fastest = Double.MAX_VALUE;
        for (Map.Entry<String, double[]> e : registration.entrySet()) {
            double[] r = e.getValue();
            if (r[0] >= 0) {
                report.time("targetRegistration", "NLB IP target: from first seen (initial, Elb.RegistrationInProgress) until ELB starts health checks", r[0]);
            }
            if (r[1] < 0) {
                never.add(e.getKey());
            } else {
                report.time("targetInitialToHealthy", "NLB IP target: from first seen in DescribeTargetHealth until healthy", r[1]);
                slowest = Math.max(slowest, r[1]);
                fastest = Math.min(fastest, r[1]);
            }
        }
        fastest = fastest == Double.MAX_VALUE ? 0 : fastest;
        // The runbook's bound: 3 minutes from registration (3 passing 10-second checks after registration propagates).
        boolean ok = never.isEmpty() && slowest <= 180;
        return CheckResult.of(ok, item.id(), item.title(), (never.isEmpty() ? "every target became healthy" : "never healthy: " + never)
                        + " (" + sampler.samples().size() + " samples" + (world.mode().equals("local") ? ", EMULATED: moto reports targets healthy at once" : "") + ")",
                new Measurement("targets", registration.size(), "count"), new Measurement("initialToHealthyMin", fastest, "s"),
                new Measurement("initialToHealthyMax", slowest, "s"));
    }

    private CheckResult ownershipTags(StackDriver stack) {
        Checklist.Item item = Checklist.item("f.1");
        List<String> problems = new ArrayList<>();
        int longest = 0;
        String oidcArn = stack.outputs().get("OidcProviderArn");
        String expected = stack.stackId() + "/OidcProvider";
        longest = Math.max(longest, expected.length());
        String oidcTag = oidcArn == null || oidcArn.isBlank() ? null : world.customer().iam().listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(oidcArn))
                .tags().stream().filter(t -> t.key().equals(OWNER_TAG)).map(t -> t.value()).findFirst().orElse(null);
        List<String> notes = new ArrayList<>();
        if (preexistingOidc != null) {
            notes.add("the cluster's own OIDC provider was adopted (not tagged)");
        } else if (!expected.equals(oidcTag)) {
            problems.add("OIDC provider " + oidcArn + " has " + OWNER_TAG + "=" + oidcTag + ", expected " + expected);
        }
        String endpointOwner = stack.stackId() + "/S3GatewayEndpoint";
        longest = Math.max(longest, endpointOwner.length());
        List<VpcEndpoint> endpoints = s3Endpoints();
        if (preexistingS3Endpoint) {
            notes.add("the VPC's own S3 gateway endpoint was adopted (not tagged)");
        } else if (endpoints.stream().noneMatch(e -> e.tags().stream().anyMatch(t -> t.key().equals(OWNER_TAG) && t.value().equals(endpointOwner)))) {
            problems.add("no S3 gateway endpoint in " + world.cluster().vpcId() + " carries " + OWNER_TAG + "=" + endpointOwner);
        }
        String ruleOwner = stack.stackId() + "/ClusterIngressRules";
        longest = Math.max(longest, ruleOwner.length());
        long owned = rules().stream().filter(r -> r.tags().stream().anyMatch(t -> t.key().equals(OWNER_TAG) && t.value().equals(ruleOwner))).count();
        if (owned != 1) {
            problems.add(owned + " rules carry " + OWNER_TAG + "=" + ruleOwner + ", expected 1 (one per e6data CIDR)");
        }
        if (longest > 255) {
            problems.add("the longest owner tag has " + longest + " characters; EC2 allows 255");
        }
        return CheckResult.of(problems.isEmpty(), item.id(), item.title(), (problems.isEmpty() ? "what the stack created carries its owner tag"
                : String.join("; ", problems)) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)), new Measurement("longestOwnerTag", longest, "characters"), new Measurement("ownedRules", owned, "count"));
    }

    private CheckResult concurrency(StackDriver stack) {
        Checklist.Item item = Checklist.item("h");
        Map<String, Integer> reserved = stack.reservedConcurrency();
        Map<String, Integer> some = reserved.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, TreeMap::new));
        return CheckResult.of(some.isEmpty(), item.id(), item.title(), some.isEmpty() ? "none of the " + reserved.size() + " functions reserves concurrency"
                : "reserved: " + some, new Measurement("functions", reserved.size(), "count"), new Measurement("reserving", some.size(), "count"));
    }

    private CheckResult zones(StackDriver stack) {
        Checklist.Item item = Checklist.item("b");
        String nlb = stack.outputs().get("NetworkLoadBalancerArn");
        Set<String> nlbZones = world.customer().elb().describeLoadBalancers(b -> b.loadBalancerArns(nlb)).loadBalancers().get(0).availabilityZones()
                .stream().map(z -> z.zoneName()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> serviceZones = new TreeSet<>(world.customer().ec2().describeVpcEndpointServiceConfigurations(b -> b.serviceIds(stack.outputs().get("EndpointServiceId")))
                .serviceConfigurations().get(0).availabilityZones());
        boolean excluded = nlbZones.contains(world.region() + "e") && world.region().equals("us-east-1");
        boolean ok = nlbZones.equals(serviceZones) && !excluded && nlbZones.size() >= 2;
        return CheckResult.of(ok, item.id(), item.title(), "NLB zones " + nlbZones + ", service zones " + serviceZones
                        + (excluded ? "; the excluded zone us-east-1e is in the NLB" : "") + "; AZ IDs output: " + stack.outputs().get("AvailabilityZoneIds"),
                new Measurement("nlbZones", nlbZones.size(), "count"));
    }

    private CheckResult connection(StackDriver stack, String[] endpoint) {
        Checklist.Item item = Checklist.item("a.1");
        String serviceName = stack.outputs().get("EndpointServiceName");
        String serviceId = stack.outputs().get("EndpointServiceId");
        progress.step("e6data (account " + world.e6dataAccount() + ") creates an interface endpoint to " + serviceName);
        endpoint[0] = world.requestConnection(serviceName, serviceId, E6_VPC_CIDR, ledger);
        Duration bound = Duration.ofMinutes(5);
        Instant since = progress.waiting("the stack to accept endpoint " + endpoint[0] + " (pendingAcceptance -> available; one reconcile interval + 1 min expected)", bound);
        String state = world.endpointState(endpoint[0]);
        Instant lastNote = since;
        while (!"available".equalsIgnoreCase(state) && !state.matches("(?i)rejected|failed|deleted|missing")
                && progress.clock().instant().isBefore(since.plus(bound))) {
            world.letScheduleRun(stack, "ConnectionAcceptanceFunction");
            state = world.endpointState(endpoint[0]);
            if (Duration.between(lastNote, progress.clock().instant()).toSeconds() >= 60) {
                progress.still("endpoint " + endpoint[0] + " to be accepted", since, state);
                lastNote = progress.clock().instant();
            }
        }
        Duration took = progress.waited("endpoint " + endpoint[0], since, state);
        report.time("endpointConnectionAccepted", "e6data's interface endpoint: CreateVpcEndpoint until state available (accepted by the stack's schedule)",
                took.toMillis() / 1000.0);
        return CheckResult.of("available".equalsIgnoreCase(state), item.id(), item.title(), "endpoint " + endpoint[0] + " from " + world.e6dataAccount() + ": " + state,
                new Measurement("secondsToAvailable", took.toMillis() / 1000.0, "s"));
    }

    private CheckResult dataPath(String endpoint) {
        Checklist.Item item = Checklist.item("a.3");
        if (world.dataPath().isEmpty()) {
            return CheckResult.needsRealAccount(item.id(), item.title(), "needs a real account: the emulated world has no PrivateLink data path or TLS");
        }
        List<Integer> answers = world.dataPath().get().probe(endpoint, 10);
        long reached = answers.stream().filter(code -> code == 200 || code == 401 || code == 403).count();
        return CheckResult.of(reached == answers.size(), item.id(), item.title(), "GET /readyz through the endpoint with the cluster's TLS name, verified against the cluster CA: "
                + answers, new Measurement("attempts", answers.size(), "count"), new Measurement("reached", reached, "count"));
    }

    private CheckResult securityGroupGate(StackDriver stack, String endpoint) {
        Checklist.Item item = Checklist.item("a.5");
        StackDriver.Outcome wrong = stack.update(parameters(WRONG_CIDR, buckets.get(0)));
        report.time("stackUpdate", "CloudFormation UpdateStack changing E6dataVpcCidrs and E6dataBucketNames, to UPDATE_COMPLETE", wrong.seconds());
        List<Integer> closed = world.dataPath().map(path -> path.probe(endpoint, 5)).orElse(List.of());
        StackDriver.Outcome restored = stack.update(parameters(E6_VPC_CIDR, buckets.get(0)));
        report.time("stackUpdate", "CloudFormation UpdateStack changing E6dataVpcCidrs and E6dataBucketNames, to UPDATE_COMPLETE", restored.seconds());
        List<Integer> open = world.dataPath().map(path -> path.probe(endpoint, 5)).orElse(List.of());
        if (!wrong.ok() || !restored.ok()) {
            return CheckResult.fail(item.id(), item.title(), "update to " + WRONG_CIDR + ": " + wrong.status() + " " + Objects.toString(wrong.reason(), "")
                    + "; back: " + restored.status() + " " + Objects.toString(restored.reason(), ""));
        }
        if (world.dataPath().isEmpty()) {
            return CheckResult.needsRealAccount(item.id(), item.title(), "the updates to " + WRONG_CIDR + " and back completed; whether the NLB's security group"
                    + " then refuses e6data needs a real account (no data path in the emulated world)");
        }
        boolean gateCloses = closed.stream().allMatch(code -> code == 0);
        boolean reopens = open.stream().allMatch(code -> code == 200 || code == 401 || code == 403);
        return CheckResult.of(gateCloses && reopens, item.id(), item.title(), "with " + WRONG_CIDR + ": " + closed + (gateCloses ? " (refused)"
                        : " (NOT refused: the 443 rule does not gate PrivateLink traffic)") + "; restored: " + open,
                new Measurement("answeredWhileWrong", closed.stream().filter(c -> c != 0).count(), "count"),
                new Measurement("answeredAfterRestore", open.stream().filter(c -> c != 0).count(), "count"));
    }

    private CheckResult alarm(StackDriver stack) {
        Checklist.Item item = Checklist.item("g");
        if (world.observability().isEmpty()) {
            return CheckResult.needsRealAccount(item.id(), item.title(), "needs a real account: the emulated world delivers no alarm actions");
        }
        Map<String, Object> delivery = world.observability().get().alarmDelivery(stack.physicalId("FewerThanTwoHealthyTargetsAlarm"));
        double seconds = ((Number) delivery.get("seconds")).doubleValue();
        if (seconds >= 0) {
            report.time("alarmActionExecuted", "CloudWatch SetAlarmState ALARM until the alarm history shows the SNS action executed", seconds);
        }
        return CheckResult.of(seconds >= 0, item.id(), item.title(), String.valueOf(delivery.get("detail")), new Measurement("secondsToAction", seconds, "s"));
    }

    private CheckResult upgrade(StackDriver stack, String endpoint) {
        Checklist.Item item = Checklist.item("c.2");
        if (world.mode().equals("aws") && options.nextVersion() == null) {
            return CheckResult.notRun(item.id(), item.title(), "not asked for: give --next-version to upgrade the cluster (EKS cannot downgrade it again)");
        }
        String targetGroup = stack.physicalId("TargetGroup");
        Sampler sampler = new Sampler(world.customer(), () -> targetGroup, world.cluster(), progress.clock());
        upgradeStarted = progress.clock().instant();
        double upgradeSeconds;
        DataPathSampler path = world.dataPath().filter(p -> endpoint != null).map(p -> new DataPathSampler(p, endpoint, progress.clock())).orElse(null);
        try (sampler; DataPathSampler closing = path) {
            if (path != null) {
                path.every(Duration.ofSeconds(10));
            }
            sampler.sampleNow();
            if (world.mode().equals("aws")) {
                sampler.every(options.sampleEvery());
            }
            upgradeSeconds = world.upgradeControlPlane(options.nextVersion(), () -> world.letScheduleRun(stack, "ReconcilerFunction"));
            if (world.mode().equals("aws")) {
                Duration settle = Duration.ofSeconds(240);
                Instant since = progress.waiting("the reconciler to settle after the upgrade (one interval + 60 s deregistration + 30 s health checks + margin)", settle);
                sleep(settle);
                progress.waited("settling", since, "done");
            } else {
                world.letScheduleRun(stack, "ReconcilerFunction");
            }
            sampler.sampleNow();
        }
        List<Sampler.Sample> samples = sampler.samples();
        if (samples.isEmpty()) {
            return CheckResult.fail(item.id(), item.title(), "no sample of targets and ENIs could be taken");
        }
        long fewestHealthy = samples.stream().mapToLong(Sampler.Sample::healthy).min().orElse(0);
        double overlap = Sampler.eniOverlap(samples);
        Sampler.Sample last = samples.get(samples.size() - 1);
        Set<String> enis = new TreeSet<>(last.eniIps());
        Set<String> targets = new TreeSet<>(last.targets().keySet());
        report.time("eksVersionUpgrade", "EKS UpdateClusterVersion until the update is Successful", upgradeSeconds);
        if (world.mode().equals("aws")) {
            report.time("controlPlaneEniOverlap", "EKS upgrade: seconds old and new control-plane ENIs both exist (sampled)", overlap);
        }
        long probes = path == null ? 0 : path.attempts();
        long failures = path == null ? 0 : path.failures();
        boolean ok = fewestHealthy >= 1 && enis.equals(targets) && failures == 0;
        return CheckResult.of(ok, item.id(), item.title(), "after the upgrade: ENI IPs " + enis + ", targets " + targets + "; fewest healthy targets in "
                        + samples.size() + " samples: " + fewestHealthy + (path == null ? "; e6data's data path not sampled (" + (world.dataPath().isEmpty()
                        ? "needs a real account" : "no endpoint") + ")" : "; e6data's GET /readyz every 10 s: " + failures + " of " + probes + " failed"
                        + (failures == 0 ? "" : " (" + path.failureWindow() + ")"))
                        + (world.mode().equals("local") ? " (EMULATED ENI swap, not an EKS upgrade)" : ""),
                new Measurement("upgrade", upgradeSeconds, "s"), new Measurement("eniOverlap", overlap, "s"),
                new Measurement("fewestHealthyTargets", fewestHealthy, "count"), new Measurement("samples", samples.size(), "count"),
                new Measurement("dataPathProbes", probes, "count"), new Measurement("dataPathFailures", failures, "count"));
    }

    private CheckResult rollback(StackDriver stack) {
        Checklist.Item item = Checklist.item("i");
        Set<String> before = rules().stream().map(SecurityGroupRule::securityGroupRuleId).collect(Collectors.toCollection(TreeSet::new));
        StackDriver.Outcome outcome = stack.update(parameters(INVALID_CIDR, buckets.get(0)));
        Set<String> after = rules().stream().map(SecurityGroupRule::securityGroupRuleId).collect(Collectors.toCollection(TreeSet::new));
        report.time("stackUpdateRollback", "CloudFormation UpdateStack that fails in a custom resource, to UPDATE_ROLLBACK_COMPLETE", outcome.seconds());
        boolean ok = outcome.status().equals("UPDATE_ROLLBACK_COMPLETE") && before.equals(after)
                && outcome.reason() != null && outcome.reason().contains(INVALID_CIDR);
        return CheckResult.of(ok, item.id(), item.title(), outcome.status() + ": " + outcome.reason() + (before.equals(after) ? "; rules unchanged"
                : "; rules changed: before " + before + ", after " + after), new Measurement("rollback", outcome.seconds(), "s"));
    }

    private CheckResult denials(StackDriver stack) {
        Checklist.Item item = Checklist.item("e.1");
        List<String> denied = stack.deniedCalls();
        return CheckResult.of(denied.isEmpty(), item.id(), item.title(), denied.isEmpty() ? "no AccessDenied, UnauthorizedOperation or 'not authorized' in the logs"
                : String.join("; ", denied.subList(0, Math.min(5, denied.size()))), new Measurement("deniedLines", denied.size(), "count"));
    }

    private CheckResult deleteAndLeaks(StackDriver stack, String endpoint) {
        Checklist.Item item = Checklist.item("f.2");
        String stackId = stack.stackId();
        String statement = statementId(stack);
        StackDriver.Outcome deleted = stack.delete();
        report.time("stackDelete", "CloudFormation DeleteStack of the whole e6link stack, to DELETE_COMPLETE", deleted.seconds());
        if (!deleted.ok()) {
            return CheckResult.fail(item.id(), item.title(), "delete: " + deleted.status() + " " + deleted.reason(), new Measurement("stackDelete", deleted.seconds(), "s"));
        }
        ledger.deleted(stack.name());
        List<String> left = new ArrayList<>();
        for (OpenIDConnectProviderListEntry provider : world.customer().iam().listOpenIDConnectProviders().openIDConnectProviderList()) {
            if (world.customer().iam().listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(provider.arn())).tags().stream()
                    .anyMatch(t -> t.key().equals(OWNER_TAG) && t.value().startsWith(stackId))) {
                left.add("OIDC provider " + provider.arn());
            }
        }
        s3Endpoints().stream().filter(e -> e.tags().stream().anyMatch(t -> t.key().equals(OWNER_TAG) && t.value().startsWith(stackId)))
                .forEach(e -> left.add("S3 gateway endpoint " + e.vpcEndpointId()));
        rules().stream().filter(r -> r.tags().stream().anyMatch(t -> t.key().equals(OWNER_TAG) && t.value().startsWith(stackId)))
                .forEach(r -> left.add("security group rule " + r.securityGroupRuleId()));
        String policy = bucketPolicy(buckets.get(0));
        if (policy != null && policy.contains(statement)) {
            left.add("statement " + statement + " in the policy of " + buckets.get(0));
        }
        String state = endpoint == null ? "none" : world.endpointState(endpoint);
        return CheckResult.of(left.isEmpty(), item.id(), item.title(), (left.isEmpty() ? "DELETE_COMPLETE; nothing of the stack remains" : "left behind: " + left)
                        + "; e6data's endpoint: " + state, new Measurement("stackDelete", deleted.seconds(), "s"),
                new Measurement("leftBehind", left.size(), "objects"));
    }

    // ---- phase B seeding and snapshots -------------------------------------------------------------

    /** What phase B seeded as "the customer's own" objects. */
    private record Seeded(String oidcArn, String endpointId, String ruleId) {
    }

    private Seeded seedCustomerObjects() {
        Clients c = world.customer();
        ClusterFacts cluster = world.cluster();
        String oidcArn = oidcProviderOfCluster();
        if (oidcArn == null) {
            String created = c.iam().createOpenIDConnectProvider(b -> b.url(cluster.oidcIssuer()).clientIDList("sts.amazonaws.com")
                    .tags(t -> t.key(Ledger.RUN_TAG).value(runId), t -> t.key("owner").value("platform"))).openIDConnectProviderArn();
            ledger.created("IAM OIDC provider", created, "customer", () -> c.iam().deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(created)));
            oidcArn = created;
        }
        String routeTable = privateRouteTable();
        String endpointId = null;
        if (s3Endpoints().isEmpty()) {
            endpointId = c.ec2().createVpcEndpoint(b -> b.vpcId(cluster.vpcId()).serviceName("com.amazonaws." + world.region() + ".s3")
                    .vpcEndpointType("Gateway").routeTableIds(routeTable).tagSpecifications(ts -> ts.resourceType("vpc-endpoint")
                            .tags(t -> t.key(Ledger.RUN_TAG).value(runId), t -> t.key("owner").value("platform")))).vpcEndpoint().vpcEndpointId();
            String id = endpointId;
            ledger.created("S3 gateway endpoint", id, "customer", () -> c.ec2().deleteVpcEndpoints(b -> b.vpcEndpointIds(id)));
        }
        String ruleId = c.ec2().authorizeSecurityGroupIngress(b -> b.groupId(cluster.clusterSecurityGroupId())
                .ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(r -> r.cidrIp(ADOPTED_CIDR).description("customer-owned")))
                .tagSpecifications(ts -> ts.resourceType("security-group-rule").tags(t -> t.key(Ledger.RUN_TAG).value(runId))))
                .securityGroupRules().get(0).securityGroupRuleId();
        ledger.created("security group rule", ruleId, "customer", () -> c.ec2().revokeSecurityGroupIngress(b -> b.groupId(cluster.clusterSecurityGroupId())
                .securityGroupRuleIds(ruleId)));
        String bucket = buckets.get(0);
        c.s3().putBucketPolicy(b -> b.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"CustomerDenyInsecure\",\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"));
        ledger.created("S3 bucket policy", bucket, "customer", () -> c.s3().deleteBucketPolicy(b -> b.bucket(bucket)));
        return new Seeded(oidcArn, endpointId, ruleId);
    }

    /** The customer's objects as they read back, normalised (sorted lists) so two snapshots compare. */
    private Map<String, String> snapshot(Seeded seeded) {
        Clients c = world.customer();
        Map<String, String> snapshot = new LinkedHashMap<>();
        var provider = c.iam().getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(seeded.oidcArn));
        snapshot.put("OIDC provider " + seeded.oidcArn, provider.url() + " clients=" + new TreeSet<>(provider.clientIDList()) + " thumbprints="
                + new TreeSet<>(provider.thumbprintList()) + " tags=" + provider.tags().stream().map(t -> t.key() + "=" + t.value()).sorted().toList());
        for (VpcEndpoint endpoint : s3Endpoints()) {
            snapshot.put("S3 gateway endpoint " + endpoint.vpcEndpointId(), endpoint.stateAsString() + " routeTables=" + new TreeSet<>(endpoint.routeTableIds())
                    + " policy=" + endpoint.policyDocument() + " tags=" + endpoint.tags().stream().map(t -> t.key() + "=" + t.value()).sorted().toList());
        }
        snapshot.put("ingress rules of " + world.cluster().clusterSecurityGroupId(), rules().stream().map(r -> r.securityGroupRuleId() + ":" + r.ipProtocol() + ":"
                + r.fromPort() + "-" + r.toPort() + ":" + r.cidrIpv4() + ":" + (r.referencedGroupInfo() == null ? "" : r.referencedGroupInfo().groupId()) + ":"
                + r.description() + ":" + r.tags().stream().map(t -> t.key() + "=" + t.value()).sorted().toList()).sorted().toList().toString());
        for (String bucket : buckets) {
            snapshot.put("policy of " + bucket, String.valueOf(bucketPolicy(bucket)));
        }
        return snapshot;
    }

    /** The ARN of the IAM OIDC provider for the cluster's issuer, or null. */
    private String oidcProviderOfCluster() {
        String issuerHost = world.cluster().oidcIssuer().replaceFirst("^https://", "");
        return world.customer().iam().listOpenIDConnectProviders().openIDConnectProviderList().stream().map(OpenIDConnectProviderListEntry::arn)
                .filter(arn -> arn.endsWith(":oidc-provider/" + issuerHost)).findFirst().orElse(null);
    }

    /** A route table of the cluster's subnets without an internet gateway route: explicitly associated, else the VPC's main table. */
    private String privateRouteTable() {
        List<RouteTable> tables = new ArrayList<>(world.customer().ec2().describeRouteTables(b -> b.filters(f -> f.name("association.subnet-id")
                .values(world.cluster().subnetIds()))).routeTables());
        tables.addAll(world.customer().ec2().describeRouteTables(b -> b.filters(f -> f.name("vpc-id").values(world.cluster().vpcId()),
                f -> f.name("association.main").values("true"))).routeTables());
        return tables.stream().filter(t -> t.routes().stream().noneMatch(r -> r.gatewayId() != null && r.gatewayId().startsWith("igw-")))
                .map(RouteTable::routeTableId).findFirst()
                .orElseThrow(() -> new Stop("the cluster's subnets have no private route table of their own to seed an S3 gateway endpoint on"));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void createBuckets() {
        Clients c = world.customer();
        for (int i = 1; i <= 2; i++) {
            String bucket = Names.prefix(runId) + "-lake-" + i;
            progress.step("creating bucket " + bucket + " (stands in for an e6data workspace bucket)");
            c.s3().createBucket(b -> {
                b.bucket(bucket);
                if (!world.region().equals("us-east-1")) {
                    b.createBucketConfiguration(cfg -> cfg.locationConstraint(world.region()));
                }
            });
            ledger.created("S3 bucket", bucket, "customer", () -> c.s3().deleteBucket(b -> b.bucket(bucket)));
            c.s3().putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(s -> s.key(Ledger.RUN_TAG).value(runId))));
            buckets.add(bucket);
        }
    }

    private Map<String, String> parameters(String cidrs, String bucketNames) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ClusterName", world.cluster().name());
        parameters.put("E6dataAccountId", world.e6dataAccount());
        parameters.put("E6dataVpcCidrs", cidrs);
        parameters.put("E6dataBucketNames", bucketNames);
        if (options.alarmEmail() != null) {
            parameters.put("AlarmEmail", options.alarmEmail());
        }
        return parameters;
    }

    private List<SecurityGroupRule> rules() {
        return world.customer().ec2().describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(world.cluster().clusterSecurityGroupId())))
                .securityGroupRules().stream().filter(r -> !Boolean.TRUE.equals(r.isEgress())).toList();
    }

    private List<VpcEndpoint> s3Endpoints() {
        return world.customer().ec2().describeVpcEndpoints(b -> b.filters(f -> f.name("vpc-id").values(world.cluster().vpcId()),
                        f -> f.name("service-name").values("com.amazonaws." + world.region() + ".s3"))).vpcEndpoints().stream()
                .filter(e -> !e.stateAsString().toLowerCase(java.util.Locale.ROOT).startsWith("delet")).toList();
    }

    private void requireRule(List<String> problems, String ruleId, String cidr, String owner, String when) {
        SecurityGroupRule rule = rules().stream().filter(r -> r.securityGroupRuleId().equals(ruleId)).findFirst().orElse(null);
        if (rule == null || !cidr.equals(rule.cidrIpv4()) || rule.tags().stream().anyMatch(t -> t.key().equals(OWNER_TAG))) {
            problems.add(when + " the customer's " + cidr + " rule " + ruleId + " is " + (rule == null ? "gone" : "changed: " + rule));
        }
    }

    private void requireOwnedRule(List<String> problems, StackDriver stack, String cidr, String when) {
        String owner = stack.stackId() + "/ClusterIngressRules";
        if (rules().stream().noneMatch(r -> cidr.equals(r.cidrIpv4()) && r.tags().stream().anyMatch(t -> t.key().equals(OWNER_TAG) && t.value().equals(owner)))) {
            problems.add(when + " no rule for " + cidr + " carries " + OWNER_TAG + "=" + owner);
        }
    }

    private String bucketPolicy(String bucket) {
        try {
            return world.customer().s3().getBucketPolicy(b -> b.bucket(bucket)).policy();
        } catch (S3Exception none) {
            return null;
        }
    }

    /** The stack's statement id in bucket policies: "E6link" + the stack UUID without hyphens (template.yaml). */
    static String statementId(StackDriver stack) {
        String id = stack.stackId();
        return "E6link" + id.substring(id.lastIndexOf('/') + 1).replace("-", "");
    }

    private void deleteStack(StackDriver stack) {
        StackDriver.Outcome outcome = stack.delete();
        if (!outcome.ok()) {
            throw new IllegalStateException(outcome.status() + ": " + outcome.reason());
        }
    }

    private void run(String checkId) {
        faults.before(checkId);
    }

    /** Runs one check; an exception inside it fails that check (with the reason) and the run goes on. */
    private void check(String id, Supplier<CheckResult> check) {
        run(id);
        Checklist.Item item = Checklist.item(id);
        progress.step("check " + id + ": " + item.title());
        CheckResult result;
        try {
            result = check.get();
        } catch (SdkException | IllegalStateException | Stop e) {
            result = CheckResult.fail(id, item.title(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        progress.step("check " + id + ": " + result.status().word() + " - " + result.detail());
        report.add(result);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stop("interrupted");
        }
    }

    Ledger ledger() {
        return ledger;
    }
}
