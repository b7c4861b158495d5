package io.e6link.bucketpolicystatement;

import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A bucket policy as parsed JSON, changed only by Sid. Everything else is carried through as read:
 * top-level keys and their order, and every other statement with its key order (jackson-jr keeps
 * insertion order), so a rewritten policy is semantically equal JSON except for our statement.
 * Immutable: each change returns a new document. Public for the preflight, which predicts the merged
 * policy with this very code.
 */
public final class PolicyDocument {
    /** S3's bucket policy size limit (20 KB). */
    public static final int MAX_BYTES = 20 * 1024;
    static final String VERSION = "2012-10-17";

    private final Map<String, Object> root;
    private final List<Map<String, Object>> statements;

    private PolicyDocument(Map<String, Object> root, List<Map<String, Object>> statements) {
        this.root = root;
        this.statements = statements;
    }

    /** What a bucket without a policy is treated as. */
    public static PolicyDocument empty() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Version", VERSION);
        return new PolicyDocument(root, List.of());
    }

    /**
     * Parses a stored policy. A {@code Statement} given as one object counts as a list of one.
     * Anything else unexpected fails rather than risk rewriting a policy this code does not understand.
     *
     * @throws CustomResourceException naming the bucket and what is wrong with its policy
     */
    @SuppressWarnings("unchecked")
    public static PolicyDocument parse(String bucket, String text) {
        Object parsed;
        try {
            parsed = Json.read(text);
        } catch (RuntimeException e) {
            throw malformed(bucket, "is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw malformed(bucket, "is not a JSON object");
        }
        Map<String, Object> root = new LinkedHashMap<>((Map<String, Object>) map);
        Object statement = root.get("Statement");
        List<Map<String, Object>> statements = new ArrayList<>();
        if (statement instanceof Map<?, ?> single) {
            statements.add((Map<String, Object>) single);
        } else if (statement instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> one)) {
                    throw malformed(bucket, "has a Statement entry that is not a JSON object");
                }
                statements.add((Map<String, Object>) one);
            }
        } else if (statement != null) {
            throw malformed(bucket, "has a Statement that is neither a list nor an object");
        }
        return new PolicyDocument(root, Collections.unmodifiableList(statements));
    }

    /** The statements in order, as read (unmodifiable). */
    public List<Map<String, Object>> statements() {
        return statements;
    }

    boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Replaces the statement with the same Sid where it stands (dropping duplicates), or appends it. */
    public PolicyDocument upsert(Map<String, Object> statement) {
        Object sid = statement.get("Sid");
        List<Map<String, Object>> changed = new ArrayList<>();
        boolean placed = false;
        for (Map<String, Object> existing : statements) {
            if (!Objects.equals(sid, existing.get("Sid"))) {
                changed.add(existing);
            } else if (!placed) {
                changed.add(statement);
                placed = true;
            }
        }
        if (!placed) {
            changed.add(statement);
        }
        return new PolicyDocument(root, Collections.unmodifiableList(changed));
    }

    /** Removes every statement with this Sid; all others stay in order. */
    PolicyDocument remove(String sid) {
        List<Map<String, Object>> kept = statements.stream().filter(existing -> !sid.equals(existing.get("Sid"))).toList();
        return kept.size() == statements.size() ? this : new PolicyDocument(root, kept);
    }

    /**
     * Semantic equality: key order does not matter, and a single-object Statement equals a list
     * holding that object (S3 and IAM treat the two forms the same).
     */
    boolean sameAs(PolicyDocument other) {
        Map<String, Object> mine = new LinkedHashMap<>(root);
        Map<String, Object> theirs = new LinkedHashMap<>(other.root);
        mine.remove("Statement");
        theirs.remove("Statement");
        return mine.equals(theirs) && statements.equals(other.statements);
    }

    /** The document as written to S3: compact JSON, keys in the order read. */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>(root);
        out.put("Statement", statements);
        return Json.write(out);
    }

    /** Size in bytes (UTF-8), what S3's limit counts. */
    public static int bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    private static CustomResourceException malformed(String bucket, String problem) {
        return new CustomResourceException("The existing policy of bucket " + bucket + " " + problem
                + ", so it cannot be merged safely; fix the bucket policy and retry the stack operation.");
    }
}
