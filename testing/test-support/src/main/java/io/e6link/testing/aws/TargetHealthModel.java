package io.e6link.testing.aws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/**
 * Target health of IP target groups as ELB reports it, on a clock the test controls. moto reports
 * every registered target {@code healthy} at once and removes a deregistered one at once; with this
 * model switched on ({@link StrictAws#modelTargetHealth}) the strict door answers DescribeTargetHealth
 * and DeregisterTargets itself (sources and confidence: docs/aws-rules.md, rows 11a–11g):
 * <ul>
 *   <li>{@code initial} from registration: reason {@code Elb.RegistrationInProgress} for the
 *       registration propagation delay, then {@code Elb.InitialHealthChecking} until the health
 *       checks (one every interval) reach a threshold;</li>
 *   <li>{@code healthy} after healthy-threshold consecutive passes: a check passes while an ENI holds
 *       the target's IP and, when the load balancer has security groups, one of them has an outbound
 *       rule allowing TCP to that IP on the health-check port ({@link SecurityGroupEgress}; row 11g:
 *       health checks obey the load balancer's outbound rules, not its inbound ones);</li>
 *   <li>{@code unhealthy} ({@code Target.FailedHealthChecks}, the only unhealthy reason the NLB guide
 *       lists) after unhealthy-threshold consecutive failures, i.e. interval × unhealthy threshold after
 *       the ENI is deleted or the outbound rule is revoked;</li>
 *   <li>{@code unused} ({@code Target.NotInUse}) while no load balancer uses the group or the IP's
 *       subnet is in an Availability Zone the load balancer has not enabled;</li>
 *   <li>{@code draining} ({@code Target.DeregistrationInProgress}) after DeregisterTargets for the
 *       deregistration delay or AWS's deregistration lag, whichever is longer (NLB takes about 2 minutes
 *       whatever the delay: aws-load-balancer-controller #2366, #3270), then gone; deregistering a target
 *       that is absent or already draining succeeds and changes nothing.</li>
 * </ul>
 * The registration and deregistration lags are AWS's clock ({@link AwsClock}); interval, thresholds and
 * deregistration delay are the target group's own configuration, read from the group.
 * ENI appearances and deletions are taken from the CreateNetworkInterface and DeleteNetworkInterface
 * calls that pass the door, and outbound rule changes from AuthorizeSecurityGroupEgress,
 * RevokeSecurityGroupEgress and ModifySecurityGroupRules, at the clock's time (a check replayed from
 * before a change sees the rules as they were). Not modelled: the targets' own inbound rules (the
 * guide requires them to admit the load balancer on the health-check port; e6link's targets carry the
 * cluster security group, whose self-referencing rule admits the NLB in it), network ACLs, and the
 * instant of a SetSecurityGroups on the load balancer (its groups are read as they are now). Targets registered before the model was switched on
 * count as registered at that moment. What the model reads from moto is cached until the next call
 * that changes something (a security group's rules included), so a test may poll {@link #describe} every simulated second cheaply.
 */
public final class TargetHealthModel {
    private static final String NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final Pattern ENI_IP = Pattern.compile("<privateIpAddress>([^<]+)</privateIpAddress>");

    /** One target as DescribeTargetHealth reports it now; {@code reason} and {@code description} are null when healthy. */
    public record TargetState(String ip, int port, String state, String reason, String description) {
    }

    /** A RegisterTargets that added the target (re-registering a registered target adds nothing). */
    public record Registration(Instant at, String targetGroupArn, String ip, int port) {
    }

    /** A DeregisterTargets of a registered target, with the state the target was in at that instant. */
    public record Deregistration(Instant at, String targetGroupArn, String ip, int port, String stateBefore) {
    }

    /** An ENI holding {@code ip} appeared ({@code present}) or was deleted at {@code at}. */
    private record EniEvent(Instant at, boolean present) {
    }

    /** A security group's outbound rules changed at {@code at} from {@code before} to {@code after}. */
    private record EgressChange(Instant at, List<IpPermission> before, List<IpPermission> after) {
    }

    /** The calls that change a security group's outbound rules (each names the group in {@code GroupId}). */
    private static final Set<String> EGRESS_CHANGES = Set.of("ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress",
            "ec2:ModifySecurityGroupRules");

    private final InstantSource clock;
    private final Duration registrationPropagation;
    private final Duration deregistrationLag;
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private final Instant switchedOn;
    private final Map<String, Instant> registeredAt = new HashMap<>();
    private final Map<String, Instant> drainingSince = new HashMap<>();
    private final Map<String, List<EniEvent>> eniEvents = new HashMap<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final List<Deregistration> deregistrations = new ArrayList<>();
    private final Map<String, TargetGroupView> views = new HashMap<>();
    private final Map<String, List<EgressChange>> egressChanges = new HashMap<>();
    private final Map<String, List<IpPermission>> egressNow = new HashMap<>();
    private final Map<String, Set<String>> eniGroups = new HashMap<>();
    /** The security groups a deleted ENI had, by IP: the checks replayed from before its deletion ran with them. */
    private final Map<String, Set<String>> groupsOfDeletedEnis = new HashMap<>();
    private final Map<String, Optional<List<String>>> prefixLists = new HashMap<>();
    private Set<String> eniIps;

    TargetHealthModel(InstantSource clock, Duration registrationPropagation, Duration deregistrationLag, Ec2Client ec2,
                      ElasticLoadBalancingV2Client elb) {
        if (registrationPropagation.isNegative()) {
            throw new IllegalArgumentException("registrationPropagation must not be negative, was " + registrationPropagation);
        }
        if (deregistrationLag.isNegative()) {
            throw new IllegalArgumentException("deregistrationLag must not be negative, was " + deregistrationLag);
        }
        this.clock = clock;
        this.registrationPropagation = registrationPropagation;
        this.deregistrationLag = deregistrationLag;
        this.ec2 = ec2;
        this.elb = elb;
        this.switchedOn = clock.instant();
    }

    /**
     * The targets of a group as DescribeTargetHealth would report them now: registered ones and those
     * still draining, in IP order.
     *
     * @throws TargetGroupNotFoundException when the group does not exist
     */
    public synchronized List<TargetState> describe(String targetGroupArn) {
        TargetGroupView view = view(targetGroupArn);
        Instant now = clock.instant();
        List<TargetState> states = new ArrayList<>();
        for (String key : view.registered()) {
            states.add(state(view, key, now));
        }
        Duration draining = view.deregistrationDelay().compareTo(deregistrationLag) >= 0 ? view.deregistrationDelay() : deregistrationLag;
        drainingSince.entrySet().removeIf(entry -> entry.getKey().startsWith(targetGroupArn + "|")
                && !now.isBefore(entry.getValue().plus(draining)));
        drainingSince.keySet().stream().filter(key -> key.startsWith(targetGroupArn + "|"))
                .map(TargetHealthModel::target).filter(target -> !view.registered().contains(target))
                .forEach(target -> states.add(new TargetState(ip(target), port(target), "draining", "Target.DeregistrationInProgress",
                        "Target deregistration is in progress")));
        states.sort(java.util.Comparator.comparing(TargetState::ip).thenComparing(TargetState::port));
        return states;
    }

    /** Every RegisterTargets that added a target since the model was switched on, in order. */
    public synchronized List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    /** Every DeregisterTargets of a registered target since the model was switched on, in order. */
    public synchronized List<Deregistration> deregistrations() {
        return List.copyOf(deregistrations);
    }

    /**
     * Answers the calls the model owns: DescribeTargetHealth, and DeregisterTargets (applied to moto
     * for the targets moto holds, recorded with each target's state at this instant).
     *
     * @return the XML of a 200 answer, or null to forward the request to moto (other calls, or a
     *         target group moto does not know, whose error moto then answers)
     */
    synchronized String answer(AwsRequest request) {
        String action = request.iamAction();
        if (!action.equals("elasticloadbalancing:DescribeTargetHealth") && !action.equals("elasticloadbalancing:DeregisterTargets")) {
            return null;
        }
        String arn = request.param("TargetGroupArn");
        TargetGroupView view = viewOrNull(arn);
        if (view == null) {
            return null;
        }
        List<String> named = namedTargets(request, view.port());
        return action.endsWith("DescribeTargetHealth") ? describeTargetHealth(view, named) : deregisterTargets(view, named);
    }

    /**
     * Prepares to observe a call forwarded to moto: returns the function the door applies to moto's
     * 200 answer, which records what the call changed (ENIs, registrations) at the clock's time and
     * returns the body unchanged.
     */
    synchronized UnaryOperator<byte[]> observe(AwsRequest request) {
        String action = request.iamAction();
        boolean changes = !(request.action().startsWith("Describe") || request.action().startsWith("List") || request.action().startsWith("Get"));
        if (!changes) {
            return UnaryOperator.identity();
        }
        Map<String, Set<String>> deletedEnis = action.equals("ec2:DeleteNetworkInterface") ? groupsByIp(request.param("NetworkInterfaceId")) : Map.of();
        TargetGroupView before = action.equals("elasticloadbalancing:RegisterTargets") ? viewOrNull(request.param("TargetGroupArn")) : null;
        String egressGroup = EGRESS_CHANGES.contains(action) ? request.param("GroupId") : null;
        List<IpPermission> egressBefore = egressGroup == null ? null : egressOf(egressGroup);
        return ok -> {
            synchronized (this) {
                Instant now = clock.instant();
                views.clear();
                eniIps = null;
                egressNow.clear();
                eniGroups.clear();
                prefixLists.clear();
                if (egressGroup != null) {
                    egressChanges.computeIfAbsent(egressGroup, k -> new ArrayList<>()).add(new EgressChange(now, egressBefore, egressOf(egressGroup)));
                }
                switch (action) {
                    case "ec2:CreateNetworkInterface" -> {
                        Matcher ip = ENI_IP.matcher(new String(ok, StandardCharsets.UTF_8));
                        while (ip.find()) {
                            eniEvents.computeIfAbsent(ip.group(1), k -> new ArrayList<>()).add(new EniEvent(now, true));
                        }
                    }
                    case "ec2:DeleteNetworkInterface" -> deletedEnis.forEach((ip, groups) -> {
                        eniEvents.computeIfAbsent(ip, k -> new ArrayList<>()).add(new EniEvent(now, false));
                        groupsOfDeletedEnis.put(ip, groups);
                    });
                    case "elasticloadbalancing:RegisterTargets" -> {
                        if (before != null) {
                            registered(request, before, now);
                        }
                    }
                    default -> {
                    }
                }
            }
            return ok;
        };
    }

    /** Records the targets a RegisterTargets added: those moto did not hold before the call, or held only as draining. */
    private void registered(AwsRequest request, TargetGroupView before, Instant now) {
        String arn = before.arn();
        for (String target : namedTargets(request, before.port())) {
            String key = arn + "|" + target;
            if (!before.registered().contains(target) || drainingSince.containsKey(key)) {
                registeredAt.put(key, now);
                drainingSince.remove(key);
                registrations.add(new Registration(now, arn, ip(target), port(target)));
            }
        }
    }

    private String describeTargetHealth(TargetGroupView view, List<String> named) {
        Map<String, TargetState> current = new LinkedHashMap<>();
        describe(view.arn()).forEach(state -> current.put(state.ip() + ":" + state.port(), state));
        List<TargetState> answered = named.isEmpty() ? List.copyOf(current.values()) : named.stream()
                .map(target -> current.getOrDefault(target, new TargetState(ip(target), port(target), "unused", "Target.NotRegistered",
                        "Target is not registered to the target group")))
                .toList();
        StringBuilder xml = new StringBuilder("<DescribeTargetHealthResponse xmlns=\"" + NS + "\"><DescribeTargetHealthResult><TargetHealthDescriptions>");
        for (TargetState state : answered) {
            String healthCheckPort = "traffic-port".equals(view.healthCheckPort()) || view.healthCheckPort() == null
                    ? String.valueOf(state.port()) : view.healthCheckPort();
            xml.append("<member><Target><Id>").append(state.ip()).append("</Id><Port>").append(state.port()).append("</Port></Target>")
                    .append("<HealthCheckPort>").append(healthCheckPort).append("</HealthCheckPort><TargetHealth><State>").append(state.state())
                    .append("</State>");
            if (state.reason() != null) {
                xml.append("<Reason>").append(state.reason()).append("</Reason><Description>").append(state.description()).append("</Description>");
            }
            xml.append("</TargetHealth></member>");
        }
        return xml.append("</TargetHealthDescriptions></DescribeTargetHealthResult>").append(metadata()).append("</DescribeTargetHealthResponse>").toString();
    }

    private String deregisterTargets(TargetGroupView view, List<String> named) {
        Instant now = clock.instant();
        Map<String, String> stateBefore = describe(view.arn()).stream()
                .collect(Collectors.toMap(state -> state.ip() + ":" + state.port(), TargetState::state, (a, b) -> a));
        List<String> present = named.stream().filter(view.registered()::contains).distinct().toList();
        if (!present.isEmpty()) {
            elb.deregisterTargets(b -> b.targetGroupArn(view.arn()).targets(present.stream()
                    .map(target -> TargetDescription.builder().id(ip(target)).port(port(target)).build()).toList()));
            views.remove(view.arn());
        }
        for (String target : present) {
            String key = view.arn() + "|" + target;
            deregistrations.add(new Deregistration(now, view.arn(), ip(target), port(target), stateBefore.get(target)));
            registeredAt.remove(key);
            drainingSince.put(key, now);
        }
        return "<DeregisterTargetsResponse xmlns=\"" + NS + "\"><DeregisterTargetsResult/>" + metadata() + "</DeregisterTargetsResponse>";
    }

    private TargetState state(TargetGroupView view, String target, Instant now) {
        String ip = ip(target);
        int port = port(target);
        if (!view.usedByLoadBalancer()) {
            return new TargetState(ip, port, "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
        }
        String zone = view.zoneOf(ip);
        if (zone != null && !view.enabledZones().contains(zone)) {
            return new TargetState(ip, port, "unused", "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer");
        }
        Instant checksStart = registeredAt.computeIfAbsent(view.arn() + "|" + target, key -> switchedOn).plus(registrationPropagation);
        if (now.isBefore(checksStart)) {
            return new TargetState(ip, port, "initial", "Elb.RegistrationInProgress", "Target registration is in progress");
        }
        int checkedPort = view.healthCheckPort(port);
        return switch (view.checks().verdict(checksStart, at -> eniPresent(ip, at) && egressAllows(view, ip, checkedPort, at), now)) {
            case INITIAL -> new TargetState(ip, port, "initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
            case HEALTHY -> new TargetState(ip, port, "healthy", null, null);
            case UNHEALTHY -> new TargetState(ip, port, "unhealthy", "Target.FailedHealthChecks", "Health checks failed");
        };
    }

    /**
     * Whether an ENI held {@code ip} for a check at {@code at}: the last observed change strictly before
     * it (a change at the instant of a check takes effect after that check, so replaying the checks
     * never rewrites an answer already given), else the state before the first change, else now.
     */
    private boolean eniPresent(String ip, Instant at) {
        List<EniEvent> events = eniEvents.getOrDefault(ip, List.of());
        Boolean present = null;
        for (EniEvent event : events) {
            if (event.at().isBefore(at)) {
                present = event.present();
            }
        }
        if (present != null) {
            return present;
        }
        if (!events.isEmpty()) {
            return !events.get(0).present();
        }
        if (eniIps == null) {
            eniIps = ec2.describeNetworkInterfacesPaginator().networkInterfaces().stream()
                    .flatMap(eni -> eni.privateIpAddresses().stream()).map(address -> address.privateIpAddress()).collect(Collectors.toSet());
        }
        return eniIps.contains(ip);
    }

    /**
     * Whether a check at {@code at} leaves every load balancer of the group: each one with security groups
     * has one whose outbound rules, as they were at {@code at}, allow TCP to {@code ip} on {@code port}.
     */
    private boolean egressAllows(TargetGroupView view, String ip, int port, Instant at) {
        for (Set<String> groups : view.securityGroups()) {
            boolean allowed = false;
            for (String group : groups) {
                if (SecurityGroupEgress.allowsTcp(egressAt(group, at), ip, port, groupsOfEni(ip), this::prefixListCidrs)) {
                    allowed = true;
                    break;
                }
            }
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** A group's outbound rules for a check at {@code at}: as {@link #eniPresent}, the last change strictly before it, else as before the first change, else now. */
    private List<IpPermission> egressAt(String group, Instant at) {
        List<EgressChange> changes = egressChanges.getOrDefault(group, List.of());
        List<IpPermission> rules = null;
        for (EgressChange change : changes) {
            if (change.at().isBefore(at)) {
                rules = change.after();
            }
        }
        if (rules != null) {
            return rules;
        }
        return changes.isEmpty() ? egressNow.computeIfAbsent(group, this::egressOf) : changes.get(0).before();
    }

    /**
     * The group's outbound rules as moto holds them now; a group moto cannot describe counts as allowing
     * all outbound traffic (the world does not invent a failure it cannot show).
     */
    private List<IpPermission> egressOf(String group) {
        try {
            return ec2.describeSecurityGroups(b -> b.groupIds(group)).securityGroups().stream()
                    .flatMap(found -> found.ipPermissionsEgress().stream()).toList();
        } catch (RuntimeException unknown) {
            return List.of(IpPermission.builder().ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0")).build());
        }
    }

    /**
     * The security groups of the ENI that holds {@code ip} now or, when none does, of the ENI deleted last that held
     * it (a check is only evaluated for egress while an ENI held the IP). Changes to a live ENI's groups are not
     * replayed: its groups are read as they are now.
     */
    private Set<String> groupsOfEni(String ip) {
        return eniGroups.computeIfAbsent(ip, key -> {
            Set<String> now = ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("addresses.private-ip-address").values(key)))
                    .networkInterfaces().stream().flatMap(eni -> eni.groups().stream()).map(group -> group.groupId()).collect(Collectors.toSet());
            return now.isEmpty() ? groupsOfDeletedEnis.getOrDefault(key, Set.of()) : now;
        });
    }

    /** The CIDRs of a managed prefix list, empty when moto cannot answer for it. */
    private Optional<List<String>> prefixListCidrs(String prefixListId) {
        return prefixLists.computeIfAbsent(prefixListId, id -> {
            try {
                return Optional.of(ec2.getManagedPrefixListEntriesPaginator(b -> b.prefixListId(id)).entries().stream()
                        .map(entry -> entry.cidr()).toList());
            } catch (RuntimeException unknown) {
                return Optional.empty();
            }
        });
    }

    private TargetGroupView view(String arn) {
        if (arn == null || arn.isBlank()) {
            throw new IllegalArgumentException("TargetGroupArn is required");
        }
        return views.computeIfAbsent(arn, key -> TargetGroupView.read(elb, ec2, key));
    }

    private TargetGroupView viewOrNull(String arn) {
        try {
            return view(arn);
        } catch (TargetGroupNotFoundException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Each IP of the ENI with its security groups, read before the ENI is deleted; empty when moto does not know it. */
    private Map<String, Set<String>> groupsByIp(String networkInterfaceId) {
        try {
            Map<String, Set<String>> byIp = new LinkedHashMap<>();
            ec2.describeNetworkInterfaces(b -> b.networkInterfaceIds(networkInterfaceId)).networkInterfaces().forEach(eni -> {
                Set<String> groups = eni.groups().stream().map(group -> group.groupId()).collect(Collectors.toSet());
                eni.privateIpAddresses().forEach(address -> byIp.put(address.privateIpAddress(), groups));
            });
            return byIp;
        } catch (RuntimeException unknown) {
            return Map.of();
        }
    }

    /** {@code ip:port} of each {@code Targets.member.N}; a target named without a port takes the group's. */
    private static List<String> namedTargets(AwsRequest request, int defaultPort) {
        List<String> targets = new ArrayList<>();
        for (int i = 1; request.params().containsKey("Targets.member." + i + ".Id"); i++) {
            String port = request.param("Targets.member." + i + ".Port");
            targets.add(request.param("Targets.member." + i + ".Id") + ":" + (port == null ? defaultPort : Integer.parseInt(port)));
        }
        return targets;
    }

    private static String target(String key) {
        return key.substring(key.indexOf('|') + 1);
    }

    private static String ip(String target) {
        return target.substring(0, target.lastIndexOf(':'));
    }

    private static int port(String target) {
        return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
    }
}
