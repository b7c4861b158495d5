package io.e6link.acceptance;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What --dry-run prints: the steps the run would take, what it would create, and what that costs.
 *
 * <p>The cost estimate uses us-east-1 on-demand list prices (Elastic Load Balancing and AWS PrivateLink
 * pricing pages, 2025): a Network Load Balancer costs $0.0225 per hour plus $0.006 per NLCU-hour; an
 * interface endpoint $0.01 per hour per AZ plus $0.01 per GB processed; Lambda, CloudFormation,
 * CloudWatch alarms and S3 stay within cents for a run. Other regions cost up to about 30% more.
 */
final class Plan {
    static final double NLB_HOUR = 0.0225;
    static final double NLCU_HOUR = 0.006;
    static final double ENDPOINT_AZ_HOUR = 0.01;
    static final double ENDPOINT_GB = 0.01;
    /** Hours an NLB exists: stack A (~1.5 h with the upgrade) and stack B (~0.5 h), rounded up per started hour. */
    static final double NLB_HOURS_WITH_UPGRADE = 2;
    static final double NLB_HOURS_WITHOUT_UPGRADE = 1;
    /** The consumer endpoint lives for phase A only, in one AZ. */
    static final double ENDPOINT_HOURS_WITH_UPGRADE = 2;
    static final double ENDPOINT_HOURS_WITHOUT_UPGRADE = 1;
    /** Probe traffic: a few hundred TLS handshakes, well under 0.01 GB; 0.01 GB is the estimate. */
    static final double DATA_GB = 0.01;

    private Plan() {
    }

    /** Prints the plan and the cost estimate for {@code options}. */
    static void print(Options options, PrintStream out) {
        boolean upgrade = options.nextVersion() != null;
        out.println("scripts/acceptance --dry-run: nothing is created. The run would:");
        if (options.local()) {
            out.println("  in the EMULATED world (moto behind the strict emulated AWS), with the sample cluster 'analytics' and " + options.template() + ":");
        } else {
            out.println("  as profile " + options.customerProfile() + " (customer) and " + options.e6dataProfile() + " (e6data) in " + options.region()
                    + ", cluster " + options.cluster() + ", release " + options.release() + ":");
            out.println("  0. refuse with one sentence if a profile, the region or the cluster is wrong (nothing created)");
        }
        out.println("  1. create two S3 buckets e6link-acc-<run>-lake-1/2 and stack e6link-acc-<run>-a (creation paths)");
        for (Checklist.Item item : Checklist.ITEMS) {
            String note = item.needsRealAccount() && options.local() ? "  [needs-real-account in --local]" : "";
            if (item.id().equals("c.2") && !options.local() && !upgrade) {
                note = "  [not run: no --next-version]";
            }
            out.println("     " + item.id() + "  " + item.title() + note);
        }
        out.println("  every object is tagged " + Ledger.RUN_TAG + "=<run>, and deleted by its id at the end whatever happens;");
        out.println("  the report goes to " + options.reportDir() + "/report.json, report.md and aws-clock.measured.json");
        if (options.local()) {
            out.println("Cost: none (emulated).");
            return;
        }
        double nlbHours = upgrade ? NLB_HOURS_WITH_UPGRADE : NLB_HOURS_WITHOUT_UPGRADE;
        double endpointHours = upgrade ? ENDPOINT_HOURS_WITH_UPGRADE : ENDPOINT_HOURS_WITHOUT_UPGRADE;
        double nlb = nlbHours * (NLB_HOUR + NLCU_HOUR);
        double endpoint = endpointHours * ENDPOINT_AZ_HOUR;
        double data = DATA_GB * ENDPOINT_GB;
        double probe = 0.01;
        out.println("Cost estimate (us-east-1 list prices; other regions up to ~30% more):");
        out.println(String.format(Locale.ROOT, "  NLB:                %.1f h x ($%.4f + 1 NLCU x $%.3f) = $%.2f", nlbHours, NLB_HOUR, NLCU_HOUR, nlb));
        out.println(String.format(Locale.ROOT, "  interface endpoint: %.1f h x 1 AZ x $%.2f = $%.2f", endpointHours, ENDPOINT_AZ_HOUR, endpoint));
        out.println(String.format(Locale.ROOT, "  data through it:    %.2f GB x $%.2f = $%.4f", DATA_GB, ENDPOINT_GB, data));
        out.println(String.format(Locale.ROOT, "  Lambda, CloudWatch, S3, CloudTrail look-ups: < $%.2f", probe));
        out.println(String.format(Locale.ROOT, "  total: about $%.2f%s", nlb + endpoint + data + probe,
                upgrade ? " (the EKS cluster's own $0.10/h is not counted: it exists before and after)" : ""));
        out.println(String.format(Locale.ROOT, "Time: about %s.", upgrade ? "1.5-2 hours (the EKS upgrade takes 30-60 min)" : "45-60 minutes"));
    }
}
