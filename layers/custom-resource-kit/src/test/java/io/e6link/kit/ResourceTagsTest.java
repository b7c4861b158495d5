package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceTagsTest {
    private static Map<String, String> parse(List<String> entries) {
        return ResourceTags.parse(ResourceProperties.of(Map.of("ResourceTags", entries)));
    }

    @Test
    void keyValueEntriesInOrderAndEmptyEntriesIgnored() {
        assertThat(parse(List.of("CostCenter=4711", "", "team = platform@example.com", "empty=")))
                .containsExactly(Map.entry("CostCenter", "4711"), Map.entry("team", "platform@example.com"), Map.entry("empty", ""));
        assertThat(ResourceTags.parse(ResourceProperties.of(Map.of()))).isEmpty();
    }

    @Test
    void illegalEntriesFailNamingTheParameter() {
        for (String bad : List.of("novalue", "=x", "a|b=1", "k=v|w", "aws:cost=1", "e6link:owner=x", "k".repeat(128) + "=1", "k=" + "v".repeat(256))) {
            assertThatThrownBy(() -> parse(List.of(bad))).as(bad).isInstanceOf(InvalidPropertyException.class)
                    .hasMessageStartingWith("ResourceTags has invalid value");
        }
        assertThatThrownBy(() -> parse(List.of("k=1", "k=2"))).hasMessageContaining("given twice");
    }
}
