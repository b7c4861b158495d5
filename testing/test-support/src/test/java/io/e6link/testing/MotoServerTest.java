package io.e6link.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.Bucket;

/** Independent emulated worlds (FaultMatrixIT runs its cases side by side on them) share nothing with the JVM's one. */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class MotoServerTest {
    @Test
    void anIndependentWorldHasItsOwnStateAndStopsWhenClosed(Moto shared) throws Exception {
        new MotoClients(shared).s3().createBucket(b -> b.bucket("in-the-shared-world"));
        Moto independent = MotoServer.startIndependent();
        try {
            assertThat(independent.endpoint()).isNotEqualTo(shared.endpoint());
            MotoClients clients = new MotoClients(independent);
            assertThat(clients.s3().listBuckets().buckets()).as("a fresh world").isEmpty();
            clients.s3().createBucket(b -> b.bucket("in-the-independent-world"));
            independent.reset();
            assertThat(clients.s3().listBuckets().buckets()).isEmpty();
            clients.s3().createBucket(b -> b.bucket("in-the-independent-world"));
            assertThat(new MotoClients(shared).s3().listBuckets().buckets()).extracting(Bucket::name)
                    .containsExactly("in-the-shared-world");
        } finally {
            independent.close();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(independent.endpoint()).GET().build(), HttpResponse.BodyHandlers.discarding()))
                .as("the closed world's front door answers no more").isInstanceOf(ConnectException.class);
        assertThatThrownBy(shared::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("shared");
    }
}
