package io.e6link.stack;

import io.e6link.testing.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The custom resources CloudFormation must run one after another: a custom resource starts only when
 * everything it refers to (Ref, GetAtt, Sub, DependsOn, through native resources too) is complete, so
 * a chain of custom resources linked through the dependency graph runs in sequence, and the heaviest
 * such chain bounds how much function time a stack operation spends in custom resources.
 * Conditions are ignored (every conditional resource counted as present): the worst case.
 */
public final class CustomResourceChain {

    /**
     * One custom resource on a chain.
     *
     * @param resourceId the custom resource's logical id
     * @param functionId the logical id of the function its ServiceToken names ({@code !GetAtt F.Arn}), or
     *                   null when the token is not a GetAtt of a resource in the template
     */
    public record Link(String resourceId, String functionId) {
    }

    private CustomResourceChain() {
    }

    /**
     * The chain of custom resources, in creation order, whose functions' summed weight is largest
     * (ties: the longer chain, then the one whose end comes first in dependency order).
     *
     * @param template the stack template
     * @param weight   weight of one custom resource's function by its logical id, e.g. its cold start in
     *                 seconds; {@code 1} per link gives the longest chain by count
     * @return the chain, empty when the template has no custom resource
     * @throws IllegalStateException when the template's dependencies are circular
     */
    public static List<Link> heaviest(Template template, ToDoubleFunction<String> weight) {
        StackModel model = new StackModel(template);
        Map<String, List<Link>> best = new HashMap<>();
        Map<String, Double> bestWeight = new HashMap<>();
        List<Link> heaviest = List.of();
        double heaviestWeight = 0;
        for (String id : model.order()) {
            List<Link> before = List.of();
            double beforeWeight = 0;
            for (String dependency : model.dependenciesOf(id)) {
                double w = bestWeight.get(dependency);
                if (w > beforeWeight || (w == beforeWeight && best.get(dependency).size() > before.size())) {
                    before = best.get(dependency);
                    beforeWeight = w;
                }
            }
            List<Link> chain = before;
            double chainWeight = beforeWeight;
            if (isCustomResource(model.type(id))) {
                Link link = new Link(id, serviceFunction(template, id));
                chain = new ArrayList<>(before);
                chain.add(link);
                chainWeight += link.functionId() == null ? 0 : weight.applyAsDouble(link.functionId());
            }
            best.put(id, chain);
            bestWeight.put(id, chainWeight);
            if (chainWeight > heaviestWeight || (chainWeight == heaviestWeight && chain.size() > heaviest.size())) {
                heaviest = chain;
                heaviestWeight = chainWeight;
            }
        }
        return List.copyOf(heaviest);
    }

    static boolean isCustomResource(String type) {
        return type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource");
    }

    private static String serviceFunction(Template template, String id) {
        Object token = template.properties(id).get("ServiceToken");
        if (token instanceof Map<?, ?> intrinsic && intrinsic.get("Fn::GetAtt") instanceof List<?> getAtt && !getAtt.isEmpty()) {
            String function = String.valueOf(getAtt.get(0));
            return template.section("Resources").containsKey(function) ? function : null;
        }
        return null;
    }
}
