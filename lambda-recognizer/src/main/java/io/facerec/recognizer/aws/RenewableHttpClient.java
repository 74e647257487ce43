package io.facerec.recognizer.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The SDK clients' HTTP client, replaceable in place. A SnapStart snapshot keeps the connections
 * pooled at init, and every container restored from it would try to reuse sockets whose other end
 * is long gone. {@link #renew()} puts a new client behind the SDK clients: each URL-connection
 * client has its own TLS socket factory, and the JDK only reuses a pooled HTTPS connection made
 * with the same factory, so the old pool is never touched again (its sockets expire on their own).
 */
public final class RenewableHttpClient implements SdkHttpClient {
    private final Supplier<SdkHttpClient> factory;
    private volatile SdkHttpClient current;

    public RenewableHttpClient(Supplier<SdkHttpClient> factory) {
        this.factory = factory;
        this.current = factory.get();
    }

    /** Drops the pooled connections: the next request opens a new one. */
    public void renew() {
        SdkHttpClient old = current;
        current = factory.get();
        old.close();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return current.prepareRequest(request);
    }

    @Override
    public String clientName() {
        return current.clientName();
    }

    @Override
    public void close() {
        current.close();
    }
}
