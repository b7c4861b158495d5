package io.e6link.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.e6link.testing.Moto;
import io.e6link.testing.aws.AwsRuleViolation;
import io.e6link.testing.aws.HttpForwarder;
import io.e6link.testing.aws.StrictAws;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Sits between the functions and moto for EC2 and Elastic Load Balancing (both Query-protocol
 * APIs), filling two gaps in moto with the response shapes AWS documents:
 * <ul>
 *   <li>moto answers HTTP 500 to VPC endpoint <em>connection</em> calls, so
 *       Describe/Accept/RejectVpcEndpointConnections are served from a small model that lets a
 *       test "be e6data" and request a connection;</li>
 *   <li>moto reports every IP target healthy, so DescribeTargetHealth is rewritten: a target whose
 *       IP no longer belongs to any network interface fails its health checks, as on AWS once
 *       EKS has deleted an old control-plane ENI (unless the strict door's time-driven target health
 *       model is on: {@code StrictAws.modelTargetHealth}).</li>
 * </ul>
 * Every other request is forwarded to moto unchanged.
 */
public final class MotoGapsProxy implements AutoCloseable {
    private static final Set<String> MODELLED = Set.of("DescribeVpcEndpointConnections", "AcceptVpcEndpointConnections", "RejectVpcEndpointConnections");
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** One consumer endpoint connected to a service; state as EC2 writes it (lower camel case). */
    public record Connection(String serviceId, String endpointId, String owner, String state, Instant created) {
        Connection withState(String newState) {
            return new Connection(serviceId, endpointId, owner, newState, created);
        }
    }

    private final HttpForwarder forwarder;
    private final StrictAws strict;
    private final HttpServer server;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Ec2Client ec2;
    private static final Pattern TARGET_MEMBER = Pattern.compile("<member><Target><Id>([^<]+)</Id>(.*?)</member>", Pattern.DOTALL);

    public MotoGapsProxy(Moto moto, Ec2Client ec2) throws IOException {
        this.forwarder = new HttpForwarder(moto.endpoint());
        this.strict = moto.strict();
        this.ec2 = ec2;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "ec2-proxy");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpointUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A consumer in {@code ownerAccount} creates an interface endpoint to the service. */
    String requestConnection(String serviceId, String ownerAccount) {
        String endpointId = "vpce-" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
        connections.put(endpointId, new Connection(serviceId, endpointId, ownerAccount, "pendingAcceptance", Instant.now()));
        return endpointId;
    }

    List<Connection> connections() {
        return List.copyOf(connections.values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> form = parseForm(new String(body, StandardCharsets.UTF_8));
            String action = first(form, "Action");
            if (action != null && MODELLED.contains(action)) {
                AwsRuleViolation fault = strict.recordAnsweredElsewhere(exchange.getRequestMethod(), exchange.getRequestURI(),
                        exchange.getRequestHeaders().getFirst("Authorization"), body);
                if (fault != null) {
                    reply(exchange, fault.status(), fault.body("ec2"));
                } else {
                    reply(exchange, 200, modelled(action, form));
                }
            } else {
                // With the strict door's target health model on, its answer already has ELB's states and timing.
                forwarder.forward(exchange, body, "DescribeTargetHealth".equals(action) && !strict.modelsTargetHealth()
                        ? ok -> withDeadTargetsUnhealthy(new String(ok, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                        : UnaryOperator.identity());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String modelled(String action, Map<String, List<String>> form) {
        String serviceId = first(form, "ServiceId");
        StringBuilder xml = new StringBuilder("<" + action + "Response xmlns=\"" + NS + "\"><requestId>" + UUID.randomUUID() + "</requestId>");
        if (action.equals("DescribeVpcEndpointConnections")) {
            Map<String, List<String>> filters = filters(form);
            xml.append("<vpcEndpointConnectionSet>");
            for (Connection connection : connections.values()) {
                if (matches(filters, "service-id", connection.serviceId()) && matches(filters, "vpc-endpoint-owner", connection.owner())
                        && matches(filters, "vpc-endpoint-state", connection.state()) && matches(filters, "vpc-endpoint-id", connection.endpointId())) {
                    xml.append("<item><serviceId>").append(connection.serviceId()).append("</serviceId><vpcEndpointId>")
                            .append(connection.endpointId()).append("</vpcEndpointId><vpcEndpointOwner>").append(connection.owner())
                            .append("</vpcEndpointOwner><vpcEndpointState>").append(connection.state())
                            .append("</vpcEndpointState><creationTimestamp>").append(connection.created()).append("</creationTimestamp></item>");
                }
            }
            xml.append("</vpcEndpointConnectionSet>");
        } else {
            boolean accept = action.startsWith("Accept");
            xml.append("<unsuccessful>");
            for (String endpointId : indexed(form, "VpcEndpointId")) {
                Connection connection = connections.get(endpointId);
                if (connection == null || !connection.serviceId().equals(serviceId)) {
                    xml.append("<item><error><code>InvalidVpcEndpointId.NotFound</code><message>The Vpc Endpoint Id '")
                            .append(endpointId).append("' does not exist</message></error><resourceId>").append(endpointId).append("</resourceId></item>");
                } else if (accept && !connection.state().equals("pendingAcceptance")) {
                    xml.append("<item><error><code>InvalidState</code><message>Endpoint is in state ").append(connection.state())
                            .append("</message></error><resourceId>").append(endpointId).append("</resourceId></item>");
                } else {
                    connections.put(endpointId, connection.withState(accept ? "available" : "rejected"));
                }
            }
            xml.append("</unsuccessful>");
        }
        return xml.append("</").append(action).append("Response>").toString();
    }

    /** Targets whose IP is no current network interface's address report failed health checks. */
    private String withDeadTargetsUnhealthy(String xml) {
        Set<String> liveIps = ec2.describeNetworkInterfacesPaginator().networkInterfaces().stream()
                .flatMap(eni -> eni.privateIpAddresses().stream()).map(address -> address.privateIpAddress())
                .collect(java.util.stream.Collectors.toSet());
        Matcher member = TARGET_MEMBER.matcher(xml);
        StringBuilder out = new StringBuilder();
        while (member.find()) {
            String text = member.group();
            if (!liveIps.contains(member.group(1))) {
                text = text.replaceFirst("<TargetHealth>.*?</TargetHealth>",
                        "<TargetHealth><State>unhealthy</State><Reason>Target.FailedHealthChecks</Reason>"
                                + "<Description>Health checks failed</Description></TargetHealth>");
            }
            member.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        member.appendTail(out);
        return out.toString();
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static boolean matches(Map<String, List<String>> filters, String name, String value) {
        List<String> wanted = filters.get(name);
        return wanted == null || wanted.stream().anyMatch(item -> item.equalsIgnoreCase(value));
    }

    private static Map<String, List<String>> filters(Map<String, List<String>> form) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
            filters.put(first(form, "Filter." + i + ".Name"), indexed(form, "Filter." + i + ".Value"));
        }
        return filters;
    }

    private static List<String> indexed(Map<String, List<String>> form, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + "." + i); i++) {
            values.add(first(form, prefix + "." + i));
        }
        return values;
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
