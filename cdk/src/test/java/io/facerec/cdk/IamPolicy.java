package io.facerec.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An identity policy as IAM evaluates it for one request: an explicit Deny wins, else any Allow whose
 * action, resource and conditions all match, else it is denied. Actions and resources match with
 * IAM's wildcards ({@code *}, {@code ?}; actions case-insensitively). What the evaluation cannot
 * model (NotAction, NotResource, condition operators it does not know) is refused with its name, so
 * it can never pass silently.
 */
final class IamPolicy {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STRING_OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "Null", "Bool");

    /** One permission a request needs: an action on a resource, with the request's condition keys. */
    record Permission(String action, String resource, Map<String, String> context) {
        @Override
        public String toString() {
            return action + " on " + resource + (context.isEmpty() ? "" : " with " + context);
        }
    }

    /** One statement, its values resolved to this deployment's names; {@code origin} says where it is written. */
    record Statement(String sid, boolean allow, List<String> actions, List<String> resources, JsonNode condition,
                     String origin) {
        boolean matches(Permission p) {
            return actions.stream().anyMatch(a -> actionMatches(a, p.action()))
                    && resources.stream().anyMatch(r -> wildcard(r, p.resource()))
                    && conditionHolds(condition, p.context());
        }

        String name() {
            return (sid == null ? "(no Sid)" : sid) + " in " + origin;
        }
    }

    /** An (action, resource) pair an Allow statement grants. */
    record Grant(Statement statement, String action, String resource) {
        boolean covers(Permission p) {
            return actionMatches(action, p.action()) && wildcard(resource, p.resource())
                    && conditionHolds(statement.condition(), p.context());
        }

        /** "action resource", the form written reasons are keyed by. */
        String key() {
            return action + " " + resource;
        }

        @Override
        public String toString() {
            return action + " on " + resource + (statement.condition() == null ? "" : " if " + statement.condition())
                    + " (" + statement.name() + ")";
        }
    }

    private final List<Statement> statements;

    IamPolicy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    List<Statement> statements() {
        return statements;
    }

    /** Parses a policy document whose values are already resolved to text. */
    static IamPolicy of(JsonNode document, String origin) {
        List<Statement> out = new ArrayList<>();
        JsonNode sts = document.get("Statement");
        for (JsonNode st : sts.isArray() ? sts : List.of(sts)) {
            for (String unsupported : List.of("NotAction", "NotResource", "NotPrincipal", "Principal")) {
                if (st.has(unsupported)) {
                    throw new IllegalArgumentException(origin + ": " + unsupported + " is not an identity-policy element the "
                            + "contract evaluates: " + st);
                }
            }
            JsonNode cond = st.get("Condition");
            if (cond != null) {
                cond.fieldNames().forEachRemaining(IamPolicy::checkOperator);
            }
            out.add(new Statement(st.hasNonNull("Sid") ? st.get("Sid").asText() : null,
                    "Allow".equals(st.path("Effect").asText()), strings(st.get("Action")), strings(st.get("Resource")),
                    cond, origin));
        }
        return new IamPolicy(out);
    }

    /** A JSON document of iam-policies/ as this deployment fills its placeholders. */
    static IamPolicy ofDocument(String text, StackDeployment d, String origin) {
        try {
            return of(JSON.readTree(d.fillPlaceholders(text)), origin);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Every policy the template attaches to a role: its inline Policies, AWS::IAM::Policy and
     * AWS::IAM::ManagedPolicy resources naming it, and the managed policies in its ManagedPolicyArns.
     */
    static IamPolicy ofRole(StackDeployment d, String roleConstruct) {
        String roleId = d.logicalId(roleConstruct);
        JsonNode role = d.resource(roleId);
        List<Statement> out = new ArrayList<>();
        for (JsonNode p : role.at("/Properties/Policies")) {
            out.addAll(of(d.resolveTree(p.get("PolicyDocument")), roleConstruct + " inline " + p.path("PolicyName").asText()).statements);
        }
        for (JsonNode arn : role.at("/Properties/ManagedPolicyArns")) {
            if (!arn.has("Ref")) {
                throw new IllegalArgumentException(roleConstruct + " has managed policy " + arn + " whose statements the "
                        + "template does not hold: the contract cannot evaluate it");
            }
        }
        d.template().get("Resources").properties().forEach(e -> {
            String type = e.getValue().path("Type").asText();
            if (!type.equals("AWS::IAM::Policy") && !type.equals("AWS::IAM::ManagedPolicy")) {
                return;
            }
            boolean attached = false;
            for (JsonNode ref : e.getValue().at("/Properties/Roles")) {
                attached |= ref.path("Ref").asText().equals(roleId);
            }
            for (JsonNode arn : role.at("/Properties/ManagedPolicyArns")) {
                attached |= arn.path("Ref").asText().equals(e.getKey());
            }
            if (attached) {
                out.addAll(of(d.resolveTree(e.getValue().at("/Properties/PolicyDocument")),
                        StackDeployment.construct(e.getKey())).statements);
            }
        });
        return new IamPolicy(out);
    }

    /** The first Allow statement that grants {@code p}, or null when it is denied (no Allow, or a Deny). */
    Statement allowing(Permission p) {
        Statement allow = null;
        for (Statement s : statements) {
            if (s.matches(p)) {
                if (!s.allow()) {
                    return null;
                }
                if (allow == null) {
                    allow = s;
                }
            }
        }
        return allow;
    }

    boolean allows(Permission p) {
        return allowing(p) != null;
    }

    List<Grant> grants() {
        List<Grant> out = new ArrayList<>();
        for (Statement s : statements) {
            if (s.allow()) {
                for (String a : s.actions()) {
                    for (String r : s.resources()) {
                        out.add(new Grant(s, a, r));
                    }
                }
            }
        }
        return out;
    }

    /** Grants as comparable text, conditions included: "Allow action resource [condition]". */
    Set<String> grantLines() {
        Set<String> out = new TreeSet<>();
        for (Statement s : statements) {
            for (String a : s.actions()) {
                for (String r : s.resources()) {
                    out.add((s.allow() ? "Allow " : "Deny ") + a + " " + r + (s.condition() == null ? "" : " " + s.condition()));
                }
            }
        }
        return out;
    }

    /** A copy without {@code action} on {@code resource} (a statement left with nothing is dropped). */
    IamPolicy without(String action, String resource) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : statements) {
            if (!s.actions().contains(action) || !s.resources().contains(resource)) {
                out.add(s);
                continue;
            }
            List<String> rest = new ArrayList<>(s.actions());
            rest.remove(action);
            if (!rest.isEmpty()) {
                out.add(new Statement(s.sid(), s.allow(), rest, s.resources(), s.condition(), s.origin()));
            }
            List<String> otherResources = new ArrayList<>(s.resources());
            otherResources.remove(resource);
            if (!otherResources.isEmpty()) {
                out.add(new Statement(s.sid(), s.allow(), List.of(action), otherResources, s.condition(), s.origin()));
            }
        }
        return new IamPolicy(out);
    }

    /** A copy with one more statement. */
    IamPolicy with(Statement extra) {
        List<Statement> out = new ArrayList<>(statements);
        out.add(extra);
        return new IamPolicy(out);
    }

    static boolean actionMatches(String pattern, String action) {
        return wildcard(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT));
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} any one. */
    static boolean wildcard(String pattern, String value) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        re.append(Pattern.quote(literal.toString()));
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    private static void checkOperator(String qualified) {
        String operator = unqualified(qualified);
        String base = operator.endsWith("IfExists") ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        if (!STRING_OPERATORS.contains(base) || (operator.endsWith("IfExists") && base.equals("Null"))) {
            throw new IllegalArgumentException("condition operator " + operator + " is not one the contract evaluates ("
                    + STRING_OPERATORS + ", with IfExists): teach IamPolicy before using it");
        }
    }

    /** Every operator and every key must hold; the values of one key are alternatives. */
    static boolean conditionHolds(JsonNode condition, Map<String, String> context) {
        if (condition == null || condition.isNull()) {
            return true;
        }
        for (var op : condition.properties()) {
            String operator = unqualified(op.getKey());
            // the context holds one value per key: ForAllValues holds when the key is absent, ForAnyValue does not
            boolean forAll = op.getKey().startsWith("ForAllValues:");
            boolean forAny = op.getKey().startsWith("ForAnyValue:");
            boolean ifExists = operator.endsWith("IfExists");
            String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
            for (var key : op.getValue().properties()) {
                String actual = lookup(context, key.getKey());
                List<String> expected = strings(key.getValue());
                boolean holds;
                if (actual == null && (forAll || forAny)) {
                    holds = forAll;
                } else if (base.equals("Null")) {
                    holds = expected.stream().anyMatch(e -> Boolean.parseBoolean(e) == (actual == null));
                } else if (actual == null) {
                    // a key the request does not carry: only IfExists and the negated operators hold
                    holds = ifExists || base.startsWith("StringNot");
                } else {
                    holds = switch (base) {
                        case "StringEquals", "Bool" -> expected.contains(actual);
                        case "StringNotEquals" -> !expected.contains(actual);
                        case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(actual::equalsIgnoreCase);
                        case "StringNotEqualsIgnoreCase" -> expected.stream().noneMatch(actual::equalsIgnoreCase);
                        case "StringLike" -> expected.stream().anyMatch(e -> wildcard(e, actual));
                        case "StringNotLike" -> expected.stream().noneMatch(e -> wildcard(e, actual));
                        default -> throw new IllegalArgumentException("condition operator " + operator);
                    };
                }
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The operator without its set qualifier (ForAllValues:, ForAnyValue:), for multivalued keys such as dynamodb:LeadingKeys. */
    private static String unqualified(String operator) {
        int colon = operator.indexOf(':');
        String q = colon < 0 ? "" : operator.substring(0, colon);
        return q.equals("ForAllValues") || q.equals("ForAnyValue") ? operator.substring(colon + 1) : operator;
    }

    /** Condition keys are case-insensitive. */
    private static String lookup(Map<String, String> context, String key) {
        for (var e : context.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else {
            out.add(n.asText());
        }
        return out;
    }

    static ObjectNode condition(String operator, String key, String... values) {
        ObjectNode c = JSON.createObjectNode();
        var arr = c.putObject(operator).putArray(key);
        for (String v : values) {
            arr.add(v);
        }
        return c;
    }
}
