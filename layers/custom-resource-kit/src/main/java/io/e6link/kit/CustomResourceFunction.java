package io.e6link.kit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Lambda entry point of every custom resource. {@link #handleRequest} is final: it parses the
 * event, dispatches to the resource, and answers CloudFormation exactly once whatever happens —
 * exceptions, a resource that cannot even be constructed, or a resource still running when the
 * Lambda deadline approaches (the kit answers FAILED first and interrupts the work).
 *
 * <p>Subclasses are one-liners that name the resource type (with how its properties are read, see
 * {@link CustomResourceType}) and how to build the resource. The resource (and the SDK clients it
 * holds) is built on first use inside the guarded path, so a failure to build it still answers the
 * event, and then reused by later invocations.
 *
 * <p>Every Delete whose properties validate reaches the resource, whatever its physical id: the id
 * this function answered, the {@linkplain #FAILED_CREATE_ID_PREFIX placeholder} of a failed Create,
 * or an id CloudFormation made up because it never received the Create's answer. A Create can fail
 * after it changed something, and the Delete that follows is the only chance to remove it, so
 * resources decide what a Delete removes from the ownership tag and the properties, never from the
 * id alone. A Delete whose properties do not validate succeeds without calling the resource: nothing
 * can have been made from them.
 *
 * <p>The kit keeps no state between invocations (a retried event may land on another instance), so
 * the same RequestId delivered twice reaches the resource twice; its operations are idempotent.
 */
public abstract class CustomResourceFunction implements RequestStreamHandler {
    /**
     * Prefix of the id answered for a failed Create. CloudFormation sends the rollback Delete with it;
     * that Delete reaches the resource like any other, so what the failed Create left is removed.
     */
    public static final String FAILED_CREATE_ID_PREFIX = "e6link-create-failed-";
    /** Time kept back from the Lambda deadline to deliver the FAILED response. */
    private static final Duration RESPONSE_RESERVE = Duration.ofSeconds(5);
    private static final long DEFAULT_REMAINING_MILLIS = 60_000;

    private final CustomResourceType<?> type;
    private final Supplier<? extends CustomResource<?>> factory;
    private final ResponseSender sender;
    private final JsonLog log;
    private final ExecutorService worker = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "custom-resource");
        thread.setDaemon(true);
        return thread;
    });
    private final Lazy<CustomResource<?>> resource = new Lazy<>(this::newResource);

    /**
     * @param type the resource type and how its properties are read
     * @param factory builds the resource (and its SDK clients) on first use; what it throws fails that
     *     event with a reason and the next event tries again
     */
    protected <P> CustomResourceFunction(CustomResourceType<P> type, Supplier<? extends CustomResource<P>> factory) {
        this(type, factory, ResponseSender.create(), JsonLog.stdout());
    }

    /** As {@link #CustomResourceFunction(CustomResourceType, Supplier)}, answering through {@code sender} and logging to {@code log}. */
    protected <P> CustomResourceFunction(CustomResourceType<P> type, Supplier<? extends CustomResource<P>> factory,
                                         ResponseSender sender, JsonLog log) {
        this.type = type;
        this.factory = factory;
        this.sender = sender;
        this.log = log;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long lambdaRemaining = context == null ? DEFAULT_REMAINING_MILLIS : context.getRemainingTimeInMillis();
        Deadline lambdaDeadline = Deadline.after(Duration.ofMillis(lambdaRemaining - 200));
        Map<String, Object> event;
        try {
            event = Json.readObject(input);
        } catch (IOException | RuntimeException e) {
            // Without a parseable event there is no ResponseURL to answer; say so loudly instead.
            log.error("Event is not a JSON object; nothing can be answered", Map.of("error", String.valueOf(e.getMessage())));
            output.write("{\"Status\":\"IGNORED\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String status = respondOnce(event, lambdaDeadline);
        output.write(("{\"Status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private String respondOnce(Map<String, Object> event, Deadline lambdaDeadline) {
        long started = System.nanoTime();
        CustomResourceRequest request;
        try {
            request = CustomResourceRequest.fromEvent(event);
        } catch (CustomResourceException e) {
            request = fallbackRequest(event);
            if (request.responseUrl() == null) {
                log.error("Malformed event without ResponseURL; nothing can be answered", withReason(fields(request), e.getMessage()));
                return "IGNORED";
            }
            return finish(request, ResponseBody.failed(request, idForFailure(request), e.getMessage()), "FAILED", e.getMessage(), started, lambdaDeadline);
        }
        if (request.responseUrl() == null) {
            log.error("Event has no ResponseURL; nothing can be answered", fields(request));
            return "IGNORED";
        }
        Duration budget = Duration.ofMillis(Math.max(1000, lambdaDeadline.remainingMillis() - RESPONSE_RESERVE.toMillis()));
        Deadline deadline = Deadline.after(budget);
        CustomResourceRequest finalRequest = request;
        Future<Outcome> work = worker.submit(() -> dispatch(finalRequest, deadline));
        try {
            Outcome outcome = work.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            return finish(request, ResponseBody.success(request, outcome), "SUCCESS", null, started, lambdaDeadline);
        } catch (TimeoutException e) {
            work.cancel(true);
            String reason = "Timed out after " + Math.round(budget.toMillis() / 1000.0) + " s while " + deadline.currentStep() + ".";
            return finish(request, ResponseBody.failed(request, idForFailure(request), reason), "FAILED", reason, started, lambdaDeadline);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = AwsErrors.reason(cause);
            if (!(cause instanceof CustomResourceException)) {
                log.error("Unexpected failure", withError(fields(request), cause));
            }
            return finish(request, ResponseBody.failed(request, idForFailure(request), reason), "FAILED", reason, started, lambdaDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.cancel(true);
            String reason = "The function was interrupted while " + deadline.currentStep() + ".";
            return finish(request, ResponseBody.failed(request, idForFailure(request), reason), "FAILED", reason, started, lambdaDeadline);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Outcome dispatch(CustomResourceRequest request, Deadline deadline) {
        if (!request.properties().present()) {
            throw new CustomResourceException("The event has no ResourceProperties; it is not a CloudFormation custom resource request.");
        }
        deadline.step("initialising the " + type.name() + " function");
        CustomResource typed = resource.get();
        Object properties;
        try {
            properties = type.parse(request.properties());
        } catch (CustomResourceException invalid) {
            if (request.requestType() == RequestType.Delete) {
                // Nothing can have been created from properties that never validated.
                log.warn("Delete with invalid properties treated as already deleted", withReason(fields(request), invalid.getMessage()));
                return Outcome.of(request.physicalResourceId()).build();
            }
            throw invalid;
        }
        deadline.step(request.requestType().name().toLowerCase() + " of " + type.name() + " " + request.logicalResourceId());
        return switch (request.requestType()) {
            case Create -> typed.create(new Invocation(request, properties, null, deadline));
            case Update -> typed.update(new Invocation(request, properties, oldProperties(request, properties), deadline));
            case Delete -> {
                typed.delete(new Invocation(request, properties, null, deadline));
                yield Outcome.of(request.physicalResourceId()).build();
            }
        };
    }

    /**
     * The previous properties of an Update. When they do not validate, nothing can have been made from
     * them, so the Update proceeds from the new ones alone: CloudFormation's rollback of a rejected
     * Update sends the rejected values as {@code OldResourceProperties}, and failing on them would
     * leave the stack in UPDATE_ROLLBACK_FAILED.
     */
    private Object oldProperties(CustomResourceRequest request, Object properties) {
        try {
            return type.parse(request.oldProperties());
        } catch (CustomResourceException invalid) {
            log.warn("OldResourceProperties do not validate (nothing was made from them); updating from ResourceProperties alone",
                    withReason(fields(request), invalid.getMessage()));
            return properties;
        }
    }

    private CustomResource<?> newResource() {
        return factory.get();
    }

    private String finish(CustomResourceRequest request, String body, String status, String reason,
                          long startedNanos, Deadline lambdaDeadline) {
        boolean delivered = sender.send(request.responseUrl(), body, lambdaDeadline);
        Map<String, Object> line = fields(request);
        line.put("outcome", status);
        line.put("ms", (System.nanoTime() - startedNanos) / 1_000_000);
        line.put("responseDelivered", delivered);
        if (reason != null) {
            line.put("reason", reason);
        }
        if (!delivered) {
            log.error("Custom resource operation finished but CloudFormation did not accept the response", line);
        } else if ("FAILED".equals(status)) {
            log.error("Custom resource operation failed", line);
        } else {
            log.info("Custom resource operation succeeded", line);
        }
        return status;
    }

    private Map<String, Object> fields(CustomResourceRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", request.requestId());
        fields.put("resourceType", type.name());
        fields.put("logicalResourceId", request.logicalResourceId());
        fields.put("action", request.requestType() == null ? null : request.requestType().name());
        fields.put("physicalResourceId", request.physicalResourceId());
        return fields;
    }

    private static Map<String, Object> withReason(Map<String, Object> fields, String reason) {
        fields.put("reason", reason);
        return fields;
    }

    private static Map<String, Object> withError(Map<String, Object> fields, Throwable error) {
        fields.put("error", error.toString());
        StackTraceElement[] trace = error.getStackTrace();
        if (trace.length > 0) {
            fields.put("at", trace[0].toString());
        }
        return fields;
    }

    /** Keep the event's id (Update/Delete); a failed Create gets a recognisable placeholder (unique per RequestId). */
    private static String idForFailure(CustomResourceRequest request) {
        String id = request.physicalResourceId();
        if (id != null && !id.isBlank()) {
            return id;
        }
        return FAILED_CREATE_ID_PREFIX + (request.requestId() == null ? "unknown" : request.requestId());
    }

    /** True for the id a failed Create answered with; resources treat it like any id that is not theirs. */
    public static boolean isFailedCreatePlaceholder(String physicalResourceId) {
        return physicalResourceId != null && physicalResourceId.startsWith(FAILED_CREATE_ID_PREFIX);
    }

    /** For events whose RequestType cannot be parsed: enough to answer them. */
    private static CustomResourceRequest fallbackRequest(Map<String, Object> event) {
        return new CustomResourceRequest(null,
                stringOrNull(event.get("RequestId")), stringOrNull(event.get("StackId")),
                stringOrNull(event.get("LogicalResourceId")), stringOrNull(event.get("ResourceType")),
                stringOrNull(event.get("PhysicalResourceId")), stringOrNull(event.get("ResponseURL")),
                new ResourceProperties(null), new ResourceProperties(Map.of()));
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : value.toString();
    }
}
