package io.e6link.kit;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The one JSON reader/writer (jackson-jr: small and quick to load, which matters for cold starts). */
public final class Json {
    private static final JSON JSON_CODEC = JSON.std;

    private Json() {
    }

    public static Map<String, Object> readObject(InputStream input) throws IOException {
        return JSON_CODEC.mapFrom(input);
    }

    public static Map<String, Object> readObject(String text) {
        try {
            return JSON_CODEC.mapFrom(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object read(String text) {
        try {
            return JSON_CODEC.anyFrom(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return JSON_CODEC.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
