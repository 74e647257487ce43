package io.facerec.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point (cdk.json runs it through Maven). Parameters
 * come from context: {@code cdk deploy -c envName=prod -c webhookUrl=https://... -c alarmEmail=...}.
 */
public final class FaceRecApp {
    private FaceRecApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** The stack for this app's context, with the AWS Solutions checks attached. */
    public static FaceRecStack build(App app) {
        StackParameters p = StackParameters.from(k -> app.getNode().tryGetContext(k));
        Path code = lambdaCode(p, app.getNode().tryGetContext("placeholderCode") != null);
        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        StackProps.Builder props = StackProps.builder().description("Face recognition for cheap cameras (" + p.envName() + ")");
        if (account != null && region != null) {
            props.env(Environment.builder().account(account).region(region).build());
        }
        FaceRecStack stack = new FaceRecStack(app, "FaceRec-" + p.envName(), props.build(), p, code);
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        return stack;
    }

    /**
     * The recognizer jar the lambda-recognizer module builds for this architecture; with
     * {@code -c placeholderCode=true} (tests) a small folder stands in when it is not built.
     */
    static Path lambdaCode(StackParameters p, boolean placeholderAllowed) {
        return code(p.lambdaJar(), Path.of("..", "lambda-recognizer", "target", "recognizer-" + p.architecture() + ".jar"),
                "recognizer", "lambda-recognizer", placeholderAllowed);
    }

    /** The archiver jar (pure Java: one jar for both architectures), found the same way. */
    static Path archiverCode(StackParameters p, boolean placeholderAllowed) {
        return code(p.archiverJar(), Path.of("..", "archiver", "target", "archiver.jar"), "archiver", "archiver",
                placeholderAllowed);
    }

    private static Path code(java.util.Optional<String> given, Path built, String what, String module,
                             boolean placeholderAllowed) {
        Path jar = given.map(Path::of).orElse(built);
        if (Files.isRegularFile(jar)) {
            return jar.toAbsolutePath();
        }
        if (placeholderAllowed) {
            Path placeholder = Path.of("placeholder-code").toAbsolutePath();
            if (Files.isDirectory(placeholder)) {
                return placeholder;
            }
        }
        throw new IllegalArgumentException(what + " jar " + jar.toAbsolutePath() + " not found: build it first with "
                + "'mvn -q package -DskipTests -pl " + module + " -am'");
    }
}
