package com.trueftp.sftp;

import com.trueftp.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The session policy of an SFTP login: what the session's role may do, narrowed to the user's home folder. The
 * role itself may touch the whole bucket; the policy is what keeps a user inside its own folder (S3 checks both).
 * A read-only session gets no write statement at all. At most 2,048 characters on AWS: a prefix fits easily.
 */
public final class SessionPolicy {
    static final List<String> READ_ACTIONS = List.of("s3:GetObject", "s3:GetObjectVersion");
    static final List<String> WRITE_ACTIONS = List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload");

    private SessionPolicy() {
    }

    /** @param prefix the home folder's key prefix, ending in {@code /} */
    public static String of(String bucket, String prefix, boolean writable) {
        String objects = "arn:aws:s3:::" + bucket + "/" + prefix + "*";
        List<Object> statements = new ArrayList<>();
        statements.add(Json.object("Sid", "ListHome", "Effect", "Allow", "Action", "s3:ListBucket",
                "Resource", "arn:aws:s3:::" + bucket,
                "Condition", Map.of("StringLike", Map.of("s3:prefix", List.of(prefix, prefix + "*")))));
        statements.add(Json.object("Sid", "ReadHome", "Effect", "Allow", "Action", READ_ACTIONS, "Resource", objects));
        if (writable) {
            statements.add(Json.object("Sid", "WriteHome", "Effect", "Allow", "Action", WRITE_ACTIONS,
                    "Resource", objects));
        }
        return Json.write(Json.object("Version", "2012-10-17", "Statement", statements));
    }
}
