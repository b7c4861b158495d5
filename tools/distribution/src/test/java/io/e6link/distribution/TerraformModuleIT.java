package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * terraform/modules/e6link and terraform/examples/basic as Terraform runs them: init from the local
 * plugin mirror, validate, plan against the emulated AWS, and an apply that creates the stack from a
 * template URL in moto's S3. The module must cover every parameter and output of template.yaml, so
 * a new parameter or output fails here until the module has it.
 */
@ExtendWith(MotoExtension.class)
class TerraformModuleIT {
    private static final Path MODULE = Events.projectRoot().resolve("terraform/modules/e6link");
    private static final Path EXAMPLE = Events.projectRoot().resolve("terraform/examples/basic");
    private static final Template TEMPLATE = Template.load();
    private static final String BUCKET = "acme-e6link-us-east-1";
    private static final String TEMPLATE_URL = "https://" + BUCKET + ".s3.us-east-1.amazonaws.com/e6link/1.0.0/template-expanded.yaml";

    @TempDir
    Path work;

    @BeforeAll
    static void terraformAndTheMirrorArePresent() {
        Terraform.requireBinary();
        Terraform.pluginDirectory();
    }

    /** template.yaml's parameter name → the module's variable (snake_case). */
    static String variable(String parameter) {
        return parameter.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z])([A-Z][a-z])", "$1_$2").toLowerCase();
    }

    @Test
    void exampleInitialisesFromTheLocalMirrorValidatesAndIsFormatted() {
        Path root = work.resolve("terraform");
        Terraform.copyTree(MODULE.getParent().getParent(), root);
        Terraform example = new Terraform(root.resolve("examples/basic"));

        Terraform.Run init = example.init();
        assertThat(init.exitCode()).as(init.toString()).isZero();
        Map<String, Object> validate = example.json("validate", "-json", "-no-color");
        assertThat(validate).as(Json.write(validate)).containsEntry("valid", true).containsEntry("warning_count", 0);
        Terraform.Run format = new Terraform(root).run("fmt", "-check", "-recursive", "-diff", "-no-color");
        assertThat(format.exitCode()).as("terraform fmt -recursive terraform/ changes files:\n" + format).isZero();
        assertThat(EXAMPLE.resolve(".terraform")).as("tests never initialise inside the repository").doesNotExist();
    }

    @Test
    @SuppressWarnings("unchecked")
    void planAgainstTheEmulatedAwsPassesEveryTemplateParameterWithListsJoinedAndTheStackSettings(Moto moto) throws IOException {
        Terraform terraform = root(moto, """
                  cluster_name        = ""
                  e6data_account_id   = "111122223333"
                  e6data_vpc_cidrs    = ["10.200.0.0/16", "10.201.0.0/16"]
                  e6data_bucket_names = []
                  excluded_availability_zones = ["us-east-1e", "use1-az5"]
                  resource_tags       = { CostCenter = "4711", "owner-team" = "platform@example.com" }
                  wait_for_e6data_connection_minutes = 13
                """, "");

        Terraform.Run plan = terraform.run("plan", "-input=false", "-no-color", "-out=e6link.tfplan");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        Map<String, Object> shown = terraform.json("show", "-json", "e6link.tfplan");

        Map<String, Object> stack = ((List<Map<String, Object>>) shown.get("resource_changes")).stream()
                .filter(change -> "aws_cloudformation_stack".equals(change.get("type"))).findFirst().orElseThrow();
        Map<String, Object> after = (Map<String, Object>) ((Map<String, Object>) stack.get("change")).get("after");
        Map<String, Object> parameters = (Map<String, Object>) after.get("parameters");
        assertThat(new TreeSet<>(parameters.keySet())).as("every parameter of template.yaml, and no other")
                .isEqualTo(new TreeSet<>(TEMPLATE.section("Parameters").keySet()));
        assertThat(parameters).containsEntry("ClusterName", "").containsEntry("E6dataBucketNames", "")
                .containsEntry("E6dataVpcCidrs", "10.200.0.0/16,10.201.0.0/16")
                .containsEntry("ExcludedAvailabilityZones", "us-east-1e,use1-az5")
                .containsEntry("ResourceTags", "CostCenter=4711,owner-team=platform@example.com")
                .containsEntry("WaitForE6dataConnectionMinutes", "13")
                // Left out: the template's own default, as CloudFormation would apply it.
                .containsEntry("LogRetentionInDays", String.valueOf(parameter("LogRetentionInDays").get("Default")))
                .containsEntry("ManageOidcProvider", "true").containsEntry("BucketPolicyPrincipalScope", "ThisAccount");
        parameters.forEach((name, value) -> assertThat(acceptedByTemplate(name, (String) value)).as(name + "=" + value + " is refused by template.yaml").isTrue());
        assertThat(after).containsEntry("template_url", TEMPLATE_URL).containsEntry("capabilities", List.of("CAPABILITY_IAM"));

        Map<String, Object> timeouts = (Map<String, Object>) after.get("timeouts");
        assertThat(minutes(timeouts.get("create"))).as("create covers the slowest create (and its rollback): " + slowestCreate())
                .isGreaterThanOrEqualTo(slowestCreate().toMinutes());
        assertThat(minutes(timeouts.get("update"))).isGreaterThanOrEqualTo(slowestCreate().toMinutes());
        assertThat(minutes(timeouts.get("delete"))).as("delete covers every custom resource's delete").isGreaterThanOrEqualTo(slowestDelete().toMinutes());

        // The module's interface: one described variable per parameter and one output per template output.
        Map<String, Object> module = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) shown.get("configuration")).get("root_module")).get("module_calls")).get("e6link")).get("module");
        Map<String, Object> variables = (Map<String, Object>) module.get("variables");
        for (String name : TEMPLATE.section("Parameters").keySet()) {
            assertThat(variables).as("variable for parameter " + name).containsKey(variable(name));
            assertThat(String.valueOf(((Map<String, Object>) variables.get(variable(name))).get("description"))).contains(name);
        }
        Map<String, Object> outputs = (Map<String, Object>) module.get("outputs");
        for (String name : TEMPLATE.section("Outputs").keySet()) {
            assertThat(outputs).as("output for template output " + name).containsKey(variable(name));
            assertThat(Json.write(outputs.get(variable(name)))).contains("aws_cloudformation_stack.this.outputs");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void valuesTheTemplateRefusesFailThePlanNamingEachVariableBeforeAnyStackExists(Moto moto) {
        // Parameter → a value template.yaml's constraints refuse (checked here), given to its variable.
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("ClusterName", "\"prod cluster\"");
        refused.put("E6dataAccountId", "\"12345\"");
        refused.put("E6dataVpcCidrs", "[\"10.200.0.0/33\"]");
        refused.put("E6dataBucketNames", "[\"s3://acme-lake\"]");
        refused.put("ExcludedAvailabilityZones", "[\"US-EAST-1E\"]");
        refused.put("BucketPolicyPrincipalScope", "\"Everyone\"");
        refused.put("WaitForE6dataConnectionMinutes", "14");
        refused.put("ReconcileIntervalMinutes", "0");
        refused.put("AlarmEmail", "\"ops\"");
        refused.put("AlarmTopicKmsKeyArn", "\"alias/aws/sns\"");
        refused.put("LogRetentionInDays", "10");
        refused.put("PermissionsBoundary", "\"MyBoundary\"");
        refused.put("ResourceTags", "{ \"Cost#Center\" = \"1\" }");
        refused.put("LogGroupKmsKeyArn", "\"arn:aws:kms:us-east-1:123:key/x\"");
        refused.put("NlbAccessLogsBucket", "\"My_Bucket\"");
        StringBuilder arguments = new StringBuilder();
        refused.forEach((parameter, hcl) -> {
            String unquoted = hcl.replaceAll("^[\\[{ ]*\"?|\"?[\\]} ]*$", "").replaceFirst("\" = \"", "=");
            assertThat(acceptedByTemplate(parameter, unquoted)).as("template.yaml refuses " + parameter + "=" + unquoted).isFalse();
            arguments.append("  ").append(variable(parameter)).append(" = ").append(hcl).append('\n');
        });
        Terraform terraform = root(moto, arguments.toString(), "");

        Terraform.Run plan = terraform.run("plan", "-input=false", "-no-color", "-json");

        assertThat(plan.exitCode()).isNotZero();
        List<String> details = new ArrayList<>();
        for (String line : plan.stdout().split("\n")) {
            if (line.contains("\"type\":\"diagnostic\"")) {
                Map<String, Object> diagnostic = (Map<String, Object>) Json.readObject(line).get("diagnostic");
                details.add(String.valueOf(diagnostic.get("detail")));
            }
        }
        for (String parameter : refused.keySet()) {
            assertThat(details).as(plan.toString()).anyMatch(detail -> detail.startsWith(variable(parameter) + " must"));
        }
        assertThat(details).hasSize(refused.size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void applyAgainstTheEmulatedAwsCreatesTheStackFromTheTemplateUrlAndMapsEveryOutput(Moto moto) throws IOException {
        // A stand-in for the released template at its URL: template.yaml's parameters, one inert resource, every output.
        Map<String, Object> standIn = new LinkedHashMap<>();
        standIn.put("AWSTemplateFormatVersion", "2010-09-09");
        standIn.put("Parameters", TEMPLATE.section("Parameters"));
        standIn.put("Resources", Map.of("Nothing", Map.of("Type", "AWS::CloudFormation::WaitConditionHandle")));
        Map<String, Object> outputs = new LinkedHashMap<>();
        TEMPLATE.section("Outputs").keySet().forEach(name -> outputs.put(name, Map.of("Value", "value of " + name)));
        standIn.put("Outputs", outputs);
        MotoClients clients = new MotoClients(moto);
        clients.s3().createBucket(b -> b.bucket(BUCKET));
        clients.s3().putObject(b -> b.bucket(BUCKET).key("e6link/1.0.0/template-expanded.yaml"), RequestBody.fromString(Json.write(standIn)));
        Terraform terraform = root(moto, """
                  cluster_name        = ""
                  e6data_account_id   = "111122223333"
                  e6data_vpc_cidrs    = ["10.200.0.0/16"]
                  e6data_bucket_names = ["acme-lake", "acme-lake-staging"]
                """, """
                output "all" {
                  value = module.e6link
                }
                """);

        Terraform.Run apply = terraform.run("apply", "-input=false", "-no-color", "-auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();

        Map<String, Object> all = (Map<String, Object>) ((Map<String, Object>) terraform.json("output", "-json").get("all")).get("value");
        for (String name : TEMPLATE.section("Outputs").keySet()) {
            assertThat(all).as("module output for " + name).containsEntry(variable(name), "value of " + name);
        }
        Map<String, Object> state = terraform.json("show", "-json");
        Map<String, Object> resource = ((List<Map<String, Object>>) ((Map<String, Object>) ((List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) state.get("values")).get("root_module")).get("child_modules")).get(0))
                .get("resources")).get(0);
        Map<String, Object> stackParameters = (Map<String, Object>) ((Map<String, Object>) resource.get("values")).get("parameters");
        // As CloudFormation holds them (read back with DescribeStacks): the empty ClusterName is sent, not dropped
        // (the parameter has no default). moto 5 reports a CommaDelimitedList as Python's list text: undone here.
        assertThat(stackParameters).containsEntry("ClusterName", "");
        assertThat(String.valueOf(stackParameters.get("E6dataBucketNames")).replaceAll("[\\['\\] ]", "")).isEqualTo("acme-lake,acme-lake-staging");

        Terraform.Run destroy = terraform.run("destroy", "-input=false", "-no-color", "-auto-approve");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
    }

    /** A root module in the working area calling a copy of the module with {@code arguments}, then {@code more}, on the emulated AWS. */
    private Terraform root(Moto moto, String arguments, String more) {
        Path module = work.resolve("modules/e6link");
        Terraform.copyTree(MODULE, module);
        Path root = work.resolve("root");
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("main.tf"), Terraform.emulatedProvider(moto) + """
                    module "e6link" {
                      source       = "../modules/e6link"
                      template_url = "%s"
                    %s}
                    %s""".formatted(TEMPLATE_URL, arguments, more));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Terraform terraform = new Terraform(root);
        Terraform.Run init = terraform.init();
        assertThat(init.exitCode()).as(init.toString()).isZero();
        return terraform;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(String name) {
        return (Map<String, Object>) TEMPLATE.section("Parameters").get(name);
    }

    /** CloudFormation's checks of one value against template.yaml (each element of a CommaDelimitedList). */
    private static boolean acceptedByTemplate(String name, String value) {
        Map<String, Object> spec = parameter(name);
        List<String> items = "CommaDelimitedList".equals(spec.get("Type")) ? List.of(value.split(",", -1)) : List.of(value);
        for (String item : items) {
            if (spec.get("AllowedPattern") != null && !Pattern.compile(String.valueOf(spec.get("AllowedPattern"))).matcher(item).matches()) {
                return false;
            }
            if (spec.get("AllowedValues") instanceof List<?> allowed && allowed.stream().map(String::valueOf).noneMatch(item::equals)) {
                return false;
            }
            if ("Number".equals(spec.get("Type"))) {
                double number = Double.parseDouble(item);
                if (spec.get("MinValue") != null && number < ((Number) spec.get("MinValue")).doubleValue()
                        || spec.get("MaxValue") != null && number > ((Number) spec.get("MaxValue")).doubleValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every custom resource's ServiceTimeout (the longest CloudFormation waits for each), summed. */
    @SuppressWarnings("unchecked")
    private static Duration customResourceTimeouts() {
        long seconds = 0;
        for (Object value : TEMPLATE.section("Resources").values()) {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (String.valueOf(resource.get("Type")).startsWith("Custom::")) {
                seconds += Long.parseLong(String.valueOf(((Map<String, Object>) resource.get("Properties")).get("ServiceTimeout")));
            }
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * The slowest create Terraform may wait for: every custom resource up to its ServiceTimeout one after
     * another, then, when the last fails, the rollback's deletes the same way; plus 15 minutes for the
     * NLB, the endpoint service and the functions (an NLB takes minutes to provision).
     */
    private static Duration slowestCreate() {
        return customResourceTimeouts().multipliedBy(2).plusMinutes(15);
    }

    private static Duration slowestDelete() {
        return customResourceTimeouts().plusMinutes(15);
    }

    private static long minutes(Object timeout) {
        String text = String.valueOf(timeout);
        assertThat(text).matches("[0-9]+m");
        return Long.parseLong(text.substring(0, text.length() - 1));
    }
}
