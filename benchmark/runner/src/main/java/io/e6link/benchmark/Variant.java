package io.e6link.benchmark;

import io.e6link.testing.PackagedFunction;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A way of running a subject: which template entry (real function, baseline, memory size) and which
 * JVM-level lever (environment, a wrapper that edits the JVM command line). Every variant runs under
 * {@code taskset -c 0} with the flags of Lambda's java21 runtime.
 */
record Variant(String name, Template template, Function<Subject, String> logicalId,
               Function<Subject, Map<String, String>> environment, Path wrapper) {

    static Variant of(String name, Template template, Function<Subject, String> logicalId) {
        return new Variant(name, template, logicalId, subject -> Map.of(), null);
    }

    Variant withEnvironment(Function<Subject, Map<String, String>> extra) {
        Function<Subject, Map<String, String>> before = environment;
        return new Variant(name, template, logicalId, subject -> {
            Map<String, String> merged = new LinkedHashMap<>(before.apply(subject));
            merged.putAll(extra.apply(subject));
            return merged;
        }, wrapper);
    }

    Variant withWrapper(Path script) {
        return new Variant(name, template, logicalId, environment, script);
    }

    Variant named(String newName) {
        return new Variant(newName, template, logicalId, environment, wrapper);
    }

    PackagedFunction start(Subject subject, Map<String, String> baseEnvironment) {
        List<String> prefix = new ArrayList<>(List.of("taskset", "-c", "0"));
        if (wrapper != null) {
            prefix.add(wrapper.toString());
        }
        return PackagedFunction.fromTemplate(template, logicalId.apply(subject))
                .withoutCallRecorder()
                .commandPrefix(prefix.toArray(String[]::new))
                .environment(baseEnvironment)
                .environment(environment.apply(subject))
                .start();
    }
}
