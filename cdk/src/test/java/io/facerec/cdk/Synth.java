package io.facerec.cdk;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the app offline, with the placeholder code when the recognizer jar is not built. */
final class Synth {
    private Synth() {
    }

    static App app(Map<String, String> context) {
        Map<String, Object> ctx = new HashMap<>(context);
        ctx.put("placeholderCode", "true");
        return new App(AppProps.builder().context(ctx).outdir(tmp()).build());
    }

    static Template template(Map<String, String> context) {
        App app = app(context);
        FaceRecStack stack = FaceRecApp.build(app);
        return Template.fromStack(stack);
    }

    private static String tmp() {
        try {
            return java.nio.file.Files.createTempDirectory("cdk.out").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
