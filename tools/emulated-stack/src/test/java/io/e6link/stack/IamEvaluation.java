package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.aws.StrictAws.RecordedCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * IAM evaluated, not listed: the authorization requests the emulated world derived from every AWS
 * call the packaged functions made (action, each resource the Service Authorization Reference lists
 * for it, condition keys with the request's and the resources' values) are evaluated against the
 * calling function's role policies, as the stack resolved them, by {@code @cloud-copilot/iam-simulate}
 * (testing/iam-evaluation, installed by {@code npm ci} in scripts/test). A missing Node.js or a missing
 * install fails the test: it never skips.
 */
final class IamEvaluation {
    /** One authorization request to evaluate; {@code principal} is a function's logical id. */
    record Request(String id, String principal, String action, String resource, Map<String, Object> context) {
    }

    /** The simulator's answer for one request. */
    record Decision(Request request, String decision, List<String> allowedBy, String reason) {
        boolean allowed() {
            return decision.equals("Allowed");
        }

        String describe() {
            return request.principal() + " " + request.action() + " on " + request.resource() + " " + request.context() + ": " + decision
                    + " (" + reason + ")";
        }
    }

    private final Map<String, Object> principals;
    /** Request id → the API call (its IAM action) that the request authorizes, for requests made by {@link #requestsOf}. */
    private final Map<String, String> callByRequest = new java.util.concurrent.ConcurrentHashMap<>();

    private IamEvaluation(Map<String, Object> principals) {
        this.principals = principals;
    }

    /** The roles of every function the stack deployed, with their inline policies as the stack resolved them. */
    static IamEvaluation of(EmulatedStack stack) {
        return of(stack, null);
    }

    /**
     * The same roles as the stack would resolve them in another partition ({@link EmulatedStack#resolvedPropertiesIn}):
     * evaluate requests moved there with {@link PartitionMove#apply(Request)}.
     */
    @SuppressWarnings("unchecked")
    static IamEvaluation of(EmulatedStack stack, PartitionMove elsewhere) {
        Map<String, String> roleByArn = new LinkedHashMap<>();
        stack.resourceTypes().forEach((id, type) -> {
            if (type.equals("AWS::IAM::Role")) {
                roleByArn.put(String.valueOf(stack.attributes(id).get("Arn")), id);
            }
        });
        Map<String, Object> principals = new TreeMap<>();
        stack.resourceTypes().forEach((id, type) -> {
            if (!NativeResources.isFunction(type)) {
                return;
            }
            String roleArn = String.valueOf(stack.resolvedProperties(id).get("Role"));
            String roleId = roleByArn.get(roleArn);
            Map<String, Object> role = elsewhere == null ? stack.resolvedProperties(roleId)
                    : stack.resolvedPropertiesIn(roleId, elsewhere.pseudoParameters(), elsewhere);
            List<Map<String, Object>> policies = new ArrayList<>();
            for (Object policy : (List<Object>) role.getOrDefault("Policies", List.of())) {
                Map<String, Object> named = (Map<String, Object>) policy;
                policies.add(Map.of("name", named.get("PolicyName"), "document", named.get("PolicyDocument")));
            }
            Map<String, Object> principal = new LinkedHashMap<>();
            String arn = "arn:aws:sts::" + NativeResources.ACCOUNT + ":assumed-role/" + roleArn.substring(roleArn.lastIndexOf('/') + 1) + "/" + id;
            principal.put("arn", elsewhere == null ? arn : elsewhere.apply(arn));
            principal.put("policies", policies);
            principals.put(id, principal);
        });
        return new IamEvaluation(principals);
    }

    /**
     * Principals given by their policies (e.g. the Service Catalog launch role): principal id →
     * policies as {@code {"name": <String>, "document": <policy document>}}.
     */
    static IamEvaluation forPolicies(Map<String, List<Map<String, Object>>> policiesByPrincipal) {
        Map<String, Object> principals = new TreeMap<>();
        policiesByPrincipal.forEach((id, policies) -> principals.put(id, Map.of(
                "arn", "arn:aws:sts::" + NativeResources.ACCOUNT + ":assumed-role/" + id + "/session", "policies", policies)));
        return new IamEvaluation(principals);
    }

    Set<String> functions() {
        return principals.keySet();
    }

    /** Every statement of each function's role, as {@code <policy name>#<Sid>}. */
    @SuppressWarnings("unchecked")
    Map<String, Set<String>> statements() {
        Map<String, Set<String>> statements = new TreeMap<>();
        principals.forEach((function, value) -> {
            Set<String> sids = new TreeSet<>();
            for (Map<String, Object> policy : (List<Map<String, Object>>) ((Map<String, Object>) value).get("policies")) {
                Map<String, Object> document = (Map<String, Object>) policy.get("document");
                for (Object statement : (List<Object>) document.get("Statement")) {
                    sids.add(policy.get("name") + "#" + ((Map<String, Object>) statement).get("Sid"));
                }
            }
            statements.put(function, sids);
        });
        return statements;
    }

    /** The recorded calls of the stack's functions as requests (calls by anyone else are not the stack's). */
    List<Request> requestsOf(List<RecordedCall> calls) {
        List<Request> requests = new ArrayList<>();
        for (RecordedCall call : calls) {
            if (!principals.containsKey(call.principal())) {
                continue;
            }
            for (var authorization : call.authorizations()) {
                assertThat(authorization.underived())
                        .as("%s calls %s, for which the emulated world derives no authorization requests: add it to AuthorizationRequests",
                                call.principal(), call.call())
                        .isFalse();
                Request request = new Request("r" + requests.size(), call.principal(), authorization.action(), authorization.resource(),
                        authorization.context());
                callByRequest.put(request.id(), call.call());
                requests.add(request);
            }
        }
        return requests;
    }

    /**
     * The API call behind a request of {@link #requestsOf}, named by its IAM action (e.g. {@code ec2:CreateVpcEndpoint}
     * for the {@code ec2:CreateTags} request of its tags); null for requests built by hand.
     */
    String callOf(Request request) {
        return callByRequest.get(request.id());
    }

    /** Evaluates all requests in one run of the simulator. */
    @SuppressWarnings("unchecked")
    List<Decision> evaluate(List<Request> requests) {
        Map<String, Request> byId = new LinkedHashMap<>();
        List<Map<String, Object>> wire = new ArrayList<>();
        for (Request request : requests) {
            byId.put(request.id(), request);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", request.id());
            item.put("principal", request.principal());
            item.put("action", request.action());
            item.put("resource", request.resource());
            item.put("resourceAccount", NativeResources.ACCOUNT);
            item.put("context", request.context());
            wire.add(item);
        }
        Map<String, Object> output = Json.readObject(run(Json.write(Map.of("principals", principals, "requests", wire))));
        List<Decision> decisions = new ArrayList<>();
        for (Object value : (List<Object>) output.get("results")) {
            Map<String, Object> result = (Map<String, Object>) value;
            decisions.add(new Decision(byId.get(String.valueOf(result.get("id"))), String.valueOf(result.get("decision")),
                    ((List<Object>) result.getOrDefault("allowedBy", List.of())).stream().map(String::valueOf).toList(),
                    String.valueOf(result.getOrDefault("reason", ""))));
        }
        assertThat(decisions).as("one decision per request").hasSize(requests.size());
        return decisions;
    }

    private static String run(String input) {
        Path root = Events.projectRoot().resolve("testing/iam-evaluation");
        Path script = root.resolve("evaluate.mjs");
        if (!Files.isDirectory(root.resolve("node_modules"))) {
            throw new IllegalStateException("The IAM simulator is not installed: run `npm ci --prefix testing/iam-evaluation` (scripts/test does).");
        }
        try {
            Path in = Files.createTempFile("iam-requests", ".json");
            Files.writeString(in, input, StandardCharsets.UTF_8);
            Path err = Files.createTempFile("iam-simulator", ".err");
            // stderr to a file: reading the two pipes one after the other can deadlock when the simulator writes much to stderr.
            Process process = new ProcessBuilder("node", script.toString()).redirectInput(in.toFile()).redirectError(err.toFile()).start();
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("the IAM simulator failed: " + Files.readString(err));
            }
            Files.delete(in);
            Files.delete(err);
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (Node.js 20 is required for the IAM evaluation): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
