package io.facerec.api.register;

import io.facerec.api.config.ApiConfig;
import io.facerec.api.http.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Fetches the photo of {@code image_url} for POST /register: a request the server makes on a
 * client's word, so it is held in. HTTPS only (HTTP where {@code REGISTER_ALLOW_HTTP}); every address
 * the host resolves to must be public (no loopback, private, link-local — the cloud's metadata
 * address —, carrier-grade NAT, multicast or unspecified address) unless
 * {@code REGISTER_ALLOW_PRIVATE_HOSTS}; redirects are followed by hand, at most
 * {@code REGISTER_MAX_REDIRECTS}, each target checked the same way; one timeout for the whole
 * exchange; the body is cut at the size cap. The JVM caches a host's addresses (30 s), so the
 * connection goes to the addresses checked here.
 */
public class ImageFetcher {
    private final HttpClient http;
    private final ApiConfig.RegisterSettings settings;

    public ImageFetcher(HttpClient http, ApiConfig.RegisterSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    public static HttpClient client(ApiConfig.RegisterSettings s) {
        return HttpClient.newBuilder().connectTimeout(s.fetchTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public byte[] fetch(String url) {
        URI u = check(url);
        long deadline = System.nanoTime() + settings.fetchTimeout().toNanos();
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> r;
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                r = http.send(HttpRequest.newBuilder(u).timeout(java.time.Duration.ofMillis(left)).GET()
                        .header("Accept", "image/jpeg, image/png").build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (java.net.http.HttpTimeoutException e) {
                throw ApiError.badRequest("image_url did not answer within " + settings.fetchTimeout().toMillis() + " ms");
            } catch (IOException e) {
                throw ApiError.badRequest("image_url could not be fetched (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiError.badRequest("image_url fetch interrupted");
            }
            int status = r.statusCode();
            if (status >= 300 && status < 400 && r.headers().firstValue("location").isPresent()) {
                close(r);
                if (hop >= settings.maxRedirects()) {
                    throw ApiError.badRequest("image_url redirected more than " + settings.maxRedirects() + " times");
                }
                u = check(u.resolve(r.headers().firstValue("location").get()).toString());
                continue;
            }
            if (status != 200) {
                close(r);
                throw ApiError.badRequest("image_url answered HTTP " + status);
            }
            long declared = r.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > settings.maxImageBytes()) {
                close(r);
                throw tooLarge();
            }
            try (InputStream in = r.body()) {
                byte[] b = in.readNBytes((int) settings.maxImageBytes() + 1);
                if (b.length > settings.maxImageBytes()) {
                    throw tooLarge();
                }
                if (System.nanoTime() > deadline) {
                    throw ApiError.badRequest("image_url did not answer within " + settings.fetchTimeout().toMillis() + " ms");
                }
                return b;
            } catch (IOException e) {
                throw ApiError.badRequest("image_url could not be read (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private ApiError tooLarge() {
        return ApiError.badRequest("image is larger than " + settings.maxImageBytes() + " bytes");
    }

    /** Scheme and host checks; the URL itself is never echoed back (it may carry a token). */
    URI check(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (Exception e) {
            throw ApiError.badRequest("image_url is not a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = scheme.equals("https") || (scheme.equals("http") && settings.allowHttp());
        if (!ok) {
            throw ApiError.badRequest(settings.allowHttp() ? "image_url must be http or https" : "image_url must be https");
        }
        if (u.getHost() == null || u.getRawUserInfo() != null) {
            throw ApiError.badRequest("image_url must have a host and no credentials");
        }
        if (!settings.allowPrivateHosts()) {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(u.getHost());
            } catch (UnknownHostException e) {
                throw ApiError.badRequest("image_url's host does not resolve");
            }
            for (InetAddress a : all) {
                if (!isPublic(a)) {
                    throw ApiError.badRequest("image_url's host resolves to a private, loopback or link-local address");
                }
            }
        }
        return u;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return !(b0 == 0 || (b0 == 100 && b1 >= 64 && b1 < 128) || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0)
                    || (b0 == 198 && (b1 == 18 || b1 == 19)) || b0 >= 240);
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
