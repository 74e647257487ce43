package io.facerec.cdk;

import io.facerec.model.result.ResultKeys;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Every permission of the recognizer and the forwarder, in one place. iam-policies/ holds the same
 * documents as JSON, and a test keeps the two from drifting apart; the IAM contract test holds both to
 * the calls the code makes.
 */
public final class RecognizerPermissions {
    public static final String FRAMES = "frames/";
    public static final String ENROLL = "enroll/";
    public static final String GALLERY = "gallery/";
    /** Where the recognizer's gallery commits live; it removes the ones no pointer names any more. */
    public static final String GALLERY_COMMITS = GALLERY + io.facerec.model.gallery.GalleryLayout.COMMITS;
    /** Face crops of unknown people, one per cluster sample; removed by the lifecycle. */
    public static final String UNKNOWN_CROPS = ResultKeys.UNKNOWN_CROPS_PREFIX;

    private RecognizerPermissions() {
    }

    public static List<PolicyStatement> recognizer(IBucket bucket, ITable table, ISecret bearerToken, ISecret signingKey,
                                                   ILogGroup logs) {
        return List.of(
                allow("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())),
                allow("ReadFramesAndEnrolmentPhotos", List.of("s3:GetObject"),
                        List.of(bucket.arnForObjects(FRAMES + "*"), bucket.arnForObjects(ENROLL + "*"))),
                allow("ReadWriteGallery", List.of("s3:GetObject", "s3:PutObject"), List.of(bucket.arnForObjects(GALLERY + "*"))),
                // one face crop per unknown person-track, for its cluster; never read back by the recognizer
                allow("StoreUnknownFaceCrops", List.of("s3:PutObject"), List.of(bucket.arnForObjects(UNKNOWN_CROPS + "*"))),
                // superseded commits and dead writers' leftovers; never the pointer, nor the files a user copied in
                allow("RemoveOldGalleryCommits", List.of("s3:DeleteObject"), List.of(bucket.arnForObjects(GALLERY_COMMITS + "*"))),
                // enrolment lists a person's photos; and a missing gallery file answers 404 (not 403) only to a
                // caller allowed to list. A GET or HEAD carries no prefix, so an s3:prefix condition would turn
                // those 404s into 403s: the IAM contract test (cdk tests) holds this grant to both uses
                allow("ListBucket", List.of("s3:ListBucket"), List.of(bucket.getBucketArn())),
                allow("WriteResults", List.of("dynamodb:PutItem", "dynamodb:UpdateItem"), List.of(table.getTableArn())),
                // the control record the results API writes: recognition on/off and the threshold
                ResultsApiPermissions.leadingKeys("ReadControlRecord", List.of("dynamodb:GetItem"), table.getTableArn(),
                        List.of(io.facerec.model.control.ControlState.PK)),
                // a retry reads its frame item back to find the webhook deliveries still pending: frame items only
                PolicyStatement.Builder.create().sid("ReadPendingDeliveries").effect(Effect.ALLOW)
                        .actions(List.of("dynamodb:GetItem")).resources(List.of(table.getTableArn()))
                        .conditions(Map.of("ForAllValues:StringLike",
                                Map.of("dynamodb:LeadingKeys", List.of(ResultKeys.cameraPk("*"))))).build(),
                // each frame reads its camera's person-tracks (written through WriteResults)
                PolicyStatement.Builder.create().sid("ReadTrackStates").effect(Effect.ALLOW)
                        .actions(List.of("dynamodb:GetItem")).resources(List.of(table.getTableArn()))
                        .conditions(Map.of("ForAllValues:StringLike",
                                Map.of("dynamodb:LeadingKeys", List.of(ResultKeys.tracksPk("*"))))).build(),
                // a track that ended without a name looks for the cluster of unknown faces it belongs to
                ResultsApiPermissions.leadingKeys("FindUnknownClusters", List.of("dynamodb:Query"), table.getTableArn(),
                        List.of(ResultKeys.UNKNOWN_PK)),
                allow("ReadWebhookSecrets", List.of("secretsmanager:GetSecretValue"),
                        List.of(bearerToken.getSecretArn(), signingKey.getSecretArn())));
        // sending failed events to the queue is granted by CDK with the on-failure destination
    }

    /** The forwarder may put frames and read the control record's copy (a new stream URL), nothing else. */
    public static List<PolicyStatement> forwarder(IBucket bucket) {
        return List.of(allow("PutFrames", List.of("s3:PutObject"), List.of(bucket.arnForObjects(FRAMES + "*"))),
                allow("ReadControlRecordCopy", List.of("s3:GetObject"),
                        List.of(bucket.arnForObjects(ResultsApiPermissions.CONTROL_OBJECT))));
    }

    static PolicyStatement allow(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

}
