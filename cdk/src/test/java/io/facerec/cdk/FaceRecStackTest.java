package io.facerec.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.result.ResultKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Template assertions for each resource the deployment promises. */
class FaceRecStackTest {
    static Template dev;

    @BeforeAll
    static void synth() {
        dev = Synth.template(Map.of("webhookUrl", "https://app.example.com/api/facial-recognition/webhook",
                "alarmEmail", "ops@example.com"));
    }

    @Test
    void bucketIsPrivateEncryptedVersionedLoggedAndTlsOnly() {
        dev.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "frames-bucket/")),
                "BucketEncryption", Match.objectLike(Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))))));
        dev.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void framesAreBundledByTheArchiverNotTransitionedOneByOne() {
        dev.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(
                        // the archiver's deletes leave noncurrent versions: they go a day later
                        Match.objectLike(Map.of("Id", "expire-frames", "Prefix", "frames/", "Status", "Enabled",
                                "ExpirationInDays", 365, "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1))),
                        Match.objectLike(Map.of("Id", "old-gallery-versions", "Prefix", "gallery/", "Status", "Enabled",
                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30),
                                "ExpiredObjectDeleteMarker", true)),
                        Match.objectLike(Map.of("Id", "abort-incomplete-uploads",
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))),
                        // bundles are written at day 30: they expire 335 days later, a year after capture
                        Match.objectLike(Map.of("Id", "expire-bundles", "Prefix", "archive/", "Status", "Enabled",
                                "ExpirationInDays", 335, "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1)))))))));
        // every rule of every bucket that moves objects to another storage class: none, since 30 KB frames would
        // not transition by default and tars are written in their class
        List<String> transitioning = new java.util.ArrayList<>();
        dev.findResources("AWS::S3::Bucket").forEach((id, bucket) -> {
            Object rules = path(bucket, "Properties", "LifecycleConfiguration", "Rules");
            for (Object rule : rules == null ? List.of() : (List<?>) rules) {
                Map<?, ?> r = (Map<?, ?>) rule;
                if (List.of("Transitions", "Transition", "NoncurrentVersionTransitions", "NoncurrentVersionTransition")
                        .stream().anyMatch(r::containsKey)) {
                    transitioning.add(id + " " + r.get("Id"));
                }
            }
        });
        assertEquals(List.of(), transitioning, "no per-object transitions");
    }

    /** The value at {@code keys} in nested template maps, or null where the path ends early. */
    static Object path(Object node, String... keys) {
        for (String k : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(k);
        }
        return node;
    }

    @Test
    void archiverIsASmallArm64FunctionOnAScheduleWithItsAlarms() {
        dev.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FrameArchiver.HANDLER, "Runtime", "java25", "Architectures", List.of("arm64"),
                "MemorySize", FrameArchiver.MEMORY_MB, "Timeout", 900, "ReservedConcurrentExecutions", 1,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "HOT_MINUTES", "43200", "ARCHIVE_STORAGE_CLASS", "GLACIER", "FRAMES_BUCKET", Match.anyValue()))))));
        dev.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of("MaximumRetryAttempts", 0)));
        dev.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(1 hour)",
                "State", "ENABLED", "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Fn::GetAtt",
                        List.of(Match.stringLikeRegexp("ArchiverFunction.*"), "Arn"))))))));
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "OldestFrameAgeHours", "Namespace", "FaceRec", "Statistic", "Maximum",
                "Threshold", 744, "ComparisonOperator", "GreaterThanThreshold", "TreatMissingData", "breaching",
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("Alarms.*"))))));
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "Errors", "Dimensions", List.of(Map.of("Name", "FunctionName",
                        "Value", Map.of("Ref", Match.stringLikeRegexp("ArchiverFunction.*")))),
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("Alarms.*"))))));

        Template t = Synth.template(Map.of("hotDays", "7", "archiveStorageClass", "deep_archive",
                "archiveScheduleMinutes", "15", "expireAfterDays", "400"));
        t.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler", FrameArchiver.HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("HOT_MINUTES", "10080",
                        "ARCHIVE_STORAGE_CLASS", "DEEP_ARCHIVE"))))));
        t.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(15 minutes)")));
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "OldestFrameAgeHours",
                "Threshold", 192, "Period", 3600)));
        t.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Id", "expire-bundles", "ExpirationInDays", 393))))))));
    }

    @Test
    void unknownFaceCropsExpireWithTheirClusters() {
        Template t = Synth.template(Map.of("unknownTtlDays", "12"));
        t.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Id", "expire-unknown-crops", "Prefix", "unknown/", "Status", "Enabled",
                                "ExpirationInDays", 12, "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1))),
                        Match.objectLike(Map.of("Id", "expire-unknown-crops-markers", "Prefix", "unknown/",
                                "ExpiredObjectDeleteMarker", true))))))));
        t.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of("UNKNOWN_TTL_DAYS", "12"))))));
    }

    @Test
    void recognizerIsJava25Arm64WithSnapStartBehindAnAlias() {
        dev.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java25", "Architectures", List.of("arm64"), "MemorySize", 2048, "Timeout", 30,
                "Handler", FaceRecStack.HANDLER, "ReservedConcurrentExecutions", 5,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "LoggingConfig", Match.objectLike(Map.of("LogFormat", "JSON")),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "OPT_OUT_TRACKING", "true", "GALLERY_PREFIX", "gallery/",
                        "NEXTJS_WEBHOOK_URL", "https://app.example.com/api/facial-recognition/webhook",
                        "RESULT_TTL_DAYS", "30", "WEBHOOK_SECRET_ARN", Match.anyValue(),
                        "RESULTS_TABLE", Match.anyValue(), "GALLERY_BUCKET", Match.anyValue()))))));
        dev.resourceCountIs("AWS::Lambda::Alias", 2); // the recognizer's and the results API's
        dev.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of(
                "MaximumRetryAttempts", 2, "MaximumEventAgeInSeconds", 21600,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", Match.objectLike(Map.of(
                        "Fn::GetAtt", Match.arrayWith(List.of("Arn")))))))));
        dev.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }

    @Test
    void bucketNotifiesTheAliasForFramesAndEnrolment() {
        var frames = Match.objectLike(Map.of("Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(
                        Map.of("Name", "suffix", "Value", ".jpg"), Map.of("Name", "prefix", "Value", "frames/")))),
                "LambdaFunctionArn", Map.of("Ref", Match.stringLikeRegexp("RecognizerLive.*"))));
        var enrolCreated = Match.objectLike(Map.of("Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "enroll/"))))));
        var enrolRemoved = Match.objectLike(Map.of("Events", List.of("s3:ObjectRemoved:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "enroll/"))))));
        dev.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of("NotificationConfiguration",
                Map.of("LambdaFunctionConfigurations", Match.arrayWith(List.of(frames, enrolCreated, enrolRemoved))))));
    }

    @Test
    void tableIsOnDemandWithRecoveryTtlAndTheIndexesTheRecognizerWrites() {
        dev.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", ResultKeys.TTL, "Enabled", true),
                "KeySchema", List.of(Map.of("AttributeName", ResultKeys.PK, "KeyType", "HASH"),
                        Map.of("AttributeName", ResultKeys.SK, "KeyType", "RANGE")),
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("IndexName", ResultKeys.BY_DAY)),
                        Match.objectLike(Map.of("IndexName", ResultKeys.BY_PERSON)))),
                "DeletionProtectionEnabled", false)));
        Template prod = Synth.template(Map.of("envName", "prod"));
        prod.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of("DeletionProtectionEnabled", true)));
        prod.hasResource("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void webhookSecretIsGeneratedNeverInClear() {
        dev.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "GenerateSecretString", Match.objectLike(Map.of("PasswordLength", 48, "ExcludePunctuation", true)))));
        dev.findResources("AWS::SecretsManager::Secret").values().forEach(r -> assertFalse(
                ((Map<?, ?>) ((Map<?, ?>) r).get("Properties")).containsKey("SecretString"), "no secret value in the template"));
    }

    @Test
    void theSigningKeyIsASecretOfItsOwnGeneratedAsAStandardWebhooksKey() {
        Map<String, Map<String, Object>> secrets = dev.findResources("AWS::SecretsManager::Secret");
        String keyId = secrets.keySet().stream().filter(k -> k.startsWith("WebhookSigningKey")).findFirst().orElseThrow();
        String tokenId = secrets.keySet().stream().filter(k -> k.startsWith("WebhookSecret")).findFirst().orElseThrow();
        assertNotEquals(keyId, tokenId, "the Bearer token and the signing key are two secrets");
        dev.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of("WEBHOOK_SIGNING_KEY_ARN", Map.of("Ref", keyId),
                        "WEBHOOK_SECRET_ARN", Map.of("Ref", tokenId)))))));
        @SuppressWarnings("unchecked")
        Map<String, Object> gen = (Map<String, Object>) ((Map<String, Object>) secrets.get(keyId).get("Properties"))
                .get("GenerateSecretString");
        assertEquals(WebhookSigningKey.LENGTH, gen.get("PasswordLength"));
        assertEquals(true, gen.get("ExcludePunctuation"));
        assertEquals(false, gen.get("IncludeSpace"));
        // what Secrets Manager can generate with these settings is a key the recognizer and receivers accept
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            StringBuilder v = new StringBuilder();
            for (int c = 0; c < WebhookSigningKey.LENGTH; c++) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertTrue(io.facerec.model.webhook.WebhookSigner.isKey(v.toString()), v.toString());
        }
        dev.hasOutput("WebhookSigningKeyArn", Match.anyValue());
    }

    @Test
    void appCameraIdsMustNameForwarderCameras() {
        var e = assertThrows(IllegalArgumentException.class, () -> StackParameters.from(Map.of(
                "appCameraIds", "door/1=clx1door")::get));
        assertEquals("invalid deployment parameters:\n  appCameraIds: 'door/1' is not a forwarder camera id (1-64 letters, "
                + "digits, '.', '-' or '_')", e.getMessage());
        assertTrue(StackParameters.from(Map.<String, Object>of()::get).appCameraIds().isEmpty(), "unset: camera_id null");
    }

    @Test
    void plainHttpWebhookUrlsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Synth.template(Map.of(
                "webhookUrl", "http://app.example.com/api/facial-recognition/webhook")));
        assertEquals("invalid deployment parameters:\n  webhookUrl must be an https URL", e.getMessage());
    }

    @Test
    void forwarderMayOnlyPutFramesAndReadTheControlRecordCopy() {
        dev.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of("AssumeRolePolicyDocument",
                Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "ec2.amazonaws.com"), "Action", "sts:AssumeRole"))))),
                "Description", "Edge forwarder on EC2")));
        dev.hasResourceProperties("AWS::IAM::ManagedPolicy", Match.objectLike(Map.of("PolicyDocument", Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(Map.of("Sid", "PutFrames", "Effect", "Allow", "Action", "s3:PutObject",
                        "Resource", Map.of("Fn::Join", List.of("", List.of(
                                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Frames.*"), "Arn")), "/frames/*")))),
                        Map.of("Sid", "ReadControlRecordCopy", "Effect", "Allow", "Action", "s3:GetObject",
                        "Resource", Map.of("Fn::Join", List.of("", List.of(
                                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Frames.*"), "Arn")),
                                "/control/state.json")))))))));
        dev.resourceCountIs("AWS::IAM::InstanceProfile", 1);
    }

    @Test
    void alarmsGoToTheTopicAndADashboardExists() {
        dev.resourceCountIs("AWS::CloudWatch::Alarm", 7);
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "Frames", "Namespace", "FaceRec", "ComparisonOperator", "LessThanThreshold",
                "TreatMissingData", "breaching", "Period", 900)));
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible")));
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "Duration", "Threshold", 24000)));
        dev.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@example.com",
                "TopicArn", Match.anyValue()));
        dev.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        for (String out : List.of("BucketName", "TableName", "ForwarderRoleArn", "WebhookSecretArn", "DashboardUrl")) {
            dev.hasOutput(out, Match.anyValue());
        }
    }

    @Test
    void x86CanBeChosenAndParametersReachTheResources() {
        Template t = Synth.template(Map.of("architecture", "x86_64", "memoryMb", "3008", "timeoutSeconds", "60",
                "hotDays", "7", "expireAfterDays", "120", "threshold", "0.55", "cameraCount", "8",
                "appCameraIds", "door = clx1door, yard=clx2yard"));
        t.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Architectures", List.of("x86_64"),
                "MemorySize", 3008, "Timeout", 60, "ReservedConcurrentExecutions", 16,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("THRESHOLD", "0.55",
                        "APP_CAMERA_IDS", "door=clx1door,yard=clx2yard"))))));
        t.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Id", "expire-frames", "ExpirationInDays", 120)),
                        Match.objectLike(Map.of("Id", "expire-bundles", "ExpirationInDays", 113))))))));
        // the archiver holds no native code: arm64 whatever the recognizer runs on
        t.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler", FrameArchiver.HANDLER,
                "Architectures", List.of("arm64"))));
    }

    @Test
    void resultsApiIsALeanSnapStartFunctionBehindAThrottledLoggedHttpApi() {
        Template t = Synth.template(Map.of("appOrigin", "https://app.example.com", "apiRateLimit", "7", "apiBurstLimit", "9"));
        t.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java25", "Handler", ResultsHttpApi.HANDLER,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of("API_KEY_SECRET_ARN", Match.anyValue(),
                        "RESULTS_TABLE", Match.anyValue(), "GALLERY_BUCKET", Match.anyValue()))))));
        t.hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of("ProtocolType", "HTTP",
                "CorsConfiguration", Match.objectLike(Map.of("AllowOrigins", List.of("https://app.example.com"),
                        "AllowHeaders", List.of("Authorization", "Content-Type"))))));
        for (String method : List.of("GET", "POST", "PUT")) {
            t.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", method + " /api/{proxy+}",
                    "ApiId", Match.anyValue(), "Target", Match.anyValue(), "AuthorizationType", "NONE"));
        }
        t.resourceCountIs("AWS::ApiGatewayV2::Route", 3);
        t.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of("StageName", "$default",
                "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", 7, "ThrottlingBurstLimit", 9)),
                "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", Match.anyValue(),
                        "Format", Match.stringLikeRegexp(".*requestId.*status.*"))))));
        t.hasResourceProperties("AWS::ApiGatewayV2::Integration", Match.objectLike(Map.of(
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("ResultsApiLive.*")))));
        var stage = t.findResources("AWS::ApiGatewayV2::Stage").values().iterator().next().toString();
        assertFalse(stage.toLowerCase(java.util.Locale.ROOT).contains("authorization"), "the key never reaches the access log");
        // without an app origin, no browser may call it directly
        Synth.template(Map.of()).hasResourceProperties("AWS::ApiGatewayV2::Api",
                Match.objectLike(Map.of("CorsConfiguration", Match.absent())));
        var bad = assertThrows(IllegalArgumentException.class, () -> Synth.template(Map.of("appOrigin", "https://app.example.com/path")));
        assertTrue(bad.getMessage().contains("appOrigin must be an origin"), bad.getMessage());
    }

    @Test
    void invalidParametersStopTheSynthWithEveryReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> Synth.template(Map.of("hotDays", "-3",
                "architecture", "sparc", "archiveStorageClass", "STANDARD_IA", "alarmEmail", "not-an-email",
                "archiveScheduleMinutes", "1")));
        assertTrue(e.getMessage().contains("hotDays must be between 1 and 3650, got -3"), e.getMessage());
        assertTrue(e.getMessage().contains("architecture must be one of [arm64, x86_64], got 'sparc'"));
        assertTrue(e.getMessage().contains("archiveStorageClass must be one of [DEEP_ARCHIVE, GLACIER, GLACIER_IR], "
                + "got 'STANDARD_IA'"), e.getMessage());
        assertTrue(e.getMessage().contains("archiveScheduleMinutes must be between 5 and 1440, got 1"), e.getMessage());
        assertTrue(e.getMessage().contains("alarmEmail must be an e-mail address"));
        var tooShort = assertThrows(IllegalArgumentException.class, () -> Synth.template(Map.of(
                "hotDays", "30", "expireAfterDays", "200", "archiveStorageClass", "DEEP_ARCHIVE")));
        assertEquals("invalid deployment parameters:\n  expireAfterDays (200) must be at least hotDays (30) + 180: "
                + "DEEP_ARCHIVE bills at least 180 days for every bundle", tooShort.getMessage());
        var gone = assertThrows(IllegalArgumentException.class, () -> Synth.template(Map.of("archiveAfterDays", "30")));
        assertTrue(gone.getMessage().contains("archiveAfterDays is gone"), gone.getMessage());
    }
}
