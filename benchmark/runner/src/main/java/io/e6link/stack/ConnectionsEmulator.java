package io.e6link.stack;

import java.io.IOException;
import java.net.URI;

/**
 * The emulated stack's EC2 proxy (moto answers HTTP 500 to the VPC endpoint connection calls) for
 * the benchmark's own function runs. Lives in the emulated stack's package because the proxy is
 * package-private there; the benchmark only needs its URL.
 */
public final class ConnectionsEmulator implements AutoCloseable {
    private final Ec2ConnectionsProxy proxy;

    public ConnectionsEmulator(URI moto) throws IOException {
        this.proxy = new Ec2ConnectionsProxy(moto);
    }

    public String endpointUrl() {
        return proxy.endpointUrl();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
