package io.e6link.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options left out mean what the template's defaults mean, so the report describes a default deployment. */
class PreflightDefaultsTest {
    @Test
    @SuppressWarnings("unchecked")
    void defaultsAreTheTemplatesDefaults() {
        Map<String, Object> parameters = Template.load().section("Parameters");

        Object zones = ((Map<String, Object>) parameters.get("ExcludedAvailabilityZones")).get("Default");
        Object manage = ((Map<String, Object>) parameters.get("ManageOidcProvider")).get("Default");

        assertThat(List.of(String.valueOf(zones).split(","))).isEqualTo(Options.DEFAULT_EXCLUDED_ZONES);
        assertThat(String.valueOf(manage)).isEqualTo(String.valueOf(Options.DEFAULT_MANAGE_OIDC_PROVIDER));
    }

    @Test
    void optionsTakeBothSpellingsAndAnEmptyExclusionList() {
        Options options = Options.parse(List.of("--cluster=prod", "--excluded-zones", "", "--buckets", "a, b,a"));

        assertThat(options.cluster()).isEqualTo("prod");
        assertThat(options.excludedZones()).isEmpty();
        assertThat(options.buckets()).containsExactly("a", "b");
        assertThat(options.parameters()).containsEntry("ExcludedAvailabilityZones", "").containsEntry("E6dataBucketNames", "a,b");
    }
}
