package io.e6link.benchmark;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoServer;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start, warm latency and peak memory of every function against its naive baseline, measured in
 * one run: interleaved samples (ours, baseline, baseline, ours, ...), each a fresh JVM on CPU 0 with
 * Lambda's java21 flags, against moto holding a deployed stack. Then the levers, on a few functions.
 *
 * Then the memory sweep: every function at each memory size, interleaved across sizes and functions.
 * Every JVM runs in the CPU-share cgroup of its MemorySize ({@link CpuShare}: memory ÷ 1,769 MB of a CPU).
 *
 * <p>Options: {@code --runs N} (5), {@code --lever-runs N} (15), {@code --levers F1,F2} (functions to
 * measure levers on; {@code none}, the default, skips them), {@code --sweep 512,1024,1769,3008} (memory
 * sizes in MB; {@code none} skips the sweep), {@code --sweep-runs N} (6), {@code --cpu-share on|off} (on;
 * off gives every sample a whole CPU), {@code --only F1,F2}, {@code --write docs/performance.md}.
 */
public final class Benchmark {
    static final String START_MARK = "<!-- benchmark:start -->";
    static final String END_MARK = "<!-- benchmark:end -->";
    static final String CDS = "ours + AppCDS archive";

    private final Scenario scenario;
    private final Report report;

    private Benchmark(Scenario scenario, Report report) {
        this.scenario = scenario;
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        int leverRuns = Integer.parseInt(options.getOrDefault("lever-runs", "15"));
        List<String> leverFunctions = list(options.getOrDefault("levers", "none"));
        List<String> only = list(options.getOrDefault("only", ""));
        List<Integer> sweep = list(options.getOrDefault("sweep", "512,1024,1769,3008")).stream().map(Integer::valueOf).toList();
        int sweepRuns = Integer.parseInt(options.getOrDefault("sweep-runs", "6"));
        boolean cpuShareOn = switch (options.getOrDefault("cpu-share", "on")) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--cpu-share must be on or off, was " + options.get("cpu-share"));
        };
        Report report = new Report(runs, leverRuns, sweepRuns, cpuShareOn);
        CpuShare cpu = cpuShareOn ? openCpuShare(sweep) : null;
        Moto moto = MotoServer.start();
        if (moto == null) {
            System.err.println(MotoServer.unavailableReason() + " Install it with: pip install 'moto[server]'");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("e6link-benchmark");
        log("deploying the stack on moto (" + moto.endpointUrl() + ")");
        try (Scenario scenario = Scenario.deploy(moto)) {
            Benchmark benchmark = new Benchmark(scenario, report);
            List<Subject> subjects = new ArrayList<>();
            for (Subject subject : Subject.ALL) {
                if (only.isEmpty() || only.contains(subject.functionId())) {
                    String missing = benchmark.missing(subject);
                    if (missing == null) {
                        subjects.add(subject);
                    } else {
                        report.skipped(subject, missing);
                        log("skipping " + subject.functionId() + ": " + missing);
                    }
                }
            }
            Template real = Template.load();
            Template variants = variantTemplate(subjects, sweep);
            Variant ours = Variant.of("ours", real, Subject::functionId, cpu);
            Variant baseline = Variant.of("baseline", variants, subject -> subject.functionId() + "Baseline", cpu);
            Path wrapper = JvmWrapper.write(work);
            Variant lambdaLayout = ours.named("task root via the runtime's class loader").withWrapper(wrapper)
                    .withEnvironment(s -> Map.of("BENCH_TASK_OFF_CLASSPATH", "1"));
            Variant cds = lambdaLayout.named(CDS).withEnvironment(s -> Map.of("JAVA_TOOL_OPTIONS", Cds.useOptions(Cds.existingArchive(work, s))));
            benchmark.train(subjects, lambdaLayout, work);
            benchmark.compare(subjects, List.of(ours, baseline, cds), runs, "main");
            benchmark.artifacts(subjects, ours, baseline, work);
            List<Subject> leverSubjects = subjects.stream().filter(s -> leverFunctions.contains(s.functionId())).toList();
            if (!leverSubjects.isEmpty() && leverRuns > 0) {
                benchmark.levers(leverSubjects, ours, lambdaLayout, wrapper, leverRuns);
            }
            if (!sweep.isEmpty() && sweepRuns > 0) {
                benchmark.sweep(subjects, variants, sweep, cpu, sweepRuns);
            }
        } finally {
            if (cpu != null) {
                cpu.close();
            }
        }
        deleteTree(work);
        String markdown = report.markdown();
        System.out.println(markdown);
        String target = options.get("write");
        if (target != null) {
            write(Path.of(target), markdown);
            log("wrote " + target);
        }
        System.exit(0);
    }

    /** Why a subject cannot run (artifact not built, resource not in the stack), or null. */
    private String missing(Subject subject) {
        Path root = Events.projectRoot();
        Template template = Template.load();
        String codeUri = Template.builtZip((String) template.functionProperties(subject.functionId()).get("CodeUri"), false);
        if (!Files.isRegularFile(root.resolve(codeUri))) {
            return codeUri + " is not built";
        }
        if (!Files.isRegularFile(root.resolve(subject.baselineCodeUri()))) {
            return subject.baselineCodeUri() + " is not built";
        }
        if (!scenario.supports(subject)) {
            return "the deployed stack has no " + subject.customResourceId();
        }
        return null;
    }

    /**
     * The CPU-share groups for the template's memory sizes and the sweep's, or exit 2 naming what is
     * missing (root, the cgroup v1 cpu controller).
     */
    @SuppressWarnings("unchecked")
    private static CpuShare openCpuShare(List<Integer> sweep) {
        try {
            CpuShare.requireAvailable(); // before anything else, so the reason is the first thing said
            Template template = Template.load();
            java.util.Set<Integer> sizes = new java.util.TreeSet<>(sweep);
            template.section("Resources").forEach((id, resource) -> {
                if ("AWS::Serverless::Function".equals(((Map<String, Object>) resource).get("Type"))) {
                    sizes.add(Integer.valueOf(String.valueOf(template.functionProperties(id).get("MemorySize"))));
                }
            });
            return CpuShare.open(sizes);
        } catch (IllegalStateException e) {
            System.err.println("[benchmark] " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /** Baseline and memory-size entries added to a copy of template.yaml. */
    @SuppressWarnings("unchecked")
    private static Template variantTemplate(List<Subject> subjects, List<Integer> memorySizes) {
        Template template = Template.load();
        Map<String, Object> resources = template.section("Resources");
        for (Subject subject : subjects) {
            Map<String, Object> original = (Map<String, Object>) resources.get(subject.functionId());
            Map<String, Object> baseline = copy(original);
            Map<String, Object> properties = (Map<String, Object>) baseline.get("Properties");
            properties.put("CodeUri", subject.baselineCodeUri());
            properties.put("Handler", subject.naiveHandler() + "::handleRequest");
            properties.put("Layers", List.of());
            resources.put(subject.functionId() + "Baseline", baseline);
            for (int memory : memorySizes) {
                Map<String, Object> sized = copy(original);
                ((Map<String, Object>) sized.get("Properties")).put("MemorySize", memory);
                resources.put(subject.functionId() + "Mem" + memory, sized);
            }
        }
        return template;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> resource) {
        Map<String, Object> copy = new LinkedHashMap<>(resource);
        copy.put("Properties", new LinkedHashMap<>((Map<String, Object>) resource.get("Properties")));
        return copy;
    }

    /**
     * One untimed start per variant (unpacks the artifact, fills the page cache, proves it works), then
     * {@code runs} rounds; within a round the variants' order alternates so neither always goes first.
     */
    private void compare(List<Subject> subjects, List<Variant> variants, int runs, String table) {
        compare(subjects, variants, runs, table, variants);
    }

    private void compare(List<Subject> subjects, List<Variant> variants, int runs, String table, List<Variant> warmUps) {
        List<Subject> working = new ArrayList<>();
        for (Subject subject : subjects) {
            try {
                for (Variant variant : warmUps) {
                    sample(subject, variant);
                }
                working.add(subject);
            } catch (RuntimeException e) {
                report.skipped(subject, "warm-up failed: " + firstLine(e.getMessage()));
                log("skipping " + subject.functionId() + ": " + e.getMessage());
            }
        }
        for (int run = 0; run < runs; run++) {
            for (Subject subject : working) {
                List<Variant> order = new ArrayList<>(variants);
                if (run % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Variant variant : order) {
                    try {
                        report.add(table, subject, variant.name(), sample(subject, variant));
                    } catch (RuntimeException e) {
                        report.failure(table, subject, variant.name(), firstLine(e.getMessage()));
                        log("sample failed: " + subject.functionId() + " " + variant.name() + ": " + e.getMessage());
                    }
                }
            }
            log(table + ": round " + (run + 1) + "/" + runs + " done, load " + Machine.loadAverage());
        }
    }

    /** Process start → response received (cold), the second invocation (warm), peak RSS (VmHWM). */
    private Sample sample(Subject subject, Variant variant) {
        Map<String, String> environment = scenario.environment(subject);
        long started = System.nanoTime();
        try (PackagedFunction function = variant.start(subject, environment)) {
            PackagedFunction.Invocation first = function.invoke(scenario.event(subject));
            long cold = (System.nanoTime() - started) / 1_000_000;
            scenario.verify(subject, function, first);
            PackagedFunction.Invocation second = function.invoke(scenario.event(subject));
            scenario.verify(subject, function, second);
            return new Sample(cold, second.millis(), Machine.peakRssKb(function.pid()));
        }
    }

    /** Sizes of every artifact and, from a class-load log of each function, what it loads from them. */
    private void artifacts(List<Subject> subjects, Variant ours, Variant baseline, Path work) throws IOException {
        Artifacts usage = new Artifacts();
        int index = 0;
        for (Subject subject : subjects) {
            for (Variant variant : List.of(ours, baseline)) {
                Path log = work.resolve("class-load-" + (index++) + ".log");
                Variant logged = variant.withEnvironment(s -> Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log));
                try {
                    sample(subject, logged);
                    usage.addClassLoadLog(log);
                } catch (RuntimeException e) {
                    log("class-load log failed for " + subject.functionId() + ": " + e.getMessage());
                }
            }
        }
        report.artifacts(subjects, usage);
    }

    /** One AppCDS training run per subject (the archive the CDS variant uses). */
    private void train(List<Subject> subjects, Variant layout, Path work) {
        for (Subject subject : subjects) {
            try {
                Cds.train(subject, layout, scenario, Cds.archive(work, subject));
            } catch (RuntimeException e) {
                report.note("AppCDS archive for " + subject.functionId() + " could not be created: " + firstLine(e.getMessage()));
                log("CDS training failed for " + subject.functionId() + ": " + e.getMessage());
            }
        }
        try {
            report.note("AppCDS archives: " + Cds.sizes(work) + ". Silent fallback: " + Cds.fallbackCheck(work));
        } catch (IOException e) {
            report.note("AppCDS fallback check failed: " + e.getMessage());
        }
    }

    /** JIT flags and Lambda's class-loader layout alone, against ours as is (memory sizes: see {@link #sweep}). */
    private void levers(List<Subject> subjects, Variant ours, Variant lambdaLayout, Path wrapper, int runs) {
        Variant fullTiered = ours.named("C1+C2 (no TieredStopAtLevel=1)").withWrapper(wrapper)
                .withEnvironment(s -> Map.of("BENCH_FULL_TIERED", "1"));
        compare(subjects, List.of(ours, fullTiered, lambdaLayout), runs, "levers");
    }

    /**
     * Every subject at every memory size (its JVM flags and, with the CPU share on, its vCPU share):
     * one untimed start per subject at the largest size (the artifacts are the same at every size), then
     * {@code runs} rounds, each going through the subjects in turn and, within a subject, through the
     * sizes, ascending in even rounds and descending in odd ones.
     */
    private void sweep(List<Subject> subjects, Template variants, List<Integer> sizes, CpuShare cpu, int runs) {
        List<Variant> bySize = sizes.stream()
                .map(memory -> Variant.of(String.valueOf(memory), variants, s -> s.functionId() + "Mem" + memory, cpu)).toList();
        compare(subjects, bySize, runs, Report.SWEEP, List.of(bySize.get(bySize.size() - 1)));
    }

    /** The archives and class-load logs are large and only meaningful to this run. */
    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static void log(String message) {
        System.err.println("[benchmark] " + message);
    }

    private static String firstLine(String message) {
        return message == null ? "?" : message.lines().findFirst().orElse("?");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --runs N --lever-runs N --levers F1,F2|none --only F1,F2 --write FILE");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static List<String> list(String value) {
        return value.isBlank() || value.equals("none") ? List.of() : List.of(value.split(","));
    }

    /** Replaces the generated part of the document (between the markers), keeping the prose around it. */
    static void write(Path document, String markdown) throws IOException {
        String generated = START_MARK + "\n" + markdown.strip() + "\n" + END_MARK;
        String text = Files.exists(document) ? Files.readString(document) : "# Performance\n\n" + START_MARK + "\n" + END_MARK + "\n";
        int start = text.indexOf(START_MARK);
        int end = text.indexOf(END_MARK);
        String updated = start < 0 || end < start ? text.strip() + "\n\n" + generated + "\n"
                : text.substring(0, start) + generated + text.substring(end + END_MARK.length());
        Files.createDirectories(document.toAbsolutePath().getParent());
        Files.writeString(document, updated);
    }

    static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
