package io.e6link.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code template.yaml} read as plain maps, with CloudFormation's short-form tags turned into
 * their long forms ({@code !Ref X} → {@code {Ref: X}}, {@code !GetAtt A.B} → {@code {Fn::GetAtt: [A, B]}}).
 */
public final class Template {
    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
            "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString");
    private final Map<String, Object> document;

    private Template(Map<String, Object> document) {
        this.document = document;
    }

    public static Template load() {
        return load(Events.projectRoot().resolve("template.yaml"));
    }

    @SuppressWarnings("unchecked")
    public static Template load(Path path) {
        try {
            Yaml yaml = new Yaml(new CfnConstructor());
            return new Template((Map<String, Object>) yaml.load(Files.readString(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the Maven build writes the zip for a function's {@code CodeUri} or the layer's
     * {@code ContentUri}, relative to the project root. template.yaml names the source folder SAM CLI
     * builds with the folder's Makefile ({@code functions/<m>} → {@code functions/<m>/target/<m>.zip},
     * {@code layers/<m>} → {@code layers/<m>/target/<m>-layer.zip}, the zips that Makefile unpacks into
     * {@code ARTIFACTS_DIR}); a location that already names an archive (a released template's zip, the
     * benchmark's baseline jar) is returned as is.
     *
     * @param location the template's CodeUri/ContentUri string
     * @param layer    true for a layer's ContentUri
     * @return the zip's path relative to the project root
     */
    public static String builtZip(String location, boolean layer) {
        if (location.endsWith(".zip") || location.endsWith(".jar")) {
            return location;
        }
        String folder = location.replaceAll("/+$", "");
        String module = folder.substring(folder.lastIndexOf('/') + 1);
        return folder + "/target/" + module + (layer ? "-layer" : "") + ".zip";
    }

    public Map<String, Object> document() {
        return document;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        return (Map<String, Object>) document.getOrDefault(name, Map.of());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = (Map<String, Object>) section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).getOrDefault("Properties", Map.of());
    }

    /** A serverless function's properties with {@code Globals.Function} merged in (function wins). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> functionProperties(String logicalId) {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) section("Globals")).getOrDefault("Function", Map.of());
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        Map<String, Object> own = properties(logicalId);
        merged.putAll(own);
        Map<String, Object> globalVars = variables(globals);
        Map<String, Object> ownVars = variables(own);
        if (!globalVars.isEmpty() || !ownVars.isEmpty()) {
            Map<String, Object> vars = new LinkedHashMap<>(globalVars);
            vars.putAll(ownVars);
            merged.put("Environment", Map.of("Variables", vars));
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> properties) {
        Map<String, Object> environment = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
        return (Map<String, Object>) environment.getOrDefault("Variables", Map.of());
    }

    /** Constructs CloudFormation short-form intrinsic tags as their long-form maps. */
    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = scalar.getValue();
                    value = key.equals("Fn::GetAtt") ? new ArrayList<>(List.of(text.split("\\.", 2))) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(key, value);
                return intrinsic;
            }
        }
    }
}
