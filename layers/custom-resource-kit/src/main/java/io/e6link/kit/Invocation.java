package io.e6link.kit;

/**
 * One request as a resource sees it: typed properties, the raw request for ids, and the deadline.
 * {@code oldProperties} is null except on Update.
 */
public record Invocation<P>(CustomResourceRequest request, P properties, P oldProperties, Deadline deadline) {

    public String physicalResourceId() {
        return request.physicalResourceId();
    }

    public String ownerTag() {
        return request.ownerTag();
    }

    /** Keep the current id: the answer for Updates that do not change identity, and for Delete. */
    public Outcome.Builder sameId() {
        return Outcome.of(request.physicalResourceId());
    }
}
