package io.e6link.kit;

import java.util.Map;

/**
 * The CloudFormation custom resource event, parsed once at the edge. {@code physicalResourceId} is
 * null on Create; {@code oldProperties} is empty except on Update.
 */
public record CustomResourceRequest(
        RequestType requestType,
        String requestId,
        String stackId,
        String logicalResourceId,
        String resourceType,
        String physicalResourceId,
        String responseUrl,
        ResourceProperties properties,
        ResourceProperties oldProperties) {

    /** The value of the {@code e6link:owner} tag on everything this resource creates. */
    public String ownerTag() {
        return Ownership.ownerValue(stackId, logicalResourceId);
    }

    /** Stack account id, taken from the StackId ARN (arn:aws:cloudformation:region:account:stack/...). */
    public String accountId() {
        String[] parts = stackId == null ? new String[0] : stackId.split(":");
        return parts.length > 4 ? parts[4] : "";
    }

    @SuppressWarnings("unchecked")
    static CustomResourceRequest fromEvent(Map<String, Object> event) {
        Object props = event.get("ResourceProperties");
        Object oldProps = event.get("OldResourceProperties");
        return new CustomResourceRequest(
                RequestType.parse(event.get("RequestType")),
                text(event, "RequestId"),
                text(event, "StackId"),
                text(event, "LogicalResourceId"),
                text(event, "ResourceType"),
                text(event, "PhysicalResourceId"),
                text(event, "ResponseURL"),
                new ResourceProperties(props instanceof Map<?, ?> m ? (Map<String, Object>) m : null),
                new ResourceProperties(oldProps instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
    }

    private static String text(Map<String, Object> event, String key) {
        Object value = event.get(key);
        return value == null ? null : value.toString();
    }
}
