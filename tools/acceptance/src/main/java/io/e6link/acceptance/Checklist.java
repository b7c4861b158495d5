package io.e6link.acceptance;

import java.util.List;

/**
 * The checks of docs/real-account-check.md in the order the run takes them, with what each needs.
 * {@link #DATA_PATH} checks need AWS's PrivateLink data path, alarm delivery or CloudTrail: --local
 * reports them as needs-real-account, never as passed.
 */
final class Checklist {
    /** One check of the run. */
    record Item(String id, String title, boolean needsRealAccount) {
    }

    static final List<Item> ITEMS = List.of(
            new Item("A", "Phase A: the stack creates in an account without OIDC provider or S3 gateway endpoint (creation paths)", false),
            new Item("c.1", "Target registration: each control-plane IP goes initial -> healthy", false),
            new Item("f.1", "Ownership tags: e6link:owner written and read back on what the stack created (<= 255 characters)", false),
            new Item("h", "Lambda concurrency: no function reserves any", false),
            new Item("b", "Zones: the NLB's zones are the endpoint service's, none excluded", false),
            new Item("a.1", "e6data's interface endpoint is accepted by the stack, no clicking", false),
            new Item("a.3", "e6data reaches the API server through the endpoint with the cluster's TLS name", true),
            new Item("a.5", "Security-group gate: a wrong e6data CIDR blocks the endpoint, the right one restores it", true),
            new Item("g", "Alarm delivery: the alarm's action reaches the topic", true),
            new Item("c.2", "EKS version upgrade: targets follow the control-plane ENIs, never zero healthy", false),
            new Item("i", "A failing update (E6dataVpcCidrs=10.99.0.1/16) rolls back cleanly, rules unchanged", false),
            new Item("e.1", "IAM: no AccessDenied in the functions' logs", false),
            new Item("f.2", "Delete: nothing of the stack remains and e6data's endpoint is rejected", false),
            new Item("d", "Phase B: adoption - create, update and delete leave the customer's own objects as they were", false),
            new Item("e.2", "CloudTrail: the identities of EKS's ENI events, and no denial of the stack's roles", true),
            new Item("cleanup", "Everything the run created is deleted; nothing tagged with the run remains", false));

    private Checklist() {
    }

    static Item item(String id) {
        return ITEMS.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }
}
