package io.e6link.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Runs a function's deployable artifact the way Lambda does: the zip from {@code template.yaml}'s
 * CodeUri unpacked as /var/task (classes at the root, jars in lib/), each layer's {@code java/lib}
 * jars added, and the AWS Lambda runtime interface client as the process's main class, polling a
 * Runtime API served by the test. Handler string, timeout, memory and environment come from the
 * template; the test adds what the template resolves at deploy time (Refs) and the emulator endpoint.
 */
public final class PackagedFunction implements AutoCloseable {
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static Path jniLibrary;
    /** System property naming a folder where every packaged run appends its AWS calls (IAM actions). */
    public static final String API_CALL_DIR_PROPERTY = "e6link.apiCallDir";

    /** What one invocation returned, and how long the test waited for it. */
    public record Invocation(boolean error, String body, long millis) {
    }

    private final String logicalId;
    private final Process process;
    private final RuntimeApiServer runtimeApi;
    private final Path logFile;
    private final int timeoutSeconds;

    private PackagedFunction(String logicalId, Process process, RuntimeApiServer runtimeApi, Path logFile, int timeoutSeconds) {
        this.logicalId = logicalId;
        this.process = process;
        this.runtimeApi = runtimeApi;
        this.logFile = logFile;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static Builder fromTemplate(String logicalId) {
        return new Builder(Template.load(), logicalId);
    }

    public static Builder fromTemplate(Template template, String logicalId) {
        return new Builder(template, logicalId);
    }

    /** Sends one event and waits for the runtime's answer (or its init error). */
    public Invocation invoke(String payload) {
        long started = System.nanoTime();
        var result = runtimeApi.enqueue(payload, Duration.ofSeconds(timeoutSeconds));
        long waitMillis = Math.min(timeoutSeconds + 30, 120) * 1000L;
        try {
            var first = java.util.concurrent.CompletableFuture.anyOf(result, runtimeApi.initError()).get(waitMillis, TimeUnit.MILLISECONDS);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (runtimeApi.initError().isDone() && !result.isDone()) {
                return new Invocation(true, "init error: " + first, millis);
            }
            RuntimeApiServer.Result answer = result.get();
            return new Invocation(answer.error(), answer.body(), millis);
        } catch (TimeoutException e) {
            throw new AssertionError(logicalId + " gave no answer within " + waitMillis + " ms; log:\n" + logs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything the function wrote to stdout and stderr so far. */
    public String logs() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtimeApi.close();
    }

    /** Configures and starts the function process. */
    public static final class Builder {
        private final Template template;
        private final String logicalId;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmPrefix = new ArrayList<>();
        private final List<Path> extraClasspath = new ArrayList<>();
        private boolean recordCalls = true;

        private Builder(Template template, String logicalId) {
            this.template = template;
            this.logicalId = logicalId;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder environment(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        /** Points every AWS client of the function at the emulator (the SDK reads AWS_ENDPOINT_URL). */
        public Builder endpoint(Moto moto) {
            return environment("AWS_ENDPOINT_URL", moto.endpointUrl());
        }

        /** Writes each AWS call the function makes, as an IAM action, to this file. */
        public Builder recordApiCallsTo(Path file) {
            return environment(ApiCallRecorder.LOG_VARIABLE, file.toString());
        }

        /** Leaves the test's call recorder off the classpath (benchmarks measure the artifact alone). */
        public Builder withoutCallRecorder() {
            recordCalls = false;
            return this;
        }

        /** Command words placed before java, e.g. {@code taskset -c 0}. */
        public Builder commandPrefix(String... words) {
            jvmPrefix.addAll(List.of(words));
            return this;
        }

        public Builder extraClasspath(Path path) {
            extraClasspath.add(path);
            return this;
        }

        public PackagedFunction start() {
            try {
                return launch();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @SuppressWarnings("unchecked")
        private PackagedFunction launch() throws IOException {
            Map<String, Object> properties = template.functionProperties(logicalId);
            String handler = (String) properties.get("Handler");
            int timeout = Integer.parseInt(String.valueOf(properties.getOrDefault("Timeout", "3")));
            int memory = Integer.parseInt(String.valueOf(properties.getOrDefault("MemorySize", "128")));
            Path root = Events.projectRoot();
            List<Path> classpath = new ArrayList<>();
            Path task = unpack(root.resolve(artifact(properties, "CodeUri", "Code")));
            classpath.add(task);
            classpath.addAll(jars(task.resolve("lib")));
            for (Object layer : (List<Object>) properties.getOrDefault("Layers", List.of())) {
                String layerId = (String) ((Map<String, Object>) layer).get("Ref");
                String content = artifact(template.properties(layerId), "ContentUri", "Content");
                classpath.addAll(jars(unpack(root.resolve(content)).resolve("java/lib")));
            }
            classpath.addAll(runtimeJars());
            if (recordCalls) {
                classpath.add(codeSource(ApiCallRecorder.class));
            }
            classpath.addAll(extraClasspath);

            Map<String, String> env = new LinkedHashMap<>();
            Map<String, Object> environment = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
            Map<String, Object> variables = (Map<String, Object>) environment.getOrDefault("Variables", Map.of());
            List<String> unresolved = new ArrayList<>();
            variables.forEach((name, value) -> {
                String mapped = findInMap(template, value);
                if (value instanceof String text) {
                    env.put(name, text);
                } else if (mapped != null) {
                    env.put(name, mapped);
                } else if (!this.environment.containsKey(name)) {
                    unresolved.add(name);
                }
            });
            env.putAll(this.environment);
            String sharedCallDir = System.getProperty(API_CALL_DIR_PROPERTY);
            if (recordCalls && !env.containsKey(ApiCallRecorder.LOG_VARIABLE) && sharedCallDir != null && !sharedCallDir.isBlank()) {
                // Every packaged run of the build records its AWS calls here for the least-privilege check.
                Files.createDirectories(Path.of(sharedCallDir));
                env.put(ApiCallRecorder.LOG_VARIABLE, Path.of(sharedCallDir, logicalId + ".log").toString());
            }
            if (!unresolved.isEmpty()) {
                throw new IllegalArgumentException(logicalId + ": template environment variables " + unresolved
                        + " are intrinsic functions; pass their deployed values with environment(name, value)");
            }
            RuntimeApiServer api = new RuntimeApiServer("arn:aws:lambda:us-east-1:" + MotoClients.ACCOUNT_ID + ":function:" + logicalId);
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("_HANDLER", handler);
            env.put("LAMBDA_TASK_ROOT", task.toString());
            env.put("AWS_LAMBDA_FUNCTION_NAME", logicalId);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.putIfAbsent("AWS_REGION", "us-east-1");
            env.putIfAbsent("AWS_DEFAULT_REGION", env.get("AWS_REGION"));
            // The access key names the function in the emulated world (its recorded IAM requests); not AWS's own key.
            env.putIfAbsent("AWS_ACCESS_KEY_ID", logicalId);
            env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "testing");
            env.putIfAbsent("AWS_SESSION_TOKEN", "testing");
            env.put("TZ", ":UTC");

            List<String> command = new ArrayList<>(jvmPrefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(lambdaJvmFlags(memory));
            String toolOptions = env.get("JAVA_TOOL_OPTIONS");
            command.add("-D" + JNI_PROPERTY + "=" + jni());
            command.add("-cp");
            command.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
            command.add(RIC_MAIN);
            command.add(handler);

            Path logFile = Files.createTempFile("lambda-" + logicalId, ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            if (toolOptions != null) {
                builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
            }
            return new PackagedFunction(logicalId, builder.start(), api, logFile, timeout);
        }
    }

    /**
     * Where a function's or layer's zip is, relative to the project root: the zip the Maven build writes
     * for the SAM form's local {@code CodeUri}/{@code ContentUri} ({@link Template#builtZip}), or — in a transform-free template whose code was published
     * with the project-relative path as the S3 key — {@code Code.S3Key}/{@code Content.S3Key}.
     */
    @SuppressWarnings("unchecked")
    static String artifact(Map<String, Object> properties, String samKey, String cfnKey) {
        Object local = properties.get(samKey);
        if (local instanceof String path) {
            return Template.builtZip(path, "ContentUri".equals(samKey));
        }
        Object code = properties.get(cfnKey);
        if (code instanceof Map<?, ?> location && location.get("S3Key") instanceof String key) {
            return key;
        }
        throw new IllegalArgumentException("no local artifact in " + samKey + " or " + cfnKey + ".S3Key: " + properties);
    }

    /**
     * The flags Lambda's java21 runtime starts the JVM with, read from the runtime's published command
     * lines: close, not certain. Tiered compilation stopping at level 1 is documented ("Customizing Java
     * runtime startup behavior", https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html).
     */
    public static List<String> lambdaJvmFlags(int memoryMb) {
        return List.of("-XX:MaxHeapSize=" + (memoryMb * 85 / 100) + "m", "-XX:+UseSerialGC",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    }

    /** The runtime's own jars (the interface client and its serialization/core), which Lambda provides. */
    static List<Path> runtimeJars() {
        return List.of(
                codeSource(com.amazonaws.services.lambda.runtime.api.client.AWSLambda.class),
                codeSource(com.amazonaws.services.lambda.runtime.Context.class),
                codeSource(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class));
    }

    static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extracted once per test JVM: the client's default fixed /tmp path races between JVMs. */
    static synchronized Path jni() throws IOException {
        if (jniLibrary == null) {
            Path dir = Files.createTempDirectory("lambda-jni");
            Path target = dir.resolve("libaws-lambda-jni.linux-x86_64.so");
            try (InputStream in = com.amazonaws.services.lambda.runtime.api.client.AWSLambda.class
                    .getResourceAsStream("/jni/libaws-lambda-jni.linux-x86_64.so")) {
                if (in == null) {
                    throw new IllegalStateException("the runtime interface client jar has no linux-x86_64 JNI library");
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            jniLibrary = target;
        }
        return jniLibrary;
    }

    private static final Map<Path, Path> UNPACKED = new java.util.concurrent.ConcurrentHashMap<>();

    static Path unpack(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " does not exist; build the artifacts first (./mvnw -B package -DskipTests)");
        }
        try {
            // once per zip and JVM, also when the fault matrix's workers start the same function at the same time
            return UNPACKED.computeIfAbsent(zip.toAbsolutePath().normalize(), PackagedFunction::unzip);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Path unzip(Path zip) {
        try {
            Path dir = Files.createTempDirectory("lambda-" + zip.getFileName());
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    Path target = dir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new IOException("zip entry outside target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The value of a constant {@code Fn::FindInMap} (the release version), or null for anything else. */
    @SuppressWarnings("unchecked")
    static String findInMap(Template template, Object value) {
        if (!(value instanceof Map<?, ?> map) || !(map.get("Fn::FindInMap") instanceof List<?> path) || path.size() != 3
                || !path.stream().allMatch(String.class::isInstance)) {
            return null;
        }
        Object first = template.section("Mappings").get(path.get(0));
        Object second = first instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(path.get(1)) : null;
        Object third = second instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(path.get(2)) : null;
        return third == null ? null : String.valueOf(third);
    }
}
