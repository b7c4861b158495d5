package io.e6link.preflight;

import java.util.ArrayList;
import java.util.List;

/** A titled group of findings, one per check (the cluster, its subnets, the OIDC provider, ...). */
public final class Section {
    private final String title;
    private final List<Finding> findings = new ArrayList<>();

    public Section(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public Section add(Finding finding) {
        findings.add(finding);
        return this;
    }

    public Section ok(String text) {
        return add(Finding.ok(text));
    }

    public Section warning(String text) {
        return add(Finding.warning(text));
    }

    public Section warning(String text, String parameter) {
        return add(Finding.warning(text, parameter));
    }

    public Section unchecked(String text) {
        return add(Finding.unchecked(text));
    }

    public Section blocker(String text, String parameter) {
        return add(Finding.blocker(text, parameter));
    }
}
