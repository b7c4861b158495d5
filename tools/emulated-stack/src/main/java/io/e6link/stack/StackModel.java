package io.e6link.stack;

import io.e6link.testing.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The template as CloudFormation reads it for one stack: parameter values (defaults applied, lists
 * split), conditions, the dependency order of resources, and each resource's properties resolved
 * against what the stack holds (Ref and GetAtt through the given resolvers).
 */
final class StackModel {
    private final Template template;
    private final Map<String, Set<String>> dependencies;
    private final List<String> order;
    private Map<String, Object> parameters = Map.of();
    private Map<String, Boolean> conditions = Map.of();

    StackModel(Template template) {
        this.template = template;
        this.dependencies = dependencies(template);
        this.order = order(dependencies);
    }

    Template template() {
        return template;
    }

    /**
     * Resources in the order the emulated stack creates them: CloudFormation's rounds of parallel creation, one
     * resource at a time (see {@link #order(Map)}). Everything a resource refers to comes first; the position of a
     * resource in template.yaml's text plays no part. Deleting goes in the reverse order.
     */
    List<String> order() {
        return order;
    }

    /** The logical ids {@code id} refers to (Ref, GetAtt, Sub, DependsOn). */
    Set<String> dependenciesOf(String id) {
        return dependencies.getOrDefault(id, Set.of());
    }

    Map<String, Object> parameters() {
        return parameters;
    }

    String type(String id) {
        return String.valueOf(template.resource(id).get("Type"));
    }

    /** Whether the template still has the resource: an update's template may have dropped it (CloudFormation then deletes it). */
    boolean declares(String id) {
        return template.section("Resources").containsKey(id);
    }

    boolean enabled(String id) {
        String condition = (String) template.resource(id).get("Condition");
        return condition == null || conditions.get(condition);
    }

    boolean condition(String name) {
        return conditions.get(name);
    }

    /**
     * Sets parameter values as CloudFormation does: defaults for the missing ones, CommaDelimitedList
     * split and trimmed, every other value a string; then evaluates the conditions.
     *
     * @throws IllegalArgumentException naming a parameter without value or default
     */
    @SuppressWarnings("unchecked")
    void setParameters(Map<String, Object> values, Function<String, Object> pseudoParameters) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        template.section("Parameters").forEach((name, value) -> {
            Map<String, Object> spec = (Map<String, Object>) value;
            Object given = values.containsKey(name) ? values.get(name) : spec.get("Default");
            if (given == null) {
                throw new IllegalArgumentException("Parameters: [" + name + "] must have values");
            }
            if ("CommaDelimitedList".equals(spec.get("Type"))) {
                given = given instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(given).split(",", -1)).stream().map(String::trim).toList();
                ((List<String>) given).forEach(item -> checkConstraints(name, spec, item));
            } else {
                given = String.valueOf(given);
                checkConstraints(name, spec, (String) given);
            }
            resolved.put(name, given);
        });
        this.parameters = resolved;
        Intrinsics parametersOnly = intrinsics(name -> resolved.containsKey(name) ? resolved.get(name) : pseudoParameters.apply(name),
                (resource, attribute) -> {
                    throw new IllegalStateException("conditions cannot read resource attributes");
                });
        Map<String, Boolean> evaluated = new LinkedHashMap<>();
        this.conditions = evaluated;
        template.section("Conditions").forEach((name, expression) -> evaluated.put(name, parametersOnly.truth(expression)));
    }

    /**
     * CloudFormation's parameter checks before anything is created (AllowedPattern applies to each
     * element of a CommaDelimitedList): the ValidationError message it answers CreateStack/UpdateStack with.
     */
    private static void checkConstraints(String name, Map<String, Object> spec, String value) {
        String description = spec.containsKey("ConstraintDescription") ? String.valueOf(spec.get("ConstraintDescription")) : null;
        Object pattern = spec.get("AllowedPattern");
        if (pattern != null && !java.util.regex.Pattern.compile(String.valueOf(pattern)).matcher(value).matches()) {
            throw new IllegalArgumentException("Parameter '" + name + "' must match pattern " + pattern
                    + (description == null ? "" : " (" + description + ")") + "; '" + value + "' does not");
        }
        Object allowed = spec.get("AllowedValues");
        if (allowed instanceof List<?> values && values.stream().map(String::valueOf).noneMatch(value::equals)) {
            throw new IllegalArgumentException("Parameter '" + name + "' must be one of AllowedValues; '" + value + "' is not");
        }
        if ("Number".equals(spec.get("Type"))) {
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Parameter '" + name + "' must be a number; '" + value + "' is not");
            }
            if (spec.get("MinValue") != null && number < Double.parseDouble(String.valueOf(spec.get("MinValue")))
                    || spec.get("MaxValue") != null && number > Double.parseDouble(String.valueOf(spec.get("MaxValue")))) {
                throw new IllegalArgumentException("Parameter '" + name + "' must be from " + spec.get("MinValue") + " to " + spec.get("MaxValue"));
            }
        }
    }

    /** The resource's properties (a serverless function's with Globals merged), intrinsics resolved. */
    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String id, Function<String, Object> ref, BiFunction<String, String, Object> getAtt) {
        Map<String, Object> resource = template.resource(id);
        Object raw = "AWS::Serverless::Function".equals(resource.get("Type")) ? template.functionProperties(id) : resource.getOrDefault("Properties", Map.of());
        return (Map<String, Object>) intrinsics(ref, getAtt).resolve(raw);
    }

    Intrinsics intrinsics(Function<String, Object> ref, BiFunction<String, String, Object> getAtt) {
        return new Intrinsics(ref, getAtt, conditions::get, template.section("Mappings"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> dependencies(Template template) {
        Map<String, Object> all = template.section("Resources");
        Map<String, Set<String>> dependencies = new LinkedHashMap<>();
        for (String id : all.keySet()) {
            Set<String> refs = new HashSet<>();
            Map<String, Object> resource = (Map<String, Object>) all.get(id);
            Object props = "AWS::Serverless::Function".equals(resource.get("Type")) ? template.functionProperties(id) : resource.get("Properties");
            Intrinsics.references(props, refs);
            Object dependsOn = resource.get("DependsOn");
            if (dependsOn instanceof String single) {
                refs.add(single);
            } else if (dependsOn instanceof List<?> many) {
                many.forEach(item -> refs.add(String.valueOf(item)));
            }
            refs.retainAll(all.keySet());
            refs.remove(id);
            dependencies.put(id, refs);
        }
        return dependencies;
    }

    /**
     * CloudFormation "creates, updates, and deletes resources in parallel to the extent possible" (CloudFormation
     * Template Reference, DependsOn attribute): a resource starts as soon as everything it refers to is complete.
     * The emulated stack creates one at a time, so it plays CloudFormation's rounds: round n holds every
     * resource whose dependencies all completed in earlier rounds (what CloudFormation has in flight together when
     * every resource takes the same time), and within a round resources go by logical id, an order as arbitrary as
     * any other among resources running side by side, but deterministic. Not the template's text order: template.yaml
     * is laid out for its readers (the runbook steps first, the functions last), and moving a block must not change
     * what a test creates first.
     *
     * @param dependencies logical id → the logical ids it refers to (Ref, GetAtt, Sub, DependsOn)
     * @return every logical id, each after everything it refers to
     * @throws IllegalStateException on a dependency cycle, naming every resource not created yet (the cycle and what
     *                               depends on it)
     */
    static List<String> order(Map<String, Set<String>> dependencies) {
        List<String> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (ordered.size() < dependencies.size()) {
            List<String> round = dependencies.keySet().stream()
                    .filter(id -> !done.contains(id) && done.containsAll(dependencies.get(id)))
                    .sorted()
                    .toList();
            if (round.isEmpty()) {
                throw new IllegalStateException("circular dependency among " + dependencies.keySet().stream().filter(id -> !done.contains(id)).sorted().toList());
            }
            ordered.addAll(round);
            done.addAll(round);
        }
        return List.copyOf(ordered);
    }
}
