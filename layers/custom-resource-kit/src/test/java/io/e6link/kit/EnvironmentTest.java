package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one environment reader: blank is unset, values are trimmed, a missing variable names the function that should set it. */
class EnvironmentTest {
    private final Environment environment = new Environment(Map.of("CLUSTER_NAME", "  analytics ", "BLANK", "   ")::get);

    @Test
    void valuesAreTrimmedAndBlankIsUnset() {
        assertThat(environment.optional("CLUSTER_NAME")).contains("analytics");
        assertThat(environment.optional("BLANK")).isEmpty();
        assertThat(environment.optional("ABSENT")).isEmpty();
        assertThat(environment.isSet("CLUSTER_NAME")).isTrue();
        assertThat(environment.isSet("BLANK")).isFalse();
    }

    @Test
    void aMissingRequiredVariableNamesItAndTheFunctionThatSetsIt() {
        assertThat(environment.required("CLUSTER_NAME", "ReconcilerFunction")).isEqualTo("analytics");
        assertThatThrownBy(() -> environment.required("BLANK", "ReconcilerFunction")).isInstanceOf(CustomResourceException.class)
                .hasMessage("Environment variable BLANK is not set; the template sets it on ReconcilerFunction.");
    }

    @Test
    void anInvalidValueNamesTheVariableTheValueAndTheExpectation() {
        assertThat(Environment.invalid("TARGET_PORT", "70000", "expected a port from 1 to 65535"))
                .hasMessage("Environment variable TARGET_PORT has invalid value '70000': expected a port from 1 to 65535.");
    }
}
