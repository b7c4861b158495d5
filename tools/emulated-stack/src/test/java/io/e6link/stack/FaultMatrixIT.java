package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.MotoServer;
import io.e6link.testing.Template;
import io.e6link.testing.aws.Fault;
import io.e6link.testing.aws.StrictAws.RecordedCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix: for each mutating AWS call the whole stack makes (its functions and CloudFormation
 * itself) in each phase — create, update, delete — one run fails that call through the emulated world
 * (access denied, throttling past the SDK's retries, or HTTP 500, taken in turn). Every run must end
 * CREATE/ROLLBACK/UPDATE/UPDATE_ROLLBACK/DELETE_COMPLETE, or DELETE_FAILED that a retry turns into
 * DELETE_COMPLETE once the fault clears; never *_ROLLBACK_FAILED. After the final delete nothing of
 * the stack remains and the customer's objects are exactly as before.
 *
 * <p>Which calls: the baseline run records them; each distinct (phase, action) pair is one case, so a
 * call made several times in a phase (PutBucketPolicy per bucket) is failed at its first occurrence.
 * Reads are left out: a failed read fails the operation before anything changes, which the functions'
 * own tests cover.
 *
 * <p>The cases run side by side, each on its own moto_server and strict front door ({@link #workers()}); the
 * baseline runs first, alone, on the test's shared one.
 */
@ExtendWith(MotoExtension.class)
class FaultMatrixIT {
    private static final String SECOND_BUCKET = "e6data-scratch-analytics";
    /**
     * Denials are explicit (a service control policy): an implicit deny is retried through IAM's propagation window
     * (60 s on the functions' real clock), which BucketPolicyStatementResourceTest and AwsFailureTranslationTest play
     * on a simulated clock; an explicit one fails the call at once, as a denial that outlives the window does.
     */
    private static final List<Fault> FAULTS = List.of(Fault.SERVICE_CONTROL_POLICY_DENY, Fault.THROTTLING, Fault.INTERNAL_ERROR);
    /** More attempts than the SDK makes (3), so the call itself fails. */
    private static final int ATTEMPTS = 10;
    private static final Set<String> ALLOWED_ENDS = Set.of("CREATE_COMPLETE", "ROLLBACK_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE",
            "DELETE_COMPLETE", "DELETE_FAILED");

    /** System property: how many fault-matrix cases run at once ({@link #workers()}). */
    static final String WORKERS_PROPERTY = "e6link.faultMatrix.workers";
    private static final int DEFAULT_WORKERS = 3;

    record Case(String phase, String action, Fault fault) {
    }

    @Test
    void everyMutatingCallFailingOnceLeavesNoStackStuckAndNothingBehind(Moto moto, @TempDir Path dir) {
        Map<String, Set<String>> mutatingByPhase = baseline(moto, dir);
        List<Case> cases = new ArrayList<>();
        mutatingByPhase.forEach((phase, actions) -> actions.forEach(action ->
                cases.add(new Case(phase, action, FAULTS.get(cases.size() % FAULTS.size())))));
        System.out.println("Fault matrix: " + cases.size() + " runs " + mutatingByPhase);

        String[] problems = new String[cases.size()];
        String[] outcomes = new String[cases.size()];
        runSideBySide(moto, cases, dir, problems, outcomes);
        for (String outcome : outcomes) {
            if (outcome != null) {
                System.out.println(outcome);
            }
        }
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (problems[i] != null) {
                stuck.add(cases.get(i) + ": " + problems[i]);
            }
        }

        assertThat(stuck).as("fault-matrix runs that left a stack stuck, something behind, or the customer's objects changed").isEmpty();
        assertThat(cases).hasSizeGreaterThan(10);
    }

    /**
     * Runs the cases on {@link #workers()} threads, each with its own emulated world (the test's shared one and
     * independent moto_servers, {@link MotoServer#startIndependent()}), so that one run's function cold starts and
     * SDK back-offs overlap another's; the runs share nothing else. Each case's problem (or null) and outcome line
     * land at its index.
     */
    private void runSideBySide(Moto shared, List<Case> cases, Path dir, String[] problems, String[] outcomes) {
        int workers = Math.min(workers(), cases.size());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int worker = 0; worker < workers; worker++) {
                boolean first = worker == 0;
                running.add(pool.submit(() -> {
                    Moto world = first ? shared : MotoServer.startIndependent();
                    try {
                        for (int i = next.getAndIncrement(); i < cases.size(); i = next.getAndIncrement()) {
                            Case each = cases.get(i);
                            long started = System.nanoTime();
                            List<String> outcome = new ArrayList<>();
                            problems[i] = run(world, each, dir, outcome);
                            outcomes[i] = outcome.isEmpty() ? null : outcome.get(0);
                            System.out.printf("FAULT MATRIX %-7s %-52s %-15s %s (%d s)%n", each.phase(), each.action(), each.fault(),
                                    problems[i] == null ? "ok" : "PROBLEM: " + problems[i], (System.nanoTime() - started) / 1_000_000_000);
                        }
                    } finally {
                        if (!first) {
                            world.close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a fault-matrix worker failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * How many cases run at once: system property {@value #WORKERS_PROPERTY}, else {@value #DEFAULT_WORKERS}. Each
     * run spends most of its time starting the packaged functions' JVMs (one core each, one at a time) and in the
     * SDK's and the functions' back-offs, so three runs keep two cores busy.
     */
    private static int workers() {
        return Math.max(1, Integer.getInteger(WORKERS_PROPERTY, DEFAULT_WORKERS));
    }

    /** One run with no fault: the mutating actions of each phase, in the order first called. */
    private Map<String, Set<String>> baseline(Moto moto, Path dir) {
        moto.reset();
        MotoClients clients = new MotoClients(moto);
        SampleCluster.seed(clients);
        clients.s3().createBucket(b -> b.bucket(SECOND_BUCKET));
        Map<String, Set<String>> byPhase = new LinkedHashMap<>();
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-faults", line -> { }, dir.resolve("baseline"))) {
            int mark = 0;
            assertThat(stack.deploy(created()).status()).isEqualTo("CREATE_COMPLETE");
            mark = collect(moto, mark, "create", byPhase);
            assertThat(stack.update(updated()).status()).isEqualTo("UPDATE_COMPLETE");
            mark = collect(moto, mark, "update", byPhase);
            assertThat(stack.delete().status()).isEqualTo("DELETE_COMPLETE");
            collect(moto, mark, "delete", byPhase);
        }
        return byPhase;
    }

    private static int collect(Moto moto, int from, String phase, Map<String, Set<String>> into) {
        List<RecordedCall> calls = moto.strict().recordedCalls();
        Set<String> mutating = new LinkedHashSet<>();
        for (RecordedCall call : calls.subList(from, calls.size())) {
            String operation = call.call().substring(call.call().indexOf(':') + 1);
            if (!operation.startsWith("Describe") && !operation.startsWith("List") && !operation.startsWith("Get")) {
                mutating.add(call.call());
            }
        }
        into.put(phase, mutating);
        return calls.size();
    }

    /** Runs one case; returns what went wrong, or null. */
    private String run(Moto moto, Case each, Path dir, List<String> outcomes) {
        moto.reset();
        MotoClients clients = new MotoClients(moto);
        SampleCluster cluster = SampleCluster.seed(clients);
        clients.s3().createBucket(b -> b.bucket(SECOND_BUCKET));
        StackIT.CustomerState before = StackIT.CustomerState.read(clients, cluster);
        List<String> statuses = new ArrayList<>();
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-faults", line -> { }, dir.resolve(each.phase() + each.action()))) {
            if (!each.phase().equals("create")) {
                statuses.add(stack.deploy(created()).status());
            }
            if (each.phase().equals("delete")) {
                // the delete of the baseline followed its update: the same calls are reached
                statuses.add(stack.update(updated()).status());
            } else if (each.phase().equals("update")) {
                moto.strict().injectFault(each.action(), each.fault(), ATTEMPTS);
                statuses.add(stack.update(updated()).status() + " (faulted)");
            }
            if (each.phase().equals("create")) {
                moto.strict().injectFault(each.action(), each.fault(), ATTEMPTS);
                EmulatedStack.Result result = stack.deploy(created());
                statuses.add(result.status() + " (faulted)" + (result.reason() == null ? "" : ": " + result.reason()));
            }
            if (each.phase().equals("delete")) {
                moto.strict().injectFault(each.action(), each.fault(), ATTEMPTS);
            }
            EmulatedStack.Result deleted = stack.status().equals("ROLLBACK_COMPLETE") ? null : stack.delete();
            if (deleted != null) {
                statuses.add(deleted.status() + (deleted.reason() == null ? "" : ": " + deleted.reason()));
            }
            int injected = moto.strict().clearFaults();
            if (injected == 0) {
                return "the faulted call was never made: the run no longer follows the baseline " + statuses;
            }
            if (deleted != null && deleted.status().equals("DELETE_FAILED")) {
                EmulatedStack.Result retried = stack.delete();
                statuses.add("retry: " + retried.status());
                if (!retried.status().equals("DELETE_COMPLETE")) {
                    return "DELETE_FAILED did not become DELETE_COMPLETE on retry once the fault cleared: " + statuses;
                }
            }
            if (stack.status().equals("ROLLBACK_COMPLETE")) {
                // A stack in ROLLBACK_COMPLETE holds nothing; deleting it only removes the stack record.
                statuses.add("DELETE_COMPLETE (empty stack)");
            }
            outcomes.add(String.format("  %-7s %-52s %-15s injected %2d  %s", each.phase(), each.action(), each.fault(), injected, statuses));
            for (String status : statuses) {
                String head = status.replace("retry: ", "").split("[ :(]")[0];
                if (!ALLOWED_ENDS.contains(head)) {
                    return "ended " + status;
                }
            }
            List<String> left = Leftovers.of(clients, stack.stackId(), List.of(SampleCluster.BUCKET, SECOND_BUCKET));
            if (!left.isEmpty()) {
                return "left behind " + left + " after " + statuses;
            }
            StackIT.CustomerState after = StackIT.CustomerState.read(clients, cluster);
            if (!after.equals(before)) {
                return "customer's objects changed after " + statuses + ": " + after + " (was " + before + ")";
            }
            return null;
        } catch (RuntimeException e) {
            return "the run threw " + e + " after " + statuses;
        }
    }

    private static Map<String, Object> created() {
        return new HashMap<>(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));
    }

    private static Map<String, Object> updated() {
        return new HashMap<>(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR + ",10.201.0.0/16", "E6dataBucketNames", SampleCluster.BUCKET + "," + SECOND_BUCKET));
    }
}
