package io.e6link.stack;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/permissions.md, generated: every role of template.yaml (and the Service Catalog launch role of
 * service-catalog/portfolio.yaml) statement by statement (actions, resources, conditions, the template's
 * comment), with the calls of the packaged functions that the IAM evaluation of {@link StackIT} allowed by
 * each statement, the requests it proved denied, and the protections only the code enforces with their tests.
 * StackIT feeds it ({@link #used}, {@link #denied}, {@link #grantedWithoutCall}) and, after a complete run,
 * writes {@code tools/emulated-stack/target/permissions.md} and fails when docs/permissions.md differs.
 */
final class PermissionsDocument {
    static final String DOC = "docs/permissions.md";
    static final String GENERATED = "tools/emulated-stack/target/permissions.md";
    static final String REGENERATE = "./mvnw -B -pl tools/emulated-stack -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=StackIT"
            + " && cp " + GENERATED + " " + DOC;

    /** function logical id → statement ({@code policy#Sid}) → calls it allowed ({@code call} or {@code call (as action)}). */
    private static final Map<String, Map<String, Set<String>>> USED = new TreeMap<>();
    /** function logical id → requests proven denied, one line each. */
    private static final Map<String, Set<String>> DENIED = new TreeMap<>();
    private static final Map<String, String> WITHOUT_CALL = new TreeMap<>();

    /**
     * The protections IAM cannot express (docs/design-notes.md item 10), each with the tests that show the
     * code keeps them: {@code module-relative test source#method}; {@link #render()} fails when one is gone.
     */
    private static final Map<String, List<String>> CODE_ONLY = new LinkedHashMap<>();

    static {
        CODE_ONLY.put("**The customer's OIDC provider is never tagged, changed or deleted.** IAM has no create-action condition key for"
                        + " `iam:TagOpenIDConnectProvider`: a role that may create a tagged provider may also tag an existing one, and"
                        + " tagging it `e6link:owner` would make it changeable and deletable by `ChangeOwnedProvidersOnly`. The function tags only a"
                        + " provider it creates and adopts an existing one untouched.",
                List.of("functions/oidc-provider/src/test/java/io/e6link/oidcprovider/OidcProviderResourceTest.java#deleteLeavesAnAdoptedProviderExactlyAsItWas",
                        "functions/oidc-provider/src/test/java/io/e6link/oidcprovider/OidcProviderResourceTest.java#deleteWithAnIdCloudFormationMadeUpNeverTouchesAnAdoptedProvider",
                        "functions/oidc-provider/src/test/java/io/e6link/oidcprovider/OidcProviderResourceTest.java#deleteWithAMadeUpIdLeavesAProviderOwnedByAnotherStackAlone",
                        "tools/emulated-stack/src/test/java/io/e6link/stack/StackIT.java#wholeRunbookCreatesUpdatesSurvivesAnUpgradeAndDeletesLeavingTheCustomersThingsAsTheyWere"));
        CODE_ONLY.put("**The customer's security group rules are never revoked.** `ec2:RevokeSecurityGroupIngress` is authorized on the"
                        + " security group only (the Service Authorization Reference lists no security-group-rule resource for it), so"
                        + " IAM cannot tell the stack's rules from the customer's. The function revokes only rules tagged"
                        + " `e6link:owner` with its own resource and adopts an identical customer rule without changing it.",
                List.of("functions/security-group-ingress-rules/src/test/java/io/e6link/securitygroupingressrules/SecurityGroupIngressRulesResourceTest.java#anIdenticalCustomerRuleIsAdoptedNeverChangedAndSurvivesDelete",
                        "functions/security-group-ingress-rules/src/test/java/io/e6link/securitygroupingressrules/SecurityGroupIngressRulesResourceTest.java#updateAddsNewCidrsRevokesOnlyRemovedOwnedRulesAndRewritesOwnedDescriptions",
                        "functions/security-group-ingress-rules/src/test/java/io/e6link/securitygroupingressrules/SecurityGroupIngressRulesResourceTest.java#deleteWithAMadeUpIdRevokesOnlyThisOwnersRulesAndLeavesAnIdenticalCustomerRuleAndOtherOwnersRules",
                        "functions/security-group-ingress-rules/src/test/java/io/e6link/securitygroupingressrules/RulePlanTest.java#eachWantedCidrIsOwnedAdoptedOrMissing",
                        "tools/emulated-stack/src/test/java/io/e6link/stack/StackIT.java#wholeRunbookCreatesUpdatesSurvivesAnUpgradeAndDeletesLeavingTheCustomersThingsAsTheyWere"));
    }

    private PermissionsDocument() {
    }

    /** Records the allowed decisions of one evaluation: each statement that allowed a request, with the call behind it. */
    static synchronized void used(IamEvaluation evaluation, List<IamEvaluation.Decision> decisions) {
        for (IamEvaluation.Decision decision : decisions) {
            String call = evaluation.callOf(decision.request());
            String action = decision.request().action();
            String shown = call == null || call.equals(action) ? action : call + " (as " + action + ")";
            for (String statement : decision.allowedBy()) {
                USED.computeIfAbsent(decision.request().principal(), f -> new TreeMap<>())
                        .computeIfAbsent(statement, s -> new TreeSet<>()).add(shown);
            }
        }
    }

    /** Records requests proven denied (decisions other than Allowed). */
    static synchronized void denied(List<IamEvaluation.Decision> decisions) {
        for (IamEvaluation.Decision decision : decisions) {
            if (decision.allowed()) {
                continue;
            }
            IamEvaluation.Request request = decision.request();
            Map<String, Object> context = new TreeMap<>(request.context());
            context.remove("aws:RequestedRegion");
            context.remove("ec2:Region");
            DENIED.computeIfAbsent(request.principal(), f -> new TreeSet<>()).add("`" + request.action() + "` on `" + stable(request.resource()) + "`"
                    + (context.isEmpty() ? "" : " with " + stable(Json.write(context)).replace("|", "\\|")) + ": " + decision.decision());
        }
    }

    /** Statements granted although no recorded call needs them, with the reason ({@code function policy#Sid}, {@code *} for every function). */
    static synchronized void grantedWithoutCall(Map<String, String> reasons) {
        WITHOUT_CALL.putAll(reasons);
    }

    /** True once both kinds of evidence were recorded (a run of StackIT's runbook test, not a single other method). */
    static synchronized boolean complete() {
        return !USED.isEmpty() && !DENIED.isEmpty();
    }

    /**
     * Writes {@link #GENERATED} and returns null when docs/permissions.md equals it, else the one-sentence
     * reason with the command that regenerates it.
     */
    static synchronized String writeAndCompare() {
        Path root = Events.projectRoot();
        String rendered = render();
        try {
            Path generated = root.resolve(GENERATED);
            Files.createDirectories(generated.getParent());
            Files.writeString(generated, rendered);
            Path doc = root.resolve(DOC);
            if (Files.exists(doc) && Files.readString(doc).equals(rendered)) {
                return null;
            }
            return DOC + " is stale (template.yaml's roles or the calls the functions make changed): StackIT wrote the current one to "
                    + GENERATED + "; review the difference and copy it (" + REGENERATE + ").";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static synchronized String render() {
        Path root = Events.projectRoot();
        Template template = Template.load();
        Map<String, Object> resources = template.section("Resources");
        Map<String, String> functionOf = new LinkedHashMap<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (String.valueOf(resource.get("Type")).endsWith("::Function")) {
                Object role = ((Map<String, Object>) resource.get("Properties")).get("Role");
                if (role instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts) {
                    functionOf.put(String.valueOf(parts.get(0)), id);
                }
            }
        });
        // The roles in template.yaml's order (the plumbing part: runbook step order, then the scheduled functions').
        Map<String, String> functionOfRole = new LinkedHashMap<>();
        resources.keySet().stream().filter(functionOf::containsKey).forEach(role -> functionOfRole.put(role, functionOf.get(role)));
        Map<String, Map<String, String>> comments = statementComments(read(root.resolve("template.yaml")));
        StringBuilder out = new StringBuilder();
        out.append("# Permissions\n\n");
        out.append("<!-- Generated by StackIT (tools/emulated-stack, PermissionsDocument): do not edit. StackIT fails when this file\n")
                .append("     differs from what it computes. Regenerate: ").append(REGENERATE).append(" -->\n\n");
        out.append("What each of the stack's ").append(functionOfRole.size()).append(" IAM roles may do, statement by statement, and the evidence for it.\n")
                .append("Every role is assumed by one Lambda function only (trust: `lambda.amazonaws.com`), has path `/e6link/`, the\n")
                .append("template's `PermissionsBoundary` parameter as its boundary when set, and inline policies only.\n\n")
                .append("- **Actions, resources, conditions** are template.yaml's, intrinsic functions as written (`${ClusterName}` is the\n")
                .append("  parameter; `!GetAtt`/`!Ref` name the stack's own resources). **Why** is the template's comment on the statement.\n")
                .append("- **Used by**: the AWS calls the packaged functions made in the stack test (StackIT: create, update, an EKS\n")
                .append("  upgrade, the scheduled runs, delete; a bare account) that `@cloud-copilot/iam-simulate` allowed by this\n")
                .append("  statement, evaluated against the role as the stack resolved it; `A (as B)` is call A authorized as action B.\n")
                .append("  Every call of the functions is evaluated and must be allowed; every statement must serve a call or carry a reason.\n")
                .append("- **Proven denied**: requests on what the stack does not own that the same evaluation refuses (identifiers\n")
                .append("  shortened to `…`).\n\n");
        out.append("| Role | Function | Statements | Action grants | Calls seen | Denied requests proven |\n|---|---|---|---|---|---|\n");
        for (Map.Entry<String, String> entry : functionOfRole.entrySet()) {
            List<Map<String, Object>> statements = statements(resources, entry.getKey());
            int grants = statements.stream().mapToInt(s -> asList(s.get("Action")).size()).sum();
            long calls = USED.getOrDefault(entry.getValue(), Map.of()).values().stream().flatMap(Set::stream).distinct().count();
            out.append("| [").append(entry.getKey()).append("](#").append(entry.getKey().toLowerCase()).append(") | ").append(entry.getValue())
                    .append(" | ").append(statements.size()).append(" | ").append(grants).append(" | ").append(calls)
                    .append(" | ").append(DENIED.getOrDefault(entry.getValue(), Set.of()).size()).append(" |\n");
        }
        for (Map.Entry<String, String> entry : functionOfRole.entrySet()) {
            String roleId = entry.getKey();
            String function = entry.getValue();
            Map<String, Object> role = (Map<String, Object>) resources.get(roleId);
            Map<String, Object> functionProperties = (Map<String, Object>) ((Map<String, Object>) resources.get(function)).get("Properties");
            out.append("\n## ").append(roleId).append("\n\n");
            out.append("Assumed by `").append(function).append("`: ").append(functionProperties.get("Description")).append(".\n\n");
            for (Map<String, Object> named : policies(role)) {
                String policy = String.valueOf(named.get("PolicyName"));
                for (Object written : (List<Object>) ((Map<String, Object>) named.get("PolicyDocument")).get("Statement")) {
                    Map<String, Object> statement = statement(written);
                    if (statement == null) {
                        continue;
                    }
                    String sid = String.valueOf(statement.get("Sid"));
                    out.append("**").append(sid).append("** (").append(statement.get("Effect")).append(", policy ").append(policy)
                            .append(condition(written)).append(")\n");
                    out.append("- Actions: ").append(codes(asList(statement.get("Action")))).append("\n");
                    out.append("- Resources: ").append(codes(asList(statement.get("Resource")).stream().map(PermissionsDocument::intrinsic).toList())).append("\n");
                    out.append("- Conditions: ").append(statement.containsKey("Condition") ? conditions((Map<String, Object>) statement.get("Condition")) : "none").append("\n");
                    Set<String> used = USED.getOrDefault(function, Map.of()).getOrDefault(policy + "#" + sid, Set.of());
                    String reason = WITHOUT_CALL.getOrDefault(function + " " + policy + "#" + sid, WITHOUT_CALL.get("*" + policy + "#" + sid));
                    out.append("- Used by: ").append(used.isEmpty() ? "no call in the stack test" + (reason == null ? "" : "; granted because " + reason) : codes(List.copyOf(used))).append("\n");
                    String why = comments.getOrDefault(roleId, Map.of()).get(sid);
                    if (why != null) {
                        out.append("- Why: ").append(why).append("\n");
                    }
                    out.append("\n");
                }
            }
            Set<String> denied = DENIED.getOrDefault(function, Set.of());
            out.append("Proven denied").append(denied.isEmpty() ? ": none asked.\n" : ":\n");
            denied.forEach(line -> out.append("- ").append(line).append("\n"));
        }
        out.append("\n## What only the code protects\n\n")
                .append("IAM protects what the stack does not own wherever it can express it (docs/design-notes.md, item 10): the\n")
                .append("owner-tag conditions above, and the denied requests. Two protections it cannot express; the code keeps them:\n\n");
        CODE_ONLY.forEach((protection, tests) -> {
            out.append("- ").append(protection).append(" Tests:\n");
            for (String test : tests) {
                String file = test.substring(0, test.indexOf('#'));
                String method = test.substring(test.indexOf('#') + 1);
                if (!read(root.resolve(file)).contains("void " + method + "(")) {
                    throw new IllegalStateException(DOC + " names the test " + test + ", which no longer exists: update PermissionsDocument.CODE_ONLY.");
                }
                String className = file.substring(file.lastIndexOf('/') + 1, file.length() - ".java".length());
                out.append("  - `").append(className).append('.').append(method).append("` (").append(file).append(")\n");
            }
        });
        out.append("\n## The Service Catalog launch role\n\n")
                .append("service-catalog/portfolio.yaml's `LaunchRole`: Service Catalog (trust: `servicecatalog.amazonaws.com` of this account)\n")
                .append("creates, updates and deletes e6link stacks with it, so users launch without these permissions themselves.\n")
                .append("LaunchRoleIT evaluates it the same way: every call CloudFormation makes for every resource of the released\n")
                .append("template is allowed, and requests outside its scope (other stacks, other roles, other functions) are denied.\n\n");
        Path portfolio = root.resolve("service-catalog/portfolio.yaml");
        Map<String, Object> launchRole = (Map<String, Object>) Template.load(portfolio).section("Resources").get("LaunchRole");
        Map<String, Map<String, String>> portfolioComments = statementComments(read(portfolio));
        for (Map<String, Object> named : policies(launchRole)) {
            for (Object entry : (List<Object>) ((Map<String, Object>) named.get("PolicyDocument")).get("Statement")) {
                Map<String, Object> statement = statement(entry);
                if (statement == null) {
                    continue;
                }
                String sid = String.valueOf(statement.get("Sid"));
                out.append("**").append(sid).append("** (").append(statement.get("Effect")).append(", policy ").append(named.get("PolicyName"))
                        .append(condition(entry)).append(")\n");
                out.append("- Actions: ").append(codes(asList(statement.get("Action")))).append("\n");
                out.append("- Resources: ").append(codes(asList(statement.get("Resource")).stream().map(PermissionsDocument::intrinsic).toList())).append("\n");
                out.append("- Conditions: ").append(statement.containsKey("Condition") ? conditions((Map<String, Object>) statement.get("Condition")) : "none").append("\n");
                String why = portfolioComments.getOrDefault("LaunchRole", Map.of()).get(sid);
                if (why != null) {
                    out.append("- Why: ").append(why).append("\n");
                }
                out.append("\n");
            }
        }
        return out.toString().replaceAll("\n{3,}", "\n\n").stripTrailing() + "\n";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> policies(Map<String, Object> role) {
        return (List<Map<String, Object>>) ((Map<String, Object>) role.get("Properties")).getOrDefault("Policies", List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> resources, String roleId) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> named : policies((Map<String, Object>) resources.get(roleId))) {
            for (Object entry : (List<Object>) ((Map<String, Object>) named.get("PolicyDocument")).get("Statement")) {
                Map<String, Object> statement = statement(entry);
                if (statement != null) {
                    all.add(statement);
                }
            }
        }
        return all;
    }

    /**
     * A policy's statement as written: a map, or {@code !If [Condition, statement, !Ref AWS::NoValue]} (a statement
     * granted only under a template condition), whose granted branch is returned; null when neither branch grants.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Object entry) {
        if (entry instanceof Map<?, ?> map && map.size() == 1 && map.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
            for (Object branch : branches.subList(1, 3)) {
                if (branch instanceof Map<?, ?> candidate && candidate.containsKey("Sid")) {
                    return (Map<String, Object>) candidate;
                }
            }
            return null;
        }
        return entry instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    /** ", only when <Condition>" for a statement granted under a template condition, else "". */
    private static String condition(Object entry) {
        if (entry instanceof Map<?, ?> map && map.get("Fn::If") instanceof List<?> branches && !branches.isEmpty()) {
            boolean granted = branches.get(1) instanceof Map<?, ?> then && then.containsKey("Sid");
            return ", only when " + (granted ? "" : "not ") + branches.getFirst();
        }
        return "";
    }

    private static List<Object> asList(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : value == null ? List.of() : List.of(value);
    }

    private static String codes(List<?> values) {
        return String.join(", ", values.stream().map(v -> "`" + v + "`").toList());
    }

    @SuppressWarnings("unchecked")
    private static String conditions(Map<String, Object> condition) {
        List<String> parts = new ArrayList<>();
        condition.forEach((operator, keys) -> ((Map<String, Object>) keys).forEach((key, value) -> parts.add("`" + operator + "` `" + key + "` = "
                + codes(asList(value).stream().map(PermissionsDocument::intrinsic).toList()))));
        return String.join("; ", parts);
    }

    /** CloudFormation's long forms back in the short form a reader knows from the template. */
    @SuppressWarnings("unchecked")
    private static String intrinsic(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<String, Object> only = ((Map<String, Object>) map).entrySet().iterator().next();
            return switch (only.getKey()) {
                case "Ref" -> "!Ref " + only.getValue();
                case "Fn::GetAtt" -> "!GetAtt " + String.join(".", asList(only.getValue()).stream().map(String::valueOf).toList());
                case "Fn::Sub" -> only.getValue() instanceof String text ? text : substitution(asList(only.getValue()));
                case "Fn::If" -> {
                    List<Object> branches = asList(only.getValue());
                    yield branches.size() == 3 ? intrinsic(branches.get(1)) + " when " + branches.getFirst() + ", else " + intrinsic(branches.get(2))
                            : Json.write(value);
                }
                default -> Json.write(value);
            };
        }
        return String.valueOf(value);
    }

    /** {@code !Sub [text, {Name: value}]}: the text with each variable's value named after it. */
    @SuppressWarnings("unchecked")
    private static String substitution(List<Object> parts) {
        if (parts.size() != 2 || !(parts.get(0) instanceof String text) || !(parts.get(1) instanceof Map<?, ?> variables)) {
            return Json.write(parts);
        }
        List<String> named = new ArrayList<>();
        ((Map<String, Object>) variables).forEach((name, value) -> named.add(name + " = " + intrinsic(value)));
        return text + " (" + String.join(", ", named) + ")";
    }

    /** Moto's generated identifiers replaced by {@code …}, so the document is the same on every run. */
    private static String stable(String text) {
        String out = text.replaceAll("\\b(vpce-svc|vpce|sgr|sg|vpc|rtb|subnet|eni)-[0-9a-f]{8,17}\\b", "$1-…");
        out = out.replaceAll("stack/([^/\"]+)/[0-9a-f-]{36}", "stack/$1/…");
        out = out.replaceAll("(/id/)[0-9A-Za-z]{8,}", "$1…");
        return out;
    }

    /** resource logical id → Sid → the comment lines written just above the statement in a template. */
    private static Map<String, Map<String, String>> statementComments(String yaml) {
        Map<String, Map<String, String>> comments = new TreeMap<>();
        Pattern resource = Pattern.compile("^  ([A-Za-z0-9]+):\\s*$");
        Pattern sid = Pattern.compile("^\\s*- Sid: (\\S+)\\s*$");
        Pattern comment = Pattern.compile("^\\s*# ?(.*)$");
        String current = null;
        List<String> pending = new ArrayList<>();
        for (String line : yaml.split("\n", -1)) {
            Matcher r = resource.matcher(line);
            Matcher s = sid.matcher(line);
            Matcher c = comment.matcher(line);
            if (r.matches()) {
                current = r.group(1);
                pending.clear();
            } else if (c.matches()) {
                pending.add(c.group(1).trim());
            } else if (s.matches() && current != null) {
                if (!pending.isEmpty()) {
                    comments.computeIfAbsent(current, k -> new TreeMap<>()).put(s.group(1), String.join(" ", pending));
                }
                pending.clear();
            } else {
                pending.clear();
            }
        }
        return comments;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
