package io.e6link.stack;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import java.io.IOException;

/**
 * The emulated stack's proxy for moto's gaps (endpoint connections answer HTTP 500; every IP target
 * reports healthy) for the benchmark's own function runs. Lives in the emulated stack's package
 * because the proxy is package-private there; the benchmark only needs its URL.
 */
public final class MotoGaps implements AutoCloseable {
    private final MotoGapsProxy proxy;

    public MotoGaps(Moto moto) throws IOException {
        this.proxy = new MotoGapsProxy(moto.endpoint(), new MotoClients(moto).ec2());
    }

    public String endpointUrl() {
        return proxy.endpointUrl();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
