package io.e6link.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed, validating access to a request's ResourceProperties (or OldResourceProperties), named as in
 * <a href="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html">custom
 * resource request objects</a>. CloudFormation passes every scalar as a string
 * (numbers and booleans included), so the readers accept both forms. Errors name the property, or
 * the template parameter it comes from once {@link #from(PropertySources)} has said which.
 */
public final class ResourceProperties {
    private final Map<String, Object> values;
    private final PropertySources sources;

    public ResourceProperties(Map<String, Object> values) {
        this(values, PropertySources.NONE);
    }

    private ResourceProperties(Map<String, Object> values, PropertySources sources) {
        this.values = values;
        this.sources = sources;
    }

    /** The same values, with errors naming where each property comes from in the template. */
    public ResourceProperties from(PropertySources templateSources) {
        return new ResourceProperties(values, templateSources);
    }

    /** An exception for an invalid value, named like this reader's own errors. */
    public InvalidPropertyException invalid(String name, Object value, String expectation) {
        return sources.invalid(name, value, expectation);
    }

    public static ResourceProperties of(Map<String, Object> values) {
        return new ResourceProperties(values);
    }

    /** False when the event carried no ResourceProperties at all (malformed event). */
    public boolean present() {
        return values != null;
    }

    public boolean isEmpty() {
        return values == null || values.isEmpty();
    }

    public Map<String, Object> asMap() {
        return values == null ? Map.of() : Collections.unmodifiableMap(values);
    }

    public String requiredString(String name) {
        Object value = raw(name);
        if (value == null || value.toString().isBlank()) {
            throw invalid(name, null, "a value is required");
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw invalid(name, value, "expected a single string");
        }
        return value.toString().trim();
    }

    public String optionalString(String name, String defaultValue) {
        Object value = raw(name);
        return value == null || value.toString().isBlank() ? defaultValue : value.toString().trim();
    }

    /** A list given either as a JSON list or as one comma-separated string; blanks are dropped. */
    public List<String> stringList(String name, boolean required) {
        Object value = raw(name);
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    throw invalid(name, value, "expected a list of strings");
                }
                addTrimmed(items, item == null ? "" : item.toString());
            }
        } else if (value != null) {
            Arrays.stream(value.toString().split(",")).forEach(item -> addTrimmed(items, item));
        }
        if (required && items.isEmpty()) {
            throw invalid(name, value, "at least one item is required");
        }
        return List.copyOf(items);
    }

    public boolean bool(String name, boolean defaultValue) {
        Object value = raw(name);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        String text = value.toString().trim().toLowerCase();
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, value, "expected true or false");
        };
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Object value = raw(name);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.toString().trim());
            if (parsed < min || parsed > max) {
                throw invalid(name, value, "expected an integer from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(name, value, "expected an integer from " + min + " to " + max);
        }
    }

    private Object raw(String name) {
        return values == null ? null : values.get(name);
    }

    private static void addTrimmed(List<String> items, String item) {
        String trimmed = item.trim();
        if (!trimmed.isEmpty()) {
            items.add(trimmed);
        }
    }
}
