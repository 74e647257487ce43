package io.facerec.cdk;

import io.facerec.model.result.ResultKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.CfnInstanceProfile;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The system on AWS: the frames bucket (bundled into Glacier by the archiver, then expired), the recognizer Lambda
 * behind S3 notifications, the results table, the webhook secret, the forwarder's identity, alarms
 * and a dashboard.
 */
public final class FaceRecStack extends Stack {
    public static final String HANDLER = "io.facerec.recognizer.handler.RecognizerHandler::handleRequest";
    public static final String METRICS_NAMESPACE = "FaceRec";

    public FaceRecStack(Construct scope, String id, StackProps props, StackParameters p, Path lambdaCode) {
        super(scope, id, props);
        RemovalPolicy keep = p.isDev() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

        // ---- storage
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true).objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-access-logs")
                        .expiration(Duration.days(Math.max(90, p.expireAfterDays()))).build()))
                .removalPolicy(keep).build();
        Validations.of(accessLogs).acknowledge(ack("AwsSolutions-S1",
                "This bucket receives the frames bucket's access logs; logging it to itself would loop."));

        Bucket bucket = Bucket.Builder.create(this, "Frames")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true).versioned(true)
                .serverAccessLogsBucket(accessLogs).serverAccessLogsPrefix("frames-bucket/")
                .lifecycleRules(List.of(
                        // the archiver bundles frames into archive/ after hotDays (FrameArchiver). Its deletes leave
                        // noncurrent versions (gone a day later) and delete markers (removed once alone, since this
                        // rule expires current versions); the expiration itself is only a backstop
                        LifecycleRule.builder().id("expire-frames").prefix(RecognizerPermissions.FRAMES)
                                .expiration(Duration.days(p.expireAfterDays()))
                                .noncurrentVersionExpiration(Duration.days(1)).build(),
                        // gallery/ and enroll/ are never archived; old gallery versions (replaced pointers, the
                        // commits the recognizer deletes) stay a month for recovery, then go with their delete markers
                        LifecycleRule.builder().id("old-gallery-versions").prefix(RecognizerPermissions.GALLERY)
                                .noncurrentVersionExpiration(Duration.days(30)).expiredObjectDeleteMarker(true).build(),
                        LifecycleRule.builder().id("abort-incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(keep).build();

        Table table = Table.Builder.create(this, "Results")
                .partitionKey(Attribute.builder().name(ResultKeys.PK).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(ResultKeys.SK).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .timeToLiveAttribute(ResultKeys.TTL)
                .deletionProtection(!p.isDev())
                .removalPolicy(keep).build();
        table.addGlobalSecondaryIndex(gsi(ResultKeys.BY_DAY, ResultKeys.DAY_PK, ResultKeys.DAY_SK));
        table.addGlobalSecondaryIndex(gsi(ResultKeys.BY_PERSON, ResultKeys.PERSON_PK, ResultKeys.PERSON_SK));

        Secret secret = Secret.Builder.create(this, "WebhookSecret")
                .description("Bearer token of the recognizer's webhook deliveries. Give the same value to the Next.js "
                        + "app as FACIAL_RECOGNITION_WEBHOOK_SECRET.")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                .removalPolicy(keep).build();
        Validations.of(secret).acknowledge(ack("AwsSolutions-SMG4",
                "The receiving app holds a copy of this secret; automatic rotation would break deliveries until the "
                        + "app is updated. Rotate by hand with both sides (README, Operations)."));
        WebhookSigningKey signingKey = new WebhookSigningKey(this, "WebhookSigningKey", keep);

        // ---- the recognizer
        Queue onFailure = Queue.Builder.create(this, "RecognizerFailures")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).build();
        Validations.of(onFailure).acknowledge(ack("AwsSolutions-SQS3",
                "This queue is itself the on-failure destination (dead letter) of the recognizer."));

        LogGroup logGroup = LogGroup.Builder.create(this, "RecognizerLogs")
                .retention(retention(p.logRetentionDays())).removalPolicy(keep).build();

        Role role = Role.Builder.create(this, "RecognizerRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("The recognizer Lambda: reads frames and enrolment photos, maintains the gallery, "
                        + "writes results, reads the webhook secrets.").build();
        ManagedPolicy recognizerPolicy = ManagedPolicy.Builder.create(this, "RecognizerPolicy")
                .statements(RecognizerPermissions.recognizer(bucket, table, secret, signingKey.secret(), logGroup))
                .roles(List.of(role)).build();
        for (String prefix : List.of(RecognizerPermissions.FRAMES, RecognizerPermissions.ENROLL, RecognizerPermissions.GALLERY,
                RecognizerPermissions.GALLERY_COMMITS, RecognizerPermissions.UNKNOWN_CROPS)) {
            Validations.of(recognizerPolicy).acknowledge(ack(objectWildcard(bucket, prefix),
                    "Object wildcards are confined to the prefixes the recognizer works on: frames/* and enroll/* "
                            + "(read), gallery/* (read and write), gallery/commits/* (delete), unknown/* (write); "
                            + "object names are only known at run time."));
        }

        Map<String, String> env = new LinkedHashMap<>();
        env.put("RESULTS_TABLE", table.getTableName());
        env.put("GALLERY_BUCKET", bucket.getBucketName());
        env.put("GALLERY_PREFIX", RecognizerPermissions.GALLERY);
        env.put("WEBHOOK_SECRET_ARN", secret.getSecretArn());
        env.put("WEBHOOK_SIGNING_KEY_ARN", signingKey.secret().getSecretArn());
        p.webhookUrl().ifPresent(u -> env.put("NEXTJS_WEBHOOK_URL", u));
        p.threshold().ifPresent(t -> env.put("THRESHOLD", Double.toString(t)));
        p.appCameraIds().ifPresent(ids -> env.put("APP_CAMERA_IDS", ids));
        env.put("RESULT_TTL_DAYS", Integer.toString(p.resultTtlDays()));
        env.put("WEBHOOK_COOLDOWN_S", Integer.toString(p.webhookCooldownSeconds()));
        env.put("UNKNOWN_TTL_DAYS", Integer.toString(p.unknownTtlDays()));
        UnknownFaceCrops.expire(bucket, p.unknownTtlDays());
        env.put("OPT_OUT_TRACKING", "true");
        env.put("LOG_LEVEL", "INFO");
        env.put("JAVA_TOOL_OPTIONS", "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED");

        Function fn = Function.Builder.create(this, "Recognizer")
                .description("Finds and names the faces in each frame the forwarder uploads; enrols people from enroll/.")
                .runtime(Runtime.JAVA_25)
                .architecture(p.architecture().equals("arm64") ? Architecture.ARM_64 : Architecture.X86_64)
                .handler(HANDLER)
                .code(Code.fromAsset(lambdaCode.toString()))
                .memorySize(p.memoryMb())
                .timeout(Duration.seconds(p.timeoutSeconds()))
                .reservedConcurrentExecutions(p.reservedConcurrency())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logGroup)
                .role(role)
                .environment(env)
                .build();
        fn.getNode().addDependency(recognizerPolicy);
        Validations.of(fn).acknowledge(Acknowledgment.builder().id("Annotation::@aws-cdk/aws-lambda:snapStartRequirePublish")
                .reason("The function is published: the live alias below points at its current version, and S3 "
                        + "invokes the alias.").build());
        Alias live = Alias.Builder.create(this, "RecognizerLive").aliasName("live").version(fn.getCurrentVersion()).build();
        live.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .onFailure(new SqsDestination(onFailure))
                .retryAttempts(p.retryAttempts())
                .maxEventAge(Duration.hours(6)).build());

        LambdaDestination toRecognizer = new LambdaDestination(live);
        bucket.addEventNotification(EventType.OBJECT_CREATED, toRecognizer,
                NotificationKeyFilter.builder().prefix(RecognizerPermissions.FRAMES).suffix(".jpg").build());
        bucket.addEventNotification(EventType.OBJECT_CREATED, toRecognizer,
                NotificationKeyFilter.builder().prefix(RecognizerPermissions.ENROLL).build());
        bucket.addEventNotification(EventType.OBJECT_REMOVED, toRecognizer,
                NotificationKeyFilter.builder().prefix(RecognizerPermissions.ENROLL).build());

        // ---- the results API the Next.js app calls
        ResultsApiParameters apiParams = ResultsApiParameters.from(k -> getNode().tryGetContext(k));
        new ResultsHttpApi(this, "ResultsApi", p, apiParams, bucket, table,
                ResultsHttpApi.code(apiParams, getNode().tryGetContext("placeholderCode") != null));

        // ---- the forwarder's identity: put frames, read the control record's copy
        ManagedPolicy forwarderPolicy = ManagedPolicy.Builder.create(this, "ForwarderPolicy")
                .description("Edge forwarder: may only put frames under frames/ and read control/state.json. Attach to the EC2 role, or to the "
                        + "identity a LAN box uses (IAM Roles Anywhere profile or a dedicated IAM user).")
                .statements(RecognizerPermissions.forwarder(bucket)).build();
        Validations.of(forwarderPolicy).acknowledge(ack(objectWildcard(bucket, RecognizerPermissions.FRAMES),
                "frames/* is the only place the forwarder writes; frame keys are made at run time."));
        Role forwarderRole = Role.Builder.create(this, "ForwarderRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Edge forwarder on EC2").managedPolicies(List.of(forwarderPolicy)).build();
        CfnInstanceProfile profile = CfnInstanceProfile.Builder.create(this, "ForwarderInstanceProfile")
                .roles(List.of(forwarderRole.getRoleName())).build();

        // ---- alarms and dashboard
        Key topicKey = Key.Builder.create(this, "AlarmTopicKey").enableKeyRotation(true)
                .description("Encrypts the alarm topic").removalPolicy(keep).build();
        topicKey.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        Topic alarms = Topic.Builder.create(this, "Alarms").masterKey(topicKey).enforceSsl(true).build();
        p.alarmEmail().ifPresent(e -> alarms.addSubscription(new EmailSubscription(e)));
        SnsAction notify = new SnsAction(alarms);

        // ---- the archiver: hourly tar bundles of frames/ in archive/
        new FrameArchiver(this, "Archiver", p, bucket, notify, keep);

        MetricOptions fiveMin = MetricOptions.builder().period(Duration.minutes(5)).build();
        alarm("RecognizerErrors", "The recognizer failed invocations (they are retried, then sent to the failure queue).",
                live.metricErrors(fiveMin), 1, notify);
        alarm("RecognizerThrottles", "The recognizer hit its reserved concurrency: frames wait.",
                live.metricThrottles(fiveMin), 1, notify);
        alarm("FailureQueueNotEmpty", "Events the recognizer could not process are waiting in the failure queue.",
                onFailure.metricApproximateNumberOfMessagesVisible(fiveMin), 1, notify);
        alarm("DurationNearTimeout", "An invocation ran past 80% of the timeout.",
                live.metricDuration(MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()),
                p.timeoutSeconds() * 1000 * 0.8, notify);
        Metric frames = Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName("Frames")
                .dimensionsMap(Map.of("Service", "recognizer")).statistic("Sum")
                .period(Duration.minutes(p.noFrameAlarmMinutes())).build();
        Alarm.Builder.create(this, "NoFrames")
                .alarmDescription("No frame was processed for " + p.noFrameAlarmMinutes()
                        + " minutes: a camera or the forwarder is down.")
                .metric(frames).threshold(1).evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.BREACHING).build().addAlarmAction(notify);

        Dashboard dash = Dashboard.Builder.create(this, "Dashboard").dashboardName("facerec-" + p.envName()).build();
        dash.addWidgets(
                graph("Invocations and errors", live.metricInvocations(fiveMin), live.metricErrors(fiveMin),
                        live.metricThrottles(fiveMin)),
                graph("Duration (ms)", live.metricDuration(fiveMin)),
                graph("Frames and faces", emf("Frames"), emf("Faces"), emf("Matches"), emf("Unknowns")));
        dash.addWidgets(
                graph("Webhook", emf("WebhookDelivered"), emf("WebhookFailed"), emf("WebhookCooldown")),
                graph("Stage latency (ms)", emfAvg("DecodeMs"), emfAvg("DetectMs"), emfAvg("EmbedMs")),
                graph("Failure queue", onFailure.metricApproximateNumberOfMessagesVisible(fiveMin)));

        // CDK's own helper that configures the bucket notifications
        Validations.of(this).acknowledge(ack("AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                + "AWSLambdaBasicExecutionRole]", "Only on CDK's BucketNotificationsHandler, which runs at deploy time to "
                + "set the bucket's notifications; it is CDK's construct, not ours."));

        out("BucketName", bucket.getBucketName(), "Frames, gallery/ and enroll/ live here");
        out("TableName", table.getTableName(), "Results");
        out("ForwarderRoleArn", forwarderRole.getRoleArn(), "Role for an EC2 forwarder");
        out("ForwarderInstanceProfileName", profile.getRef(), "Instance profile for an EC2 forwarder");
        out("ForwarderPolicyArn", forwarderPolicy.getManagedPolicyArn(), "Attach to a LAN box's identity");
        out("WebhookSecretArn", secret.getSecretArn(), "The webhook Bearer token (read it with the AWS CLI)");
        out("WebhookSigningKeyArn", signingKey.secret().getSecretArn(), "The webhook signing key (read it with the AWS CLI)");
        out("RecognizerAlias", live.getFunctionArn(), "The function version S3 invokes");
        out("AlarmTopicArn", alarms.getTopicArn(), "Alarms are sent here");
        out("DashboardUrl", "https://" + getRegion() + ".console.aws.amazon.com/cloudwatch/home?region=" + getRegion()
                + "#dashboards:name=facerec-" + p.envName(), "CloudWatch dashboard");
    }

    private static GlobalSecondaryIndexProps gsi(String name, String pk, String sk) {
        return GlobalSecondaryIndexProps.builder().indexName(name)
                .partitionKey(Attribute.builder().name(pk).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(sk).type(AttributeType.STRING).build()).build();
    }

    private void alarm(String id, String description, IMetric metric, double threshold, SnsAction action) {
        Alarm.Builder.create(this, id).alarmDescription(description).metric(metric).threshold(threshold)
                .evaluationPeriods(1).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build().addAlarmAction(action);
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(8).build();
    }

    private static Metric emf(String name) {
        return Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName(name)
                .dimensionsMap(Map.of("Service", "recognizer")).statistic("Sum").period(Duration.minutes(5)).build();
    }

    private static Metric emfAvg(String name) {
        return Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName(name)
                .dimensionsMap(Map.of("Service", "recognizer")).statistic("Average").period(Duration.minutes(5)).build();
    }

    private void out(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** An AWS Solutions finding acknowledged with the reason it is accepted. */
    static Acknowledgment ack(String rule, String reason) {
        return Acknowledgment.builder().id("AwsSolutions::" + rule).reason(reason).build();
    }

    /** The granular IAM5 finding for {@code bucket/prefix*}, as cdk-nag names it. */
    private String objectWildcard(Bucket bucket, String prefix) {
        return objectWildcard(this, bucket, prefix);
    }

    static String objectWildcard(Construct scope, Bucket bucket, String prefix) {
        String logicalId = Stack.of(scope).getLogicalId((software.amazon.awscdk.CfnElement) bucket.getNode().getDefaultChild());
        return "AwsSolutions-IAM5[Resource::<" + logicalId + ".Arn>/" + prefix + "*]";
    }

    static RetentionDays retention(int days) {
        RetentionDays best = RetentionDays.ONE_MONTH;
        int bestDays = Integer.MAX_VALUE;
        for (Map.Entry<RetentionDays, Integer> e : RETENTION.entrySet()) {
            if (e.getValue() >= days && e.getValue() < bestDays) {
                best = e.getKey();
                bestDays = e.getValue();
            }
        }
        return best;
    }

    /** CloudWatch Logs accepts only these retention periods; the parameter rounds up to one. */
    private static final Map<RetentionDays, Integer> RETENTION = Map.ofEntries(
            Map.entry(RetentionDays.ONE_DAY, 1), Map.entry(RetentionDays.THREE_DAYS, 3), Map.entry(RetentionDays.FIVE_DAYS, 5),
            Map.entry(RetentionDays.ONE_WEEK, 7), Map.entry(RetentionDays.TWO_WEEKS, 14), Map.entry(RetentionDays.ONE_MONTH, 30),
            Map.entry(RetentionDays.TWO_MONTHS, 60), Map.entry(RetentionDays.THREE_MONTHS, 90),
            Map.entry(RetentionDays.FOUR_MONTHS, 120), Map.entry(RetentionDays.FIVE_MONTHS, 150),
            Map.entry(RetentionDays.SIX_MONTHS, 180), Map.entry(RetentionDays.ONE_YEAR, 365),
            Map.entry(RetentionDays.THIRTEEN_MONTHS, 400), Map.entry(RetentionDays.EIGHTEEN_MONTHS, 545),
            Map.entry(RetentionDays.TWO_YEARS, 731), Map.entry(RetentionDays.FIVE_YEARS, 1827),
            Map.entry(RetentionDays.TEN_YEARS, 3653));
}
