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
 * {@code taskset -c 0} with the flags of Lambda's java21 runtime for the entry's MemorySize and, when
 * {@code cpuShare} is set, in the CPU-share cgroup of that MemorySize (Lambda's vCPU share).
 */
record Variant(String name, Template template, Function<Subject, String> logicalId,
               Function<Subject, Map<String, String>> environment, Path wrapper, CpuShare cpuShare) {

    static Variant of(String name, Template template, Function<Subject, String> logicalId, CpuShare cpuShare) {
        return new Variant(name, template, logicalId, subject -> Map.of(), null, cpuShare);
    }

    Variant withEnvironment(Function<Subject, Map<String, String>> extra) {
        Function<Subject, Map<String, String>> before = environment;
        return new Variant(name, template, logicalId, subject -> {
            Map<String, String> merged = new LinkedHashMap<>(before.apply(subject));
            merged.putAll(extra.apply(subject));
            return merged;
        }, wrapper, cpuShare);
    }

    Variant withWrapper(Path script) {
        return new Variant(name, template, logicalId, environment, script, cpuShare);
    }

    Variant named(String newName) {
        return new Variant(newName, template, logicalId, environment, wrapper, cpuShare);
    }

    /** The MemorySize (MB) this variant runs the subject with: the template entry's own, else Globals'. */
    int memorySize(Subject subject) {
        return Integer.parseInt(String.valueOf(template.functionProperties(logicalId.apply(subject)).get("MemorySize")));
    }

    PackagedFunction start(Subject subject, Map<String, String> baseEnvironment) {
        List<String> prefix = new ArrayList<>();
        if (cpuShare != null) {
            prefix.addAll(cpuShare.prefix(memorySize(subject)));
        }
        prefix.addAll(List.of("taskset", "-c", "0"));
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
