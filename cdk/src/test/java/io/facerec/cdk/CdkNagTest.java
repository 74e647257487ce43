package io.facerec.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/** AWS Solutions checks (cdk-nag): no finding left unacknowledged, and every acknowledgment says why. */
class CdkNagTest {
    @Test
    void synthPassesTheAwsSolutionsChecks() {
        for (String env : List.of("dev", "prod")) {
            App app = Synth.app(Map.of("envName", env, "alarmEmail", "ops@example.com"));
            FaceRecApp.build(app);
            app.synth(); // a finding without an acknowledgment throws ValidationFailed here
        }
    }

    @Test
    void everyAcknowledgmentCarriesAWrittenReason() {
        App app = Synth.app(Map.of());
        FaceRecApp.build(app);
        List<Map.Entry<?, ?>> acks = new ArrayList<>();
        collect(app, acks);
        assertTrue(acks.size() >= 5, "acknowledgments found: " + acks);
        for (Map.Entry<?, ?> a : acks) {
            assertTrue(String.valueOf(a.getValue()).strip().length() >= 40, "acknowledgment without a real reason: " + a);
        }
    }

    @Test
    void findingsAreReportedWhenNotAcknowledged() {
        // the plugin does run: a stack with a public-readable bucket and no acknowledgment fails
        App app = Synth.app(Map.of());
        software.amazon.awscdk.Stack s = new software.amazon.awscdk.Stack(app, "Probe");
        new software.amazon.awscdk.services.s3.Bucket(s, "Open");
        Validations.of(app).addPlugins(new io.github.cdklabs.cdknag.AwsSolutionsChecks(app));
        var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, app::synth);
        assertTrue(e.getMessage().contains("Validation failed"), e.getMessage());
    }

    private static void collect(IConstruct c, List<Map.Entry<?, ?>> out) {
        c.getNode().getMetadata().stream()
                .filter(m -> Validations.ACKNOWLEDGED_RULES_METADATA_KEY.equals(m.getType()))
                .forEach(m -> ((Map<?, ?>) m.getData()).entrySet().stream()
                        // ours; CDK acknowledges some of its own template warnings too
                        .filter(e -> String.valueOf(e.getKey()).startsWith("AwsSolutions::"))
                        .forEach(out::add));
        for (IConstruct child : c.getNode().getChildren()) {
            collect(child, out);
        }
    }
}
