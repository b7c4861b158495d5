package io.e6link.stack;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import io.e6link.testing.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Deploys {@code template.yaml} against moto the way CloudFormation would, in dependency order:
 * native resources through the SDK with the template's own properties, custom resources through
 * their packaged zips run by the Lambda runtime interface client, with Ref, GetAtt, Sub, Split and
 * friends resolved from real results. Prints progress lines like CloudFormation stack events.
 */
public final class EmulatedStack implements AutoCloseable {
    /** How a stack operation ended. */
    public record Result(String status, String reason) {
        public boolean ok() {
            return status.endsWith("_COMPLETE") && !status.startsWith("ROLLBACK");
        }
    }

    private final Template template;
    private final Moto moto;
    private final String stackName;
    private final String stackId;
    private final Consumer<String> events;
    private final Path apiCallDir;
    private final NativeResources natives;
    private final MotoGapsProxy gapsProxy;
    private final ResponseRecorder recorder = new ResponseRecorder();
    private final Map<String, PackagedFunction> functions = new LinkedHashMap<>();
    private final Map<String, Deployed> resources = new LinkedHashMap<>();
    private Map<String, Object> parameters = Map.of();
    private Map<String, Boolean> conditions = Map.of();

    public EmulatedStack(Template template, Moto moto, String stackName, Consumer<String> events, Path apiCallDir) {
        this.template = template;
        this.moto = moto;
        this.stackName = stackName;
        this.stackId = "arn:aws:cloudformation:" + NativeResources.REGION + ":" + NativeResources.ACCOUNT + ":stack/" + stackName + "/" + UUID.randomUUID();
        this.events = events;
        this.apiCallDir = apiCallDir;
        MotoClients clients = new MotoClients(moto);
        this.natives = new NativeResources(clients.ec2(), clients.elb(), stackName, stackId);
        try {
            this.gapsProxy = new MotoGapsProxy(moto, clients.ec2());
            moto.strict().hasEndpointAssociations(this::hasEndpointAssociations);
            Files.createDirectories(apiCallDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String stackId() {
        return stackId;
    }

    public Result deploy(Map<String, Object> parameterValues) {
        setParameters(parameterValues);
        event("CREATE_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", "User Initiated");
        for (String id : order()) {
            if (!enabled(id)) {
                continue;
            }
            String failure = create(id);
            if (failure != null) {
                event("ROLLBACK_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", "The following resource(s) failed to create: [" + id + "]");
                deleteAll(new ArrayList<>(resources.keySet()));
                event("ROLLBACK_COMPLETE", stackName, "AWS::CloudFormation::Stack", null);
                return new Result("ROLLBACK_COMPLETE", id + ": " + failure);
            }
        }
        event("CREATE_COMPLETE", stackName, "AWS::CloudFormation::Stack", null);
        return new Result("CREATE_COMPLETE", null);
    }

    public Result update(Map<String, Object> parameterValues) {
        setParameters(parameterValues);
        event("UPDATE_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", "User Initiated");
        List<Deployed> replaced = new ArrayList<>();
        for (String id : order()) {
            Deployed current = resources.get(id);
            if (!enabled(id)) {
                continue;
            }
            if (current == null) {
                String failure = create(id);
                if (failure != null) {
                    return new Result("UPDATE_ROLLBACK_COMPLETE", id + ": " + failure);
                }
                continue;
            }
            Map<String, Object> properties = properties(id);
            if (Objects.equals(properties, current.properties())) {
                continue;
            }
            event("UPDATE_IN_PROGRESS", id, current.type(), null);
            if (current.type().startsWith("Custom::")) {
                ResponseRecorder.Put put = invokeCustom("Update", id, current.type(), properties, current.physicalId(), current.properties());
                if (!"SUCCESS".equals(put.status())) {
                    event("UPDATE_FAILED", id, current.type(), put.reason());
                    return new Result("UPDATE_ROLLBACK_COMPLETE", id + ": " + put.reason());
                }
                if (!put.physicalResourceId().equals(current.physicalId())) {
                    replaced.add(current);
                }
                resources.put(id, new Deployed(id, current.type(), put.physicalResourceId(), new LinkedHashMap<>(put.data()), properties, true));
                event("UPDATE_COMPLETE", id, current.type(), null);
            } else {
                String applied;
                try {
                    applied = natives.update(current, properties);
                } catch (RuntimeException e) {
                    event("UPDATE_FAILED", id, current.type(), e.getMessage());
                    return new Result("UPDATE_ROLLBACK_COMPLETE", id + ": " + e.getMessage());
                }
                resources.put(id, new Deployed(id, current.type(), current.physicalId(), current.attributes(), properties, current.emulated()));
                event("UPDATE_COMPLETE", id, current.type(), applied);
            }
        }
        event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", null);
        for (Deployed old : replaced) {
            deleteOne(old);
        }
        for (String id : new ArrayList<>(resources.keySet())) {
            if (!enabled(id)) {
                deleteOne(resources.remove(id));
            }
        }
        event("UPDATE_COMPLETE", stackName, "AWS::CloudFormation::Stack", null);
        return new Result("UPDATE_COMPLETE", null);
    }

    public Result delete() {
        event("DELETE_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", "User Initiated");
        List<String> failed = deleteAll(order().stream().filter(resources::containsKey).toList());
        if (!failed.isEmpty()) {
            event("DELETE_FAILED", stackName, "AWS::CloudFormation::Stack", "failed to delete " + failed);
            return new Result("DELETE_FAILED", String.join("; ", failed));
        }
        event("DELETE_COMPLETE", stackName, "AWS::CloudFormation::Stack", null);
        return new Result("DELETE_COMPLETE", null);
    }

    /** The stack's Outputs, resolved. */
    @SuppressWarnings("unchecked")
    public Map<String, String> outputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        template.section("Outputs").forEach((name, value) -> {
            Map<String, Object> output = (Map<String, Object>) value;
            String condition = (String) output.get("Condition");
            if (condition == null || conditions.get(condition)) {
                outputs.put(name, String.valueOf(intrinsics().resolve(output.get("Value"))));
            }
        });
        return outputs;
    }

    /** The physical id (what Ref returns) of a deployed resource. */
    public String physicalId(String logicalId) {
        Deployed deployed = resources.get(logicalId);
        return deployed == null ? null : deployed.physicalId();
    }

    /** Logical id → resource type of everything the stack holds now, in creation order. */
    public Map<String, String> resourceTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        resources.forEach((id, deployed) -> types.put(id, deployed.type()));
        return types;
    }

    public Map<String, Object> attributes(String logicalId) {
        return resources.get(logicalId).attributes();
    }

    /** Resolved properties of a resource (for IAM roles: the policies the least-privilege check reads). */
    public Map<String, Object> resolvedProperties(String logicalId) {
        return resources.get(logicalId).properties();
    }

    /** Whether the load balancer serves an endpoint service with a pending or available connection (ELB's "endpoint associations"). */
    @SuppressWarnings("unchecked")
    private boolean hasEndpointAssociations(String loadBalancerArn) {
        return gapsProxy.connections().stream()
                .filter(connection -> connection.state().equals("pendingAcceptance") || connection.state().equals("available"))
                .anyMatch(connection -> resources.values().stream().anyMatch(resource -> resource.type().equals("AWS::EC2::VPCEndpointService")
                        && resource.physicalId().equals(connection.serviceId())
                        && ((List<Object>) resource.properties().getOrDefault("NetworkLoadBalancerArns", List.of())).contains(loadBalancerArn)));
    }

    /** Pretends to be e6data: an interface endpoint in {@code account} asks to connect to the service. */
    public String requestConnection(String serviceId, String account) {
        return gapsProxy.requestConnection(serviceId, account);
    }

    public List<MotoGapsProxy.Connection> connections() {
        return gapsProxy.connections();
    }

    /** Invokes a scheduled function once, as its EventBridge rule would. */
    public PackagedFunction.Invocation runScheduled(String functionLogicalId) {
        event("INVOKE", functionLogicalId, "AWS::Events::Rule", "scheduled run");
        String scheduled = Json.write(Map.of("version", "0", "id", UUID.randomUUID().toString(), "detail-type", "Scheduled Event",
                "source", "aws.events", "account", NativeResources.ACCOUNT, "time", java.time.Instant.now().toString(),
                "region", NativeResources.REGION, "resources", List.of("arn:aws:events:us-east-1:" + NativeResources.ACCOUNT + ":rule/" + functionLogicalId),
                "detail", Map.of()));
        return function(functionLogicalId).invoke(scheduled);
    }

    public String functionLogs(String functionLogicalId) {
        PackagedFunction function = functions.get(functionLogicalId);
        return function == null ? "" : function.logs();
    }

    private String create(String id) {
        Map<String, Object> resource = template.resource(id);
        String type = (String) resource.get("Type");
        event("CREATE_IN_PROGRESS", id, type, null);
        Map<String, Object> properties;
        try {
            properties = properties(id);
            if (type.startsWith("Custom::")) {
                ResponseRecorder.Put put = invokeCustom("Create", id, type, properties, null, null);
                if (!"SUCCESS".equals(put.status())) {
                    // CloudFormation keeps the id a failed Create answered with and sends it the rollback Delete.
                    resources.put(id, new Deployed(id, type, put.physicalResourceId(), Map.of(), properties, true));
                    event("CREATE_FAILED", id, type, put.reason());
                    return put.reason();
                }
                resources.put(id, new Deployed(id, type, put.physicalResourceId(), new LinkedHashMap<>(put.data()), properties, true));
            } else {
                Deployed deployed = natives.create(id, type, properties);
                resources.put(id, deployed);
                if (!deployed.emulated()) {
                    event("CREATE_COMPLETE", id, type, "recorded, not emulated");
                    return null;
                }
            }
        } catch (RuntimeException e) {
            event("CREATE_FAILED", id, type, e.getMessage());
            return e.getMessage();
        }
        event("CREATE_COMPLETE", id, type, null);
        return null;
    }

    private List<String> deleteAll(List<String> ids) {
        List<String> failed = new ArrayList<>();
        List<String> reversed = new ArrayList<>(ids);
        java.util.Collections.reverse(reversed);
        for (String id : reversed) {
            Deployed deployed = resources.get(id);
            if (deployed != null && !deleteOne(deployed)) {
                failed.add(id);
            } else {
                resources.remove(id);
            }
        }
        return failed;
    }

    private boolean deleteOne(Deployed deployed) {
        event("DELETE_IN_PROGRESS", deployed.logicalId(), deployed.type(), null);
        try {
            if (deployed.type().startsWith("Custom::")) {
                ResponseRecorder.Put put = invokeCustom("Delete", deployed.logicalId(), deployed.type(), deployed.properties(), deployed.physicalId(), null);
                if (!"SUCCESS".equals(put.status())) {
                    event("DELETE_FAILED", deployed.logicalId(), deployed.type(), put.reason());
                    return false;
                }
            } else {
                natives.delete(deployed);
            }
        } catch (RuntimeException e) {
            event("DELETE_FAILED", deployed.logicalId(), deployed.type(), e.getMessage());
            return false;
        }
        event("DELETE_COMPLETE", deployed.logicalId(), deployed.type(), null);
        return true;
    }

    @SuppressWarnings("unchecked")
    private ResponseRecorder.Put invokeCustom(String requestType, String id, String type, Map<String, Object> properties,
                                             String physicalId, Map<String, Object> oldProperties) {
        String serviceToken = String.valueOf(properties.get("ServiceToken"));
        String functionId = resources.values().stream()
                .filter(r -> NativeResources.isFunction(r.type()) && serviceToken.equals(r.attributes().get("Arn")))
                .map(Deployed::logicalId).findFirst()
                .orElseThrow(() -> new IllegalStateException("ServiceToken " + serviceToken + " is no function of this stack"));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", requestType);
        event.put("ServiceToken", serviceToken);
        event.put("ResponseURL", recorder.newUrl());
        event.put("StackId", stackId);
        event.put("RequestId", UUID.randomUUID().toString());
        event.put("LogicalResourceId", id);
        event.put("ResourceType", type);
        if (physicalId != null) {
            event.put("PhysicalResourceId", physicalId);
        }
        event.put("ResourceProperties", asCloudFormationSends(properties));
        if (oldProperties != null) {
            event.put("OldResourceProperties", asCloudFormationSends(oldProperties));
        }
        PackagedFunction function = function(functionId);
        PackagedFunction.Invocation invocation = function.invoke(Json.write(event));
        if (invocation.error()) {
            throw new IllegalStateException(functionId + " failed as a Lambda invocation: " + invocation.body());
        }
        return recorder.await(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private PackagedFunction function(String functionId) {
        PackagedFunction running = functions.get(functionId);
        if (running != null) {
            return running;
        }
        Map<String, Object> properties = template.functionProperties(functionId);
        Map<String, Object> environment = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
        Map<String, Object> variables = (Map<String, Object>) intrinsics().resolve(environment.getOrDefault("Variables", Map.of()));
        Map<String, String> env = new LinkedHashMap<>();
        variables.forEach((name, value) -> env.put(name, String.valueOf(value)));
        PackagedFunction started = PackagedFunction.fromTemplate(template, functionId)
                .environment(env)
                .endpoint(moto)
                .environment("AWS_ENDPOINT_URL_EC2", gapsProxy.endpointUrl())
                .environment("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", gapsProxy.endpointUrl())
                .recordApiCallsTo(apiCallDir.resolve(functionId + ".log"))
                .start();
        functions.put(functionId, started);
        return started;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(String id) {
        Map<String, Object> resource = template.resource(id);
        Object raw = "AWS::Serverless::Function".equals(resource.get("Type")) ? template.functionProperties(id) : resource.getOrDefault("Properties", Map.of());
        return (Map<String, Object>) intrinsics().resolve(raw);
    }

    private Intrinsics intrinsics() {
        return new Intrinsics(this::ref, this::getAtt, name -> conditions.get(name), template.section("Mappings"));
    }

    private Object ref(String name) {
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        return switch (name) {
            case "AWS::Region" -> NativeResources.REGION;
            case "AWS::AccountId" -> NativeResources.ACCOUNT;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> stackName;
            case "AWS::StackId" -> stackId;
            case "AWS::NoValue" -> Intrinsics.NO_VALUE;
            default -> {
                Deployed deployed = resources.get(name);
                if (deployed == null) {
                    throw new IllegalStateException("Ref " + name + ": no such parameter or created resource");
                }
                yield deployed.physicalId();
            }
        };
    }

    private Object getAtt(String resource, String attribute) {
        Deployed deployed = resources.get(resource);
        if (deployed == null || !deployed.attributes().containsKey(attribute)) {
            throw new IllegalStateException("Fn::GetAtt " + resource + "." + attribute + " is not available");
        }
        return deployed.attributes().get(attribute);
    }

    @SuppressWarnings("unchecked")
    private void setParameters(Map<String, Object> values) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        template.section("Parameters").forEach((name, value) -> {
            Map<String, Object> spec = (Map<String, Object>) value;
            Object given = values.containsKey(name) ? values.get(name) : spec.get("Default");
            if (given == null) {
                throw new IllegalArgumentException("Parameters: [" + name + "] must have values");
            }
            if ("CommaDelimitedList".equals(spec.get("Type"))) {
                given = given instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(given).split(",")).stream().map(String::trim).toList();
            } else {
                given = String.valueOf(given);
            }
            resolved.put(name, given);
        });
        this.parameters = resolved;
        Intrinsics parametersOnly = new Intrinsics(this::ref, this::getAtt, name -> conditions.get(name), template.section("Mappings"));
        Map<String, Boolean> evaluated = new LinkedHashMap<>();
        this.conditions = evaluated;
        template.section("Conditions").forEach((name, expression) -> evaluated.put(name, parametersOnly.truth(expression)));
    }

    private boolean enabled(String id) {
        String condition = (String) template.resource(id).get("Condition");
        return condition == null || conditions.get(condition);
    }

    /** Resources in an order where everything a resource refers to comes first (template order otherwise). */
    @SuppressWarnings("unchecked")
    List<String> order() {
        Map<String, Object> all = template.section("Resources");
        Map<String, Set<String>> dependencies = new LinkedHashMap<>();
        for (String id : all.keySet()) {
            Set<String> refs = new HashSet<>();
            Map<String, Object> resource = (Map<String, Object>) all.get(id);
            Object props = "AWS::Serverless::Function".equals(resource.get("Type")) ? template.functionProperties(id) : resource.get("Properties");
            Intrinsics.references(props, refs);
            Object dependsOn = resource.get("DependsOn");
            if (dependsOn instanceof String single) {
                refs.add(single);
            } else if (dependsOn instanceof List<?> many) {
                many.forEach(item -> refs.add(String.valueOf(item)));
            }
            refs.retainAll(all.keySet());
            refs.remove(id);
            dependencies.put(id, refs);
        }
        List<String> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (ordered.size() < all.size()) {
            boolean progressed = false;
            for (String id : all.keySet()) {
                if (!done.contains(id) && done.containsAll(dependencies.get(id))) {
                    ordered.add(id);
                    done.add(id);
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("circular dependency among " + dependencies.keySet().stream().filter(id -> !done.contains(id)).toList());
            }
        }
        return ordered;
    }

    /** Properties as CloudFormation passes them to a custom resource: every scalar becomes a string. */
    @SuppressWarnings("unchecked")
    public static Object asCloudFormationSends(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> out.put(key, asCloudFormationSends(item)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(EmulatedStack::asCloudFormationSends).toList();
        }
        return value == null ? null : String.valueOf(value);
    }

    private void event(String status, String logicalId, String type, String reason) {
        events.accept(String.format("%s  %-36s %-34s %-38s %s", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), status, logicalId, type,
                reason == null ? "" : reason).stripTrailing());
    }

    @Override
    public void close() {
        functions.values().forEach(PackagedFunction::close);
        gapsProxy.close();
        recorder.close();
    }
}
