package io.e6link.testing;

import io.e6link.kit.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the sample events in {@code events/} (the same files {@code sam local invoke -e} uses) and
 * adapts them for a test: the response URL, and property overrides from real moto state.
 */
public final class Events {
    private Events() {
    }

    public static Path projectRoot() {
        String root = System.getProperty("e6link.root");
        Path path = root == null ? Path.of("").toAbsolutePath() : Path.of(root);
        while (path != null && !Files.exists(path.resolve("events"))) {
            path = path.getParent();
        }
        if (path == null) {
            throw new IllegalStateException("cannot find the project root (a folder with events/)");
        }
        return path;
    }

    /** {@code events/<name>} as a mutable map, e.g. {@code load("eks-cluster-discovery/create.json")}. */
    public static Map<String, Object> load(String name) {
        try {
            return new LinkedHashMap<>(Json.readObject(Files.readString(projectRoot().resolve("events").resolve(name))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event with its ResponseURL pointed at the recorder and properties overridden. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> prepare(String name, String responseUrl, Map<String, Object> propertyOverrides) {
        Map<String, Object> event = load(name);
        event.put("ResponseURL", responseUrl);
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) event.getOrDefault("ResourceProperties", Map.of()));
        properties.putAll(propertyOverrides);
        event.put("ResourceProperties", properties);
        return event;
    }

    public static String json(Map<String, Object> event) {
        return Json.write(event);
    }
}
