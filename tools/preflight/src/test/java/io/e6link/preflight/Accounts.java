package io.e6link.preflight;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Runs the preflight against the emulated world as a customer would, and builds the account shapes the tests need. */
final class Accounts {
    /** The preflight signs as this caller, so the strict world records its calls (the seeding signs as AWS itself). */
    static final String CALLER = "preflight";
    static final String OTHER_ACCOUNT = "210987654321";
    private static final Path HOME = emptyHome();

    private Accounts() {
    }

    /** The customer's environment: keys and region, AWS_ENDPOINT_URL at the emulated world, a HOME without ~/.aws. */
    static Map<String, String> env(Moto moto) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL", moto.endpointUrl());
        env.put("AWS_ACCESS_KEY_ID", CALLER);
        env.put("AWS_SECRET_ACCESS_KEY", CALLER);
        env.put("AWS_REGION", MotoClients.REGION.id());
        env.put("HOME", HOME.toString());
        return env;
    }

    static Preflight.Result run(Moto moto, String... args) {
        return Preflight.run(List.of(args), env(moto));
    }

    static Preflight.Result run(Map<String, String> env, String... args) {
        return Preflight.run(List.of(args), env);
    }

    /** The JSON report's findings as (status, text, parameter) maps, in order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> findings(Preflight.Result result) {
        Map<String, Object> report = Json.readObject(result.output());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Object section : (List<Object>) report.get("sections")) {
            findings.addAll((List<Map<String, Object>>) ((Map<String, Object>) section).get("findings"));
        }
        return findings;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blockers(Preflight.Result result) {
        return (List<Map<String, Object>>) Json.readObject(result.output()).get("blockers");
    }

    /** A bucket created by another account (moto lets a caller act in another account through an assumed role). */
    static void otherAccountsBucket(Moto moto, String bucket) {
        MotoClients clients = new MotoClients(moto);
        Credentials credentials;
        try (StsClient sts = clients.configure(StsClient.builder()).build()) {
            credentials = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + OTHER_ACCOUNT + ":role/data-owner").roleSessionName("seed")).credentials();
        }
        try (S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(MotoClients.REGION).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), credentials.sessionToken())))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** A compact bucket policy of about {@code bytes} bytes: the customer's own statements, one per prefix. */
    static String policyOfAbout(String bucket, int bytes) {
        List<Map<String, Object>> statements = new ArrayList<>();
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements);
        for (int i = 0; ; i++) {
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("Sid", "CustomerPrefix" + i);
            statement.put("Effect", "Allow");
            statement.put("Principal", Map.of("AWS", "arn:aws:iam::123456789012:root"));
            statement.put("Action", "s3:GetObject");
            statement.put("Resource", "arn:aws:s3:::" + bucket + "/team-" + i + "/*");
            statements.add(statement);
            if (Json.write(policy).length() > bytes) {
                statements.remove(statements.size() - 1);
                return Json.write(policy);
            }
        }
    }

    private static Path emptyHome() {
        try {
            return Files.createTempDirectory("preflight-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
