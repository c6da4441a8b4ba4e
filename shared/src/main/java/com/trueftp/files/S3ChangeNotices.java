package com.trueftp.files;

import com.trueftp.core.Json;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads S3's event notifications as S3 puts them in an SQS queue: {@code {"Records": [...]}}. Object creations
 * ({@code ObjectCreated:*}) and removals ({@code ObjectRemoved:*}) are changes; S3's test message (sent when
 * notifications are configured) and other event types are none. Keys arrive form-encoded and are decoded.
 */
public final class S3ChangeNotices {
    /** The version S3 names when a bucket has no versioning: every change of a key has it. */
    static final String NULL_VERSION = "null";

    private S3ChangeNotices() {
    }

    /** @throws IllegalArgumentException when the body is not an S3 notification (it goes back to the queue) */
    public static List<FileChange> parse(String body) {
        Map<String, Object> message;
        try {
            message = Json.readObject(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!(message.get("Records") instanceof List<?> records)) {
            if ("s3:TestEvent".equals(message.get("Event"))) {
                return List.of();
            }
            throw new IllegalArgumentException("not an S3 event notification: no Records");
        }
        List<FileChange> changes = new ArrayList<>();
        for (Object record : records) {
            Map<?, ?> fields = (Map<?, ?>) record;
            String event = String.valueOf(fields.get("eventName"));
            boolean created = event.startsWith("ObjectCreated:");
            if (!created && !event.startsWith("ObjectRemoved:")) {
                continue;
            }
            Map<?, ?> object = (Map<?, ?>) ((Map<?, ?>) fields.get("s3")).get("object");
            Map<?, ?> identity = (Map<?, ?>) fields.get("userIdentity");
            String key = URLDecoder.decode(String.valueOf(object.get("key")), StandardCharsets.UTF_8);
            long size = object.get("size") instanceof Number number ? number.longValue() : 0;
            changes.add(new FileChange(key, Objects.toString(object.get("versionId"), NULL_VERSION), !created,
                    size, created ? Objects.toString(object.get("eTag"), "") : null,
                    String.valueOf(object.get("sequencer")),
                    identity == null ? "" : Objects.toString(identity.get("principalId"), "")));
        }
        return changes;
    }
}
