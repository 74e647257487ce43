package io.facerec.recognizer.handler;

import io.facerec.recognizer.aws.RenewableHttpClient;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.webhook.Jitter;
import io.facerec.recognizer.webhook.WebhookCredentials;
import io.facerec.recognizer.webhook.WebhookSender;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * What SnapStart must not carry from the snapshot into the containers restored from it. Before the
 * snapshot: the secrets are dropped (they are not written into it) and the webhook's HTTP client is
 * closed with its connections. After each restore: the backoff jitter gets a seed of its own, the
 * secrets are read again (a rotation since the snapshot is picked up), the gallery's ETags are
 * checked on the next frame, and the AWS clients' pooled connections are dropped.
 */
public final class SnapStartHooks implements Resource {
    private static final Logger LOG = LogManager.getLogger(SnapStartHooks.class);

    private final Jitter jitter;
    private final Optional<WebhookCredentials> credentials;
    private final Optional<WebhookSender> webhook;
    private final GalleryCache gallery;
    private final Optional<RenewableHttpClient> awsHttp;

    public SnapStartHooks(Jitter jitter, Optional<WebhookCredentials> credentials, Optional<WebhookSender> webhook,
                          GalleryCache gallery, Optional<RenewableHttpClient> awsHttp) {
        this.jitter = jitter;
        this.credentials = credentials;
        this.webhook = webhook;
        this.gallery = gallery;
        this.awsHttp = awsHttp;
    }

    /** Registers with the runtime; outside SnapStart the hooks are simply never called. */
    public SnapStartHooks register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        credentials.ifPresent(WebhookCredentials::forget);
        webhook.ifPresent(WebhookSender::dropConnections);
        LOG.info("snapshot: secrets dropped, webhook connections closed");
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        jitter.reseed();
        awsHttp.ifPresent(RenewableHttpClient::renew);
        credentials.ifPresent(WebhookCredentials::refresh);
        gallery.invalidate();
        LOG.info("restored: jitter reseeded, AWS connections renewed, secrets re-read, gallery to be re-checked");
    }
}
