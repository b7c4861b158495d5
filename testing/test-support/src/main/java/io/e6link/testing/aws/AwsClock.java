package io.e6link.testing.aws;

import io.e6link.kit.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * AWS's clock as the emulated world plays it: the timings of {@code aws-clock.json} (next to this
 * class), each with the fast and the slow end of the public evidence and its sources. The strict
 * world's target health model, {@code RollingUpgradeIT}, the stack test and the local deploy read
 * their timings here, so one file says how slow AWS is assumed to be, and a real account's
 * measurements recalibrate it in one place (docs/real-account-check.md).
 *
 * <p>Health-check interval and thresholds are not timings of this clock: they are the target group's
 * configuration, which the target health model reads from the target group.
 *
 * <p>A clock is at one {@link End}: {@link #slow()} and {@link #fast()} take that end of every timing,
 * {@link #standard()} each timing's {@code default} end (the slow one throughout, today).
 */
public final class AwsClock {
    /** Which end of a timing's range. */
    public enum End { FAST, SLOW }

    /**
     * One timing of the file.
     *
     * @param name       its key in the file, e.g. {@code targetRegistration}
     * @param what       what is timed, in AWS's terms
     * @param fast       the fast end of the evidence
     * @param slow       the slow end of the evidence
     * @param defaultEnd the end the emulated world plays unless told otherwise
     * @param sources    where each number comes from ("assumption" where no public source gives one)
     */
    public record Timing(String name, String what, Duration fast, Duration slow, End defaultEnd, List<String> sources) {
        /** The timing at {@code end}. */
        public Duration at(End end) {
            return end == End.FAST ? fast : slow;
        }
    }

    private static final String RESOURCE = "aws-clock.json";
    private static volatile Map<String, Timing> file;

    private final Map<String, Timing> timings;
    private final End end;

    private AwsClock(Map<String, Timing> timings, End end) {
        this.timings = timings;
        this.end = end;
    }

    /** Every timing at its fast end: AWS on a good day. */
    public static AwsClock fast() {
        return new AwsClock(fileTimings(), End.FAST);
    }

    /** Every timing at its slow end: the worst the public evidence shows. */
    public static AwsClock slow() {
        return new AwsClock(fileTimings(), End.SLOW);
    }

    /** Every timing at its own {@code default} end (the slow end for every timing today). */
    public static AwsClock standard() {
        return new AwsClock(fileTimings(), null);
    }

    /** The clock at {@code end}. */
    public static AwsClock at(End end) {
        return new AwsClock(fileTimings(), Objects.requireNonNull(end, "end"));
    }

    /**
     * "fast" or "slow" for a clock at one end; for {@link #standard()} the end every timing defaults to and
     * "the default" ("slow end, the default" today), or "each timing's default end" when they differ.
     */
    public String label() {
        if (end != null) {
            return end.name().toLowerCase(Locale.ROOT);
        }
        java.util.Set<End> defaults = java.util.EnumSet.noneOf(End.class);
        timings.values().forEach(timing -> defaults.add(timing.defaultEnd()));
        return defaults.size() == 1 ? defaults.iterator().next().name().toLowerCase(Locale.ROOT) + " end, the default" : "each timing's default end";
    }

    /**
     * The named timing at this clock's end.
     *
     * @throws IllegalArgumentException when the file has no timing of that name
     */
    public Duration duration(String name) {
        Timing timing = timing(name);
        return timing.at(end == null ? timing.defaultEnd() : end);
    }

    /**
     * The named timing with both ends and its sources.
     *
     * @throws IllegalArgumentException when the file has no timing of that name
     */
    public Timing timing(String name) {
        Timing timing = timings.get(name);
        if (timing == null) {
            throw new IllegalArgumentException("aws-clock.json has no timing " + name + "; it has " + timings.keySet());
        }
        return timing;
    }

    /** Every timing of the file, in file order. */
    public Map<String, Timing> timings() {
        return timings;
    }

    /** From RegisterTargets until ELB starts health checks on an NLB IP target ({@code Elb.RegistrationInProgress}). */
    public Duration targetRegistration() {
        return duration("targetRegistration");
    }

    /** From DeregisterTargets until ELB stops sending new connections; a target drains at least this long. */
    public Duration deregistration() {
        return duration("deregistration");
    }

    /** How long new connections still reach a target after ELB marked it unhealthy. */
    public Duration unhealthyStillRouted() {
        return duration("unhealthyStillRouted");
    }

    /** From CreateLoadBalancer (network) until the load balancer is active. */
    public Duration loadBalancerProvisioning() {
        return duration("loadBalancerProvisioning");
    }

    /** From CreateVpcEndpointServiceConfiguration until the service is Available. */
    public Duration endpointServiceProvisioning() {
        return duration("endpointServiceProvisioning");
    }

    /** From AcceptVpcEndpointConnections until the consumer's connection is available. */
    public Duration endpointConnectionAvailable() {
        return duration("endpointConnectionAvailable");
    }

    /** From an EC2 API call until its CloudTrail event reaches an EventBridge rule (best effort: undocumented). */
    public Duration cloudTrailToEventBridge() {
        return duration("cloudTrailToEventBridge");
    }

    /** Any other native resource of the stack, from its start until CREATE_COMPLETE. */
    public Duration nativeResource() {
        return duration("nativeResource");
    }

    /** After a role's policy changes, how long calls it now allows may still be denied. */
    public Duration iamPropagation() {
        return duration("iamPropagation");
    }

    private static Map<String, Timing> fileTimings() {
        Map<String, Timing> loaded = file;
        if (loaded == null) {
            try (InputStream in = AwsClock.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the classpath next to " + AwsClock.class.getName());
                }
                loaded = parse(Json.readObject(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            file = loaded;
        }
        return loaded;
    }

    /**
     * The timings of a parsed clock file.
     *
     * @throws IllegalArgumentException when a timing lacks a field, has a negative number, a fast end above
     *                                  its slow end, a default other than fast/slow, or no source
     */
    static Map<String, Timing> parse(Map<String, Object> document) {
        if (!(document.get("timings") instanceof Map<?, ?> entries)) {
            throw new IllegalArgumentException(RESOURCE + " has no timings object");
        }
        Map<String, Timing> timings = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!(entry.getValue() instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("timing " + name + " is not an object");
            }
            long fast = seconds(name, fields, "fastSeconds");
            long slow = seconds(name, fields, "slowSeconds");
            if (fast > slow) {
                throw new IllegalArgumentException("timing " + name + ": fastSeconds " + fast + " is above slowSeconds " + slow);
            }
            End defaultEnd = switch (String.valueOf(fields.get("default"))) {
                case "fast" -> End.FAST;
                case "slow" -> End.SLOW;
                default -> throw new IllegalArgumentException("timing " + name + ": default must be fast or slow, was " + fields.get("default"));
            };
            if (!(fields.get("sources") instanceof List<?> sources) || sources.isEmpty()) {
                throw new IllegalArgumentException("timing " + name + " names no source");
            }
            timings.put(name, new Timing(name, String.valueOf(fields.get("what")), Duration.ofSeconds(fast), Duration.ofSeconds(slow), defaultEnd,
                    sources.stream().map(String::valueOf).toList()));
        }
        return java.util.Collections.unmodifiableMap(timings);
    }

    private static long seconds(String name, Map<?, ?> fields, String field) {
        if (!(fields.get(field) instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new IllegalArgumentException("timing " + name + ": " + field + " must be a whole number of seconds, 0 or more, was " + fields.get(field));
        }
        return number.longValue();
    }
}
