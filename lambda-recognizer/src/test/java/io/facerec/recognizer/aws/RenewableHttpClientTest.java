package io.facerec.recognizer.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** Renewing drops the pooled HTTPS connections, as AWS endpoints are reached: over TLS, kept alive. */
class RenewableHttpClientTest {
    @Test
    void afterRenewTheNextRequestOpensANewConnectionInsteadOfReusingAPooledOne(@TempDir Path tmp) throws Exception {
        // a self-signed certificate for 127.0.0.1, made by the JDK's keytool
        Path store = tmp.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "local", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        Set<Integer> connections = ConcurrentHashMap.newKeySet();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", ex -> {
            connections.add(ex.getRemoteAddress().getPort());
            byte[] body = "ok".getBytes();
            ex.sendResponseHeaders(200, body.length);
            try (var o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        try {
            RenewableHttpClient http = new RenewableHttpClient(() -> UrlConnectionHttpClient.builder()
                    .tlsTrustManagersProvider(tmf::getTrustManagers).build());
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
            get(http, uri);
            get(http, uri);
            assertEquals(1, connections.size(), "kept alive: the second request reused the pooled connection");
            http.renew();
            get(http, uri);
            assertEquals(2, connections.size(), "after renew, a new connection");
            get(http, uri);
            assertEquals(2, connections.size(), "which is pooled in turn");
        } finally {
            server.stop(0);
        }
    }

    static void get(RenewableHttpClient http, URI uri) throws Exception {
        var res = http.prepareRequest(HttpExecuteRequest.builder().request(SdkHttpFullRequest.builder().uri(uri)
                .method(SdkHttpMethod.GET).build()).build()).call();
        try (InputStream body = res.responseBody().orElseThrow()) {
            assertEquals("ok", new String(body.readAllBytes()));
        }
    }
}
