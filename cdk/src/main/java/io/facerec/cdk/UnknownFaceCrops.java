package io.facerec.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.LifecycleRule;

/**
 * The face crops of unknown people under {@code unknown/} go by lifecycle, as long after they were
 * stored as their clusters last (the recognizer's {@code UNKNOWN_TTL_DAYS}): a crop is kept for its
 * cluster, not forever. On the versioned bucket the expiry leaves a delete marker and a noncurrent
 * version; the version goes a day later, then the marker.
 */
final class UnknownFaceCrops {
    static final String RULE = "expire-unknown-crops";

    private UnknownFaceCrops() {
    }

    static void expire(Bucket bucket, int days) {
        bucket.addLifecycleRule(LifecycleRule.builder().id(RULE).prefix(RecognizerPermissions.UNKNOWN_CROPS)
                .expiration(Duration.days(days)).noncurrentVersionExpiration(Duration.days(1)).build());
        // a marker with no version behind it any more (S3 refuses this beside an expiration in days)
        bucket.addLifecycleRule(LifecycleRule.builder().id(RULE + "-markers").prefix(RecognizerPermissions.UNKNOWN_CROPS)
                .expiredObjectDeleteMarker(true).build());
    }
}
