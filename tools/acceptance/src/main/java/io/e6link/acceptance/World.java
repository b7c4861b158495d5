package io.e6link.acceptance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts the acceptance run works in: two real AWS accounts ({@link AwsWorld}) or the emulated
 * world ({@link LocalWorld}). The checks are the same code in both; only what a world cannot do
 * differs: the emulated world has no data path ({@link #dataPath()} is empty), no alarm delivery, no
 * CloudTrail and no EKS control plane of its own.
 */
public interface World extends AutoCloseable {
    /** "aws" or "local". */
    String mode();

    String region();

    Clients customer();

    Clients e6data();

    String customerAccount();

    String e6dataAccount();

    ClusterFacts cluster();

    /** A driver for the stack named {@code name} (nothing is created until {@link StackDriver#create}). */
    StackDriver stack(String name, Map<String, String> tags, Ledger ledger);

    /**
     * e6data asks to connect: an interface endpoint in the e6data account to the stack's service
     * (real: a VPC, subnet, security group and endpoint, each recorded in the ledger).
     *
     * @return the interface endpoint's id
     */
    String requestConnection(String serviceName, String serviceId, String consumerCidr, Ledger ledger);

    /** The endpoint's state as e6data sees it (pendingAcceptance, available, rejected, …). */
    String endpointState(String endpointId);

    /** Lets one scheduled run of a stack function happen: --local invokes it, a real account waits for its schedule. */
    void letScheduleRun(StackDriver stack, String functionLogicalId);

    /** The data path through the endpoint, when the world has one. */
    Optional<DataPath> dataPath();

    /** Alarm delivery and CloudTrail, when the world has them. */
    Optional<Observability> observability();

    /**
     * Replaces the cluster's control-plane ENIs: a real EKS version upgrade to {@code version}, or the
     * emulated world's ENI swap. Returns how long the upgrade itself took, in seconds.
     */
    double upgradeControlPlane(String version, Runnable whileWaiting);

    /** Everything in either account still tagged {@link Ledger#RUN_TAG}={@code runId}, one line each. */
    List<String> taggedWithRun(String runId);

    @Override
    void close();

    /** A client inside e6data's VPC connecting through the endpoint with the cluster's TLS name. */
    interface DataPath {
        /**
         * Connects {@code attempts} times to the endpoint's DNS name, sending the cluster's API host as
         * TLS server name and verifying the certificate against the cluster CA; GET /readyz.
         *
         * @return one entry per attempt: the HTTP status, or 0 when the connection timed out or was refused
         */
        List<Integer> probe(String endpointId, int attempts);
    }

    /** What only a real account shows: alarm actions and CloudTrail. */
    interface Observability {
        /** Sets the alarm to ALARM; returns seconds until its history shows the action executed, or -1 with the failure. */
        Map<String, Object> alarmDelivery(String alarmName);

        /** The identities (userIdentity type, invokedBy, session issuer) of the ENI events of {@code cluster} since {@code since}. */
        List<String> eniEventIdentities(String clusterName, java.time.Instant since);

        /** CloudTrail events since {@code since} that denied one of the stack's roles (path /e6link/). */
        List<String> deniedEvents(java.time.Instant since);
    }
}
