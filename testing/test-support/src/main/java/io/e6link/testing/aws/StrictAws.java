package io.e6link.testing.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.e6link.testing.aws.AuthorizationRequests.Authorization;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The emulated world's front door: every AWS call of the tests and the local deploy reaches moto
 * through it. Before forwarding a call it
 * <ol>
 *   <li>refuses, with AWS's error code and in the caller's protocol, what AWS refuses and moto accepts
 *       ({@link TagRules}, {@link StatefulRules}; the list with sources is docs/aws-rules.md);</li>
 *   <li>derives the IAM authorization requests AWS would make for the call
 *       ({@link AuthorizationRequests}) and records them under the caller's access key, so a test can
 *       evaluate them against the caller's IAM policies;</li>
 *   <li>when a test switches it on ({@link #modelTargetHealth}), answers target health with ELB's
 *       states and timing on the test's clock ({@link TargetHealthModel}).</li>
 * </ol>
 * The caller is named by the access key id of its SigV4 signature. Access key
 * {@value #AWS_SERVICE_ACCESS_KEY} stands for AWS itself (EKS, CloudFormation) where a test seeds the
 * world, and may write {@code aws:} tags; {@value #CLOUDFORMATION_ACCESS_KEY} stands for CloudFormation
 * creating a stack's native resources, may write {@code aws:} tags too, and is recorded like any caller.
 */
public final class StrictAws implements AutoCloseable {
    public static final String AWS_SERVICE_ACCESS_KEY = "testing";
    /** CloudFormation creating native resources: AWS itself (may write aws:cloudformation:* tags), but its calls are recorded. */
    public static final String CLOUDFORMATION_ACCESS_KEY = "cloudformation";

    /** One API call and the authorization requests it implies. */
    public record RecordedCall(String principal, String call, List<Authorization> authorizations) {
    }

    private final HttpServer server;
    private final HttpForwarder forwarder;
    private final StatefulRules statefulRules;
    private final SharedVpcs sharedVpcs;
    private final AuthorizationRequests authorizations;
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private volatile TargetHealthModel targetHealth;
    private final List<RecordedCall> recorded = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> hasEndpointAssociations = arn -> false;
    private final List<ArmedFault> faults = new CopyOnWriteArrayList<>();

    /**
     * A fault waiting for calls of one IAM action; {@code remaining} attempts still to fail, and with a clock,
     * only until {@code until} on it.
     */
    private static final class ArmedFault {
        final String iamAction;
        final Fault fault;
        final InstantSource clock;
        final java.time.Instant until;
        int remaining;
        int injected;

        ArmedFault(String iamAction, Fault fault, int attempts, InstantSource clock, java.time.Instant until) {
            this.iamAction = iamAction;
            this.fault = fault;
            this.remaining = attempts;
            this.clock = clock;
            this.until = until;
        }

        boolean armed() {
            return remaining > 0 && (clock == null || clock.instant().isBefore(until));
        }
    }

    private StrictAws(URI moto, String account) throws IOException {
        this.forwarder = new HttpForwarder(moto);
        this.ec2 = configure(Ec2Client.builder(), moto).build();
        this.elb = configure(ElasticLoadBalancingV2Client.builder(), moto).build();
        IamClient iam = configure(IamClient.builder(), moto).region(Region.AWS_GLOBAL).build();
        this.statefulRules = new StatefulRules(ec2, elb, arn -> hasEndpointAssociations.test(arn));
        this.sharedVpcs = new SharedVpcs(ec2);
        this.authorizations = new AuthorizationRequests(account, ec2, elb, iam);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "strict-aws");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a front door on a free loopback port for the moto server at {@code moto}. */
    public static StrictAws start(URI moto, String account) {
        try {
            return new StrictAws(moto, account);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the emulated world's front door: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Shares {@code vpcId} from account {@code owner} (AWS RAM): from now on every caller but AWS itself
     * is a participant that sees the owner's account on the VPC and its subnets, does not see the route
     * tables and endpoints the VPC has now, and may not create an endpoint in it ({@link SharedVpcs},
     * docs/aws-rules.md rule 13).
     */
    public void shareVpc(String vpcId, String owner) {
        sharedVpcs.share(vpcId, owner);
    }

    /**
     * Tells the NLB subnet rule which load balancers have VPC endpoint associations (moto has no
     * endpoint connections; the emulated stack models them).
     */
    public void hasEndpointAssociations(Predicate<String> loadBalancerArn) {
        this.hasEndpointAssociations = loadBalancerArn;
    }

    /**
     * Switches on the target health model until the next {@link #clear()}: from now on this door
     * answers DescribeTargetHealth and DeregisterTargets with ELB's states and timing on
     * {@code clock} instead of moto's always-healthy targets (see {@link TargetHealthModel}).
     * Off by default, so tests that do not opt in see moto's answers.
     *
     * @param clock                   the time the model reads; a test steps it to simulate minutes without sleeping
     * @param registrationPropagation how long a new target reports {@code Elb.RegistrationInProgress}
     *                                before its health checks start (AWS: "can take a few minutes"); zero or more
     * @return the model, for its view of target states, registrations and deregistrations
     */
    public TargetHealthModel modelTargetHealth(InstantSource clock, Duration registrationPropagation) {
        TargetHealthModel model = new TargetHealthModel(clock, registrationPropagation, Duration.ZERO, ec2, elb);
        targetHealth = model;
        return model;
    }

    /**
     * Switches on the target health model (as {@link #modelTargetHealth(InstantSource, Duration)}) at AWS's
     * clock: a new target reports {@code Elb.RegistrationInProgress} for {@link AwsClock#targetRegistration()},
     * and a deregistered one drains for the target group's deregistration delay or
     * {@link AwsClock#deregistration()}, whichever is longer.
     *
     * @param clock the time the model reads; a test steps it to simulate minutes without sleeping
     * @param aws   AWS's clock at the end the test plays ({@link AwsClock#fast()}, {@link AwsClock#slow()})
     * @return the model, for its view of target states, registrations and deregistrations
     */
    public TargetHealthModel modelTargetHealth(InstantSource clock, AwsClock aws) {
        TargetHealthModel model = new TargetHealthModel(clock, aws.targetRegistration(), aws.deregistration(), ec2, elb);
        targetHealth = model;
        return model;
    }

    /** Whether {@link #modelTargetHealth} is on (then nothing else should rewrite target health). */
    public boolean modelsTargetHealth() {
        return targetHealth != null;
    }

    /** Whether the caller is AWS itself, which may write tags with the reserved {@code aws:} prefix. */
    static boolean isAws(String accessKey) {
        return AWS_SERVICE_ACCESS_KEY.equals(accessKey) || CLOUDFORMATION_ACCESS_KEY.equals(accessKey);
    }

    /** Every call recorded since the last {@link #clear()}, in arrival order. */
    public List<RecordedCall> recordedCalls() {
        return List.copyOf(recorded);
    }

    /**
     * Records the authorization requests of a call that a model in front of this door answers itself
     * (moto has no endpoint connections), so that call is evaluated like every other.
     *
     * @return the injected fault the model must answer with instead, or null
     */
    public AwsRuleViolation recordAnsweredElsewhere(String method, URI uri, String authorization, byte[] body) {
        AwsRequest request = AwsRequest.parse(method, uri, authorization, body);
        AwsRuleViolation fault = injected(request);
        if (fault == null && !AWS_SERVICE_ACCESS_KEY.equals(request.accessKey())) {
            recorded.add(new RecordedCall(request.accessKey(), request.iamAction(), authorizations.derive(request)));
        }
        return fault;
    }

    public void clear() {
        recorded.clear();
        faults.clear();
        hasEndpointAssociations = arn -> false;
        targetHealth = null;
    }

    /**
     * Fails the next {@code attempts} calls of {@code iamAction} (e.g. {@code ec2:CreateVpcEndpoint})
     * by any caller with {@code fault}. The SDK retries throttling and 5xx up to its retry limit, so
     * pass more attempts than that to fail the call itself.
     */
    public void injectFault(String iamAction, Fault fault, int attempts) {
        faults.add(new ArmedFault(iamAction, fault, attempts, null, null));
    }

    /**
     * Fails every call of {@code iamAction} by any caller with {@code fault} while {@code clock} reads before
     * {@code until}: e.g. IAM still denying an action a role change allowed, until the change has propagated.
     * The test moves the clock (the function's retry strategy on the same simulated clock), so nothing sleeps.
     */
    public void injectFaultUntil(String iamAction, Fault fault, InstantSource clock, java.time.Instant until) {
        faults.add(new ArmedFault(iamAction, fault, Integer.MAX_VALUE, clock, until));
    }

    /** Removes every fault not yet spent; returns how many attempts were failed in all. */
    public int clearFaults() {
        int injected = faults.stream().mapToInt(armed -> armed.injected).sum();
        faults.clear();
        return injected;
    }

    private AwsRuleViolation injected(AwsRequest request) {
        for (ArmedFault armed : faults) {
            synchronized (armed) {
                if (armed.armed() && armed.iamAction.equals(request.iamAction())) {
                    armed.remaining--;
                    armed.injected++;
                    return armed.fault.violation(request);
                }
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            AwsRequest request = AwsRequest.parse(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            if (request.uri().getPath().startsWith("/moto-api")) {
                forwarder.forward(exchange, body, UnaryOperator.identity());
                return;
            }
            try {
                AwsRuleViolation fault = injected(request);
                if (fault != null) {
                    throw fault;
                }
                TagRules.check(request);
                statefulRules.check(request);
                sharedVpcs.check(request);
            } catch (AwsRuleViolation violation) {
                reply(exchange, violation.status(), violation.body(request.service()));
                return;
            }
            if (!AWS_SERVICE_ACCESS_KEY.equals(request.accessKey())) {
                recorded.add(new RecordedCall(request.accessKey(), request.iamAction(), authorizations.derive(request)));
            }
            TargetHealthModel health = targetHealth;
            String answered = health == null ? null : health.answer(request);
            if (answered != null) {
                reply(exchange, 200, answered);
                return;
            }
            UnaryOperator<byte[]> observed = health == null ? UnaryOperator.identity() : health.observe(request);
            UnaryOperator<byte[]> participant = sharedVpcs.answer(request);
            forwarder.forward(exchange, body, answer -> participant.apply(observed.apply(answer)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            reply(exchange, 500, new AwsRuleViolation(500, "InternalError", "emulated world: " + e).body("iam"));
        }
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> B configure(B builder, URI moto) {
        builder.region(Region.US_EAST_1).endpointOverride(moto)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AWS_SERVICE_ACCESS_KEY, "testing")));
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        return builder;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
