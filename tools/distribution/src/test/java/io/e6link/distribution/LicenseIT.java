package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The repository's LICENSE is the licence its metadata claims: the Apache License 2.0, unmodified. */
class LicenseIT {
    private static final Path ROOT = Events.projectRoot();
    /** SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt (also Debian's /usr/share/common-licenses/Apache-2.0). */
    private static final String APACHE_2_0_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    @Test
    void licenseFileIsTheFullApache20TextThatThePomAndReadmeName() throws Exception {
        byte[] license = Files.readAllBytes(ROOT.resolve("LICENSE"));

        assertThat(new String(license, java.nio.charset.StandardCharsets.UTF_8))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(license))).isEqualTo(APACHE_2_0_SHA256);
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<name>Apache-2.0</name>", "<url>https://www.apache.org/licenses/LICENSE-2.0</url>");
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("Licence: Apache-2.0", "(LICENSE)");
        // No other licence is claimed anywhere the project describes itself.
        assertThat(Files.readString(ROOT.resolve("template.yaml"))).doesNotContain("SpdxLicenseId", "LicenseUrl");
    }
}
