package io.e6link.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda's CPU share on this machine: one cgroup v1 {@code cpu} group per memory size,
 * {@code /sys/fs/cgroup/cpu/e6link-bench-<memory>/}, with {@code cpu.cfs_period_us = 100000} and
 * {@code cpu.cfs_quota_us = round(100000 × memory ÷ 1769)} (Lambda developer guide, "Configuring
 * function memory": one full vCPU at 1,769 MB, CPU in proportion below and above), at most two CPUs.
 * A measured JVM joins its group before its first instruction: the command starts with a shell that
 * writes its own PID into the group's {@code cgroup.procs} and then execs taskset and java (same PID).
 *
 * <p>On Lambda that share is the function's own; on a machine others are building on, the quota alone
 * is only a ceiling, and a JVM competing with a dozen runnable compilers gets far less. So every group
 * also gets the highest {@code cpu.shares} (262144, against 1024 per task outside): the measured JVM gets
 * its quota, no more. The runner itself (and moto_server, which it starts) moves into a group
 * {@code e6link-bench-harness} with the same weight and no quota, so the emulator answers at its own
 * speed rather than the machine's load. {@link #close} moves what is left back to the root group.
 *
 * <p>Needs root and the cgroup v1 {@code cpu} controller mounted at {@code /sys/fs/cgroup/cpu};
 * {@link #open} fails naming what is missing. {@link #close} removes the groups.
 */
final class CpuShare implements AutoCloseable {
    static final Path CONTROLLER = Path.of("/sys/fs/cgroup/cpu");
    static final int PERIOD_MICROS = 100_000;
    /** Memory (MB) at which Lambda gives one full vCPU. */
    static final int ONE_VCPU_MB = 1769;
    private static final int MAX_CPUS = 2;
    /** The largest weight cgroup v1 accepts (kernel: MAX_SHARES = 1 << 18). */
    static final int PRIORITY_SHARES = 262_144;
    static final String HARNESS = "e6link-bench-harness";

    /** Memory size (MB) → its group. */
    private final Map<Integer, Path> groups = new LinkedHashMap<>();
    /** Every group this run made (the memory sizes' and the harness), for {@link #close}. */
    private final List<Path> created = new ArrayList<>();

    private CpuShare() {
    }

    /** The CFS quota for a memory size in microseconds per 100 ms period: memory ÷ 1,769 of a CPU, at most two CPUs. */
    static long quotaMicros(int memoryMb) {
        if (memoryMb < 128) {
            throw new IllegalArgumentException("memoryMb must be at least 128 (Lambda's minimum), was " + memoryMb);
        }
        return Math.min((long) MAX_CPUS * PERIOD_MICROS, Math.round((double) PERIOD_MICROS * memoryMb / ONE_VCPU_MB));
    }

    /**
     * Checks that groups can be made here.
     *
     * @throws IllegalStateException naming what is missing: the cgroup v1 cpu controller (its quota file) or root
     */
    static void requireAvailable() {
        if (!Files.isRegularFile(CONTROLLER.resolve("cpu.cfs_quota_us"))) {
            throw new IllegalStateException("the CPU share needs the cgroup v1 cpu controller mounted at " + CONTROLLER
                    + " (no " + CONTROLLER.resolve("cpu.cfs_quota_us") + " here; a cgroup v2-only host has none)."
                    + " Run without it with --cpu-share off (every sample then gets a whole CPU).");
        }
        if (!Files.isWritable(CONTROLLER)) {
            throw new IllegalStateException("the CPU share needs root: " + CONTROLLER + " is not writable by user "
                    + System.getProperty("user.name") + ". Run as root, or with --cpu-share off.");
        }
    }

    /**
     * Creates (or reuses, after a crashed run) one group per memory size and sets its quota.
     *
     * @param memorySizes memory sizes in MB
     * @return the groups, to be closed when the measurements are done
     * @throws IllegalStateException naming what is missing: the controller, its quota file, or root
     */
    static CpuShare open(Iterable<Integer> memorySizes) {
        requireAvailable();
        CpuShare share = new CpuShare();
        try {
            for (int memory : memorySizes) {
                if (share.groups.containsKey(memory)) {
                    continue;
                }
                Path group = share.create("e6link-bench-" + memory);
                share.groups.put(memory, group);
                Files.writeString(group.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), String.valueOf(quotaMicros(memory)));
                Files.writeString(group.resolve("cpu.shares"), String.valueOf(PRIORITY_SHARES));
            }
            Path harness = share.create(HARNESS);
            Files.writeString(harness.resolve("cpu.cfs_quota_us"), "-1");
            Files.writeString(harness.resolve("cpu.shares"), String.valueOf(PRIORITY_SHARES));
            // The whole runner process (all its threads), and what it starts later: moto_server, the functions' shells.
            Files.writeString(harness.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        } catch (IOException e) {
            share.close();
            throw new IllegalStateException("cannot set up the cgroup under " + CONTROLLER + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(share::close));
        return share;
    }

    /**
     * Command words that put the process they start into the memory size's group and then exec the rest
     * of the command line: {@code sh -c 'echo $$ > <group>/cgroup.procs && exec "$@"' e6link-cpu-share}.
     *
     * @throws IllegalArgumentException when no group was opened for that memory size
     */
    List<String> prefix(int memoryMb) {
        Path group = groups.get(memoryMb);
        if (group == null) {
            throw new IllegalArgumentException("no CPU-share group for MemorySize " + memoryMb + "; opened: " + groups.keySet());
        }
        return List.of("sh", "-c", "echo $$ > " + group.resolve("cgroup.procs") + " && exec \"$@\"", "e6link-cpu-share");
    }

    /** "0.58 vCPU (quota 57,886 µs per 100,000 µs)", for the report. */
    static String describe(int memoryMb) {
        return String.format("%.2f vCPU (cpu.cfs_quota_us %d per cpu.cfs_period_us %d)", quotaMicros(memoryMb) / (double) PERIOD_MICROS,
                quotaMicros(memoryMb), PERIOD_MICROS);
    }

    /**
     * Moves the processes still in the groups (the runner, moto_server) back to the root group and removes
     * the groups; a group whose last process is still exiting is retried for a few seconds.
     */
    @Override
    public synchronized void close() {
        List<Path> left = new ArrayList<>(created);
        for (int attempt = 0; attempt < 50 && !left.isEmpty(); attempt++) {
            left.removeIf(group -> {
                try {
                    if (Files.isDirectory(group)) {
                        for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
                            moveToRoot(pid);
                        }
                    }
                    Files.deleteIfExists(group);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (!left.isEmpty()) {
                Benchmark.sleep(java.time.Duration.ofMillis(100));
            }
        }
        left.forEach(group -> Benchmark.log("could not remove " + group + " (still has processes); rmdir it by hand"));
        groups.clear();
        created.clear();
    }

    private Path create(String name) throws IOException {
        Path group = CONTROLLER.resolve(name);
        Files.createDirectories(group);
        created.add(group);
        return group;
    }

    private static void moveToRoot(String pid) {
        try {
            Files.writeString(CONTROLLER.resolve("cgroup.procs"), pid.trim());
        } catch (IOException e) {
            // The process exited in the meantime: nothing to move.
        }
    }
}
