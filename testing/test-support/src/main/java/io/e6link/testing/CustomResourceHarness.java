package io.e6link.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drives a custom-resource function in process through its real entry point
 * ({@code RequestStreamHandler.handleRequest}) the way CloudFormation does: an event from
 * {@code events/}, then the response read back from the recorded PUT.
 */
public final class CustomResourceHarness implements AutoCloseable {
    private final RequestStreamHandler function;
    private final ResponseRecorder recorder = new ResponseRecorder();
    private long remainingMillis = 120_000;

    public CustomResourceHarness(RequestStreamHandler function) {
        this.function = function;
    }

    public CustomResourceHarness remainingMillis(long millis) {
        this.remainingMillis = millis;
        return this;
    }

    public ResponseRecorder recorder() {
        return recorder;
    }

    public ResponseRecorder.Put create(String eventFile, Map<String, Object> properties) {
        Map<String, Object> event = Events.prepare(eventFile, recorder.newUrl(), properties);
        event.put("RequestType", "Create");
        event.remove("PhysicalResourceId");
        event.remove("OldResourceProperties");
        return send(event);
    }

    public ResponseRecorder.Put update(String eventFile, String physicalResourceId, Map<String, Object> properties,
                                       Map<String, Object> oldProperties) {
        Map<String, Object> event = Events.prepare(eventFile, recorder.newUrl(), properties);
        event.put("RequestType", "Update");
        event.put("PhysicalResourceId", physicalResourceId);
        Map<String, Object> old = new LinkedHashMap<>(Events.load(eventFile).containsKey("ResourceProperties")
                ? castMap(Events.load(eventFile).get("ResourceProperties")) : Map.of());
        old.putAll(oldProperties);
        event.put("OldResourceProperties", old);
        return send(event);
    }

    public ResponseRecorder.Put delete(String eventFile, String physicalResourceId, Map<String, Object> properties) {
        Map<String, Object> event = Events.prepare(eventFile, recorder.newUrl(), properties);
        event.put("RequestType", "Delete");
        event.put("PhysicalResourceId", physicalResourceId);
        event.remove("OldResourceProperties");
        return send(event);
    }

    /** Invokes with the event as given (its ResponseURL must point at {@link #recorder()}). */
    public ResponseRecorder.Put send(Map<String, Object> event) {
        invokeRaw(Events.json(event));
        return recorder.await(Duration.ofSeconds(5));
    }

    /** Invokes with raw bytes and returns what the handler wrote to its output stream. */
    public String invokeRaw(String payload) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), output, new TestContext(remainingMillis));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    @Override
    public void close() {
        recorder.close();
    }
}
