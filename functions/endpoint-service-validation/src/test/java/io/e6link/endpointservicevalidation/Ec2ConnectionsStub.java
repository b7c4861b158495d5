package io.e6link.endpointservicevalidation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An EC2 Query-API endpoint for packaged-function tests (the function's {@code AWS_ENDPOINT_URL_EC2}):
 * answers the endpoint-connection actions moto lacks with the XML shapes of the EC2 API reference, and
 * forwards every other action to moto unchanged. The function's real SDK client serialises and parses
 * every call, so the wire format (lower-camel states, Unsuccessful items) is exercised for real.
 */
final class Ec2ConnectionsStub implements AutoCloseable {
    /** One connection action as received, with its decoded form parameters. */
    record Call(String action, Map<String, String> parameters) {
        List<String> endpointIds() {
            return parameters.entrySet().stream().filter(e -> e.getKey().startsWith("VpcEndpointId.")).map(Map.Entry::getValue).toList();
        }
    }

    private record Connection(String serviceId, String endpointId, String owner, String state) {
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade");
    private final HttpServer server;
    private final URI forwardTo;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Connection> connections = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> unsuccessful = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean describeDenied;

    /** @param forwardTo moto's endpoint for every other EC2 action; null answers them with an error */
    Ec2ConnectionsStub(URI forwardTo) {
        this.forwardTo = forwardTo;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A consumer endpoint's connection; state in EC2's wire form ("pendingAcceptance", "available"). */
    Ec2ConnectionsStub connection(String serviceId, String endpointId, String owner, String state) {
        connections.put(endpointId, new Connection(serviceId, endpointId, owner, state));
        return this;
    }

    /** Accept/Reject report this endpoint in Unsuccessful (inside an HTTP 200 answer). */
    Ec2ConnectionsStub unsuccessful(String endpointId, String code) {
        unsuccessful.put(endpointId, code);
        return this;
    }

    /**
     * DescribeVpcEndpointConnections answers as EC2 does to a role no policy allows it: HTTP 403
     * {@code UnauthorizedOperation}, "because no identity-based policy allows" (an implicit deny).
     */
    Ec2ConnectionsStub denyDescribe() {
        describeDenied = true;
        return this;
    }

    List<Call> calls(String action) {
        synchronized (calls) {
            return calls.stream().filter(call -> call.action().equals(action)).toList();
        }
    }

    String state(String endpointId) {
        return connections.get(endpointId).state();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> parameters = form(new String(body, StandardCharsets.UTF_8));
        String action = parameters.getOrDefault("Action", "");
        switch (action) {
            case "DescribeVpcEndpointConnections" -> {
                calls.add(new Call(action, parameters));
                if (describeDenied) {
                    reply(exchange, 403, "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this"
                            + " operation. User: arn:aws:sts::123456789012:assumed-role/e6link-ConnectionAcceptanceRole/f is not authorized to perform:"
                            + " ec2:DescribeVpcEndpointConnections because no identity-based policy allows the ec2:DescribeVpcEndpointConnections action"
                            + "</Message></Error></Errors><RequestID>stub</RequestID></Response>");
                } else {
                    reply(exchange, 200, describe(parameters));
                }
            }
            case "AcceptVpcEndpointConnections", "RejectVpcEndpointConnections" -> {
                Call call = new Call(action, parameters);
                calls.add(call);
                reply(exchange, 200, change(action, call.endpointIds(), action.startsWith("Accept") ? "pending" : "rejected"));
            }
            default -> {
                if (forwardTo == null) {
                    reply(exchange, 400, "<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>" + action
                            + " is not served by this stub</Message></Error></Errors><RequestID>stub</RequestID></Response>");
                } else {
                    forward(exchange, body);
                }
            }
        }
    }

    private String describe(Map<String, String> parameters) {
        String serviceFilter = null;
        for (int i = 1; parameters.containsKey("Filter." + i + ".Name"); i++) {
            if ("service-id".equals(parameters.get("Filter." + i + ".Name"))) {
                serviceFilter = parameters.get("Filter." + i + ".Value.1");
            }
        }
        StringBuilder items = new StringBuilder();
        synchronized (connections) {
            for (Connection c : connections.values()) {
                if (serviceFilter == null || serviceFilter.equals(c.serviceId())) {
                    items.append("<item><serviceId>").append(c.serviceId()).append("</serviceId>")
                            .append("<vpcEndpointId>").append(c.endpointId()).append("</vpcEndpointId>")
                            .append("<vpcEndpointOwner>").append(c.owner()).append("</vpcEndpointOwner>")
                            .append("<vpcEndpointState>").append(c.state()).append("</vpcEndpointState>")
                            .append("<creationTimestamp>2025-01-01T00:00:00.000Z</creationTimestamp></item>");
                }
            }
        }
        return envelope("DescribeVpcEndpointConnections", "<vpcEndpointConnectionSet>" + items + "</vpcEndpointConnectionSet>");
    }

    private String change(String action, List<String> endpointIds, String newState) {
        StringBuilder failed = new StringBuilder();
        for (String id : endpointIds) {
            String code = unsuccessful.get(id);
            Connection current = connections.get(id);
            if (code == null && current != null) {
                connections.put(id, new Connection(current.serviceId(), id, current.owner(), newState));
            } else {
                failed.append("<item><error><code>").append(code == null ? "InvalidVpcEndpointId.NotFound" : code)
                        .append("</code><message>refused by the stub</message></error><resourceId>").append(id).append("</resourceId></item>");
            }
        }
        return envelope(action, "<unsuccessful>" + failed + "</unsuccessful>");
    }

    private static String envelope(String action, String content) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>" + content + "</" + action + "Response>";
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardTo.resolve(exchange.getRequestURI().getPath()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(500, -1);
        } finally {
            exchange.close();
        }
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
