package io.e6link.acceptance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Everything the run created, in creation order, each with the one call that deletes it by its own id.
 * The run records an object the moment AWS returns its id, and {@link #cleanUp} deletes in reverse
 * order, whatever happened before; a delete that fails is reported, never retried blindly against
 * something else. Nothing is ever deleted by name pattern or by scanning: only what is in here.
 */
public final class Ledger {
    /** The tag every object the run creates carries; the value is the run id. */
    public static final String RUN_TAG = "e6link:acceptance-run";

    /** Deletes one created object; throws when it cannot. */
    @FunctionalInterface
    public interface Deletion {
        void delete() throws Exception;
    }

    /** One created object. */
    public record Entry(String kind, String id, String account, Deletion deletion) {
    }

    /** An object the cleanup deleted, or could not delete and why. */
    public record Outcome(String kind, String id, String account, boolean cleaned, String reason) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final Progress progress;

    public Ledger(Progress progress) {
        this.progress = progress;
    }

    /**
     * Records a created object.
     *
     * @param kind     what it is, in AWS's terms (VPC, interface endpoint, CloudFormation stack, …)
     * @param id       its id or ARN, as AWS returned it
     * @param account  "customer" or "e6data"
     * @param deletion the call that deletes exactly this object
     */
    public synchronized void created(String kind, String id, String account, Deletion deletion) {
        entries.push(new Entry(kind, id, account, deletion));
    }

    /** Forgets an object deleted on purpose during the run (it is no longer ours to clean). */
    public synchronized void deleted(String id) {
        entries.stream().filter(entry -> entry.id().equals(id)).findFirst().ifPresent(entry -> {
            entries.remove(entry);
            outcomes.add(new Outcome(entry.kind(), entry.id(), entry.account(), true, "deleted by the run's own checks"));
        });
    }

    /** What is still recorded as existing, newest first. */
    public synchronized List<Entry> pending() {
        return List.copyOf(entries);
    }

    /**
     * Deletes everything still recorded, newest first. Every deletion is tried even when an earlier one
     * fails (an object may still block another; the report names both).
     *
     * @return every outcome of the run: deleted during it, cleaned now, or not cleaned with the reason
     */
    public synchronized List<Outcome> cleanUp() {
        while (!entries.isEmpty()) {
            Entry entry = entries.pop();
            progress.step("cleanup: deleting " + entry.kind() + " " + entry.id() + " (" + entry.account() + ")");
            try {
                entry.deletion().delete();
                outcomes.add(new Outcome(entry.kind(), entry.id(), entry.account(), true, null));
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                progress.step("cleanup: could not delete " + entry.kind() + " " + entry.id() + ": " + reason);
                outcomes.add(new Outcome(entry.kind(), entry.id(), entry.account(), false, reason));
            }
        }
        return List.copyOf(outcomes);
    }
}
