package io.e6link.stack;

import io.e6link.kit.Json;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sends CloudFormation's custom-resource events to a packaged function and reads the one answer
 * CloudFormation keeps, as CloudFormation does: asynchronously (so Lambda may deliver an event twice
 * with the same RequestId), waiting at most the resource's {@code ServiceTimeout}, and treating a
 * missing answer as FAILED.
 */
final class CustomResourceInvoker implements AutoCloseable {
    /** How the next event of one resource reaches its function and how its answer comes back. */
    enum Delivery {
        /** One invocation, its answer read. */
        NORMAL,
        /** Lambda's asynchronous retry: the same event (same RequestId) is invoked twice; the first answer counts. */
        TWICE,
        /** The function runs, but its answer never reaches CloudFormation: the resource times out. */
        ANSWER_LOST
    }

    /**
     * What CloudFormation made of one request.
     *
     * @param answered false when no answer arrived within ServiceTimeout
     * @param millis   how long the function's (first) invocation took, cold start included when it started the function
     */
    record Answer(boolean answered, String status, String reason, String physicalResourceId, Map<String, String> data, long millis) {
        boolean succeeded() {
            return answered && "SUCCESS".equals(status);
        }
    }

    private final String stackId;
    private final ResponseRecorder recorder = new ResponseRecorder();
    private final Function<String, PackagedFunction> functionByServiceToken;
    private final Map<String, Delivery> nextDelivery = new LinkedHashMap<>();

    CustomResourceInvoker(String stackId, Function<String, PackagedFunction> functionByServiceToken) {
        this.stackId = stackId;
        this.functionByServiceToken = functionByServiceToken;
    }

    /** The next event for {@code logicalId} of {@code requestType} is delivered this way (once). */
    void deliverNext(String logicalId, String requestType, Delivery delivery) {
        nextDelivery.put(logicalId + " " + requestType, delivery);
    }

    /**
     * Sends one event and returns CloudFormation's view of the answer.
     *
     * @param physicalId    null on Create
     * @param oldProperties non-null on Update only
     */
    Answer send(String requestType, String logicalId, String type, Map<String, Object> properties, String physicalId,
                Map<String, Object> oldProperties) {
        String serviceToken = String.valueOf(properties.get("ServiceToken"));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", requestType);
        event.put("ServiceToken", serviceToken);
        event.put("ResponseURL", recorder.newUrl());
        event.put("StackId", stackId);
        event.put("RequestId", UUID.randomUUID().toString());
        event.put("LogicalResourceId", logicalId);
        event.put("ResourceType", type);
        if (physicalId != null) {
            event.put("PhysicalResourceId", physicalId);
        }
        event.put("ResourceProperties", asCloudFormationSends(properties));
        if (oldProperties != null) {
            event.put("OldResourceProperties", asCloudFormationSends(oldProperties));
        }
        Delivery delivery = nextDelivery.getOrDefault(logicalId + " " + requestType, Delivery.NORMAL);
        nextDelivery.remove(logicalId + " " + requestType);
        PackagedFunction function = functionByServiceToken.apply(serviceToken);
        String json = Json.write(event);
        long millis = invoke(function, logicalId, json);
        if (delivery == Delivery.ANSWER_LOST) {
            recorder.drain();
            return new Answer(false, "FAILED", "CloudFormation did not receive a response from your Custom Resource within its ServiceTimeout of "
                    + properties.getOrDefault("ServiceTimeout", "3600") + " seconds", null, Map.of(), millis);
        }
        ResponseRecorder.Put put = recorder.await(Duration.ofSeconds(10));
        if (delivery == Delivery.TWICE) {
            invoke(function, logicalId, json);
            recorder.drain();
        }
        return new Answer(true, put.status(), put.reason(), put.physicalResourceId(), put.data(), millis);
    }

    private static long invoke(PackagedFunction function, String logicalId, String event) {
        PackagedFunction.Invocation invocation = function.invoke(event);
        if (invocation.error()) {
            throw new IllegalStateException(logicalId + ": the function failed as a Lambda invocation: " + invocation.body());
        }
        return invocation.millis();
    }

    /** Properties as CloudFormation passes them to a custom resource: every scalar becomes a string. */
    @SuppressWarnings("unchecked")
    static Object asCloudFormationSends(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> out.put(key, asCloudFormationSends(item)));
            return out;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(CustomResourceInvoker::asCloudFormationSends).toList();
        }
        return value == null ? null : String.valueOf(value);
    }

    @Override
    public void close() {
        recorder.close();
    }
}
