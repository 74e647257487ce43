package io.facerec.loopback.sdkcalls;

import java.util.List;

/**
 * A deployable whose AWS calls are recorded, with the settings that name the resources it calls:
 * the IAM contract (cdk tests) maps the values a test gave them to the resources the stack gives.
 * A new role is one constant here and one entry in the contract.
 */
public enum ProductRole {
    RECOGNIZER("recognizer", List.of("GALLERY_BUCKET", "GALLERY_PREFIX", "RESULTS_TABLE", "WEBHOOK_SECRET_ARN",
            "WEBHOOK_SIGNING_KEY_ARN")),
    FORWARDER("forwarder", List.of("S3_BUCKET")),
    RESULTS_API("results-api", List.of("GALLERY_BUCKET", "RESULTS_TABLE", "API_KEY_SECRET_ARN")),
    ARCHIVER("archiver", List.of("FRAMES_BUCKET"));

    private final String id;
    private final List<String> settings;

    ProductRole(String id, List<String> settings) {
        this.id = id;
        this.settings = settings;
    }

    /** The name in recording files: {@code <id>-<source>.jsonl}. */
    public String id() {
        return id;
    }

    /** Settings that name resources; nothing else of the environment is recorded (it holds secrets). */
    public List<String> settings() {
        return settings;
    }
}
