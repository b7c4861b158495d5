package io.e6link.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions the way CloudFormation does for the subset this
 * template uses: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Split, Fn::Select, Fn::If, Fn::Equals,
 * Fn::Not, Fn::And, Fn::Or, Condition and Fn::FindInMap. AWS::NoValue removes the enclosing key.
 */
final class Intrinsics {
    /** Marker for AWS::NoValue; removed from maps and lists when resolution finishes. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };
    private static final Set<String> FUNCTIONS = Set.of("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Split",
            "Fn::Select", "Fn::If", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition", "Fn::FindInMap");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Function<String, Object> ref;
    private final BiFunction<String, String, Object> getAtt;
    private final Function<String, Boolean> condition;
    private final Map<String, Object> mappings;

    Intrinsics(Function<String, Object> ref, BiFunction<String, String, Object> getAtt,
               Function<String, Boolean> condition, Map<String, Object> mappings) {
        this.ref = ref;
        this.getAtt = getAtt;
        this.condition = condition;
        this.mappings = mappings;
    }

    @SuppressWarnings("unchecked")
    Object resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = (String) map.keySet().iterator().next();
                if (FUNCTIONS.contains(key)) {
                    return evaluate(key, map.get(key));
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> {
                Object result = resolve(item);
                if (result != NO_VALUE) {
                    resolved.put(key, result);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                Object result = resolve(item);
                if (result != NO_VALUE) {
                    resolved.add(result);
                }
            }
            return resolved;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private Object evaluate(String function, Object argument) {
        return switch (function) {
            case "Ref" -> ref.apply((String) argument);
            case "Fn::GetAtt" -> {
                List<Object> parts = argument instanceof List<?> list ? (List<Object>) list
                        : List.of(((String) argument).split("\\.", 2));
                yield getAtt.apply((String) parts.get(0), (String) resolve(parts.get(1)));
            }
            case "Fn::Sub" -> sub(argument);
            case "Fn::Join" -> {
                List<Object> args = (List<Object>) argument;
                List<Object> items = asList(resolve(args.get(1)));
                yield String.join((String) args.get(0), items.stream().map(String::valueOf).toList());
            }
            case "Fn::Split" -> {
                List<Object> args = (List<Object>) argument;
                String text = String.valueOf(resolve(args.get(1)));
                yield List.of(text.split(Pattern.quote((String) args.get(0)), -1));
            }
            case "Fn::Select" -> {
                List<Object> args = (List<Object>) argument;
                int index = Integer.parseInt(String.valueOf(resolve(args.get(0))));
                yield asList(resolve(args.get(1))).get(index);
            }
            case "Fn::If" -> {
                List<Object> args = (List<Object>) argument;
                yield condition.apply((String) args.get(0)) ? resolve(args.get(1)) : resolve(args.get(2));
            }
            case "Fn::Equals" -> {
                List<Object> args = (List<Object>) argument;
                yield String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
            }
            case "Fn::Not" -> !truth(((List<Object>) argument).get(0));
            case "Fn::And" -> ((List<Object>) argument).stream().allMatch(this::truth);
            case "Fn::Or" -> ((List<Object>) argument).stream().anyMatch(this::truth);
            case "Condition" -> condition.apply((String) argument);
            case "Fn::FindInMap" -> {
                List<Object> args = (List<Object>) argument;
                Map<String, Object> map = (Map<String, Object>) mappings.get(String.valueOf(resolve(args.get(0))));
                Map<String, Object> top = (Map<String, Object>) map.get(String.valueOf(resolve(args.get(1))));
                if (top == null) {
                    throw new IllegalArgumentException("Fn::FindInMap: no key " + resolve(args.get(1)) + " in " + args.get(0));
                }
                yield top.get(String.valueOf(resolve(args.get(2))));
            }
            default -> throw new IllegalArgumentException("unsupported intrinsic " + function);
        };
    }

    boolean truth(Object value) {
        Object resolved = resolve(value);
        return resolved instanceof Boolean bool ? bool : Boolean.parseBoolean(String.valueOf(resolved));
    }

    @SuppressWarnings("unchecked")
    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            text = (String) list.get(0);
            variables = (Map<String, Object>) list.get(1);
        } else {
            text = (String) argument;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                replacement = String.valueOf(resolve(variables.get(name)));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] parts = name.split("\\.", 2);
                replacement = String.valueOf(getAtt.apply(parts[0], parts[1]));
            } else {
                Object value = ref.apply(name);
                replacement = value instanceof List<?> items ? String.join(",", items.stream().map(String::valueOf).toList()) : String.valueOf(value);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new IllegalArgumentException("expected a list, got " + value);
    }

    /** Logical ids a value refers to (Ref, GetAtt, Sub variables), for dependency order. */
    @SuppressWarnings("unchecked")
    static void references(Object value, Set<String> into) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                Object argument = map.get(key);
                switch (key) {
                    case "Ref" -> into.add((String) argument);
                    case "Fn::GetAtt" -> into.add(argument instanceof List<?> list ? (String) list.get(0) : ((String) argument).split("\\.")[0]);
                    case "Fn::Sub" -> {
                        String text = argument instanceof List<?> list ? (String) list.get(0) : (String) argument;
                        Matcher matcher = SUB_VARIABLE.matcher(text);
                        while (matcher.find()) {
                            into.add(matcher.group(1).split("\\.")[0]);
                        }
                        if (argument instanceof List<?> list) {
                            references(list.get(1), into);
                        }
                    }
                    default -> references(argument, into);
                }
                return;
            }
            ((Map<String, Object>) map).values().forEach(item -> references(item, into));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> references(item, into));
        }
    }
}
