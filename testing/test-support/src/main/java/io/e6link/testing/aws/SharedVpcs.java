package io.e6link.testing.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * A VPC shared with the stack's account through AWS RAM (docs/aws-rules.md, rule 13): another account
 * owns the VPC, its subnets, route tables and gateway endpoints; the stack's account is a participant.
 * "Participants cannot view, modify, or delete resources that belong to other participants or the VPC
 * owner" and "VPC owners are responsible for creating, managing, and deleting ... route tables, ...
 * gateway endpoints" (VPC User Guide, "Share your VPC subnets with other accounts" and "Responsibilities
 * and permissions for owners and participants"). moto has one account per key and no RAM, so the front
 * door answers every caller but AWS itself ({@link StrictAws#AWS_SERVICE_ACCESS_KEY}) as a participant:
 * <ul>
 *   <li>DescribeVpcs and DescribeSubnets show the owner's account as {@code ownerId};</li>
 *   <li>DescribeRouteTables and DescribeVpcEndpoints leave out the owner's route tables and endpoints
 *       (those of the VPC when it was shared);</li>
 *   <li>CreateVpcEndpoint in the VPC is refused ({@code UnauthorizedOperation}); ModifyVpcEndpoint and
 *       DeleteVpcEndpoints on the owner's endpoints answer as for an endpoint that does not exist.</li>
 * </ul>
 */
final class SharedVpcs {
    private record Share(String owner, Set<String> routeTables, Set<String> endpoints) {
    }

    private final Ec2Client ec2;
    private final Map<String, Share> byVpc = new ConcurrentHashMap<>();

    SharedVpcs(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** From now on {@code owner} owns {@code vpcId} and the route tables and endpoints it has now. */
    void share(String vpcId, String owner) {
        Set<String> tables = Set.copyOf(ec2.describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(vpcId))).routeTables().stream()
                .map(RouteTable::routeTableId).toList());
        Set<String> endpoints = Set.copyOf(ec2.describeVpcEndpoints(r -> r.filters(f -> f.name("vpc-id").values(vpcId))).vpcEndpoints().stream()
                .map(VpcEndpoint::vpcEndpointId).toList());
        byVpc.put(vpcId, new Share(owner, tables, endpoints));
    }

    private boolean participant(AwsRequest request) {
        return !byVpc.isEmpty() && "ec2".equals(request.service()) && !StrictAws.AWS_SERVICE_ACCESS_KEY.equals(request.accessKey());
    }

    /** Refuses what only the owner may do. */
    void check(AwsRequest request) {
        if (!participant(request)) {
            return;
        }
        switch (String.valueOf(request.action())) {
            case "CreateVpcEndpoint" -> {
                Share share = byVpc.get(request.param("VpcId"));
                if (share != null) {
                    throw new AwsRuleViolation(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
                }
            }
            case "ModifyVpcEndpoint" -> refuseOwnersEndpoint(List.of(String.valueOf(request.param("VpcEndpointId"))));
            case "DeleteVpcEndpoints" -> refuseOwnersEndpoint(request.list("VpcEndpointId"));
            default -> {
            }
        }
    }

    private void refuseOwnersEndpoint(List<String> ids) {
        for (String id : ids) {
            if (byVpc.values().stream().anyMatch(share -> share.endpoints().contains(id))) {
                throw new AwsRuleViolation(400, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '" + id + "' does not exist");
            }
        }
    }

    /** The participant's view of a Describe answer (identity for other calls and for AWS itself). */
    UnaryOperator<byte[]> answer(AwsRequest request) {
        if (!participant(request)) {
            return UnaryOperator.identity();
        }
        return switch (String.valueOf(request.action())) {
            case "DescribeRouteTables" -> body -> rewrite(body, "routeTableSet", (item, out) -> hidden(item, "routeTableId", Share::routeTables, out));
            case "DescribeVpcEndpoints" -> body -> rewrite(body, "vpcEndpointSet", (item, out) -> hidden(item, "vpcEndpointId", Share::endpoints, out));
            case "DescribeVpcs" -> body -> rewrite(body, "vpcSet", this::ownedByOwner);
            case "DescribeSubnets" -> body -> rewrite(body, "subnetSet", this::ownedByOwner);
            default -> UnaryOperator.identity();
        };
    }

    private interface ItemRule {
        /** @return whether to keep the item (it may be changed in place) */
        boolean apply(Element item, List<Element> unused);
    }

    private boolean hidden(Element item, String idTag, java.util.function.Function<Share, Set<String>> owned, List<Element> unused) {
        String id = childText(item, idTag);
        return byVpc.values().stream().noneMatch(share -> owned.apply(share).contains(id));
    }

    private boolean ownedByOwner(Element item, List<Element> unused) {
        Share share = byVpc.get(childText(item, "vpcId"));
        if (share != null) {
            for (Node child = item.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals("ownerId")) {
                    element.setTextContent(share.owner());
                }
            }
        }
        return true;
    }

    private static byte[] rewrite(byte[] body, String setTag, ItemRule rule) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList sets = document.getElementsByTagName(setTag);
            if (sets.getLength() == 0) {
                return body;
            }
            Element set = (Element) sets.item(0);
            List<Element> remove = new ArrayList<>();
            for (Node child = set.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element item && item.getTagName().equals("item") && !rule.apply(item, List.of())) {
                    remove.add(item);
                }
            }
            remove.forEach(set::removeChild);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("cannot rewrite the " + setTag + " answer for a shared VPC: " + e.getMessage(), e);
        }
    }

    private static String childText(Element item, String tag) {
        for (Node child = item.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }
}
