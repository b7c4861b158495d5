package io.e6link.acceptance;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Two real AWS accounts, each through its named profile (SSO, assumed roles and keys as the AWS CLI
 * resolves them): the customer's, which holds the cluster and runs the stack, and a second one standing
 * in for e6data, which creates the consumer VPC, the interface endpoint and a probe function inside
 * that VPC (the data path: TLS to the endpoint with the cluster's API host as server name, verified
 * against the cluster CA). {@link #connect} only reads; a wrong profile, region or cluster is refused
 * with one sentence before anything exists.
 */
final class AwsWorld implements World {
    private static final Duration RELEASE_WAIT = Duration.ofMinutes(45);
    private final Options options;
    private final Progress progress;
    private final Region region;
    private final Clients customer;
    private final Clients e6data;
    private final String customerAccount;
    private final String e6dataAccount;
    private final ClusterFacts cluster;
    private String consumerSubnet;
    private String consumerGroup;
    private String probeFunction;
    private Ledger ledger;
    private String runPrefix;
    private String templateUrl;

    /** The world {@link #connect} makes once everything is checked; tests give it clients of the emulated world. */
    AwsWorld(Options options, Progress progress, Region region, Clients customer, Clients e6data, String customerAccount, String e6dataAccount,
                     ClusterFacts cluster) {
        this.options = options;
        this.progress = progress;
        this.region = region;
        this.customer = customer;
        this.e6data = e6data;
        this.customerAccount = customerAccount;
        this.e6dataAccount = e6dataAccount;
        this.cluster = cluster;
    }

    /**
     * Resolves both profiles, checks each login (STS GetCallerIdentity), that they are two accounts, and
     * that the cluster exists and is ACTIVE in the region. Reads only.
     *
     * @throws Refusal one sentence naming the profile, region or cluster that is wrong
     */
    static AwsWorld connect(Options options, Map<String, String> env, Progress progress) {
        ProfileFile files = profileFiles(env);
        if (Region.regions().stream().noneMatch(r -> r.id().equals(options.region()))) {
            throw new Refusal("--region '" + options.region() + "' is not a region the AWS SDK knows.");
        }
        if (options.templateUrl() == null) {
            try {
                String missing = CloudFormationStack.missingArtifact(options.template());
                if (missing != null) {
                    throw new Refusal("--template " + options.template() + " names " + missing + ", which is not built (run ./mvnw -B package -DskipTests).");
                }
            } catch (IOException e) {
                throw new Refusal("--template " + options.template() + " cannot be read: " + e.getMessage() + ".");
            }
        }
        Region region = Region.of(options.region());
        Clients customer = clients(files, options.customerProfile(), region, "--customer-profile");
        Clients e6data = clients(files, options.e6dataProfile(), region, "--e6data-profile");
        progress.step("checking the logins of " + options.customerProfile() + " and " + options.e6dataProfile());
        String customerAccount = account(customer, "--customer-profile", options.customerProfile());
        String e6dataAccount = account(e6data, "--e6data-profile", options.e6dataProfile());
        Cluster described;
        try {
            described = customer.eks().describeCluster(b -> b.name(options.cluster())).cluster();
        } catch (ResourceNotFoundException e) {
            throw new Refusal("--cluster '" + options.cluster() + "' is not an EKS cluster of account " + customerAccount + " in " + options.region() + ".");
        } catch (SdkException e) {
            throw new Refusal("--cluster '" + options.cluster() + "' cannot be read with --customer-profile " + options.customerProfile() + ": " + firstLine(e) + ".");
        }
        if (!"ACTIVE".equals(described.statusAsString())) {
            throw new Refusal("--cluster '" + options.cluster() + "' is " + described.statusAsString() + ", not ACTIVE.");
        }
        if (customerAccount.equals(e6dataAccount)) {
            throw new Refusal("--e6data-profile reaches the same account as --customer-profile (" + customerAccount + "); e6data must be a second account.");
        }
        if (options.nextVersion() != null && !isNewer(options.nextVersion(), described.version())) {
            throw new Refusal("--next-version " + options.nextVersion() + " is not newer than the cluster's " + described.version() + ".");
        }
        ClusterFacts facts = new ClusterFacts(described.name(), described.resourcesVpcConfig().vpcId(), described.resourcesVpcConfig().clusterSecurityGroupId(),
                described.identity().oidc().issuer(), described.resourcesVpcConfig().subnetIds(), described.endpoint(), described.certificateAuthority().data(),
                described.version());
        progress.step("customer account " + customerAccount + ", e6data account " + e6dataAccount + ", cluster " + facts.name() + " (Kubernetes " + facts.version()
                + ", " + facts.vpcId() + ")");
        return new AwsWorld(options, progress, region, customer, e6data, customerAccount, e6dataAccount, facts);
    }

    @Override
    public String mode() {
        return "aws";
    }

    @Override
    public String region() {
        return region.id();
    }

    @Override
    public Clients customer() {
        return customer;
    }

    @Override
    public Clients e6data() {
        return e6data;
    }

    @Override
    public String customerAccount() {
        return customerAccount;
    }

    @Override
    public String e6dataAccount() {
        return e6dataAccount;
    }

    @Override
    public ClusterFacts cluster() {
        return cluster;
    }

    @Override
    public StackDriver stack(String name, Map<String, String> tags, Ledger ledger) {
        this.ledger = ledger;
        this.runPrefix = name.substring(0, name.lastIndexOf('-'));
        if (templateUrl == null) {
            templateUrl = options.templateUrl() != null ? options.templateUrl().toString() : uploadLocalBuild(tags);
        }
        return new CloudFormationStack(customer, name, tags, templateUrl, progress);
    }

    private String uploadLocalBuild(Map<String, String> tags) {
        String bucket = runPrefix + "-artifacts";
        customer.s3().createBucket(b -> {
            b.bucket(bucket);
            if (!region.id().equals("us-east-1")) {
                b.createBucketConfiguration(c -> c.locationConstraint(region.id()));
            }
        });
        ledger.created("S3 bucket (artifacts)", bucket, "customer", () -> {
            customer.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                    .forEach(o -> customer.s3().deleteObject(b -> b.bucket(bucket).key(o.key())));
            customer.s3().deleteBucket(b -> b.bucket(bucket));
        });
        customer.s3().putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(s -> s.key(Ledger.RUN_TAG).value(tags.get(Ledger.RUN_TAG)))));
        try {
            progress.step("uploading the local build (" + options.template() + " and its zips) to s3://" + bucket);
            return CloudFormationStack.uploadLocalBuild(customer, region.id(), bucket, options.template());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String requestConnection(String serviceName, String serviceId, String consumerCidr, Ledger ledger) {
        String runId = runPrefix.substring("e6link-acc-".length());
        var ec2 = e6data.ec2();
        String zone = ec2.describeVpcEndpointServices(b -> b.serviceNames(serviceName)).serviceDetails().get(0).availabilityZones().get(0);
        String vpc = ec2.createVpc(b -> b.cidrBlock(consumerCidr).tagSpecifications(tags(ResourceType.VPC, runId))).vpc().vpcId();
        ledger.created("VPC", vpc, "e6data", () -> Retry.until("VPC " + vpc + " to be deletable", RELEASE_WAIT, Duration.ofSeconds(30), progress,
                () -> ec2.deleteVpc(b -> b.vpcId(vpc))));
        String subnetCidr = consumerCidr.replaceFirst("\\.0\\.0/16$", ".1.0/24");
        consumerSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(subnetCidr).availabilityZone(zone).tagSpecifications(tags(ResourceType.SUBNET, runId)))
                .subnet().subnetId();
        String subnet = consumerSubnet;
        ledger.created("subnet", subnet, "e6data", () -> Retry.until("subnet " + subnet + " to be released by Lambda's ENIs", RELEASE_WAIT,
                Duration.ofSeconds(30), progress, () -> ec2.deleteSubnet(b -> b.subnetId(subnet))));
        consumerGroup = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(runPrefix + "-vpce").description("e6link acceptance consumer endpoint")
                .tagSpecifications(tags(ResourceType.SECURITY_GROUP, runId))).groupId();
        String group = consumerGroup;
        ledger.created("security group", group, "e6data", () -> Retry.until("security group " + group + " to be released", RELEASE_WAIT,
                Duration.ofSeconds(30), progress, () -> ec2.deleteSecurityGroup(b -> b.groupId(group))));
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443)
                .ipRanges(r -> r.cidrIp(consumerCidr))));
        String endpoint = ec2.createVpcEndpoint(b -> b.vpcEndpointType("Interface").vpcId(vpc).serviceName(serviceName).subnetIds(subnet)
                .securityGroupIds(group).privateDnsEnabled(false).tagSpecifications(tags(ResourceType.VPC_ENDPOINT, runId))).vpcEndpoint().vpcEndpointId();
        ledger.created("interface endpoint", endpoint, "e6data", () -> {
            ec2.deleteVpcEndpoints(b -> b.vpcEndpointIds(endpoint));
            Retry.until("interface endpoint " + endpoint + " to be deleted", Duration.ofMinutes(10), Duration.ofSeconds(15), progress, () -> {
                if (!endpointState(endpoint).matches("(?i)deleted|missing")) {
                    throw new IllegalStateException("still " + endpointState(endpoint));
                }
            });
        });
        return endpoint;
    }

    @Override
    public String endpointState(String endpointId) {
        try {
            return e6data.ec2().describeVpcEndpoints(b -> b.vpcEndpointIds(endpointId)).vpcEndpoints().stream().findFirst()
                    .map(e -> e.stateAsString()).orElse("missing");
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception gone) {
            return "missing";
        }
    }

    /** The schedule runs on its own in AWS: wait a little and look again. */
    @Override
    public void letScheduleRun(StackDriver stack, String functionLogicalId) {
        CloudFormationStack.pause(Duration.ofSeconds(15));
    }

    @Override
    public Optional<DataPath> dataPath() {
        return Optional.of(this::probe);
    }

    @Override
    public Optional<Observability> observability() {
        return Optional.of(new Observability() {
            @Override
            public Map<String, Object> alarmDelivery(String alarmName) {
                return AwsWorld.this.alarmDelivery(alarmName);
            }

            @Override
            public List<String> eniEventIdentities(String clusterName, Instant since) {
                return AwsWorld.this.eniEventIdentities(clusterName, since);
            }

            @Override
            public List<String> deniedEvents(Instant since) {
                return AwsWorld.this.deniedEvents(since);
            }
        });
    }

    @Override
    public double upgradeControlPlane(String version, Runnable whileWaiting) {
        String updateId = customer.eks().updateClusterVersion(b -> b.name(cluster.name()).version(version)).update().id();
        Duration bound = Duration.ofMinutes(90);
        Instant start = progress.waiting("EKS to upgrade " + cluster.name() + " to " + version + " (update " + updateId + "; typically 30-60 min)", bound);
        Instant lastNote = start;
        String status;
        do {
            CloudFormationStack.pause(Duration.ofSeconds(30));
            status = customer.eks().describeUpdate(b -> b.name(cluster.name()).updateId(updateId)).update().statusAsString();
            if (Duration.between(lastNote, progress.clock().instant()).toMinutes() >= 5) {
                progress.still("the EKS upgrade", start, status);
                lastNote = progress.clock().instant();
            }
        } while ("InProgress".equals(status) && progress.clock().instant().isBefore(start.plus(bound)));
        Duration took = progress.waited("EKS upgrade to " + version, start, status);
        if (!"Successful".equals(status)) {
            throw new IllegalStateException("the EKS upgrade ended " + status);
        }
        return took.toMillis() / 1000.0;
    }

    @Override
    public List<String> taggedWithRun(String runId) {
        List<String> found = new ArrayList<>(TaggedScan.scan(customer, runId, "customer"));
        found.addAll(TaggedScan.scan(e6data, runId, "e6data"));
        e6data.lambda().listFunctionsPaginator().functions().stream().filter(f -> f.functionName().startsWith(Names.prefix(runId)))
                .forEach(f -> found.add("e6data: Lambda function " + f.functionName()));
        return found;
    }

    @Override
    public void close() {
        // the SDK clients hold no resources worth closing before the JVM exits
    }

    // ---- the data path probe ----------------------------------------------------------------------

    /** The probe's code: TLS to the endpoint's DNS name with the cluster's API host as server name and the cluster CA. */
    static final String PROBE_CODE = """
            import base64, socket, ssl
            def handler(event, context):
                ca = base64.b64decode(event["ca"]).decode()
                answers = []
                for _ in range(int(event["attempts"])):
                    try:
                        tls = ssl.create_default_context(cadata=ca)
                        with socket.create_connection((event["address"], int(event.get("port", 443))), timeout=5) as raw:
                            with tls.wrap_socket(raw, server_hostname=event["serverName"]) as s:
                                s.sendall(("GET /readyz HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n" % event["serverName"]).encode())
                                answers.append(int(s.recv(64).split()[1]))
                    except Exception:
                        answers.append(0)
                return {"answers": answers}
            """;

    private List<Integer> probe(String endpointId, int attempts) {
        if (probeFunction == null) {
            createProbe();
        }
        String address = e6data.ec2().describeVpcEndpoints(b -> b.vpcEndpointIds(endpointId)).vpcEndpoints().get(0).dnsEntries().get(0).dnsName();
        String serverName = cluster.endpoint().replaceFirst("^https://", "");
        try {
            String payload = JSON.std.asString(Map.of("address", address, "serverName", serverName, "ca", cluster.certificateAuthority(), "attempts", attempts));
            progress.step("probe: " + attempts + " x GET https://" + serverName + "/readyz via " + address + " from e6data's VPC");
            var response = e6data.lambda().invoke(b -> b.functionName(probeFunction).payload(SdkBytes.fromUtf8String(payload)));
            Map<String, Object> answer = JSON.std.mapFrom(response.payload().asUtf8String());
            List<Integer> answers = new ArrayList<>();
            for (Object code : (List<?>) answer.get("answers")) {
                answers.add(((Number) code).intValue());
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createProbe() {
        String runId = runPrefix.substring("e6link-acc-".length());
        String roleName = runPrefix + "-probe";
        var iam = e6data.iam();
        String roleArn = iam.createRole(b -> b.roleName(roleName).path(Names.ROLE_PATH).tags(t -> t.key(Ledger.RUN_TAG).value(runId))
                .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        String managed = "arn:" + partition() + ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
        ledger.created("IAM role", roleName, "e6data", () -> {
            iam.detachRolePolicy(b -> b.roleName(roleName).policyArn(managed));
            iam.deleteRole(b -> b.roleName(roleName));
        });
        iam.attachRolePolicy(b -> b.roleName(roleName).policyArn(managed));
        String name = runPrefix + "-probe";
        SdkBytes zip = SdkBytes.fromByteArray(zip("index.py", PROBE_CODE));
        Instant since = progress.waiting("IAM to let Lambda assume " + roleName + " (new roles take seconds to propagate)", Duration.ofMinutes(2));
        for (int attempt = 0; ; attempt++) {
            try {
                e6data.lambda().createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).handler("index.handler").role(roleArn).timeout(120)
                        .code(c -> c.zipFile(zip)).vpcConfig(v -> v.subnetIds(consumerSubnet).securityGroupIds(consumerGroup))
                        .tags(Map.of(Ledger.RUN_TAG, runId)));
                break;
            } catch (InvalidParameterValueException notYet) {
                if (attempt >= 12) {
                    throw notYet;
                }
                CloudFormationStack.pause(Duration.ofSeconds(10));
            }
        }
        progress.waited("probe role", since, "assumable");
        ledger.created("Lambda function", name, "e6data", () -> e6data.lambda().deleteFunction(b -> b.functionName(name)));
        Instant active = progress.waiting("probe function " + name + " to become Active (VPC functions create their ENIs first)", Duration.ofMinutes(5));
        while (!"Active".equals(e6data.lambda().getFunctionConfiguration(b -> b.functionName(name)).stateAsString())
                && progress.clock().instant().isBefore(active.plus(Duration.ofMinutes(5)))) {
            CloudFormationStack.pause(Duration.ofSeconds(10));
        }
        progress.waited("probe function", active, e6data.lambda().getFunctionConfiguration(b -> b.functionName(name)).stateAsString());
        probeFunction = name;
    }

    // ---- alarm and CloudTrail ---------------------------------------------------------------------

    private Map<String, Object> alarmDelivery(String alarmName) {
        var alarm = customer.cloudWatch().describeAlarms(b -> b.alarmNames(alarmName)).metricAlarms().get(0);
        String topic = alarm.alarmActions().isEmpty() ? null : alarm.alarmActions().get(0);
        Map<String, Object> result = new LinkedHashMap<>();
        if (topic == null) {
            result.put("seconds", -1);
            result.put("detail", "the alarm has no AlarmActions");
            return result;
        }
        String key = customer.sns().getTopicAttributes(b -> b.topicArn(topic)).attributes().get("KmsMasterKeyId");
        Instant start = progress.clock().instant();
        customer.cloudWatch().setAlarmState(b -> b.alarmName(alarmName).stateValue("ALARM").stateReason("e6link acceptance run: alarm delivery check"));
        progress.waiting("the alarm's action to reach " + topic, Duration.ofMinutes(3));
        while (progress.clock().instant().isBefore(start.plus(Duration.ofMinutes(3)))) {
            for (AlarmHistoryItem item : customer.cloudWatch().describeAlarmHistory(b -> b.alarmName(alarmName).historyItemType(HistoryItemType.ACTION)
                    .startDate(start.minusSeconds(5))).alarmHistoryItems()) {
                boolean ok = item.historySummary().startsWith("Successfully executed action");
                result.put("seconds", ok ? Duration.between(start, item.timestamp()).toMillis() / 1000.0 : -1);
                result.put("detail", item.historySummary() + "; topic KmsMasterKeyId: " + (key == null ? "none" : key));
                progress.waited("alarm action", start, item.historySummary());
                return result;
            }
            CloudFormationStack.pause(Duration.ofSeconds(10));
        }
        result.put("seconds", -1);
        result.put("detail", "no Action item in the alarm history within 3 minutes; topic KmsMasterKeyId: " + (key == null ? "none" : key));
        return result;
    }

    private List<String> eniEventIdentities(String clusterName, Instant since) {
        List<String> identities = new ArrayList<>();
        for (String eventName : List.of("CreateNetworkInterface", "DeleteNetworkInterface")) {
            for (Event event : customer.cloudTrail().lookupEventsPaginator(b -> b.startTime(since)
                    .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue(eventName))).events()) {
                Map<String, Object> record = json(event.cloudTrailEvent());
                String text = event.cloudTrailEvent();
                if (eventName.equals("CreateNetworkInterface") && !text.contains("Amazon EKS " + clusterName)) {
                    continue;
                }
                if (eventName.equals("DeleteNetworkInterface") && !text.contains("eks")) {
                    continue;
                }
                Map<?, ?> who = (Map<?, ?>) record.getOrDefault("userIdentity", Map.of());
                Map<?, ?> session = who.get("sessionContext") instanceof Map<?, ?> s ? s : Map.of();
                Map<?, ?> issuer = session.get("sessionIssuer") instanceof Map<?, ?> i ? i : Map.of();
                identities.add(eventName + " by " + who.get("type") + (who.get("invokedBy") == null ? "" : " invokedBy " + who.get("invokedBy"))
                        + (issuer.get("arn") == null ? "" : " as " + issuer.get("arn")));
            }
        }
        return identities.stream().distinct().toList();
    }

    private List<String> deniedEvents(Instant since) {
        List<String> denied = new ArrayList<>();
        for (String source : List.of("ec2.amazonaws.com", "elasticloadbalancing.amazonaws.com", "s3.amazonaws.com", "eks.amazonaws.com",
                "logs.amazonaws.com", "iam.amazonaws.com")) {
            for (Event event : customer.cloudTrail().lookupEventsPaginator(b -> b.startTime(since)
                    .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_SOURCE).attributeValue(source))).events()) {
                Map<String, Object> record = json(event.cloudTrailEvent());
                String error = String.valueOf(record.getOrDefault("errorCode", ""));
                if (!error.matches(".*(AccessDenied|UnauthorizedOperation).*") || !event.cloudTrailEvent().contains(":role/e6link/")) {
                    continue;
                }
                denied.add(record.get("eventTime") + " " + source + " " + record.get("eventName") + " " + error);
            }
        }
        return denied;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private String partition() {
        return region.id().startsWith("cn-") ? "aws-cn" : region.id().startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    private static TagSpecification tags(ResourceType type, String runId) {
        return TagSpecification.builder().resourceType(type).tags(t -> t.key(Ledger.RUN_TAG).value(runId)).build();
    }

    private static Map<String, Object> json(String text) {
        try {
            return JSON.std.mapFrom(text);
        } catch (IOException e) {
            return Map.of();
        }
    }

    static byte[] zip(String name, String content) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Clients clients(ProfileFile files, String profile, Region region, String option) {
        if (files.profile(profile).isEmpty()) {
            throw new Refusal(option + " '" + profile + "' is not a profile in ~/.aws/config or ~/.aws/credentials (aws configure sso --profile " + profile + ").");
        }
        ProfileCredentialsProvider credentials = ProfileCredentialsProvider.builder().profileFile(files).profileName(profile).build();
        Region global = region.id().startsWith("cn-") ? Region.AWS_CN_GLOBAL : region.id().startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
        return Clients.build(new Clients.Setup() {
            @Override
            public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B apply(B builder) {
                builder.region(region).credentialsProvider(credentials)
                        .overrideConfiguration(c -> c.retryStrategy(RetryMode.ADAPTIVE_V2).apiCallTimeout(Duration.ofSeconds(120))
                                .defaultProfileFile(files).defaultProfileName(profile));
                builder.httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)));
                return builder;
            }
        }, global, b -> b.crossRegionAccessEnabled(true));
    }

    private static String account(Clients clients, String option, String profile) {
        try {
            return clients.sts().getCallerIdentity().account();
        } catch (SdkException e) {
            throw new Refusal(option + " '" + profile + "' cannot log in: " + firstLine(e) + ".");
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).replaceAll("[.\\s]+$", "");
    }

    private static boolean isNewer(String next, String current) {
        String[] a = next.split("\\.");
        String[] b = current.split("\\.");
        return Integer.parseInt(a[0]) > Integer.parseInt(b[0]) || Integer.parseInt(a[0]) == Integer.parseInt(b[0]) && Integer.parseInt(a[1]) > Integer.parseInt(b[1]);
    }

    private static ProfileFile profileFiles(Map<String, String> env) {
        ProfileFile.Aggregator aggregator = ProfileFile.aggregator();
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path credentials = Path.of(env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"));
        Path config = Path.of(env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config"));
        if (Files.isRegularFile(credentials)) {
            aggregator.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
        }
        if (Files.isRegularFile(config)) {
            aggregator.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
        }
        return aggregator.build();
    }
}
