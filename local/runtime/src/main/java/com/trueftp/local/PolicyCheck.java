package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Evaluates an authorizer's policy for one method ARN the way API Gateway does: an explicit Deny wins. */
final class PolicyCheck {
    private PolicyCheck() {
    }

    @SuppressWarnings("unchecked")
    static boolean allows(IamPolicyResponseV1 policy, String methodArn) {
        Map<String, Object> document = policy.getPolicyDocument();
        if (document == null || !(document.get("Statement") instanceof Object[] || document.get("Statement") instanceof List)) {
            return false;
        }
        Object raw = document.get("Statement");
        List<Object> statements = raw instanceof Object[] array ? List.of(array) : (List<Object>) raw;
        boolean allowed = false;
        for (Object s : statements) {
            Map<String, Object> statement = (Map<String, Object>) s;
            Object resources = statement.get("Resource");
            List<Object> list = resources instanceof Object[] array ? List.of(array)
                    : resources instanceof List<?> l ? (List<Object>) l : List.of(String.valueOf(resources));
            boolean matches = list.stream().anyMatch(r -> glob(String.valueOf(r)).matcher(methodArn).matches());
            if (matches && "Deny".equals(statement.get("Effect"))) {
                return false;
            }
            allowed |= matches && "Allow".equals(statement.get("Effect"));
        }
        return allowed;
    }

    private static Pattern glob(String resource) {
        StringBuilder regex = new StringBuilder();
        for (String part : resource.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
