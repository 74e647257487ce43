package io.facerec.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.cdk.IamPolicy.Permission;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy evaluation the contract relies on, on small documents. */
class IamPolicyTest {
    static IamPolicy policy(String statements) throws Exception {
        return IamPolicy.of(IamPolicy.JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"), "test");
    }

    static Permission p(String action, String resource, String... context) {
        Map<String, String> ctx = new java.util.LinkedHashMap<>();
        for (int i = 0; i < context.length; i += 2) {
            ctx.put(context[i], context[i + 1]);
        }
        return new Permission(action, resource, ctx);
    }

    @Test
    void wildcardsInActionsAndResources() throws Exception {
        IamPolicy pol = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/frames/*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"arn:aws:secretsmanager:r:a:secret:hook-??????\"}");
        assertTrue(pol.allows(p("s3:GetObject", "arn:aws:s3:::b/frames/cam/1.jpg")));
        assertTrue(pol.allows(p("S3:getobjectversion", "arn:aws:s3:::b/frames/cam/1.jpg")), "actions ignore case");
        assertFalse(pol.allows(p("s3:GetObject", "arn:aws:s3:::b/gallery/x")));
        assertFalse(pol.allows(p("s3:PutObject", "arn:aws:s3:::b/frames/1.jpg")));
        assertFalse(pol.allows(p("s3:GetObject", "arn:aws:s3:::B/frames/1.jpg")), "resources keep case");
        assertTrue(pol.allows(p("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:a:secret:hook-AbC123")));
        assertFalse(pol.allows(p("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:a:secret:hook-AbC1234")));
    }

    @Test
    void aPrefixConditionAppliesOnlyToRequestsThatCarryAMatchingPrefix() throws Exception {
        IamPolicy pol = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"enroll/*\",\"gallery/*\"]}}}");
        assertTrue(pol.allows(p("s3:ListBucket", "arn:aws:s3:::b", "s3:prefix", "enroll/ana/")));
        assertTrue(pol.allows(p("s3:ListBucket", "arn:aws:s3:::b", "s3:prefix", "enroll/")));
        assertFalse(pol.allows(p("s3:ListBucket", "arn:aws:s3:::b", "s3:prefix", "frames/")));
        assertFalse(pol.allows(p("s3:ListBucket", "arn:aws:s3:::b")), "a request without a prefix is not covered");
        IamPolicy ifExists = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\","
                + "\"Condition\":{\"StringLikeIfExists\":{\"S3:Prefix\":\"enroll/*\"}}}");
        assertTrue(ifExists.allows(p("s3:ListBucket", "arn:aws:s3:::b")), "IfExists holds without the key");
        assertFalse(ifExists.allows(p("s3:ListBucket", "arn:aws:s3:::b", "s3:prefix", "frames/")));
    }

    @Test
    void anExplicitDenyWins() throws Exception {
        IamPolicy pol = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
        assertTrue(pol.allows(p("s3:PutObject", "arn:aws:s3:::b/x")));
        assertFalse(pol.allows(p("s3:DeleteObject", "arn:aws:s3:::b/x")));
    }

    @Test
    void whatTheEvaluationCannotModelIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> policy("{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}"));
        assertTrue(e.getMessage().contains("NotAction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> policy("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"*\",\"Condition\":{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"}}}"));
        assertTrue(e.getMessage().contains("NumericLessThanEquals"), e.getMessage());
    }

    @Test
    void copiesWithAndWithoutAGrant() throws Exception {
        IamPolicy pol = policy("{\"Sid\":\"Rw\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::b/g/*\",\"arn:aws:s3:::b/e/*\"]}");
        IamPolicy less = pol.without("s3:PutObject", "arn:aws:s3:::b/g/*");
        assertFalse(less.allows(p("s3:PutObject", "arn:aws:s3:::b/g/x")));
        assertTrue(less.allows(p("s3:PutObject", "arn:aws:s3:::b/e/x")));
        assertTrue(less.allows(p("s3:GetObject", "arn:aws:s3:::b/g/x")));
        assertEquals(pol.grants().size() - 1, less.grants().size());
    }
}
