package io.e6link.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The run-time guards of the test tiers: a surefire class that uses moto must carry the emulated tag. */
class TestTiersTest {
    @Test
    void anUntaggedTestClassThatStartsMotoIsMisplacedAndTheReasonNamesTheTag() {
        assertThat(TestTiers.misplaced(SomeResourceTest.class, Set.of()))
                .contains("io.e6link.testing.SomeResourceTest starts moto_server but is not tagged")
                .contains("@Tag(TestTiers.EMULATED)").contains("./scripts/test --fast");
    }

    @Test
    void aTaggedTestClassAndEveryIntegrationTestMayStartMoto() {
        assertThat(TestTiers.misplaced(SomeResourceTest.class, Set.of(TestTiers.EMULATED))).isNull();
        assertThat(TestTiers.misplaced(SomeStackIT.class, Set.of())).isNull();
        assertThat(TestTiers.misplaced(SomeStackIT.Nested.class, Set.of())).isNull();
    }

    @Test
    void thePureTierStartsNoEmulator() {
        String before = System.getProperty(TestTiers.TIER_PROPERTY);
        System.setProperty(TestTiers.TIER_PROPERTY, TestTiers.PURE);
        try {
            assertThatThrownBy(MotoServer::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pure test tier").hasMessageContaining("@Tag(TestTiers.EMULATED)");
            assertThatThrownBy(MotoServer::startIndependent).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pure test tier");
        } finally {
            if (before == null) {
                System.clearProperty(TestTiers.TIER_PROPERTY);
            } else {
                System.setProperty(TestTiers.TIER_PROPERTY, before);
            }
        }
    }
}

/** A surefire class in name (it holds no tests). */
class SomeResourceTest {
}

/** A failsafe class in name (it holds no tests), with a nested class as JUnit's @Nested would have. */
class SomeStackIT {
    class Nested {
    }
}
