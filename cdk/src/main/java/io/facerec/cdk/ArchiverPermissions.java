package io.facerec.cdk;

import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Every permission of the archiver, in one place (iam-policies/archiver-policy.json is the same
 * document; a test keeps them equal). It lists only {@code frames/} and {@code archive/}, reads and
 * deletes frames, writes and reads bundles and their indexes, and aborts its own unfinished uploads.
 * No RestoreObject: restoring is {@code bin/archive}'s, with the operator's credentials.
 */
public final class ArchiverPermissions {
    public static final String FRAMES = FrameKey.PREFIX;
    public static final String ARCHIVE = BundleKey.PREFIX;

    private ArchiverPermissions() {
    }

    public static List<PolicyStatement> archiver(IBucket bucket, ILogGroup logs) {
        return List.of(
                allow("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())),
                PolicyStatement.Builder.create().sid("ListFramesAndArchive").effect(Effect.ALLOW)
                        .actions(List.of("s3:ListBucket")).resources(List.of(bucket.getBucketArn()))
                        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(FRAMES + "*", ARCHIVE + "*"))))
                        .build(),
                allow("ReadAndDeleteFrames", List.of("s3:GetObject", "s3:DeleteObject"),
                        List.of(bucket.arnForObjects(FRAMES + "*"))),
                allow("WriteAndReadArchive", List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"),
                        List.of(bucket.arnForObjects(ARCHIVE + "*"))));
    }

    private static PolicyStatement allow(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }
}
