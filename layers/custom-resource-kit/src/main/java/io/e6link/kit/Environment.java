package io.e6link.kit;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one reader of a function's environment variables: those Lambda sets ({@code AWS_REGION}, and
 * {@code AWS_ENDPOINT_URL} where an emulator stands in) and those template.yaml sets on a function
 * ({@code E6LINK_VERSION}, the scheduled functions' settings). Blank counts as unset; values are trimmed.
 * Tests pass their own variables instead of the process's.
 *
 * @param variables a variable's value by name, null when unset ({@code System::getenv} in Lambda)
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html">Lambda: defined runtime environment variables</a>
 */
public record Environment(UnaryOperator<String> variables) {
    private static final Environment SYSTEM = new Environment(System::getenv);

    public Environment {
        Objects.requireNonNull(variables, "variables");
    }

    /** The process's environment (what Lambda and the template set). */
    public static Environment system() {
        return SYSTEM;
    }

    /** The trimmed value of {@code name}; empty when it is unset or blank. */
    public Optional<String> optional(String name) {
        String value = variables.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** True when {@code name} has a value that is not blank. */
    public boolean isSet(String name) {
        return optional(name).isPresent();
    }

    /**
     * The trimmed value of a variable the template sets on {@code function}.
     *
     * @throws CustomResourceException when it is unset or blank, naming the variable and the function
     */
    public String required(String name, String function) {
        return optional(name).orElseThrow(() -> new CustomResourceException(
                "Environment variable " + name + " is not set; the template sets it on " + function + "."));
    }

    /** The one-sentence reason for a variable whose value cannot be used: name, value, what was expected. */
    public static CustomResourceException invalid(String name, String value, String expectation) {
        return new CustomResourceException("Environment variable " + name + " has invalid value '" + value + "': " + expectation + ".");
    }
}
