package io.facerec.localstack;

import io.facerec.loopback.S3VersionIds;
import java.io.InputStream;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3Proxy's store, raising an S3 event (JSON) after each subscribed write or delete succeeded, as a
 * versioned bucket on AWS does: each write gets a version id of its own (S3Proxy keeps none), and a
 * delete becomes a delete marker.
 */
public final class EventingBlobStore extends ForwardingBlobStore {
    private final Consumer<String> events;

    public EventingBlobStore(BlobStore delegate, Consumer<String> events) {
        super(delegate);
        this.events = events;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
        PutObjectResponse r = super.putBlob(request, in);
        created("ObjectCreated:Put", request.bucket(), request.key());
        return r;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse r = super.copyBlob(request);
        created("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey());
        return r;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse r = super.completeMultipartUpload(upload, request);
        created("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key());
        return r;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse r = super.removeBlob(request);
        removed(request.bucket(), request.key());
        return r;
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        DeleteObjectsResponse r = super.removeBlobs(request);
        r.deleted().forEach(d -> removed(request.bucket(), d.key()));
        return r;
    }

    private void created(String name, String bucket, String key) {
        if (S3Events.subscribed(key, true)) {
            // size and eTag as stored: a chunked upload's request does not carry its length
            var head = super.blobMetadata(bucket, key);
            long size = head.contentLength() == null ? 0 : head.contentLength();
            events.accept(S3Events.created(name, bucket, key, size, head.eTag(), S3VersionIds.newVersionId()));
        }
    }

    private void removed(String bucket, String key) {
        if (S3Events.subscribed(key, false)) {
            events.accept(S3Events.deleteMarkerCreated(bucket, key, S3VersionIds.newVersionId()));
        }
    }
}
