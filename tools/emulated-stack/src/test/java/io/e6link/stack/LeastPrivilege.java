package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.PackagedFunction;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Least privilege, checked against what the packaged functions really did: every AWS action a
 * function called (recorded by the SDK interceptor) must be granted by that function's own role in
 * template.yaml, and every granted action must have been called by some test of the build or be
 * listed below with the reason no test calls it.
 */
final class LeastPrivilege {
    /** Granted but not called by any packaged run here, and why that is right. */
    static final Map<String, String> GRANTED_WITHOUT_CALL = Map.ofEntries(
            Map.entry("OidcProviderFunction iam:TagOpenIDConnectProvider", "needed to pass Tags to CreateOpenIDConnectProvider; never called on its own"),
            Map.entry("OidcProviderFunction iam:AddClientIDToOpenIDConnectProvider", "client-id updates of an owned provider; moto does not implement it (Mockito test)"),
            Map.entry("OidcProviderFunction iam:RemoveClientIDFromOpenIDConnectProvider", "client-id updates of an owned provider; moto does not implement it (Mockito test)"),
            Map.entry("SecurityGroupRulesFunction ec2:CreateTags", "tag-on-create authorization for AuthorizeSecurityGroupIngress TagSpecifications"),
            Map.entry("SecurityGroupRulesFunction ec2:ModifySecurityGroupRules", "rewrites the description of owned rules when Description changes (in-process moto test)"),
            Map.entry("S3GatewayEndpointFunction ec2:CreateTags", "tag-on-create authorization for CreateVpcEndpoint TagSpecifications"),
            Map.entry("BucketPolicyFunction s3:DeleteBucketPolicy", "called only when our statement was the last one; recorded when the bucket-policy IT runs"));

    private LeastPrivilege() {
    }

    static void assertGranted(Template template, Path stackCalls) throws IOException {
        Map<String, Set<String>> called = new TreeMap<>();
        read(stackCalls, called);
        String shared = System.getProperty(PackagedFunction.API_CALL_DIR_PROPERTY);
        if (shared != null && Files.isDirectory(Path.of(shared))) {
            read(Path.of(shared), called);
        }
        Map<String, Set<String>> granted = grantedActions(template);

        Map<String, Set<String>> notGranted = new TreeMap<>();
        called.forEach((function, actions) -> actions.stream()
                .filter(action -> !granted.getOrDefault(function, Set.of()).contains(action))
                .forEach(action -> notGranted.computeIfAbsent(function, f -> new TreeSet<>()).add(action)));
        assertThat(notGranted).as("actions called but not granted to the calling function's role").isEmpty();

        Map<String, Set<String>> unused = new TreeMap<>();
        granted.forEach((function, actions) -> actions.stream()
                .filter(action -> !action.startsWith("logs:"))
                .filter(action -> !called.getOrDefault(function, Set.of()).contains(action))
                .filter(action -> !GRANTED_WITHOUT_CALL.containsKey(function + " " + action))
                .forEach(action -> unused.computeIfAbsent(function, f -> new TreeSet<>()).add(action)));
        assertThat(unused).as("actions granted but never called by a test and not listed with a reason").isEmpty();
    }

    private static void read(Path dir, Map<String, Set<String>> into) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                String function = file.getFileName().toString().replaceFirst("\\.log$", "");
                into.computeIfAbsent(function, f -> new TreeSet<>()).addAll(Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList());
            }
        }
    }

    /** Function logical id → the actions its role's inline policies allow. */
    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> grantedActions(Template template) {
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        template.section("Resources").forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> role = (Map<String, Object>) template.properties(id).get("Role");
            String roleId = (String) ((List<Object>) role.get("Fn::GetAtt")).get(0);
            Set<String> actions = new TreeSet<>();
            for (Object policy : (List<Object>) template.properties(roleId).get("Policies")) {
                Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument");
                for (Object statement : (List<Object>) document.get("Statement")) {
                    Object action = ((Map<String, Object>) statement).get("Action");
                    if (action instanceof List<?> list) {
                        list.forEach(a -> actions.add(String.valueOf(a)));
                    } else {
                        actions.add(String.valueOf(action));
                    }
                }
            }
            granted.put(id, actions);
        });
        return new HashMap<>(granted);
    }
}
