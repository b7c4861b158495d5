package io.e6link.s3gatewayendpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The durable memory of which route-table associations e6link made, kept as tags on the endpoint:
 * one tag per (owner, route table), key {@code e6link:route-table/<owner hash>/<rtb-id>}, value the
 * owner ({@code <StackId>/<LogicalResourceId>}).
 *
 * <p>Why tags and not the physical id: the set of added route tables changes on Update, and a new
 * physical id means replacement to CloudFormation, which then sends Delete for the old id, and that
 * Delete would take back tables the new id still needs. Tags live with the endpoint and change in
 * place. One tag per owner and table makes the claims a reference count: when two e6link stacks
 * (two clusters in one VPC) rely on the same association, the first to be deleted leaves it for the
 * second. Associations nobody claims (the customer's own) are never removed.
 *
 * <p>Trade-off: a tool that strips unknown tags from an adopted endpoint (e.g. Terraform managing
 * it) erases the memory; Delete then leaves the associations in place — the safe direction.
 */
final class RouteTableClaims {
    static final String PREFIX = "e6link:route-table/";

    private RouteTableClaims() {
    }

    static String key(String owner, String routeTableId) {
        return PREFIX + ownerHash(owner) + "/" + routeTableId;
    }

    static List<Tag> tags(String owner, Collection<String> routeTableIds) {
        return routeTableIds.stream().map(id -> Tag.builder().key(key(owner, id)).value(owner).build()).toList();
    }

    /** Route tables this owner claims on the endpoint. */
    static Set<String> claimedBy(List<Tag> tags, String owner) {
        String mine = PREFIX + ownerHash(owner) + "/";
        Set<String> claimed = new LinkedHashSet<>();
        for (Tag tag : tags) {
            if (tag.key().startsWith(mine) && owner.equals(tag.value())) {
                claimed.add(tag.key().substring(mine.length()));
            }
        }
        return claimed;
    }

    /** Route tables other e6link resources claim on the endpoint. */
    static Set<String> claimedByOthers(List<Tag> tags, String owner) {
        String mine = PREFIX + ownerHash(owner) + "/";
        Set<String> claimed = new LinkedHashSet<>();
        for (Tag tag : tags) {
            if (tag.key().startsWith(PREFIX) && !(tag.key().startsWith(mine) && owner.equals(tag.value()))) {
                claimed.add(routeTableOf(tag));
            }
        }
        return claimed;
    }

    private static String routeTableOf(Tag tag) {
        return tag.key().substring(tag.key().lastIndexOf('/') + 1);
    }

    /** Tag keys are limited to 128 characters and a StackId alone can exceed that: keys carry a hash, values the owner. */
    static String ownerHash(String owner) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
