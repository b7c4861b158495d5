package io.e6link.preflight;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of one run and how they read: a text report with sections and ✓ / ! / ✗ markers, or
 * the same as JSON. Blockers decide the exit status.
 */
final class Report {
    private static final int WIDTH = 110;

    private final String cluster;
    private final String region;
    private final String account;
    private final String caller;
    private final Map<String, String> parameters;
    private final List<Section> sections;
    private final List<String> calls;
    private final long millis;
    private final String note;

    Report(String cluster, String region, String account, String caller, Map<String, String> parameters, List<Section> sections,
           List<String> calls, long millis, String note) {
        this.cluster = cluster;
        this.region = region;
        this.account = account;
        this.caller = caller;
        this.parameters = parameters;
        this.sections = List.copyOf(sections);
        this.calls = List.copyOf(calls);
        this.millis = millis;
        this.note = note;
    }

    List<Section> sections() {
        return sections;
    }

    List<Finding> findings() {
        return sections.stream().flatMap(section -> section.findings().stream()).toList();
    }

    List<Finding> blockers() {
        return findings().stream().filter(Finding::isBlocker).toList();
    }

    int exitCode() {
        return blockers().isEmpty() ? 0 : 1;
    }

    private long count(Finding.Status status) {
        return findings().stream().filter(finding -> finding.status() == status).count();
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("e6link preflight: what the stack will do for EKS cluster '").append(cluster).append("' in ").append(region)
                .append(", account ").append(account).append('\n');
        out.append("Read-only, as ").append(caller).append(": nothing was changed (").append(calls.size()).append(" read calls, ")
                .append(String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0)).append(" s).\n");
        if (note != null) {
            out.append(wrap(note, "", "    ")).append('\n');
        }
        for (Section section : sections) {
            out.append('\n').append(section.title()).append('\n');
            for (Finding finding : section.findings()) {
                out.append(wrap(finding.text(), "  " + finding.status().marker() + " ", "    ")).append('\n');
            }
        }
        out.append('\n');
        List<Finding> blockers = blockers();
        String counts = count(Finding.Status.WARNING) + " to look at, " + count(Finding.Status.UNCHECKED) + " not checked";
        if (blockers.isEmpty()) {
            out.append("Result: ✓ no blockers (").append(counts).append("). The stack can be deployed with\n");
            StringBuilder overrides = new StringBuilder();
            parameters.forEach((name, value) -> overrides.append(name).append('=').append(value.isEmpty() ? "\"\"" : value).append(' '));
            out.append(wrap(overrides.toString().trim(), "  ", "  ")).append('\n');
        } else {
            out.append("Result: ✗ ").append(blockers.size()).append(blockers.size() == 1 ? " blocker" : " blockers").append(" (").append(counts)
                    .append("): the stack would fail until ").append(blockers.size() == 1 ? "it is" : "they are").append(" fixed.\n");
            for (Finding blocker : blockers) {
                String parameter = blocker.parameter() == null ? "" : "[" + blocker.parameter() + "] ";
                out.append(wrap(parameter + blocker.text(), "  ✗ ", "    ")).append('\n');
            }
        }
        return out.toString();
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cluster", cluster);
        root.put("region", region);
        root.put("account", account);
        root.put("caller", caller);
        root.put("readOnly", true);
        if (note != null) {
            root.put("note", note);
        }
        root.put("parameters", parameters);
        List<Map<String, Object>> renderedSections = new ArrayList<>();
        for (Section section : sections) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            rendered.put("title", section.title());
            rendered.put("findings", section.findings().stream().map(Report::json).toList());
            renderedSections.add(rendered);
        }
        root.put("sections", renderedSections);
        root.put("blockers", blockers().stream().map(Report::json).toList());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("blockers", blockers().size());
        summary.put("warnings", count(Finding.Status.WARNING));
        summary.put("unchecked", count(Finding.Status.UNCHECKED));
        root.put("summary", summary);
        root.put("awsCalls", calls);
        root.put("millis", millis);
        root.put("exitCode", exitCode());
        try {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> json(Finding finding) {
        Map<String, Object> rendered = new LinkedHashMap<>();
        rendered.put("status", finding.status().json());
        rendered.put("text", finding.text());
        rendered.put("parameter", finding.parameter());
        return rendered;
    }

    /** Wraps at word boundaries to {@value #WIDTH} columns; long words (ARNs) stay whole. */
    static String wrap(String text, String first, String rest) {
        StringBuilder out = new StringBuilder(first);
        int column = first.length();
        boolean lineStart = true;
        for (String word : text.split(" ")) {
            if (!lineStart && column + 1 + word.length() > WIDTH) {
                out.append('\n').append(rest);
                column = rest.length();
                lineStart = true;
            }
            if (!lineStart) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            lineStart = false;
        }
        return out.toString();
    }
}
