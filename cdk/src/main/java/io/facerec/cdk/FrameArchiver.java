package io.facerec.cdk;

import io.facerec.model.frame.BundleKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The archiver on AWS: a small arm64 function (no face models) that an EventBridge schedule runs,
 * its least-privilege role, the lifecycle rule that expires bundles, and two alarms: failed runs,
 * and frames still in {@code frames/} a day after their hot window (the archiver is not keeping up,
 * or not running at all).
 */
public final class FrameArchiver extends Construct {
    public static final String HANDLER = "io.facerec.archiver.handler.ArchiverHandler::handleRequest";
    public static final int MEMORY_MB = 1024;

    private final Function function;

    public FrameArchiver(Construct scope, String id, StackParameters p, Bucket bucket, SnsAction notify,
                         RemovalPolicy keep) {
        super(scope, id);
        boolean placeholder = scope.getNode().tryGetContext("placeholderCode") != null;
        Path code = FaceRecApp.archiverCode(p, placeholder);

        // bundles are written when the hot window ends, so they expire that much sooner than frames would
        bucket.addLifecycleRule(LifecycleRule.builder().id("expire-bundles").prefix(ArchiverPermissions.ARCHIVE)
                .expiration(Duration.days(p.expireAfterDays() - p.hotDays()))
                .noncurrentVersionExpiration(Duration.days(1)).build());

        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(FaceRecStack.retention(p.logRetentionDays()))
                .removalPolicy(keep).build();
        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("The archiver: bundles frames/ into archive/, then deletes the archived frames.").build();
        ManagedPolicy policy = ManagedPolicy.Builder.create(this, "Policy")
                .statements(ArchiverPermissions.archiver(bucket, logs)).roles(List.of(role)).build();
        for (String prefix : List.of(ArchiverPermissions.FRAMES, ArchiverPermissions.ARCHIVE)) {
            Validations.of(policy).acknowledge(FaceRecStack.ack(FaceRecStack.objectWildcard(this, bucket, prefix),
                    "Object wildcards are confined to the two prefixes the archiver works on: frames/* (read, delete "
                            + "after archiving) and archive/* (write, read back); object names are made at run time."));
        }

        function = Function.Builder.create(this, "Function")
                .description("Packs each closed camera-hour of frames older than " + p.hotDays() + " days into one "
                        + p.archiveStorageClass() + " tar under " + BundleKey.PREFIX + ", then deletes the originals.")
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .handler(HANDLER)
                .code(Code.fromAsset(code.toString()))
                .memorySize(MEMORY_MB)
                .timeout(Duration.minutes(15))
                // one run at a time: two runs on one hour would race for its next part
                .reservedConcurrentExecutions(1)
                // the next scheduled run is the retry
                .retryAttempts(0)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logs)
                .role(role)
                .environment(Map.of(
                        "FRAMES_BUCKET", bucket.getBucketName(),
                        "HOT_MINUTES", Integer.toString(p.hotDays() * 24 * 60),
                        "ARCHIVE_STORAGE_CLASS", p.archiveStorageClass(),
                        "LOG_LEVEL", "INFO"))
                .build();
        function.getNode().addDependency(policy);

        Rule.Builder.create(this, "Schedule")
                .description("Runs the archiver every " + p.archiveScheduleMinutes() + " minutes.")
                .schedule(Schedule.rate(Duration.minutes(p.archiveScheduleMinutes())))
                .targets(List.of(LambdaFunction.Builder.create(function).retryAttempts(0).build())).build();

        int period = Math.max(60, p.archiveScheduleMinutes());
        Alarm.Builder.create(this, "Errors")
                .alarmDescription("An archiver run failed: some hours stay in frames/ until a run succeeds (see its log).")
                .metric(function.metricErrors(MetricOptions.builder().period(Duration.minutes(period)).build()))
                .threshold(1).evaluationPeriods(1).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build().addAlarmAction(notify);
        Metric oldest = Metric.Builder.create().namespace(FaceRecStack.METRICS_NAMESPACE).metricName("OldestFrameAgeHours")
                .dimensionsMap(Map.of("Service", "archiver")).statistic("Maximum")
                .period(Duration.minutes(period)).build();
        Alarm.Builder.create(this, "FramesOverdue")
                .alarmDescription("Frames older than hotDays + 1 day (" + (p.hotDays() + 1) + " days) are still in frames/, "
                        + "or the archiver has not reported for " + 2 * period + " minutes.")
                .metric(oldest).threshold((p.hotDays() + 1) * 24).evaluationPeriods(2)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.BREACHING).build().addAlarmAction(notify);

        CfnOutput.Builder.create(this, "FunctionName").value(function.getFunctionName())
                .description("The archiver (invoke it to run now)").build();
    }

    public Function function() {
        return function;
    }

}
