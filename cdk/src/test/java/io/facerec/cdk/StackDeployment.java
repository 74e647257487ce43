package io.facerec.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One imagined deployment of the synthesized template, with concrete names: every Ref, Fn::GetAtt and
 * Fn::Join of the template, and every {@code ${...}} placeholder of iam-policies/, resolves to the
 * ARN or name that resource would have. Policies from both sources can then be compared with each
 * other and evaluated against real requests.
 */
final class StackDeployment {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    /** Secrets Manager appends six random characters to a secret's name in its ARN. */
    static final String SECRET_SUFFIX = "-AbC123";

    /** The placeholders of iam-policies/*.json and the template value each stands for (a stack output or attribute). */
    static final Map<String, String[]> PLACEHOLDERS = Map.of(
            "BucketName", new String[] {"Ref", "Frames"},
            "TableName", new String[] {"Ref", "Results"},
            "WebhookSecretArn", new String[] {"Ref", "WebhookSecret"},
            "WebhookSigningKeyArn", new String[] {"Ref", "WebhookSigningKeySecret"},
            "RecognizerLogGroup", new String[] {"Ref", "RecognizerLogs"},
            "ArchiverLogGroup", new String[] {"Ref", "ArchiverLogs"},
            "FailureQueueName", new String[] {"QueueName", "RecognizerFailures"},
            "ResultsApiKeySecretArn", new String[] {"Ref", "ResultsApiApiKey"},
            "ResultsApiLogGroup", new String[] {"Ref", "ResultsApiLogs"});
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private final JsonNode template;

    StackDeployment(JsonNode template) {
        this.template = template;
    }

    JsonNode template() {
        return template;
    }

    /** The one resource whose logical id is {@code construct} plus CDK's 8-character hash. */
    String logicalId(String construct) {
        List<String> ids = new ArrayList<>();
        template.get("Resources").fieldNames().forEachRemaining(id -> {
            if (construct(id).equals(construct)) {
                ids.add(id);
            }
        });
        if (ids.size() != 1) {
            throw new IllegalArgumentException("the template has " + ids.size() + " resources named " + construct + ": " + ids);
        }
        return ids.get(0);
    }

    JsonNode resource(String logicalId) {
        JsonNode r = template.get("Resources").get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return r;
    }

    /** A reference to a resource as the template writes it: {@code {"Ref": "<logical id>"}}. */
    JsonNode ref(String construct) {
        return JsonNodeFactory.instance.objectNode().put("Ref", logicalId(construct));
    }

    /** Logical ids end in an 8-character hash: FramesA1B84456 -> Frames. */
    static String construct(String logicalId) {
        return logicalId.matches(".*[0-9A-F]{8}") ? logicalId.substring(0, logicalId.length() - 8) : logicalId;
    }

    /** The physical name this deployment gives a resource. */
    String name(String logicalId) {
        return "facerec-" + construct(logicalId).toLowerCase(Locale.ROOT);
    }

    /** A template value with its intrinsic functions resolved. */
    String resolve(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.has("Ref")) {
            return refValue(v.get("Ref").asText());
        }
        if (v.has("Fn::GetAtt")) {
            return attribute(v.get("Fn::GetAtt").get(0).asText(), v.get("Fn::GetAtt").get(1).asText());
        }
        if (v.has("Fn::Join")) {
            List<String> parts = new ArrayList<>();
            v.get("Fn::Join").get(1).forEach(p -> parts.add(resolve(p)));
            return String.join(v.get("Fn::Join").get(0).asText(), parts);
        }
        throw new IllegalArgumentException("cannot resolve " + v + ": the contract knows Ref, Fn::GetAtt and Fn::Join");
    }

    /** A JSON tree with every intrinsic resolved to text (policy documents, conditions). */
    JsonNode resolveTree(JsonNode v) {
        if (v.isObject() && (v.has("Ref") || v.has("Fn::GetAtt") || v.has("Fn::Join") || v.has("Fn::Sub"))) {
            return JsonNodeFactory.instance.textNode(resolve(v));
        }
        if (v.isObject()) {
            var out = JsonNodeFactory.instance.objectNode();
            v.properties().forEach(e -> out.set(e.getKey(), resolveTree(e.getValue())));
            return out;
        }
        if (v.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            v.forEach(x -> out.add(resolveTree(x)));
            return out;
        }
        return v;
    }

    private String refValue(String id) {
        switch (id) {
            case "AWS::Region" -> {
                return REGION;
            }
            case "AWS::AccountId" -> {
                return ACCOUNT;
            }
            case "AWS::Partition" -> {
                return "aws";
            }
            case "AWS::URLSuffix" -> {
                return "amazonaws.com";
            }
            default -> {
                // a physical name, or what CloudFormation returns for this type's Ref
            }
        }
        String type = resource(id).get("Type").asText();
        String name = name(id);
        return switch (type) {
            case "AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Logs::LogGroup", "AWS::IAM::Role",
                 "AWS::Lambda::Function", "AWS::IAM::InstanceProfile" -> name;
            case "AWS::SecretsManager::Secret" -> "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + SECRET_SUFFIX;
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name;
            case "AWS::IAM::ManagedPolicy" -> "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
            default -> throw new IllegalArgumentException("Ref of a " + type + " (" + id + ") is not known to the contract");
        };
    }

    private String attribute(String id, String attribute) {
        String type = resource(id).get("Type").asText();
        String name = name(id);
        String key = type + "." + attribute;
        return switch (key) {
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + name;
            case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name;
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + name + ":*";
            case "AWS::SQS::Queue.Arn" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
            case "AWS::SQS::Queue.QueueName" -> name;
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/" + name;
            case "AWS::Lambda::Function.Arn" -> "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
            case "AWS::KMS::Key.Arn" -> "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + name;
            default -> throw new IllegalArgumentException("Fn::GetAtt " + id + "." + attribute + " is not known to the contract");
        };
    }

    /** A document of iam-policies/ with its {@code ${...}} placeholders filled in for this deployment. */
    String fillPlaceholders(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Region", REGION);
        values.put("AccountId", ACCOUNT);
        PLACEHOLDERS.forEach((p, v) -> values.put(p, v[0].equals("Ref") ? refValue(logicalId(v[1]))
                : attribute(logicalId(v[1]), v[0])));
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("placeholder ${" + m.group(1) + "} stands for nothing in the stack; known: "
                        + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
