package io.facerec.localstack;

import java.io.InputStream;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** S3Proxy's store, raising an S3 event (JSON) after each subscribed write or delete succeeded. */
public final class EventingBlobStore extends ForwardingBlobStore {
    private final Consumer<String> events;

    public EventingBlobStore(BlobStore delegate, Consumer<String> events) {
        super(delegate);
        this.events = events;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
        PutObjectResponse r = super.putBlob(request, in);
        created("ObjectCreated:Put", request.bucket(), request.key(), request.contentLength(), r.eTag());
        return r;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse r = super.completeMultipartUpload(upload, request);
        created("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key(), 0L, r.eTag());
        return r;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse r = super.removeBlob(request);
        if (S3Events.subscribed(request.key(), false)) {
            events.accept(S3Events.json("ObjectRemoved:Delete", request.bucket(), request.key(), 0, null));
        }
        return r;
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        DeleteObjectsResponse r = super.removeBlobs(request);
        r.deleted().forEach(d -> {
            if (S3Events.subscribed(d.key(), false)) {
                events.accept(S3Events.json("ObjectRemoved:Delete", request.bucket(), d.key(), 0, null));
            }
        });
        return r;
    }

    private void created(String name, String bucket, String key, Long size, String etag) {
        if (S3Events.subscribed(key, true)) {
            events.accept(S3Events.json(name, bucket, key, size == null ? 0 : size, etag));
        }
    }
}
