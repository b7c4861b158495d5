package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/developing.md's map from each resource type to its code cannot go stale: both tables (outward names,
 * internal names) are read and checked against template.yaml, functions/pom.xml, the module sources and events/,
 * and every custom resource, function and function module must have its row.
 */
class DevelopingDocTest {
    private static final Path ROOT = Events.projectRoot();
    private static final Template TEMPLATE = Template.load();

    @Test
    @SuppressWarnings("unchecked")
    void theOutwardNamesAreTheTemplates() {
        List<Map<String, String>> rows = table("outward-names");
        Map<String, Object> resources = TEMPLATE.section("Resources");
        for (Map<String, String> row : rows) {
            String family = row.get("Family");
            String function = code(row.get("Function logical id"));
            Map<String, Object> properties = properties(function);
            assertThat(properties).as("%s: function %s in template.yaml", family, function).isNotEmpty();
            String type = code(row.get("Resource type"));
            if (type.startsWith("Custom::")) {
                String logicalId = code(row.get("Logical id"));
                Map<String, Object> resource = (Map<String, Object>) resources.get(logicalId);
                assertThat(resource).as("%s: resource %s in template.yaml", family, logicalId).isNotNull();
                assertThat(resource.get("Type")).as("%s: type of %s", family, logicalId).isEqualTo(type);
                assertThat(((Map<String, Object>) resource.get("Properties")).get("ServiceToken"))
                        .as("%s: %s's ServiceToken", family, logicalId).isEqualTo(Map.of("Fn::GetAtt", List.of(function, "Arn")));
            } else {
                assertThat(type).as("%s: a row without a Custom:: type is a scheduled function", family).isEqualTo("scheduled");
                assertThat(String.valueOf(properties.get("Events"))).as("%s: %s runs on a schedule", family, function).contains("Type=Schedule");
            }
            String role = code(row.get("Role"));
            assertThat(properties.get("Role")).as("%s: %s's role", family, function).isEqualTo(Map.of("Fn::GetAtt", List.of(role, "Arn")));
            Map<String, Object> logging = (Map<String, Object>) properties.get("LoggingConfig");
            String logGroupId = String.valueOf(((Map<String, Object>) logging.get("LogGroup")).get("Ref"));
            assertThat(properties(logGroupId).get("LogGroupName")).as("%s: log group of %s", family, function)
                    .isEqualTo(Map.of("Fn::Sub", code(row.get("Log group")).replace("<stack>", "${AWS::StackName}")));
        }
        List<String> customResources = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        resources.forEach((id, value) -> {
            String type = String.valueOf(((Map<String, Object>) value).get("Type"));
            if (type.startsWith("Custom::")) {
                customResources.add(id);
            } else if (type.equals("AWS::Serverless::Function")) {
                functions.add(id);
            }
        });
        assertThat(rows.stream().map(row -> code(row.get("Logical id"))).filter(id -> !id.equals("-")).toList())
                .as("a row for every custom resource of template.yaml").containsExactlyInAnyOrderElementsOf(customResources);
        assertThat(rows.stream().map(row -> code(row.get("Function logical id"))).toList())
                .as("a row for every function of template.yaml").containsExactlyInAnyOrderElementsOf(functions);
    }

    @Test
    void theInternalNamesAreTheModulesAndSources() throws IOException {
        List<Map<String, String>> outward = table("outward-names");
        List<Map<String, String>> rows = table("internal-names");
        assertThat(rows.stream().map(row -> row.get("Family")).toList()).as("the same families in both tables")
                .containsExactlyElementsOf(outward.stream().map(row -> row.get("Family")).toList());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String family = row.get("Family");
            Map<String, Object> function = properties(code(outward.get(i).get("Function logical id")));
            String module = code(row.get("Module"));
            String javaPackage = code(row.get("Package"));
            assertThat(ROOT.resolve("functions").resolve(module).resolve("pom.xml")).as("%s: module", family).exists();
            assertThat(function.get("CodeUri")).as("%s: CodeUri", family).isEqualTo("functions/" + module); // sam build: BuildMethod makefile in the module folder
            assertThat(function.get("Handler")).as("%s: Handler", family)
                    .isEqualTo("io.e6link." + javaPackage + "." + code(row.get("Handler class")) + "::handleRequest");
            Path sources = ROOT.resolve("functions").resolve(module).resolve("src/main/java/io/e6link").resolve(javaPackage);
            for (String type : codes(row.get("Main classes"))) {
                assertThat(sources.resolve(type + ".java")).as("%s: class %s", family, type).exists();
            }
            Path events = ROOT.resolve("events").resolve(code(row.get("events/")));
            assertThat(events).as("%s: request samples", family).isDirectory();
            if (code(outward.get(i).get("Resource type")).startsWith("Custom::")) {
                for (String request : List.of("create.json", "update.json", "delete.json")) {
                    assertThat(events.resolve(request)).as("%s: events sample", family).exists();
                }
            }
        }
        String functionsPom = Files.readString(ROOT.resolve("functions/pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(functionsPom);
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertThat(rows.stream().map(row -> code(row.get("Module"))).distinct().toList())
                .as("a row for every module of functions/pom.xml").containsExactlyInAnyOrderElementsOf(modules);
    }

    /**
     * One internal name per family (issue 24): the resource type without {@code Custom::}, or for a scheduled function
     * its logical id without {@code Function}. The module, package, handler, request samples and the resource's
     * classes and tests all derive from it; a {@code *Function}, {@code *Resource} or {@code *Properties} class in a
     * function package must start with one of the families' names, so an older alias (say {@code IngressRulesProperties})
     * fails here.
     */
    @Test
    void eachFamilyHasOneInternalName() throws IOException {
        List<Map<String, String>> outward = table("outward-names");
        List<Map<String, String>> rows = table("internal-names");
        List<String> names = new ArrayList<>();
        List<String> customModules = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String family = row.get("Family");
            String type = code(outward.get(i).get("Resource type"));
            boolean custom = type.startsWith("Custom::");
            String name = custom ? type.substring("Custom::".length()) : code(outward.get(i).get("Function logical id")).replaceFirst("Function$", "");
            names.add(name);
            assertThat(code(row.get("Internal name"))).as("%s: the internal name is the type's (or the scheduled function's) name", family).isEqualTo(name);
            assertThat(code(row.get("Handler class"))).as("%s: handler", family).isEqualTo(name + "Function");
            assertThat(code(row.get("events/"))).as("%s: request samples", family).isEqualTo(kebab(name));
            Path tests = ROOT.resolve("functions").resolve(code(row.get("Module"))).resolve("src/test/java/io/e6link").resolve(code(row.get("Package")));
            assertThat(tests.resolve(name + "FunctionIT.java")).as("%s: the packaged function's test", family).exists();
            if (custom) {
                customModules.add(code(row.get("Module")));
                assertThat(code(row.get("Module"))).as("%s: module", family).isEqualTo(kebab(name));
                assertThat(code(row.get("Package"))).as("%s: package", family).isEqualTo(name.toLowerCase(java.util.Locale.ROOT));
                assertThat(codes(row.get("Main classes"))).as("%s: classes", family).contains(name + "Resource", name + "Properties");
                assertThat(tests.resolve(name + "ResourceTest.java")).as("%s: the resource's test", family).exists();
            }
        }
        for (Map<String, String> row : rows) {
            assertThat(customModules).as("%s: a scheduled function lives in a resource's module", row.get("Family")).contains(code(row.get("Module")));
        }
        for (Map<String, String> row : rows) {
            String module = code(row.get("Module"));
            List<String> packages = rows.stream().filter(other -> code(other.get("Module")).equals(module)).map(other -> code(other.get("Package"))).distinct().toList();
            for (String sources : List.of("src/main/java/io/e6link", "src/test/java/io/e6link")) {
                try (var folders = Files.list(ROOT.resolve("functions").resolve(module).resolve(sources))) {
                    assertThat(folders.filter(DevelopingDocTest::holdsJava).map(folder -> folder.getFileName().toString()).toList())
                            .as("functions/%s/%s holds only its family's package", module, sources).containsExactlyInAnyOrderElementsOf(packages);
                }
            }
        }
        try (var files = Files.walk(ROOT.resolve("functions"))) {
            List<String> aliases = files.filter(file -> file.toString().endsWith(".java") && !file.toString().contains("/target/"))
                    .map(file -> file.getFileName().toString().replace(".java", "").replaceFirst("(IT|Test)$", ""))
                    .filter(type -> type.matches(".*(Function|Resource|Properties)"))
                    .filter(type -> names.stream().noneMatch(type::startsWith))
                    .toList();
            assertThat(aliases).as("function, resource and properties classes named after no family").isEmpty();
        }
    }

    /** Whether a folder has a Java source below it (git keeps no empty folders, a working tree may). */
    private static boolean holdsJava(Path folder) {
        try (var files = Files.walk(folder)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code EksClusterDiscovery} → {@code eks-cluster-discovery}; {@code S3GatewayEndpoint} → {@code s3-gateway-endpoint}. */
    private static String kebab(String name) {
        return name.replaceAll("(?<=[a-z0-9])(?=[A-Z])", "-").toLowerCase(java.util.Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String logicalId) {
        Object resource = TEMPLATE.section("Resources").get(logicalId);
        return resource == null ? Map.of() : (Map<String, Object>) ((Map<String, Object>) resource).getOrDefault("Properties", Map.of());
    }

    /** The rows of the table between {@code <!-- name -->} and {@code <!-- /name -->}, by column header. */
    private static List<Map<String, String>> table(String name) {
        String doc;
        try {
            doc = Files.readString(ROOT.resolve("docs/developing.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = doc.indexOf("<!-- " + name);
        int end = doc.indexOf("<!-- /" + name + " -->");
        assertThat(start).as("docs/developing.md has the table " + name).isNotNegative();
        assertThat(end).isGreaterThan(start);
        List<String> lines = doc.substring(doc.indexOf('\n', start) + 1, end).lines().filter(line -> line.startsWith("|")).toList();
        List<String> header = cells(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            List<String> cells = cells(line);
            assertThat(cells).as("cells of " + line).hasSameSizeAs(header);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), cells.get(i));
            }
            rows.add(row);
        }
        assertThat(rows).as(name + " rows").isNotEmpty();
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.length() - 1);
        return List.of(inner.split("\\|", -1)).stream().map(String::strip).toList();
    }

    private static String code(String cell) {
        return cell.replace("`", "").strip();
    }

    private static List<String> codes(String cell) {
        return List.of(cell.split(",")).stream().map(DevelopingDocTest::code).filter(s -> !s.isEmpty()).toList();
    }
}
