package com.trueftp.events;

import com.trueftp.core.Json;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded operation. {@code seq} is the event's number in its account: 1, 2, 3, … with no gaps,
 * which is what turns an offset into a key range.
 *
 * @param path null for FTP-user events
 * @param size null where no size applies
 */
public record Event(String id, long seq, EventType type, String ftpUserId, String username, String path,
                    Long size, EventSource source, Instant createdAt) {

    public Map<String, Object> toJson() {
        return Json.object("id", id, "type", type.id(), "ftp_user_id", ftpUserId, "username", username,
                "path", path, "size", size, "source", source.id(), "created_at", Json.timestamp(createdAt));
    }

    /** What a writer knows of an event before it gets its number. */
    public record Draft(EventType type, String ftpUserId, String username, String path, Long size,
                        EventSource source) {
        /** A change the API's own request made. */
        public Draft(EventType type, String ftpUserId, String username, String path, Long size) {
            this(type, ftpUserId, username, path, size, EventSource.API);
        }
    }
}
