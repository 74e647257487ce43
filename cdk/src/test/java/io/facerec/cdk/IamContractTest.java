package io.facerec.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.cdk.IamContract.Role;
import io.facerec.cdk.IamContract.Verdict;
import io.facerec.cdk.IamPolicy.Grant;
import io.facerec.loopback.FaceTestData;
import io.facerec.loopback.sdkcalls.RecordedCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The IAM contract on the calls the recognizer and the forwarder really made: in the recognizer's and
 * the forwarder's integration tests and in the end-to-end run of the local stack (their modules'
 * target/sdk-calls, written by the SDK call recorder; this module builds last). Each role's calls must
 * be allowed by the synthesized stack and by its document in iam-policies/, and each grant must be
 * used or carry a written reason. The other tests here show the contract turning red.
 */
class IamContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("facerec.root", ".."));
    static StackDeployment deployment;
    private static final Map<Role, List<RecordedCall>> RECORDED = new HashMap<>();

    @BeforeAll
    static void synth() {
        deployment = new StackDeployment(JSON.valueToTree(Synth.template(Map.of()).toJSON()));
    }

    static Stream<Role> roles() {
        return IamContract.ROLES.stream();
    }

    /**
     * The role's recordings from every module that makes them. Without the face photos the tests that
     * make the calls were skipped, and so is this; otherwise a module without recordings has not run
     * its tests, and the contract cannot be judged.
     */
    static synchronized List<RecordedCall> recorded(Role role) throws Exception {
        if (FaceTestData.find().isEmpty()) {
            String why = "the IAM contract needs the calls recorded by the tests on the face photos, which were skipped: "
                    + FaceTestData.missingReason();
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        List<RecordedCall> cached = RECORDED.get(role);
        if (cached != null) {
            return cached;
        }
        List<RecordedCall> calls = new ArrayList<>();
        for (String module : role.modules()) {
            Path dir = ROOT.resolve(module).resolve("target/sdk-calls");
            List<Path> files = RecordedCall.files(dir, role.recorded().id());
            if (files.isEmpty()) {
                fail("no recording of the " + role.recorded().id() + "'s AWS calls in " + dir.toAbsolutePath().normalize()
                        + ": run that module's tests first (mvn -B -ntp verify -pl " + module + " -am, or bin/test, "
                        + "which runs them before this module)");
            }
            for (Path f : files) {
                calls.addAll(RecordedCall.read(f));
            }
        }
        RECORDED.put(role, calls);
        return calls;
    }

    static IamPolicy stackPolicy(Role role) {
        return IamPolicy.ofRole(deployment, role.templateRole());
    }

    static IamPolicy documentPolicy(Role role) throws Exception {
        Path doc = IamPolicyDocumentsTest.DIR.resolve(role.document());
        return IamPolicy.ofDocument(Files.readString(doc), deployment, "iam-policies/" + role.document());
    }

    static void assertHolds(Verdict v) {
        System.out.println(v.report());
        assertTrue(v.holds(), "the IAM contract is broken:\n  " + String.join("\n  ", v.problems()) + "\n" + v.report());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void theStackAllowsEveryRecordedCallAndGrantsNothingUnused(Role role) throws Exception {
        assertHolds(IamContract.judge(role, recorded(role), stackPolicy(role), "the stack's " + role.templateRole(), deployment));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void theDocumentAllowsEveryRecordedCallAndGrantsNothingUnused(Role role) throws Exception {
        assertHolds(IamContract.judge(role, recorded(role), documentPolicy(role), "iam-policies/" + role.document(), deployment));
    }

    /** Take away any one grant the code uses, and some recorded call is denied. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void droppingAnyGrantTheCodeUsesTurnsTheContractRed(Role role) throws Exception {
        List<RecordedCall> calls = recorded(role);
        IamPolicy policy = stackPolicy(role);
        int dropped = 0;
        for (Grant g : policy.grants()) {
            if (isServiceGrant(role, g)) {
                continue; // used by the Lambda service, not by a recorded call
            }
            Verdict v = IamContract.judge(role, calls, policy.without(g.action(), g.resource()), "a copy without " + g.key(),
                    deployment);
            assertFalse(v.holds(), "without " + g + " nothing failed:\n" + v.report());
            assertTrue(v.problems().stream().anyMatch(p -> p.contains("needs " + g.action())),
                    "without " + g + " the contract should name a call needing " + g.action() + ": " + v.problems());
            dropped++;
        }
        assertTrue(dropped >= 1, "no grant of " + role.templateRole() + " is used by a recorded call");
        System.out.println(role.recorded().id() + ": each of " + dropped + " grants dropped in turn turned the contract red");
    }

    private static boolean isServiceGrant(Role role, Grant g) {
        return role.serviceGrants().keySet().stream().anyMatch(k -> deployment.fillPlaceholders(k).equals(g.key()));
    }

    /** A grant no call uses, and without a reason, turns it red. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void anUnusedGrantTurnsTheContractRed(Role role) throws Exception {
        String frames = "arn:aws:s3:::" + deployment.name(deployment.logicalId("Frames")) + "/frames/*";
        // a frames/ permission the role does not have (the archiver does delete frames)
        String action = Stream.of("s3:DeleteObject", "s3:PutObjectAcl").filter(a -> stackPolicy(role).grants().stream()
                .noneMatch(g -> g.action().equalsIgnoreCase(a) && g.resource().equals(frames))).findFirst().orElseThrow();
        IamPolicy more = stackPolicy(role).with(new IamPolicy.Statement("Extra", true, List.of(action),
                List.of(frames), null, "a copy"));
        Verdict v = IamContract.judge(role, recorded(role), more, "a copy with " + action, deployment);
        assertFalse(v.holds(), v.report());
        assertTrue(v.problems().stream().anyMatch(p -> p.contains("grants " + action + " on " + frames)
                && p.contains("no recorded call")), v.problems().toString());
    }

    /**
     * While the recognizer reads a frame by the event's versionId, it needs s3:GetObjectVersion, and
     * s3:GetObject does not do: one such read added to the recorded calls turns a policy without it red.
     */
    @Test
    void aFrameReadByVersionNeedsGetObjectVersion() throws Exception {
        List<RecordedCall> calls = new ArrayList<>(recorded(IamContract.RECOGNIZER));
        RecordedCall any = calls.get(0);
        String bucket = any.settings().get("GALLERY_BUCKET");
        calls.add(RecordedCall.parse("{\"role\":\"recognizer\",\"source\":\"this test\",\"settings\":{\"GALLERY_BUCKET\":\""
                + bucket + "\"},\"service\":\"S3\",\"operation\":\"GetObject\",\"request\":{\"Bucket\":\"" + bucket
                + "\",\"Key\":\"frames/door/2026/11/27/1795000000000-1.jpg\",\"VersionId\":\"096fKKXTRTtl3on89fVO.nfljtsv6qko\"},"
                + "\"status\":200}"));
        IamPolicy policy = stackPolicy(IamContract.RECOGNIZER);
        for (Grant g : policy.grants()) {
            if (g.action().equalsIgnoreCase("s3:GetObjectVersion")) {
                policy = policy.without(g.action(), g.resource());
            }
        }
        Verdict v = IamContract.judge(IamContract.RECOGNIZER, calls, policy, "the stack's RecognizerRole without s3:GetObjectVersion",
                deployment);
        assertTrue(v.problems().stream().anyMatch(p -> p.contains("needs s3:GetObjectVersion on arn:aws:s3:::"
                + deployment.name(deployment.logicalId("Frames")) + "/frames/")), v.problems().toString());
    }

    /** A call the code makes knowing it is denied must stay denied: granting it is a change the contract notices. */
    @Test
    void grantingACallMeantToBeDeniedTurnsTheContractRed() throws Exception {
        Role role = IamContract.FORWARDER;
        String bucket = "arn:aws:s3:::" + deployment.name(deployment.logicalId("Frames"));
        IamPolicy more = stackPolicy(role).with(new IamPolicy.Statement("Extra", true, List.of("s3:ListBucket"),
                List.of(bucket), null, "a copy"));
        Verdict v = IamContract.judge(role, recorded(role), more, "a copy with s3:ListBucket", deployment);
        assertTrue(v.problems().stream().anyMatch(p -> p.startsWith("HeadBucket is meant to be denied")), v.problems().toString());
    }

    static RecordedCall recognizerCall(String settings, String operation, String request) throws Exception {
        return RecordedCall.parse("{\"role\":\"recognizer\",\"source\":\"this test\",\"settings\":" + settings
                + ",\"service\":\"S3\",\"operation\":\"" + operation + "\",\"request\":" + request + ",\"status\":200}");
    }

    /** The test's bucket and gallery prefix become the stack's, as the function's environment gives them. */
    @Test
    void aCallIsJudgedWithTheStacksNamesForTheTestsOnes() throws Exception {
        RecordedCall c = recognizerCall("{\"GALLERY_BUCKET\":\"camera-frames\",\"GALLERY_PREFIX\":\"gallery-enrol/\"}",
                "PutObject", "{\"Bucket\":\"camera-frames\",\"Key\":\"gallery-enrol/labels.json\",\"IfMatch\":\"e\"}");
        RecordedCall renamed = IamContract.rename(c, IamContract.deployedSettings(IamContract.RECOGNIZER, deployment), deployment);
        assertEquals(deployment.name(deployment.logicalId("Frames")), renamed.member("Bucket"));
        assertEquals("gallery/labels.json", renamed.member("Key"));
        assertEquals("e", renamed.member("IfMatch"));
    }

    /** A kind of call the contract cannot translate fails it by name, whatever the policy. */
    @Test
    void aCallWithoutATranslationTurnsTheContractRedNamingIt() throws Exception {
        RecordedCall c = recognizerCall("{}", "SelectObjectContent", "{\"Bucket\":\"b\",\"Key\":\"frames/1.jpg\"}");
        Verdict v = IamContract.judge(IamContract.RECOGNIZER, List.of(c), stackPolicy(IamContract.RECOGNIZER), "the stack", deployment);
        assertTrue(v.problems().stream().anyMatch(p -> p.startsWith("no IAM translation for S3 SelectObjectContent")),
                v.problems().toString());
    }
}
