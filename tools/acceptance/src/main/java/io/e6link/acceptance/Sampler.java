package io.e6link.acceptance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Samples the target group's health and the cluster's control-plane ENIs, every few seconds on its own
 * thread (while CloudFormation or EKS works) or once on demand. Each sample holds, per IP, the target's
 * state and reason, and which ENI IPs exist. A failed sample (throttling, a target group not yet
 * created) is skipped, not fatal.
 */
final class Sampler implements AutoCloseable {
    /** One sample: when, IP → "state/reason" of the target group's targets, and the ENI IPs. */
    record Sample(Instant at, Map<String, String> targets, Set<String> eniIps) {
        long healthy() {
            return targets.values().stream().filter(state -> state.startsWith("healthy")).count();
        }
    }

    private final ElasticLoadBalancingV2Client elb;
    private final Ec2Client ec2;
    private final Supplier<String> targetGroupArn;
    private final ClusterFacts cluster;
    private final Clock clock;
    private final List<Sample> samples = new ArrayList<>();
    private Periodic schedule;

    Sampler(Clients customer, Supplier<String> targetGroupArn, ClusterFacts cluster, Clock clock) {
        this.elb = customer.elb();
        this.ec2 = customer.ec2();
        this.targetGroupArn = targetGroupArn;
        this.cluster = cluster;
        this.clock = clock;
    }

    /** Samples every {@code every} on a daemon thread until {@link #close()}. */
    Sampler every(Duration every) {
        schedule = Periodic.start("e6link-acceptance-sampler", every, Duration.ofSeconds(10), this::sampleNow);
        return this;
    }

    /** Takes one sample now; returns it, or null when the target group does not exist yet or a call failed. */
    Sample sampleNow() {
        try {
            String arn = targetGroupArn.get();
            if (arn == null) {
                return null;
            }
            Map<String, String> targets = new LinkedHashMap<>();
            for (TargetHealthDescription d : elb.describeTargetHealth(b -> b.targetGroupArn(arn)).targetHealthDescriptions()) {
                targets.put(d.target().id(), d.targetHealth().stateAsString() + "/" + (d.targetHealth().reasonAsString() == null ? "" : d.targetHealth().reasonAsString()));
            }
            Set<String> enis = new LinkedHashSet<>();
            for (NetworkInterface eni : ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("description").values("Amazon EKS " + cluster.name()),
                    f -> f.name("vpc-id").values(cluster.vpcId()))).networkInterfaces()) {
                enis.add(eni.privateIpAddress());
            }
            Sample sample = new Sample(clock.instant(), targets, enis);
            synchronized (samples) {
                samples.add(sample);
            }
            return sample;
        } catch (RuntimeException skipped) {
            return null;
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
    }

    /** Per target IP: seconds from first seen to first past Elb.RegistrationInProgress and to first healthy (absent when never). */
    static Map<String, double[]> registration(List<Sample> samples) {
        Map<String, Instant> seen = new LinkedHashMap<>();
        Map<String, Instant> registering = new LinkedHashMap<>();
        Map<String, Instant> pastRegistration = new LinkedHashMap<>();
        Map<String, Instant> healthy = new LinkedHashMap<>();
        for (Sample sample : samples) {
            sample.targets().forEach((ip, state) -> {
                seen.putIfAbsent(ip, sample.at());
                if (state.endsWith("Elb.RegistrationInProgress")) {
                    registering.putIfAbsent(ip, sample.at());
                } else {
                    pastRegistration.putIfAbsent(ip, sample.at());
                }
                if (state.startsWith("healthy")) {
                    healthy.putIfAbsent(ip, sample.at());
                }
            });
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        seen.forEach((ip, first) -> result.put(ip, new double[] {
                registering.containsKey(ip) && pastRegistration.containsKey(ip) ? seconds(first, pastRegistration.get(ip)) : -1,
                healthy.containsKey(ip) ? seconds(first, healthy.get(ip)) : -1}));
        return result;
    }

    /** Seconds during which an ENI IP of the first sample and an IP absent from it both existed (old and new ENIs overlapping). */
    static double eniOverlap(List<Sample> samples) {
        if (samples.isEmpty()) {
            return 0;
        }
        Set<String> old = samples.get(0).eniIps();
        Instant from = null;
        Instant to = null;
        for (Sample sample : samples) {
            boolean anyOld = sample.eniIps().stream().anyMatch(old::contains);
            boolean anyNew = sample.eniIps().stream().anyMatch(ip -> !old.contains(ip));
            if (anyOld && anyNew) {
                from = from == null ? sample.at() : from;
                to = sample.at();
            }
        }
        return from == null ? 0 : seconds(from, to);
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
