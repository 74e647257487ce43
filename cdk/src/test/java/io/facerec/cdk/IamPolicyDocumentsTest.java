package io.facerec.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON documents in iam-policies/: valid, current version, named resources wherever a resource
 * can be named, and, for the forwarder, the recognizer and the archiver, exactly the grants of the
 * synthesized stack (conditions included).
 */
class IamPolicyDocumentsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of(System.getProperty("facerec.root", "..")).resolve("iam-policies");
    /** Actions with no resource-level permissions, where "*" is the only possible resource. */
    static final Set<String> STAR_ONLY = Set.of("ecr:GetAuthorizationToken", "cloudwatch:PutMetricData");
    static final List<String> EXPECTED = List.of("archiver-policy.json", "cloudwatch-policy.json", "ec2-deploy-policy.json",
            "ec2-trust-policy.json", "ecr-policy.json", "forwarder-policy.json", "recognizer-policy.json",
            "results-api-policy.json", "s3-backup-policy.json");
    static JsonNode template;

    @BeforeAll
    static void synth() {
        template = JSON.valueToTree(Synth.template(Map.of()).toJSON());
    }

    static JsonNode doc(String name) throws Exception {
        return JSON.readTree(DIR.resolve(name).toFile());
    }

    @Test
    void everyDocumentParsesWithTheCurrentVersion() throws Exception {
        List<String> found;
        try (Stream<Path> files = Files.list(DIR)) {
            found = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
        assertEquals(EXPECTED, found);
        for (String f : found) {
            JsonNode d = doc(f);
            assertEquals("2012-10-17", d.get("Version").asText(), f);
            assertTrue(d.get("Statement").isArray() && !d.get("Statement").isEmpty(), f);
            for (JsonNode st : d.get("Statement")) {
                assertEquals("Allow", st.get("Effect").asText(), f + ": only allow statements");
                assertTrue(st.has("Action"), f);
            }
        }
    }

    @Test
    void resourcesAreNamedWhereverTheyCanBe() throws Exception {
        for (String f : EXPECTED) {
            for (JsonNode st : doc(f).get("Statement")) {
                if (st.has("Principal")) {
                    continue; // a trust policy names the principal, not resources
                }
                for (String r : strings(st.get("Resource"))) {
                    if (r.equals("*")) {
                        for (String a : strings(st.get("Action"))) {
                            assertTrue(STAR_ONLY.contains(a), f + ": '*' resource for " + a + ", which can be scoped");
                        }
                    } else {
                        // an ARN, or a stack output that is one
                        assertTrue(r.startsWith("arn:aws:") || r.matches("\\$\\{\\w+Arn}"), f + ": " + r);
                    }
                }
                for (String a : strings(st.get("Action"))) {
                    assertFalse(a.contains("*"), f + ": wildcard action " + a);
                }
            }
        }
        JsonNode cw = doc("cloudwatch-policy.json").get("Statement").get(1);
        assertEquals("FaceRec/Forwarder", cw.at("/Condition/StringEquals/cloudwatch:namespace").asText(),
                "PutMetricData on * is held to one namespace");
    }

    @Test
    void forwarderDocumentGrantsExactlyWhatTheStackGrants() throws Exception {
        assertEquals(grantsOfDocument("forwarder-policy.json"), grantsOfRole("ForwarderRole"));
    }

    @Test
    void recognizerDocumentGrantsExactlyWhatTheStackGrants() throws Exception {
        assertEquals(grantsOfDocument("recognizer-policy.json"), grantsOfRole("RecognizerRole"));
    }

    @Test
    void resultsApiDocumentGrantsExactlyWhatTheStackGrants() throws Exception {
        assertEquals(grantsOfDocument("results-api-policy.json"), grantsOfRole("ResultsApiRole"));
    }

    @Test
    void archiverDocumentGrantsExactlyWhatTheStackGrants() throws Exception {
        Set<String> grants = grantsOfRole("ArchiverRole");
        assertEquals(grantsOfDocument("archiver-policy.json"), grants);
        assertTrue(grants.stream().anyMatch(g -> g.contains("s3:ListBucket") && g.contains("frames/*")
                && g.contains("archive/*")), "listing held to the two prefixes: " + grants);
        assertFalse(grants.stream().anyMatch(g -> g.contains("s3:RestoreObject")), "restoring is the operator's: " + grants);
    }

    @Test
    void trustPolicyMatchesTheForwarderRole() throws Exception {
        JsonNode role = resource("AWS::IAM::Role", "ForwarderRole");
        JsonNode st = role.at("/Properties/AssumeRolePolicyDocument/Statement/0");
        JsonNode doc = doc("ec2-trust-policy.json").get("Statement").get(0);
        assertEquals(doc.at("/Principal/Service").asText(), st.at("/Principal/Service").asText());
        assertEquals(doc.get("Action").asText(), st.get("Action").asText());
    }

    /** "Allow action resource [condition]" lines of a document, its placeholders filled in for one deployment. */
    static Set<String> grantsOfDocument(String name) throws Exception {
        return IamPolicy.ofDocument(Files.readString(DIR.resolve(name)), new StackDeployment(template), name).grantLines();
    }

    /** The same lines for every policy the template attaches to a role. */
    static Set<String> grantsOfRole(String roleId) {
        return IamPolicy.ofRole(new StackDeployment(template), roleId).grantLines();
    }

    /** Logical ids end in an 8-character hash: FramesA1B84456 -> Frames. */
    static String construct(String logicalId) {
        return StackDeployment.construct(logicalId);
    }

    static String logicalId(String type, String construct) {
        List<String> ids = new ArrayList<>();
        template.get("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().get("Type").asText().equals(type) && construct(e.getKey()).equals(construct)) {
                ids.add(e.getKey());
            }
        });
        assertEquals(1, ids.size(), type + " " + construct + ": " + ids);
        return ids.get(0);
    }

    static JsonNode resource(String type, String construct) {
        return template.get("Resources").get(logicalId(type, construct));
    }

    static List<String> strings(JsonNode n) {
        return IamPolicy.strings(n);
    }
}
