package io.e6link.oidcprovider;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.IamClient;

/** The packaged zip plus the kit layer, run by the Lambda runtime interface client against moto. */
@ExtendWith(MotoExtension.class)
class OidcProviderFunctionIT {

    @Test
    void packagedFunctionCreatesAndDeletesTheProviderAsLambdaRunsIt(Moto moto) {
        IamClient iam = new MotoClients(moto).iam();
        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("OidcProviderFunction").endpoint(moto).start()) {
            PackagedFunction.Invocation create = function.invoke(Events.json(Events.prepare("oidc-provider/create.json", recorder.newUrl(), Map.of())));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.headers().getOrDefault("Content-type", java.util.List.of(""))).allMatch(String::isEmpty);
            assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);

            Map<String, Object> deleteEvent = Events.prepare("oidc-provider/delete.json", recorder.newUrl(), Map.of());
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));
            ResponseRecorder.Put deleted = recorder.await(Duration.ofSeconds(5));

            assertThat(deleted.status()).isEqualTo("SUCCESS");
            assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
            assertThat(function.logs()).contains("\"outcome\":\"SUCCESS\"").doesNotContain("X-Amz-Signature");
        }
    }
}
