package io.e6link.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on, and the two /proc readings the benchmark needs. */
final class Machine {
    private Machine() {
    }

    /** Peak resident set size of a process (VmHWM), read before it exits. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no VmHWM");
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String describe() {
        String model = "unknown CPU";
        long cpus = 0;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cpus = lines.stream().filter(line -> line.startsWith("processor")).count();
            model = lines.stream().filter(line -> line.startsWith("model name")).map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(model);
        } catch (IOException e) {
            // keep the defaults
        }
        return cpus + " CPUs (nproc), " + model + "; JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + "); " + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
