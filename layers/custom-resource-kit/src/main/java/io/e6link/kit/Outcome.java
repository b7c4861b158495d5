package io.e6link.kit;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a successful operation hands back: the physical id and the data attributes. */
public record Outcome(String physicalResourceId, Map<String, String> data) {

    public Outcome {
        if (physicalResourceId == null || physicalResourceId.isBlank()) {
            throw new IllegalArgumentException("physicalResourceId must not be empty");
        }
        data = Map.copyOf(data);
    }

    public static Builder of(String physicalResourceId) {
        return new Builder(physicalResourceId);
    }

    /** Builds the attribute map; list attributes are comma-joined (the template uses !Split). */
    public static final class Builder {
        private final String physicalResourceId;
        private final Map<String, String> data = new LinkedHashMap<>();

        private Builder(String physicalResourceId) {
            this.physicalResourceId = physicalResourceId;
        }

        public Builder with(String name, Object value) {
            data.put(name, value == null ? "" : value.toString());
            return this;
        }

        public Builder withList(String name, Collection<String> values) {
            data.put(name, String.join(",", values));
            return this;
        }

        public Outcome build() {
            return new Outcome(physicalResourceId, data);
        }
    }
}
