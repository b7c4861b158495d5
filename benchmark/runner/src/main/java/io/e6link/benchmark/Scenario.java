package io.e6link.benchmark;

import io.e6link.kit.Json;
import io.e6link.stack.MotoGapsProxy;
import io.e6link.stack.EmulatedStack;
import io.e6link.stack.SampleCluster;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The account every run works against: the sample EKS account seeded in moto and the whole stack
 * deployed on it (through the real packaged functions). Each benchmark invocation then repeats
 * what CloudFormation sends: the Create of the deployed custom resource again (a redelivery, which
 * every resource must answer idempotently) or the scheduled event, so ours and the baseline do
 * the same AWS work on the same state, run after run.
 */
final class Scenario implements AutoCloseable {
    private static final Map<String, Object> PARAMETERS = Map.of(
            "ClusterName", SampleCluster.NAME,
            "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
            "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR,
            "E6dataBucketNames", SampleCluster.BUCKET);

    private final Moto moto;
    private final Template template;
    private final ResponseRecorder recorder = new ResponseRecorder();
    private final MotoGapsProxy gaps;
    private final String stackId;
    private final Map<String, String> physicalIds = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> customProperties = new LinkedHashMap<>();

    private Scenario(Moto moto, Template template, MotoGapsProxy gaps, EmulatedStack stack) {
        this.moto = moto;
        this.template = template;
        this.gaps = gaps;
        this.stackId = stack.stackId();
        template.section("Resources").forEach((id, resource) -> {
            String physicalId = stack.physicalId(id);
            if (physicalId != null) {
                physicalIds.put(id, physicalId);
            }
            if (physicalId != null && String.valueOf(((Map<?, ?>) resource).get("Type")).startsWith("Custom::")) {
                customProperties.put(id, stack.resolvedProperties(id));
            }
        });
    }

    /** Seeds the sample account and deploys template.yaml on it; fails loudly when the stack does not deploy. */
    static Scenario deploy(Moto moto) throws IOException {
        SampleCluster.seed(new MotoClients(moto));
        Template template = Template.load();
        MotoGapsProxy gaps = new MotoGapsProxy(moto, new MotoClients(moto).ec2());
        try (EmulatedStack stack = new EmulatedStack(template, moto, "e6link-benchmark", line -> { },
                Files.createTempDirectory("benchmark-api-calls"))) {
            EmulatedStack.Result result = stack.deploy(PARAMETERS);
            if (!result.ok()) {
                gaps.close();
                throw new IllegalStateException("the stack did not deploy on moto: " + result.reason());
            }
            return new Scenario(moto, template, gaps, stack);
        }
    }

    boolean supports(Subject subject) {
        return subject.scheduled() || customProperties.containsKey(subject.customResourceId());
    }

    /** Environment of a function as deployed: template variables resolved, AWS pointed at the emulator. */
    @SuppressWarnings("unchecked")
    Map<String, String> environment(Subject subject) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> properties = template.functionProperties(subject.functionId());
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) properties.getOrDefault("Environment", Map.of()))
                .getOrDefault("Variables", Map.of());
        variables.forEach((name, value) -> {
            // PackagedFunction resolves the constant Fn::FindInMap (the release version) from the template itself.
            if (!(value instanceof Map<?, ?> intrinsic && intrinsic.containsKey("Fn::FindInMap"))) {
                env.put(name, resolve(value));
            }
        });
        env.put("AWS_ENDPOINT_URL", moto.endpointUrl());
        if (subject.needsConnections()) {
            // As in the emulated stack: EC2 and ELB through the proxy that fills moto's gaps.
            env.put("AWS_ENDPOINT_URL_EC2", gaps.endpointUrl());
            env.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", gaps.endpointUrl());
        }
        return env;
    }

    private String resolve(Object value) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.containsKey("Ref")) {
            String name = String.valueOf(intrinsic.get("Ref"));
            Object resolved = PARAMETERS.containsKey(name) ? PARAMETERS.get(name) : physicalIds.get(name);
            if (resolved == null) {
                throw new IllegalStateException("cannot resolve Ref " + name + " for the benchmark");
            }
            return String.valueOf(resolved);
        }
        if (value instanceof Map<?, ?>) {
            throw new IllegalStateException("the benchmark resolves only Ref in function environments, not " + value);
        }
        return String.valueOf(value);
    }

    /** A fresh event: the deployed resource's Create again, or the EventBridge schedule's event. */
    String event(Subject subject) {
        Map<String, Object> event = new LinkedHashMap<>();
        if (subject.scheduled()) {
            event.put("version", "0");
            event.put("id", UUID.randomUUID().toString());
            event.put("detail-type", "Scheduled Event");
            event.put("source", "aws.events");
            event.put("account", MotoClients.ACCOUNT_ID);
            event.put("time", Instant.now().toString());
            event.put("region", "us-east-1");
            event.put("resources", List.of("arn:aws:events:us-east-1:" + MotoClients.ACCOUNT_ID + ":rule/" + subject.functionId()));
            event.put("detail", Map.of());
            return Json.write(event);
        }
        String id = subject.customResourceId();
        Map<String, Object> properties = customProperties.get(id);
        event.put("RequestType", "Create");
        event.put("ServiceToken", String.valueOf(properties.get("ServiceToken")));
        event.put("ResponseURL", recorder.newUrl());
        event.put("StackId", stackId);
        event.put("RequestId", UUID.randomUUID().toString());
        event.put("LogicalResourceId", id);
        event.put("ResourceType", template.resource(id).get("Type"));
        event.put("ResourceProperties", EmulatedStack.asCloudFormationSends(properties));
        return Json.write(event);
    }

    /** Fails the sample unless the function did its job (SUCCESS to CloudFormation, or a clean scheduled run). */
    void verify(Subject subject, PackagedFunction function, PackagedFunction.Invocation invocation) {
        if (invocation.error()) {
            throw new IllegalStateException(subject.functionId() + " failed: " + invocation.body() + "\n" + tail(function.logs()));
        }
        if (!subject.scheduled()) {
            ResponseRecorder.Put put = recorder.await(Duration.ofSeconds(30));
            if (!"SUCCESS".equals(put.status())) {
                throw new IllegalStateException(subject.functionId() + " answered " + put.status() + ": " + put.reason());
            }
        }
    }

    private static String tail(String logs) {
        return logs.length() <= 4000 ? logs : logs.substring(logs.length() - 4000);
    }

    @Override
    public void close() {
        recorder.close();
        gaps.close();
    }
}
