package io.facerec.api.register;

import java.net.InetAddress;

/** Opens the fetcher's address check to the tests in another package. */
public final class ImageFetcherAccess {
    private ImageFetcherAccess() {
    }

    public static boolean isPublic(InetAddress a) {
        return ImageFetcher.isPublic(a);
    }
}
