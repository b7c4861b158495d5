package io.e6link.acceptance;

/**
 * One measured value of a check, with its unit (s, count, characters, …).
 *
 * @param name  what was measured, e.g. {@code secondsToAvailable}
 * @param value the value; whole numbers for counts
 * @param unit  the unit, never empty
 */
public record Measurement(String name, double value, String unit) {
    public Measurement {
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("measurement " + name + " has no unit");
        }
    }
}
