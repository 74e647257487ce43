package io.facerec.forwarder.config;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A camera's stream URL. {@link #open()} is what FFmpeg is given, credentials included; everything
 * else (logs, /health, errors, S3 metadata, {@link #toString()}) sees {@link #withoutCredentials()}.
 */
public final class StreamUrl {
    /** Query parameters whose values are secrets, by the names cameras and proxies give them. */
    private static final Set<String> SECRET_PARAMS = Set.of("password", "passwd", "pass", "pwd", "user", "username",
            "token", "access_token", "auth", "key", "apikey", "api_key", "secret", "signature", "sig", "credential");

    private final URI uri;
    private final String public_;

    public StreamUrl(URI uri) {
        this.uri = uri;
        this.public_ = strip(uri);
    }

    /** The URL with its credentials, for opening the stream and nothing else. */
    public String open() {
        return uri.toString();
    }

    public String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** Scheme, host, port, path and the query's non-secret parameters: no user info, no fragment. */
    public String withoutCredentials() {
        return public_;
    }

    private static String strip(URI u) {
        StringBuilder s = new StringBuilder(u.getScheme()).append(':');
        if (u.getRawAuthority() != null) {
            s.append("//").append(u.getHost() == null ? "" : u.getHost());
            if (u.getPort() >= 0) {
                s.append(':').append(u.getPort());
            }
        }
        if (u.getRawPath() != null) {
            s.append(u.getRawPath());
        } else if (u.getRawSchemeSpecificPart() != null && u.getRawAuthority() == null) {
            s.append(u.getRawSchemeSpecificPart().replaceFirst("\\?.*", ""));
        }
        if (u.getRawQuery() != null) {
            StringJoiner q = new StringJoiner("&");
            for (String p : u.getRawQuery().split("&")) {
                String name = p.split("=", 2)[0].toLowerCase(Locale.ROOT);
                if (!p.isEmpty() && !SECRET_PARAMS.contains(name)) {
                    q.add(p);
                }
            }
            if (q.length() > 0) {
                s.append('?').append(q);
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return public_;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamUrl s && s.uri.equals(uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }
}
