package io.e6link.stack;

import io.e6link.kit.Json;
import io.e6link.stack.CustomResourceInvoker.Answer;
import io.e6link.stack.CustomResourceInvoker.Delivery;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.Template;
import io.e6link.testing.aws.AwsClock;
import io.e6link.testing.aws.StrictAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Plays CloudFormation's lifecycle for {@code template.yaml} against the emulated world: native
 * resources through the SDK with the template's own properties, custom resources through their
 * packaged zips under the Lambda runtime interface client, with Ref, GetAtt, Sub and friends resolved
 * from real results. Stack and resource statuses are named as CloudFormation names them:
 * <ul>
 *   <li>a failed Create rolls back: every created resource is deleted in reverse dependency order
 *       with the id it answered (or an id CloudFormation made up when no answer came);</li>
 *   <li>a failed Update rolls back: each updated custom resource gets an Update whose
 *       {@code ResourceProperties} are its previous values and {@code OldResourceProperties} the
 *       failed ones, native resources get their previous properties, and what the update created is
 *       deleted in the cleanup;</li>
 *   <li>an Update that answers a new physical id is a replacement: the old id gets a Delete in the
 *       cleanup after the update completes;</li>
 *   <li>a delete that fails leaves the stack DELETE_FAILED with what remains; calling it again retries.</li>
 * </ul>
 * Progress lines read like CloudFormation stack events.
 */
public final class EmulatedStack implements AutoCloseable {
    /** How a stack operation ended: CloudFormation's stack status and the first failure reason. */
    public record Result(String status, String reason) {
        public boolean ok() {
            return status.endsWith("_COMPLETE") && !status.contains("ROLLBACK");
        }
    }

    private StackModel model;
    private final Moto moto;
    private final String stackName;
    private final String stackId;
    private final Consumer<String> events;
    private final Path apiCallDir;
    private final NativeResources natives;
    private final MotoGapsProxy gapsProxy;
    private final CustomResourceInvoker invoker;
    /** The last Create: resources in creation order, and each custom resource's function execution in ms. */
    private final List<String> createdInOrder = new ArrayList<>();
    private final Map<String, Long> functionMillis = new LinkedHashMap<>();
    private final Map<String, PackagedFunction> functions = new LinkedHashMap<>();
    private final Map<String, Deployed> resources = new LinkedHashMap<>();
    private String status = "REVIEW_IN_PROGRESS";

    public EmulatedStack(Template template, Moto moto, String stackName, Consumer<String> events, Path apiCallDir) {
        this.model = new StackModel(template);
        this.moto = moto;
        this.stackName = stackName;
        this.stackId = "arn:aws:cloudformation:" + NativeResources.REGION + ":" + NativeResources.ACCOUNT + ":stack/" + stackName + "/" + UUID.randomUUID();
        this.events = events;
        this.apiCallDir = apiCallDir;
        MotoClients clients = new MotoClients(moto);
        MotoClients cloudFormation = clients.as(StrictAws.CLOUDFORMATION_ACCESS_KEY);
        this.natives = new NativeResources(cloudFormation.ec2(), cloudFormation.elb(), stackName, stackId);
        this.invoker = new CustomResourceInvoker(stackId, this::functionByServiceToken);
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

    /** The stack's status as CloudFormation would report it now. */
    public String status() {
        return status;
    }

    /** CreateStack; a parameter that breaks its constraints is a ValidationError and nothing is created. */
    public Result deploy(Map<String, Object> parameterValues) {
        try {
            setParameters(parameterValues);
        } catch (IllegalArgumentException invalid) {
            return new Result("ValidationError", invalid.getMessage());
        }
        stackEvent("CREATE_IN_PROGRESS", "User Initiated");
        createdInOrder.clear();
        functionMillis.clear();
        for (String id : model.order()) {
            if (!model.enabled(id)) {
                continue;
            }
            String failure = create(id);
            if (failure != null) {
                stackEvent("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [" + id + "]. Rollback requested by user.");
                List<String> stuck = deleteAll();
                String end = stuck.isEmpty() ? "ROLLBACK_COMPLETE" : "ROLLBACK_FAILED";
                stackEvent(end, stuck.isEmpty() ? null : "The following resource(s) failed to delete: " + stuck);
                return new Result(end, id + ": " + failure);
            }
            createdInOrder.add(id);
        }
        stackEvent("CREATE_COMPLETE", null);
        return new Result("CREATE_COMPLETE", null);
    }

    /**
     * The last successful Create laid out on AWS's clock: how long it would take on AWS and how much of that is
     * e6link's own function execution (issue 19 §6).
     *
     * @throws IllegalStateException when no Create has completed
     */
    public AwsTimeline awsTimeline(AwsClock aws) {
        if (createdInOrder.isEmpty() || !"CREATE_COMPLETE".equals(status())) {
            throw new IllegalStateException("no completed Create to lay out on AWS's clock (stack status " + status() + ")");
        }
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        createdInOrder.forEach(id -> properties.put(id, resources.get(id).properties()));
        return AwsTimeline.of(model, createdInOrder, functionMillis, properties, aws);
    }

    /** UpdateStack with a new template (a new release) and parameter values. */
    public Result update(Template newTemplate, Map<String, Object> parameterValues) {
        StackModel previous = model;
        model = new StackModel(newTemplate);
        Result result = update(parameterValues, previous);
        if (result.status().startsWith("UPDATE_ROLLBACK") || result.status().equals("ValidationError")) {
            model = previous;
        }
        return result;
    }

    /** UpdateStack with the same template and new parameter values. */
    public Result update(Map<String, Object> parameterValues) {
        return update(parameterValues, model);
    }

    private Result update(Map<String, Object> parameterValues, StackModel previousModel) {
        Map<String, Object> previousParameters = previousModel.parameters();
        Map<String, Deployed> before = new LinkedHashMap<>(resources);
        try {
            setParameters(parameterValues);
        } catch (IllegalArgumentException invalid) {
            return new Result("ValidationError", invalid.getMessage());
        }
        stackEvent("UPDATE_IN_PROGRESS", "User Initiated");
        List<String> changed = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (String id : model.order()) {
            if (!model.enabled(id)) {
                continue;
            }
            Deployed current = resources.get(id);
            String failure;
            if (current == null) {
                failure = create(id);
                created.add(id);
            } else {
                Map<String, Object> properties = properties(id);
                if (Objects.equals(properties, current.properties())) {
                    continue;
                }
                changed.add(id);
                failure = updateOne(current, properties);
            }
            if (failure != null) {
                stackEvent("UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [" + id + "].");
                model = previousModel;
                return rollBack(previousParameters, before, changed, created, id + ": " + failure);
            }
        }
        stackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
        for (String id : changed) {
            Deployed old = before.get(id);
            if (!old.physicalId().equals(resources.get(id).physicalId())) {
                deleteOne(old);
            }
        }
        for (String id : new ArrayList<>(resources.keySet())) {
            // Dropped from the template or switched off by its condition: CloudFormation deletes it in the cleanup.
            if (!model.declares(id) || !model.enabled(id)) {
                deleteOne(resources.remove(id));
            }
        }
        stackEvent("UPDATE_COMPLETE", null);
        return new Result("UPDATE_COMPLETE", null);
    }

    /**
     * Deletes every resource in reverse dependency order. A resource that fails to delete stays, as do
     * the resources it depends on; the stack is then DELETE_FAILED and calling this again retries.
     */
    public Result delete() {
        stackEvent("DELETE_IN_PROGRESS", "User Initiated");
        List<String> failed = deleteAll();
        if (!failed.isEmpty()) {
            String reason = "The following resource(s) failed to delete: " + failed + ".";
            stackEvent("DELETE_FAILED", reason);
            return new Result("DELETE_FAILED", reason);
        }
        stackEvent("DELETE_COMPLETE", null);
        return new Result("DELETE_COMPLETE", null);
    }

    /** Delivers the next {@code requestType} event of {@code logicalId} twice, or loses its answer (a timeout). */
    void deliverNext(String logicalId, String requestType, Delivery delivery) {
        invoker.deliverNext(logicalId, requestType, delivery);
    }

    /** The stack's Outputs, resolved. */
    @SuppressWarnings("unchecked")
    public Map<String, String> outputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        model.template().section("Outputs").forEach((name, value) -> {
            Map<String, Object> output = (Map<String, Object>) value;
            String condition = (String) output.get("Condition");
            if (condition == null || model.condition(condition)) {
                outputs.put(name, String.valueOf(model.intrinsics(this::ref, this::getAtt).resolve(output.get("Value"))));
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

    /** Resolved properties of a resource (for IAM roles: the policies the IAM evaluation reads). */
    public Map<String, Object> resolvedProperties(String logicalId) {
        return resources.get(logicalId).properties();
    }

    /**
     * A resource's properties as this stack would resolve them in another partition: the template read
     * again with {@code pseudoParameters} over this stack's (AWS::Partition, AWS::Region, AWS::URLSuffix;
     * conditions evaluated again), and every value a Ref or GetAtt of a created resource (and
     * AWS::StackId) returns passed through {@code move}, which names it as that partition would (ARNs,
     * hosts). Parameter values stay as given. Used to evaluate the roles' policies for aws-cn and aws-us-gov.
     *
     * @param logicalId        a resource this stack holds
     * @param pseudoParameters pseudo parameter name → its value in the other partition
     * @param move             maps a string this (us-east-1, aws) world produced to the other partition's form
     * @return the resolved properties
     */
    public Map<String, Object> resolvedPropertiesIn(String logicalId, Map<String, String> pseudoParameters, java.util.function.UnaryOperator<String> move) {
        StackModel elsewhere = new StackModel(model.template());
        java.util.function.Function<String, Object> pseudo = name -> pseudoParameters.containsKey(name) ? pseudoParameters.get(name)
                : moved(pseudoParameter(name), move);
        elsewhere.setParameters(model.parameters(), pseudo);
        return elsewhere.properties(logicalId, name -> {
            if (model.parameters().containsKey(name)) {
                return model.parameters().get(name);
            }
            Object value = pseudo.apply(name);
            return value != null ? value : moved(ref(name), move);
        }, (resource, attribute) -> moved(getAtt(resource, attribute), move));
    }

    private static Object moved(Object value, java.util.function.UnaryOperator<String> move) {
        if (value instanceof String text) {
            return move.apply(text);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> moved(item, move)).toList();
        }
        return value;
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
        events.accept(line("INVOKE", functionLogicalId, "AWS::Events::Rule", "scheduled run"));
        String scheduled = Json.write(Map.of("version", "0", "id", UUID.randomUUID().toString(), "detail-type", "Scheduled Event",
                "source", "aws.events", "account", NativeResources.ACCOUNT, "time", java.time.Instant.now().toString(),
                "region", NativeResources.REGION, "resources", List.of("arn:aws:events:us-east-1:" + NativeResources.ACCOUNT + ":rule/" + functionLogicalId),
                "detail", Map.of()));
        return function(functionLogicalId).invoke(scheduled);
    }

    /**
     * Invokes a function once with an event EventBridge would deliver from a rule (a CloudTrail API
     * call, say), as that rule's target.
     *
     * @param detailType the event's {@code detail-type}, e.g. {@code AWS API Call via CloudTrail}
     * @param source     the event's {@code source}, e.g. {@code aws.ec2}
     * @param detail     the event's {@code detail} object
     * @param time       the event's {@code time} (ISO-8601), when the recorded call happened
     * @return the invocation's answer, logs and error flag
     */
    public PackagedFunction.Invocation runOnEvent(String functionLogicalId, String detailType, String source, Map<String, Object> detail, String time) {
        events.accept(line("INVOKE", functionLogicalId, "AWS::Events::Rule", detailType + " " + detail.getOrDefault("eventName", "")));
        String event = Json.write(Map.of("version", "0", "id", UUID.randomUUID().toString(), "detail-type", detailType,
                "source", source, "account", NativeResources.ACCOUNT, "time", time, "region", NativeResources.REGION,
                "resources", List.of(), "detail", detail));
        return function(functionLogicalId).invoke(event);
    }

    public String functionLogs(String functionLogicalId) {
        PackagedFunction function = functions.get(functionLogicalId);
        return function == null ? "" : function.logs();
    }

    /** Properties as CloudFormation passes them to a custom resource: every scalar becomes a string. */
    public static Object asCloudFormationSends(Object value) {
        return CustomResourceInvoker.asCloudFormationSends(value);
    }

    private String create(String id) {
        String type = model.type(id);
        resourceEvent("CREATE_IN_PROGRESS", id, type, null);
        Map<String, Object> properties;
        try {
            properties = properties(id);
            if (type.startsWith("Custom::")) {
                Answer answer = invoker.send("Create", id, type, properties, null, null);
                if (!answer.succeeded()) {
                    // CloudFormation sends the rollback Delete with the id the failed Create answered, or one it makes up.
                    String physicalId = answer.physicalResourceId() != null ? answer.physicalResourceId() : madeUpId(id);
                    resources.put(id, new Deployed(id, type, physicalId, Map.of(), properties, true));
                    resourceEvent("CREATE_FAILED", id, type, answer.reason());
                    return answer.reason();
                }
                resources.put(id, new Deployed(id, type, answer.physicalResourceId(), new LinkedHashMap<>(answer.data()), properties, true));
                functionMillis.put(id, answer.millis());
            } else {
                Deployed deployed = natives.create(id, type, properties);
                resources.put(id, deployed);
                if (!deployed.emulated()) {
                    resourceEvent("CREATE_COMPLETE", id, type, "recorded, not emulated");
                    return null;
                }
            }
        } catch (NativeResources.PartiallyCreated e) {
            resources.put(id, e.created());
            resourceEvent("CREATE_FAILED", id, type, e.getMessage());
            return e.getMessage();
        } catch (RuntimeException e) {
            resourceEvent("CREATE_FAILED", id, type, e.getMessage());
            return e.getMessage();
        }
        resourceEvent("CREATE_COMPLETE", id, type, null);
        return null;
    }

    /** Updates one resource in place (or replaces a custom resource that answers a new id); null on success. */
    private String updateOne(Deployed current, Map<String, Object> properties) {
        String id = current.logicalId();
        resourceEvent("UPDATE_IN_PROGRESS", id, current.type(), null);
        try {
            if (current.type().startsWith("Custom::")) {
                Answer answer = invoker.send("Update", id, current.type(), properties, current.physicalId(), current.properties());
                if (!answer.succeeded()) {
                    // The resource keeps its id; the failed properties are what the rollback Update receives as old.
                    resources.put(id, new Deployed(id, current.type(), current.physicalId(), current.attributes(), properties, true));
                    resourceEvent("UPDATE_FAILED", id, current.type(), answer.reason());
                    return answer.reason();
                }
                resources.put(id, new Deployed(id, current.type(), answer.physicalResourceId(), new LinkedHashMap<>(answer.data()), properties, true));
                resourceEvent("UPDATE_COMPLETE", id, current.type(), null);
            } else {
                String applied = natives.update(current, properties);
                resources.put(id, new Deployed(id, current.type(), current.physicalId(), current.attributes(), properties, current.emulated()));
                resourceEvent("UPDATE_COMPLETE", id, current.type(), applied);
            }
            return null;
        } catch (RuntimeException e) {
            resourceEvent("UPDATE_FAILED", id, current.type(), e.getMessage());
            return e.getMessage();
        }
    }

    /**
     * UPDATE_ROLLBACK_IN_PROGRESS: changed resources back to their previous properties (custom
     * resources by an Update whose old properties are the failed ones), then the cleanup deletes what
     * the update created and the replacements it made.
     */
    private Result rollBack(Map<String, Object> previousParameters, Map<String, Deployed> before, List<String> changed,
                            List<String> created, String failure) {
        model.setParameters(previousParameters, this::pseudoParameter);
        List<String> reversed = new ArrayList<>(changed);
        Collections.reverse(reversed);
        List<Deployed> replacements = new ArrayList<>();
        for (String id : reversed) {
            Deployed previous = before.get(id);
            Deployed failed = resources.get(id);
            if (!previous.physicalId().equals(failed.physicalId())) {
                // A replacement rolls back to the old resource, which still exists; the new one goes in the cleanup.
                replacements.add(failed);
                resources.put(id, previous);
                continue;
            }
            resourceEvent("UPDATE_IN_PROGRESS", id, previous.type(), "rollback");
            try {
                if (previous.type().startsWith("Custom::")) {
                    Answer answer = invoker.send("Update", id, previous.type(), previous.properties(), previous.physicalId(), failed.properties());
                    if (!answer.succeeded()) {
                        resourceEvent("UPDATE_FAILED", id, previous.type(), answer.reason());
                        stackEvent("UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: [" + id + "].");
                        return new Result("UPDATE_ROLLBACK_FAILED", failure + "; rollback of " + id + ": " + answer.reason());
                    }
                    resources.put(id, new Deployed(id, previous.type(), answer.physicalResourceId(), new LinkedHashMap<>(answer.data()),
                            previous.properties(), true));
                } else {
                    natives.update(failed, previous.properties());
                    resources.put(id, previous);
                }
                resourceEvent("UPDATE_COMPLETE", id, previous.type(), "rollback");
            } catch (RuntimeException e) {
                resourceEvent("UPDATE_FAILED", id, previous.type(), e.getMessage());
                stackEvent("UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: [" + id + "].");
                return new Result("UPDATE_ROLLBACK_FAILED", failure + "; rollback of " + id + ": " + e.getMessage());
            }
        }
        stackEvent("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null);
        List<String> stuck = new ArrayList<>();
        List<String> createdReversed = new ArrayList<>(created);
        Collections.reverse(createdReversed);
        for (String id : createdReversed) {
            Deployed made = resources.remove(id);
            if (made != null && !deleteOne(made)) {
                stuck.add(id);
            }
        }
        for (Deployed replacement : replacements) {
            if (!deleteOne(replacement)) {
                stuck.add(replacement.logicalId());
            }
        }
        // CloudFormation does not fail the rollback for cleanup failures: the resources are left behind.
        stackEvent("UPDATE_ROLLBACK_COMPLETE", stuck.isEmpty() ? null : "cleanup left " + stuck);
        return new Result("UPDATE_ROLLBACK_COMPLETE", failure);
    }

    /** Deletes what the stack holds in reverse order, skipping what a resource that failed to delete still depends on. */
    private List<String> deleteAll() {
        List<String> reversed = new ArrayList<>(model.order().stream().filter(resources::containsKey).toList());
        resources.keySet().stream().filter(id -> !reversed.contains(id)).forEach(reversed::add);
        Collections.reverse(reversed);
        List<String> failed = new ArrayList<>();
        Set<String> stillNeeded = new LinkedHashSet<>();
        for (String id : reversed) {
            Deployed deployed = resources.get(id);
            if (stillNeeded.contains(id)) {
                stillNeeded.addAll(model.dependenciesOf(id));
                continue;
            }
            if (deleteOne(deployed)) {
                resources.remove(id);
            } else {
                failed.add(id);
                stillNeeded.addAll(model.dependenciesOf(id));
            }
        }
        return failed;
    }

    private boolean deleteOne(Deployed deployed) {
        resourceEvent("DELETE_IN_PROGRESS", deployed.logicalId(), deployed.type(), null);
        try {
            if (deployed.type().startsWith("Custom::")) {
                Answer answer = invoker.send("Delete", deployed.logicalId(), deployed.type(), deployed.properties(), deployed.physicalId(), null);
                if (!answer.succeeded()) {
                    resourceEvent("DELETE_FAILED", deployed.logicalId(), deployed.type(), answer.reason());
                    return false;
                }
            } else {
                natives.delete(deployed);
            }
        } catch (RuntimeException e) {
            resourceEvent("DELETE_FAILED", deployed.logicalId(), deployed.type(), e.getMessage());
            return false;
        }
        resourceEvent("DELETE_COMPLETE", deployed.logicalId(), deployed.type(), null);
        return true;
    }

    /** The id CloudFormation gives a resource whose Create never answered: {@code <stack>-<LogicalId>-<12 random>}. */
    private String madeUpId(String logicalId) {
        return stackName + "-" + logicalId + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    private PackagedFunction functionByServiceToken(String serviceToken) {
        String functionId = resources.values().stream()
                .filter(r -> NativeResources.isFunction(r.type()) && serviceToken.equals(r.attributes().get("Arn")))
                .map(Deployed::logicalId).findFirst()
                .orElseThrow(() -> new IllegalStateException("ServiceToken " + serviceToken + " is no function of this stack"));
        return function(functionId);
    }

    @SuppressWarnings("unchecked")
    private PackagedFunction function(String functionId) {
        PackagedFunction running = functions.get(functionId);
        if (running != null) {
            return running;
        }
        Map<String, Object> properties = model.template().functionProperties(functionId);
        Map<String, Object> environment = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
        Map<String, Object> variables = (Map<String, Object>) model.intrinsics(this::ref, this::getAtt)
                .resolve(environment.getOrDefault("Variables", Map.of()));
        Map<String, String> env = new LinkedHashMap<>();
        variables.forEach((name, value) -> env.put(name, String.valueOf(value)));
        PackagedFunction started = PackagedFunction.fromTemplate(model.template(), functionId)
                .environment(env)
                .endpoint(moto)
                .environment("AWS_ENDPOINT_URL_EC2", gapsProxy.endpointUrl())
                .environment("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", gapsProxy.endpointUrl())
                .recordApiCallsTo(apiCallDir.resolve(functionId + ".log"))
                .start();
        functions.put(functionId, started);
        return started;
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

    private Map<String, Object> properties(String id) {
        return model.properties(id, this::ref, this::getAtt);
    }

    private void setParameters(Map<String, Object> values) {
        model.setParameters(values, this::pseudoParameter);
    }

    private Object ref(String name) {
        if (model.parameters().containsKey(name)) {
            return model.parameters().get(name);
        }
        Object pseudo = pseudoParameter(name);
        if (pseudo != null) {
            return pseudo;
        }
        Deployed deployed = resources.get(name);
        if (deployed == null) {
            throw new IllegalStateException("Ref " + name + ": no such parameter or created resource");
        }
        return deployed.physicalId();
    }

    private Object pseudoParameter(String name) {
        return switch (name) {
            case "AWS::Region" -> NativeResources.REGION;
            case "AWS::AccountId" -> NativeResources.ACCOUNT;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> stackName;
            case "AWS::StackId" -> stackId;
            case "AWS::NoValue" -> Intrinsics.NO_VALUE;
            default -> null;
        };
    }

    private Object getAtt(String resource, String attribute) {
        Deployed deployed = resources.get(resource);
        if (deployed == null || !deployed.attributes().containsKey(attribute)) {
            throw new IllegalStateException("Fn::GetAtt " + resource + "." + attribute + " is not available");
        }
        return deployed.attributes().get(attribute);
    }

    private void stackEvent(String newStatus, String reason) {
        status = newStatus;
        events.accept(line(newStatus, stackName, "AWS::CloudFormation::Stack", reason));
    }

    private void resourceEvent(String resourceStatus, String logicalId, String type, String reason) {
        events.accept(line(resourceStatus, logicalId, type, reason));
    }

    private static String line(String status, String logicalId, String type, String reason) {
        return String.format("%s  %-44s %-34s %-38s %s", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), status, logicalId, type,
                reason == null ? "" : reason).stripTrailing();
    }

    @Override
    public void close() {
        functions.values().forEach(PackagedFunction::close);
        gapsProxy.close();
        invoker.close();
    }
}
