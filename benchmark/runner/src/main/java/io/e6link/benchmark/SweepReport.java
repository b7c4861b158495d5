package io.e6link.benchmark;

import io.e6link.stack.CustomResourceChain;
import io.e6link.testing.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory sweep's part of the report: cold and warm time by function and MemorySize, the size
 * {@link Sizing} chooses for each function, the heaviest chain of custom resources at those sizes
 * against the 15 s goal, and what a cold start of each scheduled function costs (SnapStart's ceiling).
 */
final class SweepReport {
    private SweepReport() {
    }

    /** The memory sweep, the sizes chosen from it, the custom-resource chain total and the scheduled functions' cost. */
    static String markdown(Map<Subject, Map<String, List<Sample>>> sweep, int sweepRuns, boolean cpuShare) {
        if (sweep.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        List<Integer> sizes = sweep.values().stream().flatMap(v -> v.keySet().stream()).map(Integer::valueOf).distinct().sorted().toList();
        out.append("### Memory sweep").append(cpuShare ? " under Lambda's CPU share" : " (no CPU quota)").append(" (").append(sweepRuns)
                .append(" rounds, interleaved across functions and sizes; cells: median (p10–p90) ms)\n\n");
        if (cpuShare) {
            out.append("CPU share per size: ").append(String.join("; ", sizes.stream().map(m -> m + " MB " + CpuShare.describe(m)).toList()))
                    .append(". Above 1,769 MB Lambda gives more than one vCPU; here the JVM is pinned to one CPU, so 3,008 MB measures as 1,769 MB would.\n\n");
        }
        StringBuilder header = new StringBuilder("| Function |");
        StringBuilder rule = new StringBuilder("|---|");
        sizes.forEach(m -> {
            header.append(' ').append(m).append(" MB |");
            rule.append("---|");
        });
        for (int column = 0; column < 2; column++) {
            out.append(column == 0 ? "**Cold start** (process start → response received):\n\n" : "**Warm invocation** (the second, same JVM):\n\n");
            out.append(header).append('\n').append(rule).append('\n');
            for (Map.Entry<Subject, Map<String, List<Sample>>> row : sweep.entrySet()) {
                out.append("| ").append(row.getKey().functionId()).append(" |");
                for (int m : sizes) {
                    out.append(' ').append(Report.stats(row.getValue().getOrDefault(String.valueOf(m), List.of()))[column].format(1)).append(" |");
                }
                out.append('\n');
            }
            out.append('\n');
        }
        Template template = Template.load();
        Map<String, Integer> chosen = new LinkedHashMap<>();
        Map<String, Stats> coldAtChosen = new LinkedHashMap<>();
        out.append("**Chosen MemorySize** (custom resources: the smallest size within ").append(Math.round((Sizing.WITHIN_FASTEST - 1) * 100))
                .append(" % of the fastest median cold start; scheduled: the lowest monthly cost at a one-minute schedule, ")
                .append(String.format("%,d", Sizing.RUNS_PER_MONTH)).append(" runs and ").append(Sizing.COLD_STARTS_PER_MONTH)
                .append(" cold starts a month, $0.0000166667 per GB-s and $0.20 per million requests, INIT billed):\n\n");
        out.append("| Function | Kind | MemorySize in this run | Chosen | Cold ms at chosen | Warm ms at chosen | Peak MB | Monthly cost by size (scheduled) |\n|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Subject, Map<String, List<Sample>>> row : sweep.entrySet()) {
            Subject subject = row.getKey();
            TreeMap<Integer, Stats> cold = new TreeMap<>();
            Map<Integer, Stats> warm = new LinkedHashMap<>();
            for (int m : sizes) {
                Stats[] st = Report.stats(row.getValue().getOrDefault(String.valueOf(m), List.of()));
                cold.put(m, st[0]);
                warm.put(m, st[1]);
            }
            Map<String, Object> properties = template.functionProperties(subject.functionId());
            int timeout = Integer.parseInt(String.valueOf(properties.getOrDefault("Timeout", "3")));
            int memory;
            try {
                memory = subject.scheduled() ? Sizing.forScheduled(cold, warm, timeout) : Sizing.forCustomResource(cold);
            } catch (IllegalArgumentException e) {
                out.append("| ").append(subject.functionId()).append(" | no choice: ").append(e.getMessage()).append(" |||||||\n");
                continue;
            }
            chosen.put(subject.functionId(), memory);
            coldAtChosen.put(subject.functionId(), cold.get(memory));
            String costs = !subject.scheduled() ? "" : String.join("; ", sizes.stream().filter(m -> cold.get(m).count() > 0)
                    .map(m -> m + ": $" + String.format("%.2f", Sizing.monthlyCost(m, warm.get(m).median(), cold.get(m).median()))).toList());
            out.append("| ").append(subject.functionId()).append(" | ").append(subject.scheduled() ? "scheduled" : "custom resource")
                    .append(" | ").append(properties.get("MemorySize")).append(" | ").append(memory)
                    .append(" | ").append(cold.get(memory).format(1)).append(" | ").append(warm.get(memory).format(1))
                    .append(" | ").append(Report.stats(row.getValue().getOrDefault(String.valueOf(memory), List.of()))[2].format(1024))
                    .append(" | ").append(costs).append(" |\n");
        }
        out.append('\n').append(chainMarkdown(template, coldAtChosen)).append(snapStartMarkdown(sweep, chosen));
        return out.toString();
    }

    /** The heaviest chain of custom resources at the chosen sizes, and its total against the 15 s goal. */
    private static String chainMarkdown(Template template, Map<String, Stats> coldAtChosen) {
        List<CustomResourceChain.Link> chain = CustomResourceChain.heaviest(template,
                function -> coldAtChosen.containsKey(function) ? coldAtChosen.get(function).median() : 0);
        if (chain.isEmpty()) {
            return "";
        }
        double median = 0;
        double p90 = 0;
        List<String> steps = new ArrayList<>();
        List<String> unmeasured = new ArrayList<>();
        for (var link : chain) {
            Stats cold = coldAtChosen.get(link.functionId());
            if (cold == null) {
                unmeasured.add(link.functionId());
                steps.add(link.resourceId() + " (" + link.functionId() + ", not measured)");
                continue;
            }
            median += cold.median();
            p90 += cold.p90();
            steps.add(link.resourceId() + " (" + link.functionId() + ", " + String.format("%,.0f", cold.median()) + " ms)");
        }
        long distinct = chain.stream().map(CustomResourceChain.Link::functionId).distinct().count();
        StringBuilder out = new StringBuilder("**Longest dependency chain of custom resources** (template.yaml's Ref/GetAtt/Sub/DependsOn graph,")
                .append(" conditions counted as true; the chain whose cold starts at the chosen sizes add up to the most): ")
                .append(String.join(" → ", steps)).append(". Total ").append(String.format("%.1f s", median / 1000)).append(" (sum of medians; sum of p90s ")
                .append(String.format("%.1f s", p90 / 1000)).append("); goal ≤ 15 s: ").append(p90 <= 15_000 ? "✅ met even at p90" : median <= 15_000 ? "✅ at the median" : "❌")
                .append(". ").append(distinct == chain.size() ? "Every function appears once on it, so every step is a cold start."
                        : "A function appears more than once: its later step may find the container warm.");
        if (!unmeasured.isEmpty()) {
            out.append(" Not measured: ").append(unmeasured).append('.');
        }
        return out.append("\n\n").toString();
    }

    /** What a cold start of each scheduled function costs in time and money at its chosen size: SnapStart's whole possible gain. */
    private static String snapStartMarkdown(Map<Subject, Map<String, List<Sample>>> sweep, Map<String, Integer> chosen) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Subject, Map<String, List<Sample>>> row : sweep.entrySet()) {
            Subject subject = row.getKey();
            Integer memory = chosen.get(subject.functionId());
            if (!subject.scheduled() || memory == null) {
                continue;
            }
            Stats[] st = Report.stats(row.getValue().getOrDefault(String.valueOf(memory), List.of()));
            double extraSeconds = Math.max(0, st[0].median() - st[1].median()) / 1000;
            double coldShare = (double) Sizing.COLD_STARTS_PER_MONTH / Sizing.RUNS_PER_MONTH;
            double initDollars = Sizing.COLD_STARTS_PER_MONTH * memory / 1024.0 * extraSeconds * Sizing.PRICE_PER_GB_SECOND;
            out.append("- ").append(subject.functionId()).append(" at ").append(memory).append(" MB: a cold start adds ")
                    .append(String.format("%.1f s", extraSeconds)).append(" to a run; at ").append(Sizing.COLD_STARTS_PER_MONTH)
                    .append(" cold starts a month (").append(String.format("%.1f %%", coldShare * 100)).append(" of the ")
                    .append(String.format("%,d", Sizing.RUNS_PER_MONTH)).append(" runs) that is ")
                    .append(String.format("%.0f s", extraSeconds * Sizing.COLD_STARTS_PER_MONTH / 30)).append(" a day and $")
                    .append(String.format("%.3f", initDollars)).append(" a month of billed INIT: the most SnapStart could save, were a restore free.\n");
        }
        return out.isEmpty() ? "" : "**Cold starts of the scheduled functions** (what SnapStart could remove):\n\n" + out + "\n";
    }
}
