package io.e6link.acceptance;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A real-mode acceptance run in its own JVM against an emulated AWS given by URL, which blocks before
 * check c.1 (after it created the buckets and the stack) until the JVM is stopped: what
 * {@link InterruptedRunTest} sends SIGTERM to.
 * Arguments: endpoint URL, report directory, template URL, VPC id.
 */
public final class InterruptedRunMain {
    private InterruptedRunMain() {
    }

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        Clients clients = Clients.build(new Clients.Setup() {
            @Override
            public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B apply(B builder) {
                builder.region(Region.US_EAST_1).endpointOverride(endpoint)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
                builder.httpClientBuilder(UrlConnectionHttpClient.builder());
                return builder;
            }
        }, Region.AWS_GLOBAL, b -> b.forcePathStyle(true));
        Options options = Options.parse("--customer-profile", "customer", "--e6data-profile", "e6data", "--region", "us-east-1", "--cluster", "analytics",
                "--template-url", args[2], "--report-dir", args[1]);
        Progress progress = new Progress(System.err, Clock.systemUTC());
        AwsWorld world = new AwsWorld(options, progress, Region.US_EAST_1, clients, clients, "123456789012", "111122223333",
                new ClusterFacts("analytics", args[3], null, "https://oidc.eks.us-east-1.amazonaws.com/id/INTERRUPTED", List.of(), "https://x.eks.amazonaws.com", "",
                        "1.33"));
        new AcceptanceRun(world, options, progress, "sigterm-1", checkId -> {
            if (checkId.equals("c.1")) {
                System.err.println("BLOCKED before c.1");
                System.err.flush();
                try {
                    Thread.sleep(Duration.ofMinutes(10).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).run(report -> {
            try {
                report.write(Path.of(args[1]));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
