package io.facerec.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facerec.cdk.IamPolicy.Grant;
import io.facerec.cdk.IamPolicy.Permission;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.RecordedCall;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The IAM contract of one role: every AWS call its code made in the tests (recorded by
 * {@code SdkCallRecorder}) must be allowed by its policy, and every grant of the policy must be used
 * by some call, unless a written reason says who else uses it.
 *
 * <p>A recorded call names the test's resources; it is first moved to the deployment's: a setting
 * the stack gives as a resource (Ref, GetAtt) renames the test's bucket, table or secret to that
 * resource, and a setting the stack gives as text (a key prefix such as GALLERY_PREFIX) renames the
 * prefix of keys. For a Lambda, the stack's settings are its function's environment; other roles
 * name theirs in {@link Role#deployedSettings()}.
 */
final class IamContract {
    /** Actions the Lambda service performs with a function's execution role; the code never calls them. */
    static final String LAMBDA_LOGS = "The Lambda service writes the function's logs to its log group with the execution "
            + "role; the code only prints, it never calls CloudWatch Logs.";
    static final String LAMBDA_ON_FAILURE = "The Lambda service sends an event that failed every attempt to the on-failure "
            + "destination with the execution role; CDK's SqsDestination grants its send set (SendMessage, "
            + "GetQueueAttributes, GetQueueUrl); the code never calls SQS.";

    /**
     * A role under contract: where its calls are recorded (modules and the role's recordings), the role
     * in the template, its JSON document in iam-policies/, settings the stack gives it when it is not a
     * Lambda (setting -> construct), grants used by an AWS service rather than the code ("action
     * resource" as iam-policies/ writes it -> reason), calls the code makes knowing the policy
     * denies them (operation -> reason), and objects the code reads whose absence it takes from a 403
     * as well as a 404, so their 404 in a test needs no s3:ListBucket (object key -> reason).
     */
    record Role(ProductRole recorded, List<String> modules, String templateRole, String document,
                Map<String, String> deployedSettings, Map<String, String> serviceGrants,
                Map<String, String> deniedOnPurpose, Map<String, String> absenceAs403) {
        Role(ProductRole recorded, List<String> modules, String templateRole, String document,
             Map<String, String> deployedSettings, Map<String, String> serviceGrants, Map<String, String> deniedOnPurpose) {
            this(recorded, modules, templateRole, document, deployedSettings, serviceGrants, deniedOnPurpose, Map.of());
        }
    }

    static final Role RECOGNIZER = new Role(ProductRole.RECOGNIZER, List.of("lambda-recognizer", "local-stack"),
            "RecognizerRole", "recognizer-policy.json", Map.of(),
            Map.of("logs:CreateLogStream arn:aws:logs:${Region}:${AccountId}:log-group:${RecognizerLogGroup}:*", LAMBDA_LOGS,
                    "logs:PutLogEvents arn:aws:logs:${Region}:${AccountId}:log-group:${RecognizerLogGroup}:*", LAMBDA_LOGS,
                    "sqs:SendMessage arn:aws:sqs:${Region}:${AccountId}:${FailureQueueName}", LAMBDA_ON_FAILURE,
                    "sqs:GetQueueAttributes arn:aws:sqs:${Region}:${AccountId}:${FailureQueueName}", LAMBDA_ON_FAILURE,
                    "sqs:GetQueueUrl arn:aws:sqs:${Region}:${AccountId}:${FailureQueueName}", LAMBDA_ON_FAILURE),
            Map.of());

    static final Role FORWARDER = new Role(ProductRole.FORWARDER, List.of("edge-forwarder", "local-stack"),
            "ForwarderRole", "forwarder-policy.json", Map.of("S3_BUCKET", "Frames"), Map.of(),
            Map.of("HeadBucket", "At start the forwarder asks whether S3_BUCKET exists so that a mistyped name stops it "
                    + "with a clear message; its put-only policy makes S3 answer 403 for the real bucket, which "
                    + "EdgeForwarder.checkBucket accepts, and a missing bucket still answers 404."),
            Map.of("control/state.json", "Until the results API first writes the control record, its copy is absent: "
                    + "S3 answers the forwarder (no s3:ListBucket) 403 instead of 404, and ControlPoller takes either "
                    + "as 'no record yet'."));

    static final Role RESULTS_API = new Role(ProductRole.RESULTS_API, List.of("results-api"),
            "ResultsApiRole", "results-api-policy.json", Map.of(),
            Map.of("logs:CreateLogStream arn:aws:logs:${Region}:${AccountId}:log-group:${ResultsApiLogGroup}:*", LAMBDA_LOGS,
                    "logs:PutLogEvents arn:aws:logs:${Region}:${AccountId}:log-group:${ResultsApiLogGroup}:*", LAMBDA_LOGS),
            Map.of());

    static final Role ARCHIVER = new Role(ProductRole.ARCHIVER, List.of("archiver"), "ArchiverRole", "archiver-policy.json",
            Map.of(),
            Map.of("logs:CreateLogStream arn:aws:logs:${Region}:${AccountId}:log-group:${ArchiverLogGroup}:*", LAMBDA_LOGS,
                    "logs:PutLogEvents arn:aws:logs:${Region}:${AccountId}:log-group:${ArchiverLogGroup}:*", LAMBDA_LOGS),
            Map.of());

    /** Every role under contract. */
    static final List<Role> ROLES = List.of(RECOGNIZER, FORWARDER, RESULTS_API, ARCHIVER);

    /** The outcome: what is wrong (empty when the contract holds) and a readable account of it all. */
    record Verdict(List<String> problems, String report) {
        boolean holds() {
            return problems.isEmpty();
        }
    }

    private IamContract() {
    }

    /** The settings the stack gives this role, as template values. */
    static Map<String, JsonNode> deployedSettings(Role role, StackDeployment d) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String roleId = d.logicalId(role.templateRole());
        d.template().get("Resources").properties().forEach(e -> {
            JsonNode r = e.getValue();
            if (r.path("Type").asText().equals("AWS::Lambda::Function")
                    && r.at("/Properties/Role/Fn::GetAtt/0").asText().equals(roleId)) {
                r.at("/Properties/Environment/Variables").properties().forEach(v -> out.put(v.getKey(), v.getValue()));
            }
        });
        role.deployedSettings().forEach((setting, construct) -> out.put(setting, d.ref(construct)));
        return out;
    }

    /** The call as it would be made in the deployment: the test's names replaced by the stack's. */
    static RecordedCall rename(RecordedCall c, Map<String, JsonNode> deployed, StackDeployment d) {
        Map<String, String> names = new HashMap<>();
        List<String[]> prefixes = new ArrayList<>();
        c.settings().forEach((setting, testValue) -> {
            JsonNode stack = deployed.get(setting);
            if (stack == null) {
                return;
            }
            if (stack.isTextual()) {
                prefixes.add(new String[] {testValue, stack.asText()});
            } else {
                names.put(testValue, d.resolve(stack));
            }
        });
        prefixes.sort(Comparator.comparingInt((String[] p) -> p[0].length()).reversed());
        JsonNode request = renameTree(c.request(), null, names, prefixes);
        return new RecordedCall(c.role(), c.source(), c.settings(), c.service(), c.operation(), request, c.status(),
                c.errorCode(), c.exception());
    }

    private static JsonNode renameTree(JsonNode n, String member, Map<String, String> names, List<String[]> prefixes) {
        if (n.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            n.properties().forEach(e -> out.set(e.getKey(), renameTree(e.getValue(), e.getKey(), names, prefixes)));
            return out;
        }
        if (n.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> out.add(renameTree(x, member, names, prefixes)));
            return out;
        }
        if (!n.isTextual()) {
            return n;
        }
        String v = n.asText();
        if (names.containsKey(v)) {
            return JsonNodeFactory.instance.textNode(names.get(v));
        }
        if ("CopySource".equals(member) && v.indexOf('/', 1) > 0) {
            int slash = v.indexOf('/', v.startsWith("/") ? 1 : 0);
            String bucket = v.substring(v.startsWith("/") ? 1 : 0, slash);
            return JsonNodeFactory.instance.textNode(names.getOrDefault(bucket, bucket) + "/"
                    + renamePrefix(v.substring(slash + 1), prefixes));
        }
        if (Set.of("Key", "Prefix", "StartAfter", "SourceKey").contains(member)) {
            return JsonNodeFactory.instance.textNode(renamePrefix(v, prefixes));
        }
        return n;
    }

    private static String renamePrefix(String key, List<String[]> prefixes) {
        for (String[] p : prefixes) {
            if (key.startsWith(p[0])) {
                return p[1] + key.substring(p[0].length());
            }
        }
        return key;
    }

    /** Judges the recorded calls of {@code role} against {@code policy} (the template's or the document's). */
    static Verdict judge(Role role, List<RecordedCall> calls, IamPolicy policy, String policyName, StackDeployment d) {
        AwsPermissions iam = new AwsPermissions(StackDeployment.REGION, StackDeployment.ACCOUNT);
        Map<String, JsonNode> deployed = deployedSettings(role, d);
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> denied = new TreeMap<>();
        Map<String, List<String>> ignored = new TreeMap<>();
        Map<String, Integer> deniedOnPurpose = new TreeMap<>();
        Map<Grant, List<String>> used = new LinkedHashMap<>();
        policy.grants().forEach(g -> used.put(g, new ArrayList<>()));
        Set<String> unknown = new java.util.TreeSet<>();

        for (RecordedCall original : calls) {
            if (AwsPermissions.targetsNothing(original)) {
                ignored.computeIfAbsent(original.operation() + " on what does not exist (" + original.errorCode() + ")",
                        k -> new ArrayList<>()).add(original.source());
                continue;
            }
            RecordedCall c = rename(original, deployed, d);
            List<Permission> needed;
            try {
                needed = iam.required(c);
            } catch (IllegalArgumentException e) {
                unknown.add(e.getMessage());
                continue;
            }
            if (c.status() == 404 && role.absenceAs403().containsKey(c.member("Key"))) {
                needed = needed.stream().filter(p -> !p.action().equals("s3:ListBucket")).toList();
            }
            String purpose = role.deniedOnPurpose().get(c.operation());
            if (purpose != null) {
                if (needed.stream().allMatch(policy::allows)) {
                    problems.add(c.operation() + " is meant to be denied to the " + role.recorded().id() + " (" + purpose
                            + "), but " + policyName + " allows it: remove the grant, or the exemption");
                }
                deniedOnPurpose.merge(c.operation(), 1, Integer::sum);
                continue;
            }
            for (Permission p : needed) {
                if (!policy.allows(p)) {
                    denied.computeIfAbsent(p.action() + " on " + shorten(p.resource()) + (p.context().isEmpty() ? "" : " with " + p.context()),
                            k -> new ArrayList<>()).add(c.operation() + " " + describe(original) + " (" + original.source() + ")");
                    continue;
                }
                for (Grant g : used.keySet()) {
                    if (g.covers(p) && used.get(g).size() < 1000) {
                        used.get(g).add(c.operation() + " " + describe(original) + " (" + original.source() + ")");
                    }
                }
            }
        }

        unknown.forEach(problems::add);
        denied.forEach((need, examples) -> problems.add(role.recorded().id() + " needs " + need + ", which " + policyName
                + " does not allow: " + examples.size() + " call(s), e.g. " + examples.get(0)));

        Map<String, String> reasons = new LinkedHashMap<>();
        role.serviceGrants().forEach((k, v) -> reasons.put(d.fillPlaceholders(k), v));
        Set<String> granted = new java.util.HashSet<>();
        StringBuilder report = new StringBuilder();
        report.append(role.recorded().id()).append(" against ").append(policyName).append(": ").append(calls.size())
                .append(" recorded calls\n");
        for (var e : used.entrySet()) {
            Grant g = e.getKey();
            granted.add(g.key());
            List<String> by = e.getValue();
            String reason = reasons.get(g.key());
            if (!by.isEmpty()) {
                report.append("  used   ").append(g).append(": ").append(by.size()).append(" call(s), e.g. ").append(by.get(0)).append('\n');
                if (reason != null) {
                    problems.add(g.key() + " has a written reason for being unused by the code, but the code uses it ("
                            + by.get(0) + "): drop the reason");
                }
            } else if (reason != null) {
                report.append("  reason ").append(g).append(": ").append(reason).append('\n');
            } else {
                problems.add(policyName + " grants " + g + " but no recorded call of the " + role.recorded().id()
                        + " uses it: remove the grant, or write the reason it is needed in IamContract");
            }
        }
        reasons.keySet().stream().filter(k -> !granted.contains(k)).forEach(k -> problems.add("IamContract gives a reason for "
                + k + ", which " + policyName + " does not grant: drop the reason"));
        deniedOnPurpose.forEach((op, n) -> report.append("  denied on purpose: ").append(op).append(" (").append(n)
                .append(" call(s)): ").append(role.deniedOnPurpose().get(op)).append('\n'));
        ignored.forEach((what, sources) -> report.append("  not judged: ").append(sources.size()).append(" call(s) of ")
                .append(what).append(", from ").append(new java.util.TreeSet<>(sources)).append('\n'));
        denied.forEach((need, examples) -> report.append("  DENIED ").append(need).append(": ").append(examples.size())
                .append(" call(s), e.g. ").append(examples.get(0)).append('\n'));
        return new Verdict(problems, report.toString());
    }

    /** bucket/key, table or secret id, and the outcome when it was not a success. */
    private static String describe(RecordedCall c) {
        String what = switch (c.service()) {
            case "S3" -> c.member("Bucket") + (c.member("Key") != null ? "/" + c.member("Key")
                    : c.member("Prefix") != null ? " prefix " + c.member("Prefix") : "");
            case "DynamoDb" -> c.member("TableName") + (c.member("IndexName") == null ? "" : " index " + c.member("IndexName"));
            case "SecretsManager" -> c.member("SecretId");
            default -> c.request().toString();
        };
        return what + (c.status() == 0 || c.status() / 100 == 2 ? "" : " -> " + c.status());
    }

    /** An object ARN cut after its first key segment, so that calls group by prefix. */
    private static String shorten(String arn) {
        if (!arn.startsWith("arn:aws:s3:::")) {
            return arn;
        }
        String rest = arn.substring("arn:aws:s3:::".length());
        int first = rest.indexOf('/');
        int second = first < 0 ? -1 : rest.indexOf('/', first + 1);
        return second < 0 ? arn : "arn:aws:s3:::" + rest.substring(0, second + 1) + "...";
    }
}
