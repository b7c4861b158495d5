package io.e6link.acceptance;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run on its own daemon thread every so often until closed: the JDK's scheduled executor with a fixed
 * delay between the end of one run and the start of the next, so a slow AWS call never stacks runs up.
 * A task that throws is not run again (the executor's rule), so tasks catch what they can survive.
 */
final class Periodic implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final Duration waitOnClose;

    private Periodic(ScheduledExecutorService executor, Duration waitOnClose) {
        this.executor = executor;
        this.waitOnClose = waitOnClose;
    }

    /**
     * Starts {@code task} now and again {@code every} after each run ends.
     *
     * @param threadName the thread's name, as thread dumps show it
     * @param every the pause between the end of one run and the start of the next; must be positive
     *              ({@link IllegalArgumentException} otherwise, from the executor)
     * @param waitOnClose how long {@link #close()} waits for a run in progress to end
     */
    static Periodic start(String threadName, Duration every, Duration waitOnClose, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(task, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return new Periodic(executor, waitOnClose);
    }

    /** Stops the schedule, interrupts a run in progress and waits for it up to the time given at start. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(waitOnClose.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
