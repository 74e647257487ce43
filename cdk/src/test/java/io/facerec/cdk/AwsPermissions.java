package io.facerec.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.cdk.IamPolicy.Permission;
import io.facerec.loopback.sdkcalls.RecordedCall;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What IAM requires for one SDK call, per the Service Authorization Reference and each operation's
 * API reference ("Permissions"): the action(s), the resource ARN(s) and the condition keys the request
 * carries. An operation without a translation here is refused by name: a new kind of call cannot pass
 * unexamined.
 */
final class AwsPermissions {
    private final String region;
    private final String account;

    AwsPermissions(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** The call was made, but no deployment could grant it: what it names does not exist. */
    static boolean targetsNothing(RecordedCall c) {
        return "NoSuchBucket".equals(c.errorCode()) || "NoSuchBucketException".equals(c.exception())
                || "ResourceNotFoundException".equals(c.errorCode());
    }

    /** Every permission the call needs; all must be allowed. */
    List<Permission> required(RecordedCall c) {
        return switch (c.service()) {
            case "S3" -> s3(c);
            case "DynamoDb" -> dynamoDb(c);
            case "SecretsManager" -> secretsManager(c);
            default -> throw unknown(c);
        };
    }

    static IllegalArgumentException unknown(RecordedCall c) {
        return new IllegalArgumentException("no IAM translation for " + c.service() + " " + c.operation()
                + ": add it to AwsPermissions from the Service Authorization Reference (recorded: " + c + ")");
    }

    private List<Permission> s3(RecordedCall c) {
        String bucket = c.member("Bucket");
        String key = c.member("Key");
        String version = c.member("VersionId");
        String object = "arn:aws:s3:::" + bucket + "/" + key;
        String bucketArn = "arn:aws:s3:::" + bucket;
        List<Permission> out = new ArrayList<>();
        switch (c.operation()) {
            case "GetObject", "HeadObject" -> {
                // HeadObject has no action of its own: it needs the read permission (GetObject API reference)
                out.add(p(version == null ? "s3:GetObject" : "s3:GetObjectVersion", object));
                out.addAll(missingObjectAnswered404(c, bucketArn));
            }
            case "GetObjectAttributes" -> {
                out.add(p(version == null ? "s3:GetObject" : "s3:GetObjectVersion", object));
                out.add(p(version == null ? "s3:GetObjectAttributes" : "s3:GetObjectVersionAttributes", object));
            }
            case "GetObjectTagging" -> out.add(p(version == null ? "s3:GetObjectTagging" : "s3:GetObjectVersionTagging", object));
            case "PutObjectTagging" -> out.add(p(version == null ? "s3:PutObjectTagging" : "s3:PutObjectVersionTagging", object));
            case "DeleteObjectTagging" -> out.add(p(version == null ? "s3:DeleteObjectTagging" : "s3:DeleteObjectVersionTagging", object));
            case "GetObjectAcl" -> out.add(p(version == null ? "s3:GetObjectAcl" : "s3:GetObjectVersionAcl", object));
            case "PutObjectAcl" -> out.add(p(version == null ? "s3:PutObjectAcl" : "s3:PutObjectVersionAcl", object));
            case "PutObject", "CreateMultipartUpload" -> {
                // If-Match / If-None-Match make a put conditional; it needs s3:PutObject all the same
                out.add(p("s3:PutObject", object, context(c, "IfMatch", "s3:if-match", "IfNoneMatch", "s3:if-none-match")));
                out.addAll(writeExtras(c, object));
            }
            case "UploadPart", "CompleteMultipartUpload" -> out.add(p("s3:PutObject", object,
                    context(c, "IfMatch", "s3:if-match", "IfNoneMatch", "s3:if-none-match")));
            case "AbortMultipartUpload" -> out.add(p("s3:AbortMultipartUpload", object));
            case "ListParts" -> out.add(p("s3:ListMultipartUploadParts", object));
            case "ListMultipartUploads" -> out.add(p("s3:ListBucketMultipartUploads", bucketArn));
            case "CopyObject", "UploadPartCopy" -> {
                out.add(p("s3:PutObject", object));
                out.addAll(copySource(c));
                if (c.operation().equals("CopyObject")) {
                    out.addAll(writeExtras(c, object));
                }
            }
            case "DeleteObject" -> out.add(p(version == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", object));
            case "DeleteObjects" -> {
                // one permission per key: the batch is authorised object by object
                for (JsonNode o : c.request().path("Delete").path("Objects")) {
                    String k = o.path("Key").asText();
                    boolean v = o.hasNonNull("VersionId");
                    out.add(p(v ? "s3:DeleteObjectVersion" : "s3:DeleteObject", "arn:aws:s3:::" + bucket + "/" + k));
                }
            }
            case "RestoreObject" -> out.add(p("s3:RestoreObject", object));
            case "ListObjectsV2", "ListObjects" -> out.add(p("s3:ListBucket", bucketArn, listContext(c)));
            case "ListObjectVersions" -> out.add(p("s3:ListBucketVersions", bucketArn, listContext(c)));
            case "HeadBucket" -> out.add(p("s3:ListBucket", bucketArn));
            case "GetBucketLocation" -> out.add(p("s3:GetBucketLocation", bucketArn));
            case "ListBuckets" -> out.add(p("s3:ListAllMyBuckets", "*"));
            default -> throw unknown(c);
        }
        return out;
    }

    /**
     * The code relies on a missing object answering 404 (NoSuchKey): S3 answers 404 only to a caller
     * allowed s3:ListBucket on the bucket, and 403 to anyone else (GetObject and HeadObject API
     * references). The GET or HEAD carries no prefix, so a grant conditioned on s3:prefix cannot apply.
     */
    private List<Permission> missingObjectAnswered404(RecordedCall c, String bucketArn) {
        if (c.status() == 404 && !targetsNothing(c)) {
            return List.of(p("s3:ListBucket", bucketArn));
        }
        return List.of();
    }

    private List<Permission> writeExtras(RecordedCall c, String object) {
        List<Permission> out = new ArrayList<>();
        if (c.member("Tagging") != null) {
            out.add(p("s3:PutObjectTagging", object));
        }
        if (c.member("ACL") != null || c.member("GrantRead") != null || c.member("GrantFullControl") != null
                || c.member("GrantReadACP") != null || c.member("GrantWriteACP") != null) {
            out.add(p("s3:PutObjectAcl", object));
        }
        if (c.member("ObjectLockMode") != null || c.member("ObjectLockRetainUntilDate") != null) {
            out.add(p("s3:PutObjectRetention", object));
        }
        if (c.member("ObjectLockLegalHoldStatus") != null) {
            out.add(p("s3:PutObjectLegalHold", object));
        }
        return out;
    }

    /** CopySource is "bucket/key[?versionId=...]", URL-encoded. */
    private List<Permission> copySource(RecordedCall c) {
        String source = c.member("CopySource");
        if (source == null) {
            String b = c.member("SourceBucket");
            String k = c.member("SourceKey");
            String v = c.member("SourceVersionId");
            return List.of(p(v == null ? "s3:GetObject" : "s3:GetObjectVersion", "arn:aws:s3:::" + b + "/" + k));
        }
        String s = source.startsWith("/") ? source.substring(1) : source;
        boolean versioned = s.contains("?versionId=");
        if (versioned) {
            s = s.substring(0, s.indexOf("?versionId="));
        }
        return List.of(p(versioned ? "s3:GetObjectVersion" : "s3:GetObject",
                "arn:aws:s3:::" + URLDecoder.decode(s, StandardCharsets.UTF_8)));
    }

    /** s3:prefix, s3:delimiter and s3:max-keys, as the list request carries them. */
    private static Map<String, String> listContext(RecordedCall c) {
        return context(c, "Prefix", "s3:prefix", "Delimiter", "s3:delimiter", "MaxKeys", "s3:max-keys");
    }

    private List<Permission> dynamoDb(RecordedCall c) {
        List<Permission> out = new ArrayList<>();
        Map<String, String> ctx = context(c, "ReturnValues", "dynamodb:ReturnValues", "Select", "dynamodb:Select",
                io.facerec.loopback.sdkcalls.SdkCallRecorder.LEADING_KEY, "dynamodb:LeadingKeys");
        switch (c.operation()) {
            case "GetItem", "PutItem", "UpdateItem", "DeleteItem", "DescribeTable" ->
                    out.add(p("dynamodb:" + c.operation(), table(c.member("TableName")), ctx));
            case "Query", "Scan" -> {
                // a query of an index is authorised on the index's ARN
                String index = c.member("IndexName");
                String table = table(c.member("TableName"));
                out.add(p("dynamodb:" + c.operation(), index == null ? table : table + "/index/" + index, ctx));
            }
            case "BatchGetItem", "BatchWriteItem" -> {
                for (JsonNode t : c.request().path("RequestItems")) {
                    out.add(p("dynamodb:" + c.operation(), table(t.asText())));
                }
            }
            case "TransactWriteItems", "TransactGetItems" -> {
                Map<String, String> actions = Map.of("Put", "PutItem", "Update", "UpdateItem", "Delete", "DeleteItem",
                        "ConditionCheck", "ConditionCheckItem", "Get", "GetItem");
                for (JsonNode item : c.request().path("TransactItems")) {
                    item.properties().forEach(e -> {
                        String action = actions.get(e.getKey());
                        if (action == null) {
                            throw unknown(c);
                        }
                        out.add(p("dynamodb:" + action, table(e.getValue().path("TableName").asText())));
                    });
                }
            }
            default -> throw unknown(c);
        }
        return out;
    }

    private String table(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn : "arn:aws:dynamodb:" + region + ":" + account + ":table/" + nameOrArn;
    }

    private List<Permission> secretsManager(RecordedCall c) {
        return switch (c.operation()) {
            case "GetSecretValue", "DescribeSecret" -> {
                // by ARN, or by name: then the secret's ARN ends in six characters Secrets Manager chose
                String id = c.member("SecretId");
                String arn = id.startsWith("arn:") ? id : "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + id + "-??????";
                yield List.of(p("secretsmanager:" + c.operation(), arn));
            }
            default -> throw unknown(c);
        };
    }

    private static Map<String, String> context(RecordedCall c, String... memberAndKey) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < memberAndKey.length; i += 2) {
            String v = c.member(memberAndKey[i]);
            if (v != null) {
                out.put(memberAndKey[i + 1], v);
            }
        }
        return out;
    }

    private static Permission p(String action, String resource) {
        return new Permission(action, resource, Map.of());
    }

    private static Permission p(String action, String resource, Map<String, String> context) {
        return new Permission(action, resource, context);
    }
}
