package com.trueftp.local.sftp;

import com.trueftp.core.Json;
import com.trueftp.ftpuser.SshPublicKey;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the identity provider's answer grants, read the way AWS Transfer Family reads it: the home mapping's target
 * ({@code /bucket/prefix}) becomes the session's {@code /}, and the session may write only if its policy allows
 * {@code s3:PutObject} there. An empty answer, or one without a role, grants nothing.
 *
 * @param prefix the home folder's key prefix, ending in {@code /}
 * @param keys   the keys a key login must match (empty for a password login)
 */
record SessionGrant(String bucket, String prefix, boolean writable, List<SshPublicKey> keys) {
    @SuppressWarnings("unchecked")
    static Optional<SessionGrant> of(Map<String, Object> answer) throws IOException {
        if (answer == null || !(answer.get("Role") instanceof String) || !"LOGICAL".equals(answer.get("HomeDirectoryType"))) {
            return Optional.empty();
        }
        List<Object> mappings = (List<Object>) Json.readObject("{\"m\": " + answer.get("HomeDirectoryDetails") + "}").get("m");
        Map<String, Object> root = mappings.stream().map(m -> (Map<String, Object>) m)
                .filter(m -> "/".equals(m.get("Entry"))).findFirst()
                .orElseThrow(() -> new IOException("the answer maps no home folder to /"));
        String target = ((String) root.get("Target")).substring(1); // "/bucket/prefix"
        String bucket = target.substring(0, target.indexOf('/'));
        String prefix = target.substring(target.indexOf('/') + 1) + "/";
        List<SshPublicKey> keys = answer.get("PublicKeys") instanceof List<?> lines
                ? lines.stream().map(line -> SshPublicKey.parse((String) line, "PublicKeys")).toList()
                : List.of();
        return Optional.of(new SessionGrant(bucket, prefix, allowsWrites(Json.readObject((String) answer.get("Policy")),
                "arn:aws:s3:::" + bucket + "/" + prefix), keys));
    }

    /** Whether some statement allows {@code s3:PutObject} on every key under the prefix. */
    @SuppressWarnings("unchecked")
    private static boolean allowsWrites(Map<String, Object> policy, String objects) {
        for (Object item : (List<Object>) policy.get("Statement")) {
            Map<String, Object> statement = (Map<String, Object>) item;
            if ("Allow".equals(statement.get("Effect")) && listOf(statement.get("Action")).contains("s3:PutObject")
                    && listOf(statement.get("Resource")).contains(objects + "*")) {
                return true;
            }
        }
        return false;
    }

    private static List<Object> listOf(Object value) {
        return value instanceof List<?> list ? List.copyOf(list) : List.of(value);
    }
}
