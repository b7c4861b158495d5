package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe function's code (what runs in e6data's VPC in a real run, check a.3/a.5) under the Python it
 * is written for, against a TLS server on loopback whose certificate names a cluster's API host: the right
 * TLS name verified against the cluster CA reaches GET /readyz; a wrong name or a closed port is 0 (the
 * same as a refused or timed-out connection through the endpoint), never a pass.
 */
class ProbeCodeTest {
    private static final String HOST = "0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com";
    private static final String SERVER = """
            import http.server, ssl, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b"ok"
                    self.send_response(200 if self.path == "/readyz" else 404)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(sys.argv[1], sys.argv[2])
            server.socket = tls.wrap_socket(server.socket, server_side=True)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """;

    @TempDir
    Path dir;
    private Process server;
    private int port;
    private String ca;

    @BeforeEach
    void startServer() throws Exception {
        assumeTrue(run(List.of("openssl", "version")) == 0 && run(List.of("python3", "--version")) == 0, "SKIPPED LOUDLY: openssl and python3 are needed");
        assertThat(run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString(), "-subj", "/CN=" + HOST, "-addext", "subjectAltName=DNS:" + HOST))).isZero();
        ca = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("cert.pem")));
        Files.writeString(dir.resolve("server.py"), SERVER);
        Files.writeString(dir.resolve("index.py"), AwsWorld.PROBE_CODE);
        server = new ProcessBuilder("python3", dir.resolve("server.py").toString(), dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString())
                .redirectErrorStream(true).start();
        port = Integer.parseInt(new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine().trim());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void theClustersTlsNameVerifiedAgainstItsCaReachesReadyz() throws Exception {
        assertThat(probe(HOST, port, 3)).containsExactly(200, 200, 200);
    }

    @Test
    void aWrongTlsNameOrAClosedPortCountsAsNotReached() throws Exception {
        assertThat(probe("other.example.com", port, 2)).containsExactly(0, 0);
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        assertThat(probe(HOST, port, 1)).containsExactly(0);
    }

    private List<Object> probe(String serverName, int port, int attempts) throws Exception {
        String event = JSON.std.asString(Map.of("address", "127.0.0.1", "port", port, "serverName", serverName, "ca", ca, "attempts", attempts));
        Process python = new ProcessBuilder("python3", "-c", "import json, sys; sys.path.insert(0, sys.argv[1]); import index; "
                + "print(json.dumps(index.handler(json.loads(sys.argv[2]), None)))", dir.toString(), event).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        @SuppressWarnings("unchecked")
        List<Object> answers = (List<Object>) JSON.std.mapFrom(output).get("answers");
        return answers;
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
