package io.e6link.eksenitargets;

import io.e6link.kit.CustomResourceFunction;

/** Lambda entry point for {@code Custom::EksEniTargets}. */
public final class EksEniTargetsFunction extends CustomResourceFunction {
    public EksEniTargetsFunction() {
        super(EksEniTargetsResource.TYPE, () -> new EksEniTargetsResource(ServiceClients.fromEnvironment()));
    }
}
