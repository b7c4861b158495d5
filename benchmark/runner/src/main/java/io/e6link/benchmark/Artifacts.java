package io.e6link.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What is in each deployment artifact and what the functions actually load from it. Classes loaded
 * are read from {@code -Xlog:class+load} of a benchmark run; PackagedFunction unpacks each artifact
 * into a temporary folder named {@code lambda-<artifact file name><random>}, which names the source.
 */
final class Artifacts {
    /** One jar (or the classes at the artifact's root) inside an artifact. */
    record Entry(String artifact, String name, long bytes, int classes) {
    }

    private static final Pattern SOURCE = Pattern.compile("^\\[.*?\\]\\s*(\\S+) source: file:(\\S*/lambda-([^/]+?\\.(?:zip|jar))\\d+/)(\\S*)$");
    /** artifact file name → entry name → classes loaded from it. */
    private final Map<String, Map<String, Set<String>>> loaded = new TreeMap<>();

    /** Adds one run's class-load log. */
    void addClassLoadLog(Path log) {
        try {
            for (String line : Files.readAllLines(log)) {
                Matcher m = SOURCE.matcher(line);
                if (m.matches()) {
                    String entry = m.group(4).isEmpty() ? "(classes at the root)" : m.group(4);
                    loaded.computeIfAbsent(m.group(3), k -> new TreeMap<>()).computeIfAbsent(entry, k -> new HashSet<>()).add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int loadedFrom(String artifact, String entry) {
        return loaded.getOrDefault(artifact, Map.of()).getOrDefault(entry, Set.of()).size();
    }

    /** The jars of an artifact (lib/*.jar, java/lib/*.jar) and its root classes, with class counts. */
    static List<Entry> entries(Path artifact) {
        List<Entry> entries = new ArrayList<>();
        long rootBytes = 0;
        int rootClasses = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(artifact))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.getName().endsWith(".jar")) {
                    byte[] jar = zip.readAllBytes();
                    entries.add(new Entry(artifact.getFileName().toString(), entry.getName(), jar.length, countClasses(new java.io.ByteArrayInputStream(jar))));
                } else {
                    long size = zip.readAllBytes().length;
                    rootBytes += size;
                    if (entry.getName().endsWith(".class")) {
                        rootClasses++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rootBytes > 0) {
            entries.add(0, new Entry(artifact.getFileName().toString(), "(classes at the root)", rootBytes, rootClasses));
        }
        return entries;
    }

    private static int countClasses(InputStream jar) throws IOException {
        int count = 0;
        try (ZipInputStream in = new ZipInputStream(jar)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().endsWith(".class")) {
                    count++;
                }
            }
        }
        return count;
    }
}
