package io.e6link.kit;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch Logs. Callers pass only
 * fields that are safe to log: never the presigned ResponseURL, never credentials.
 */
public final class JsonLog {
    /** The e6link release (template's {@code E6LINK_VERSION}), on every line so logs say which code wrote them. */
    private static final String VERSION = Environment.system().optional("E6LINK_VERSION").orElse(null);
    private static final JsonLog STDOUT = new JsonLog(System.out);
    private final PrintStream out;

    public JsonLog(PrintStream out) {
        this.out = out;
    }

    public static JsonLog stdout() {
        return STDOUT;
    }

    public void info(String message, Map<String, ?> fields) {
        write("INFO", message, fields);
    }

    public void warn(String message, Map<String, ?> fields) {
        write("WARN", message, fields);
    }

    public void error(String message, Map<String, ?> fields) {
        write("ERROR", message, fields);
    }

    /** Writes a line exactly as given (for CloudWatch embedded-metric-format documents). */
    public void raw(Map<String, ?> document) {
        synchronized (out) {
            out.println(Json.write(document));
        }
    }

    private void write(String level, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        if (VERSION != null) {
            line.put("version", VERSION);
        }
        fields.forEach((key, value) -> {
            if (value != null) {
                line.put(key, value);
            }
        });
        raw(line);
    }
}
