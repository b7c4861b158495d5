package io.e6link.kit;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built on first use and then reused, for what a Lambda function builds once per container
 * (SDK clients, settings read from the environment). A build that throws is not kept: the exception
 * reaches the caller of {@link #get}, and the next call builds again, so a container whose first
 * build failed (no credentials yet, a throttled call) recovers on its next invocation. Thread-safe.
 *
 * @param <T> the value's type
 */
public final class Lazy<T> {
    private final Supplier<? extends T> factory;
    private volatile T value;

    /** @param factory builds the value; it may throw, and must not return null */
    public Lazy(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The value, built now when no earlier call built it.
     *
     * @throws RuntimeException whatever the factory threw (nothing is kept, the next call builds again)
     * @throws NullPointerException when the factory returned null
     */
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                if (value == null) {
                    value = Objects.requireNonNull(factory.get(), "the factory returned null");
                }
                current = value;
            }
        }
        return current;
    }
}
