package io.e6link.acceptance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The stack under test in a real account, through CloudFormation: CreateStack/UpdateStack/DeleteStack
 * with the template URL (a release, or the local build uploaded by {@link #uploadLocalBuild}), the stack
 * tagged with the run (CloudFormation propagates stack tags to the resources that take tags), and a
 * poll of DescribeStacks every 15 s until the status leaves *_IN_PROGRESS, with progress lines.
 */
final class CloudFormationStack implements StackDriver {
    static final Duration POLL = Duration.ofSeconds(15);
    static final Duration BOUND = Duration.ofMinutes(60);
    private static final Pattern CODE_URI = Pattern.compile("^(\\s*(?:CodeUri|ContentUri):\\s*)(\\S+\\.zip)\\s*$", Pattern.MULTILINE);

    private final Clients clients;
    private final String name;
    private final List<Tag> tags = new ArrayList<>();
    private final String templateUrl;
    private final Progress progress;
    private final Instant started;
    private String stackId;

    CloudFormationStack(Clients clients, String name, Map<String, String> tags, String templateUrl, Progress progress) {
        this.clients = clients;
        this.name = name;
        tags.forEach((k, v) -> this.tags.add(Tag.builder().key(k).value(v).build()));
        this.templateUrl = templateUrl;
        this.progress = progress;
        this.started = progress.clock().instant();
    }

    /**
     * Uploads the local build: every {@code CodeUri}/{@code ContentUri} zip of {@code template} to
     * {@code bucket}, then the template rewritten to name those objects (s3://bucket/key; the SAM
     * transform accepts it).
     *
     * @return the template's https URL in the bucket
     */
    static String uploadLocalBuild(Clients clients, String region, String bucket, Path template) throws java.io.IOException {
        Path root = template.toAbsolutePath().getParent();
        String text = Files.readString(template);
        Matcher matcher = CODE_URI.matcher(text);
        StringBuilder rewritten = new StringBuilder();
        while (matcher.find()) {
            Path zip = root.resolve(matcher.group(2));
            if (!Files.isRegularFile(zip)) {
                throw new Refusal("--template " + template + " names " + matcher.group(2) + ", which is not built (run ./mvnw -B package -DskipTests).");
            }
            String key = "code/" + zip.getFileName();
            clients.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(zip));
            matcher.appendReplacement(rewritten, Matcher.quoteReplacement(matcher.group(1) + "s3://" + bucket + "/" + key));
        }
        matcher.appendTail(rewritten);
        clients.s3().putObject(b -> b.bucket(bucket).key("template.yaml"), RequestBody.fromString(rewritten.toString()));
        return "https://" + bucket + ".s3." + region + ".amazonaws.com/template.yaml";
    }

    /**
     * The first zip a local template names that is not built, or null when all are (checked before
     * anything is created).
     */
    static String missingArtifact(Path template) throws java.io.IOException {
        Matcher matcher = CODE_URI.matcher(Files.readString(template));
        while (matcher.find()) {
            if (!Files.isRegularFile(template.toAbsolutePath().getParent().resolve(matcher.group(2)))) {
                return matcher.group(2);
            }
        }
        return null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String stackId() {
        return stackId;
    }

    @Override
    public Outcome create(Map<String, String> parameters) {
        Instant start = progress.clock().instant();
        stackId = clients.cloudFormation().createStack(b -> b.stackName(name).templateURL(templateUrl).parameters(parameters(parameters, false))
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND).tags(tags)).stackId();
        return settle("CREATE", start);
    }

    @Override
    public Outcome update(Map<String, String> parameters) {
        Instant start = progress.clock().instant();
        try {
            clients.cloudFormation().updateStack(b -> b.stackName(stackId).usePreviousTemplate(true).parameters(parameters(parameters, true))
                    .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND).tags(tags));
        } catch (CloudFormationException e) {
            return new Outcome("ValidationError", e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage(), 0);
        }
        return settle("UPDATE", start);
    }

    @Override
    public Outcome delete() {
        if (stackId == null) {
            return new Outcome("DELETE_COMPLETE", "never created", 0);
        }
        Instant start = progress.clock().instant();
        clients.cloudFormation().deleteStack(b -> b.stackName(stackId));
        return settle("DELETE", start);
    }

    @Override
    public Map<String, String> outputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        stack().outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        return outputs;
    }

    @Override
    public String physicalId(String logicalId) {
        try {
            return clients.cloudFormation().describeStackResource(b -> b.stackName(stackId == null ? name : stackId).logicalResourceId(logicalId))
                    .stackResourceDetail().physicalResourceId();
        } catch (CloudFormationException notYet) {
            return null;
        }
    }

    /** CloudWatch Logs Insights over the stack's log groups (/e6link/<stack>/...) since the run started. */
    @Override
    public List<String> deniedCalls() {
        List<String> groups = clients.logs().describeLogGroupsPaginator(b -> b.logGroupNamePrefix("/e6link/" + name + "/")).logGroups().stream()
                .map(LogGroup::logGroupName).toList();
        if (groups.isEmpty()) {
            return List.of("no log group /e6link/" + name + "/* to search");
        }
        String queryId = clients.logs().startQuery(b -> b.logGroupNames(groups).startTime(started.getEpochSecond())
                .endTime(progress.clock().instant().getEpochSecond() + 60)
                .queryString("fields @timestamp, @log, @message | filter @message like /AccessDenied|not authorized|UnauthorizedOperation/ | limit 50")).queryId();
        for (int i = 0; i < 60; i++) {
            var results = clients.logs().getQueryResults(b -> b.queryId(queryId));
            String status = results.statusAsString();
            if ("Complete".equals(status)) {
                List<String> lines = new ArrayList<>();
                results.results().forEach(row -> lines.add(row.stream().filter(f -> !"@ptr".equals(f.field())).map(ResultField::value)
                        .reduce((x, y) -> x + " " + y).orElse("")));
                return lines;
            }
            if ("Failed".equals(status) || "Cancelled".equals(status) || "Timeout".equals(status)) {
                throw new IllegalStateException("the Logs Insights query ended " + status);
            }
            pause(Duration.ofSeconds(2));
        }
        throw new IllegalStateException("the Logs Insights query did not complete within 2 minutes");
    }

    @Override
    public Map<String, Integer> reservedConcurrency() {
        Map<String, Integer> reserved = new LinkedHashMap<>();
        for (StackResourceSummary resource : clients.cloudFormation().listStackResourcesPaginator(b -> b.stackName(stackId)).stackResourceSummaries()) {
            if ("AWS::Lambda::Function".equals(resource.resourceType())) {
                try {
                    reserved.put(resource.physicalResourceId(), clients.lambda().getFunctionConcurrency(b -> b.functionName(resource.physicalResourceId()))
                            .reservedConcurrentExecutions());
                } catch (ResourceNotFoundException gone) {
                    reserved.put(resource.physicalResourceId(), null);
                }
            }
        }
        return reserved;
    }

    private Outcome settle(String operation, Instant start) {
        Instant lastNote = progress.waiting("stack " + name + " " + operation + " to finish (polling every " + POLL.toSeconds() + " s)", BOUND);
        String status;
        while (true) {
            Stack stack = stack();
            status = stack == null ? "DELETE_COMPLETE" : stack.stackStatusAsString();
            if (!status.endsWith("_IN_PROGRESS") || progress.clock().instant().isAfter(start.plus(BOUND))) {
                break;
            }
            if (Duration.between(lastNote, progress.clock().instant()).toSeconds() >= 60) {
                progress.still("stack " + name + " " + operation, start, status);
                lastNote = progress.clock().instant();
            }
            pause(POLL);
        }
        Duration took = progress.waited("stack " + name + " " + operation, start, status);
        String reason = status.endsWith("_COMPLETE") && !status.contains("ROLLBACK") ? null : firstFailure();
        return new Outcome(status, reason, took.toMillis() / 1000.0);
    }

    /** The stack, or null once it is deleted (DescribeStacks by id keeps answering DELETE_COMPLETE for 90 days). */
    private Stack stack() {
        try {
            return clients.cloudFormation().describeStacks(b -> b.stackName(stackId)).stacks().stream().findFirst().orElse(null);
        } catch (CloudFormationException gone) {
            return null;
        }
    }

    private String firstFailure() {
        List<StackEvent> events = new ArrayList<>(clients.cloudFormation().describeStackEvents(b -> b.stackName(stackId)).stackEvents());
        java.util.Collections.reverse(events);
        return events.stream().filter(e -> e.timestamp() != null && !e.timestamp().isBefore(started))
                .filter(e -> e.resourceStatusAsString() != null && e.resourceStatusAsString().endsWith("_FAILED"))
                .map(e -> e.logicalResourceId() + ": " + e.resourceStatusReason()).findFirst().orElse(null);
    }

    private List<Parameter> parameters(Map<String, String> values, boolean keepOthers) {
        List<Parameter> parameters = new ArrayList<>();
        values.forEach((k, v) -> parameters.add(Parameter.builder().parameterKey(k).parameterValue(v).build()));
        if (keepOthers && stackId != null) {
            Stack stack = stack();
            if (stack != null) {
                stack.parameters().stream().filter(p -> !values.containsKey(p.parameterKey()))
                        .forEach(p -> parameters.add(Parameter.builder().parameterKey(p.parameterKey()).usePreviousValue(true).build()));
            }
        }
        return parameters;
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
