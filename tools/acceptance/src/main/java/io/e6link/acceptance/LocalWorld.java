package io.e6link.acceptance;

import io.e6link.stack.EmulatedStack;
import io.e6link.stack.LocalDeploy;
import io.e6link.stack.MotoGapsProxy;
import io.e6link.stack.SampleCluster;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoServer;
import io.e6link.testing.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * The emulated world of {@code scripts/acceptance --local}: moto behind the strict emulated AWS
 * (test-support's MotoServer), a sample EKS cluster without the objects e6link adopts (so phase A
 * takes the creation paths), and the stack deployed by the emulated stack (tools/emulated-stack) from
 * the local template. e6data's connection request goes through the emulator's PrivateLink model; the
 * scheduled functions run when the run asks. There is no data path, no alarm delivery, no CloudTrail.
 */
final class LocalWorld implements World {
    private final Moto moto;
    private final Template template;
    private final Progress progress;
    private final SampleCluster sample;
    private final Clients clients;
    private final ClusterFacts cluster;
    private final List<EmulatedStack> stacks = new ArrayList<>();
    private final Path apiCalls;

    private LocalWorld(Moto moto, Template template, Progress progress) throws IOException {
        this.moto = moto;
        this.template = template;
        this.progress = progress;
        MotoClients motoClients = new MotoClients(moto);
        this.sample = SampleCluster.seedBare(motoClients);
        this.clients = Clients.build(motoClients::configure, Region.AWS_GLOBAL, b -> b.forcePathStyle(true));
        Cluster described = clients.eks().describeCluster(b -> b.name(SampleCluster.NAME)).cluster();
        this.cluster = new ClusterFacts(SampleCluster.NAME, sample.vpcId, sample.clusterSecurityGroupId, sample.oidcIssuer,
                described.resourcesVpcConfig().subnetIds(), described.endpoint(),
                described.certificateAuthority() == null ? null : described.certificateAuthority().data(), described.version());
        this.apiCalls = Files.createTempDirectory("e6link-acceptance-api-calls");
    }

    /**
     * Starts the emulated world and seeds the sample cluster. The JVM's AWS SDK is pointed at empty
     * configuration first: nothing of the user's login reaches the emulator.
     *
     * @throws Refusal when moto_server is not available
     */
    static LocalWorld start(Path templatePath, Progress progress) {
        LocalDeploy.ignoreAwsConfiguration();
        progress.step("starting the emulated world (moto_server behind the strict emulated AWS)");
        Moto moto = MotoServer.start();
        if (moto == null) {
            throw new Refusal("--local needs moto_server: " + MotoServer.unavailableReason() + " Install it with: pip install 'moto[server]'.");
        }
        try {
            return new LocalWorld(moto, Template.load(templatePath.toAbsolutePath()), progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String mode() {
        return "local";
    }

    @Override
    public String region() {
        return MotoClients.REGION.id();
    }

    @Override
    public Clients customer() {
        return clients;
    }

    /** One emulated account: e6data's side is the emulator's PrivateLink model, its calls are the same clients. */
    @Override
    public Clients e6data() {
        return clients;
    }

    @Override
    public String customerAccount() {
        return MotoClients.ACCOUNT_ID;
    }

    @Override
    public String e6dataAccount() {
        return SampleCluster.E6DATA_ACCOUNT;
    }

    @Override
    public ClusterFacts cluster() {
        return cluster;
    }

    @Override
    public StackDriver stack(String name, Map<String, String> tags, Ledger ledger) {
        EmulatedStack stack = new EmulatedStack(template, moto, name, line -> progress.step("  " + line), apiCalls.resolve(name));
        stacks.add(stack);
        return new EmulatedStackDriver(name, stack);
    }

    @Override
    public String requestConnection(String serviceName, String serviceId, String consumerCidr, Ledger ledger) {
        return stacks.get(stacks.size() - 1).requestConnection(serviceId, SampleCluster.E6DATA_ACCOUNT);
    }

    @Override
    public String endpointState(String endpointId) {
        for (EmulatedStack stack : stacks) {
            for (MotoGapsProxy.Connection connection : stack.connections()) {
                if (connection.endpointId().equals(endpointId)) {
                    return connection.state();
                }
            }
        }
        return "missing";
    }

    @Override
    public void letScheduleRun(StackDriver stack, String functionLogicalId) {
        EmulatedStack emulated = ((EmulatedStackDriver) stack).stack;
        if (emulated.runScheduled(functionLogicalId).error()) {
            throw new IllegalStateException("the scheduled run of " + functionLogicalId + " failed: " + emulated.functionLogs(functionLogicalId));
        }
    }

    @Override
    public Optional<DataPath> dataPath() {
        return Optional.empty();
    }

    @Override
    public Optional<Observability> observability() {
        return Optional.empty();
    }

    @Override
    public double upgradeControlPlane(String version, Runnable whileWaiting) {
        Instant start = Instant.now();
        sample.upgradeControlPlane();
        whileWaiting.run();
        return (Instant.now().toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }

    @Override
    public List<String> taggedWithRun(String runId) {
        return TaggedScan.scan(clients, runId, "emulated account");
    }

    @Override
    public void close() {
        stacks.forEach(EmulatedStack::close);
    }

    /** The emulated stack behind the common driver. */
    static final class EmulatedStackDriver implements StackDriver {
        private final String name;
        final EmulatedStack stack;

        EmulatedStackDriver(String name, EmulatedStack stack) {
            this.name = name;
            this.stack = stack;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String stackId() {
            return stack.stackId();
        }

        @Override
        public Outcome create(Map<String, String> parameters) {
            long start = System.nanoTime();
            EmulatedStack.Result result = stack.deploy(new LinkedHashMap<>(parameters));
            return new Outcome(result.status(), result.reason(), (System.nanoTime() - start) / 1e9);
        }

        @Override
        public Outcome update(Map<String, String> parameters) {
            long start = System.nanoTime();
            EmulatedStack.Result result = stack.update(new LinkedHashMap<>(parameters));
            return new Outcome(result.status(), result.reason(), (System.nanoTime() - start) / 1e9);
        }

        @Override
        public Outcome delete() {
            long start = System.nanoTime();
            EmulatedStack.Result result = stack.delete();
            return new Outcome(result.status(), result.reason(), (System.nanoTime() - start) / 1e9);
        }

        @Override
        public Map<String, String> outputs() {
            return stack.outputs();
        }

        @Override
        public String physicalId(String logicalId) {
            return stack.physicalId(logicalId);
        }

        @Override
        public List<String> deniedCalls() {
            List<String> denied = new ArrayList<>();
            stack.resourceTypes().forEach((id, type) -> {
                if (type.endsWith("::Function")) {
                    for (String line : stack.functionLogs(id).split("\n")) {
                        if (line.matches(".*(AccessDenied|not authorized|UnauthorizedOperation).*")) {
                            denied.add(id + ": " + line);
                        }
                    }
                }
            });
            return denied;
        }

        @Override
        public Map<String, Integer> reservedConcurrency() {
            Map<String, Integer> reserved = new LinkedHashMap<>();
            stack.resourceTypes().forEach((id, type) -> {
                if (type.endsWith("::Function")) {
                    Object value = stack.resolvedProperties(id).get("ReservedConcurrentExecutions");
                    reserved.put(id, value == null ? null : Integer.valueOf(value.toString()));
                }
            });
            return reserved;
        }
    }
}
