package io.e6link.kit;

/**
 * One CloudFormation resource type. Implementations only translate, call, check and return;
 * responding, logging, deadlines and failure reasons belong to {@link CustomResourceFunction}.
 *
 * @param <P> the record the properties are parsed into, once, at the edge, by the
 *     {@link CustomResourceType} the function names
 */
public interface CustomResource<P> {

    Outcome create(Invocation<P> invocation);

    Outcome update(Invocation<P> invocation);

    /**
     * Removes what this stack and logical id own, and nothing else. Must succeed when the thing is
     * already gone or was never created, and when it is asked twice.
     *
     * <p>The physical id may not be one this resource chose: the kit also calls this for the
     * placeholder a failed Create answered with ({@link CustomResourceFunction#isFailedCreatePlaceholder})
     * and for ids CloudFormation made up when a Create's answer never arrived. A resource that parses
     * its ids falls back to the properties when the id is not its own, and removes only objects that
     * carry this resource's ownership tag ({@link Invocation#ownerTag()}), so what a failed or
     * unanswered Create made is cleaned up and an adopted object is never touched.
     */
    Outcome delete(Invocation<P> invocation);
}
