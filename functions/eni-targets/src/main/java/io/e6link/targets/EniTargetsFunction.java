package io.e6link.targets;

import io.e6link.kit.CustomResourceFunction;

/** Lambda entry point for {@code Custom::EksEniTargets}. */
public final class EniTargetsFunction extends CustomResourceFunction {
    public EniTargetsFunction() {
        super(EniTargetsResource.TYPE, () -> new EniTargetsResource(ServiceClients.fromEnvironment()));
    }
}
