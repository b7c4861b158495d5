package io.e6link.kit;

/**
 * One request as a resource sees it: typed properties, the raw request for ids, and the deadline.
 * {@code oldProperties} is null except on Update.
 */
public record Invocation<P>(CustomResourceRequest request, P properties, P oldProperties, Deadline deadline) {

    /**
     * The event's physical id. On Delete it may not be one the resource chose: the placeholder of a
     * failed Create, or an id CloudFormation made up when a Create's answer never arrived.
     */
    public String physicalResourceId() {
        return request.physicalResourceId();
    }

    /** {@code <StackId>/<LogicalResourceId>}: the {@link Ownership#TAG_KEY} value on everything this resource creates. */
    public String ownerTag() {
        return request.ownerTag();
    }

    /** Keep the current id: the answer for Updates that do not change identity, and for Delete. */
    public Outcome.Builder sameId() {
        return Outcome.of(request.physicalResourceId());
    }
}
