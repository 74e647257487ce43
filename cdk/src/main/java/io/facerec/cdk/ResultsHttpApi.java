package io.facerec.cdk;

import io.facerec.model.match.Metric;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The results API the Next.js app calls: a lean Lambda (no face models; SnapStart on its published
 * version) behind an API Gateway HTTP API under {@code /api}, a bearer key in its own secret, CORS
 * for the app's origin only, throttling and JSON access logs on the stage.
 */
public final class ResultsHttpApi extends Construct {
    public static final String HANDLER = "io.facerec.api.handler.ResultsApiHandler::handleRequest";
    private final HttpApi api;
    private final Secret key;

    public ResultsHttpApi(Construct scope, String id, StackParameters sp, ResultsApiParameters p, Bucket bucket, Table table,
                          Path code) {
        super(scope, id);
        RemovalPolicy keep = sp.isDev() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

        key = Secret.Builder.create(this, "ApiKey")
                .description("Bearer key of the results API. The Next.js app's server keeps it (FACIAL_API_KEY) and "
                        + "adds it to the calls it forwards; never ship it to the browser.")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                .removalPolicy(keep).build();
        Validations.of(key).acknowledge(FaceRecStack.ack("AwsSolutions-SMG4",
                "The app's server holds a copy of this key; an automatic rotation would lock it out until it is "
                        + "updated. Rotate by hand (the function re-reads the secret every 5 minutes)."));

        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(FaceRecStack.retention(sp.logRetentionDays()))
                .removalPolicy(keep).build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(FaceRecStack.retention(sp.logRetentionDays())).removalPolicy(keep).build();

        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("The results API: reads results through the indexes, writes the control record, "
                        + "registers people into enroll/, reads its key.").build();
        ManagedPolicy policy = ManagedPolicy.Builder.create(this, "Policy")
                .statements(ResultsApiPermissions.resultsApi(bucket, table, key, logs)).roles(List.of(role)).build();
        Validations.of(policy).acknowledge(FaceRecStack.ack(FaceRecStack.objectWildcard(this, bucket, RecognizerPermissions.ENROLL),
                "POST /register writes a person's photo or descriptor under enroll/<name>/, names known only at run time."));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("RESULTS_TABLE", table.getTableName());
        env.put("GALLERY_BUCKET", bucket.getBucketName());
        env.put("API_KEY_SECRET_ARN", key.getSecretArn());
        env.put("THRESHOLD", Double.toString(sp.threshold().orElse(Metric.COSINE.defaultThreshold())));
        env.put("RESULTS_LOOKBACK_DAYS", Integer.toString(Math.max(1, sp.resultTtlDays())));
        env.put("LOG_LEVEL", "INFO");
        // a short-lived request handler: the C1 compiler alone starts faster
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        Function fn = Function.Builder.create(this, "Function")
                .description("The results API the Next.js app calls (the old Flask API's routes).")
                .runtime(Runtime.JAVA_25)
                .architecture(sp.architecture().equals("arm64") ? Architecture.ARM_64 : Architecture.X86_64)
                .handler(HANDLER).code(Code.fromAsset(code.toString()))
                .memorySize(1024).timeout(Duration.seconds(15))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .loggingFormat(LoggingFormat.JSON).logGroup(logs).role(role).environment(env).build();
        fn.getNode().addDependency(policy);
        Validations.of(fn).acknowledge(Acknowledgment.builder().id("Annotation::@aws-cdk/aws-lambda:snapStartRequirePublish")
                .reason("The function is published: the live alias below points at its current version, and the "
                        + "HTTP API invokes the alias.").build());
        Alias live = Alias.Builder.create(this, "Live").aliasName("live").version(fn.getCurrentVersion()).build();

        HttpApi.Builder b = HttpApi.Builder.create(this, "HttpApi").apiName("facerec-results-" + sp.envName())
                .description("The results API (old Flask API contract) under /api").createDefaultStage(false);
        p.appOrigin().ifPresent(o -> b.corsPreflight(CorsPreflightOptions.builder().allowOrigins(List.of(o))
                .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.OPTIONS))
                .allowHeaders(List.of("Authorization", "Content-Type")).maxAge(Duration.minutes(10)).build()));
        api = b.build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("Integration", live);
        api.addRoutes(AddRoutesOptions.builder().path("/api/{proxy+}")
                .methods(List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT)).integration(integration).build());
        IAccessLogDestination dest = new LogGroupLogDestination(accessLogs);
        HttpStage stage = HttpStage.Builder.create(this, "Stage").httpApi(api).stageName("$default").autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(p.rateLimit()).burstLimit(p.burstLimit()).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return dest;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        // never the Authorization header: the key stays out of the logs
                        return AccessLogFormat.custom("{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                                + "\"time\":\"$context.requestTime\",\"method\":\"$context.httpMethod\",\"path\":\"$context.path\","
                                + "\"status\":\"$context.status\",\"length\":\"$context.responseLength\","
                                + "\"latencyMs\":\"$context.responseLatency\",\"error\":\"$context.error.message\","
                                + "\"integrationError\":\"$context.integrationErrorMessage\"}");
                    }
                }).build();
        Validations.of(this).acknowledge(FaceRecStack.ack("AwsSolutions-APIG4",
                "Every route is authorised inside the function: a bearer key from Secrets Manager compared in constant "
                        + "time, 401 otherwise. An API Gateway authorizer would add a second invocation per call."));

        // stack-level outputs, so their names carry no construct hash
        CfnOutput.Builder.create(Stack.of(this), "ResultsApiUrl").value(api.getApiEndpoint() + "/api")
                .description("The results API: the Next.js app's server forwards to it (README, The results API)").build();
        CfnOutput.Builder.create(Stack.of(this), "ResultsApiKeySecretArn").value(key.getSecretArn())
                .description("The results API key (read it with the AWS CLI; keep it server-side)").build();
        stage.getNode().addDependency(accessLogs);
    }

    public HttpApi api() {
        return api;
    }

    public Secret key() {
        return key;
    }

    /** The results-api jar the module builds; with {@code -c placeholderCode=true} (tests) a small folder stands in. */
    static Path code(ResultsApiParameters p, boolean placeholderAllowed) {
        Path jar = p.apiJar().map(Path::of).orElse(Path.of("..", "results-api", "target", "results-api.jar"));
        if (Files.isRegularFile(jar)) {
            return jar.toAbsolutePath();
        }
        if (placeholderAllowed && Files.isDirectory(Path.of("placeholder-code"))) {
            return Path.of("placeholder-code").toAbsolutePath();
        }
        throw new IllegalArgumentException("results API jar " + jar.toAbsolutePath() + " not found: build it first with "
                + "'mvn -q package -DskipTests -pl results-api -am'");
    }
}
