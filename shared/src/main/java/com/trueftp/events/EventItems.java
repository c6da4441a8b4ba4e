package com.trueftp.events;

import com.trueftp.core.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static com.trueftp.aws.Attributes.instant;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.s;
import static com.trueftp.aws.Attributes.text;

/**
 * An event as the events table stores it, one item per event keyed by account and number. The one definition
 * of the format, for the event log and for anything that loads events in bulk (the benchmark).
 */
public final class EventItems {
    private EventItems() {
    }

    /**
     * @param retention how long the event is kept: DynamoDB's TTL removes it after that (readers decide
     *                  visibility by {@code created_at} and the retention in force, never by TTL having run)
     */
    public static Map<String, AttributeValue> toItem(String accountId, Event event, Duration retention) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("account_id", s(accountId));
        item.put("seq", n(event.seq()));
        item.put("id", s(event.id()));
        item.put("type", s(event.type().id()));
        if (event.ftpUserId() != null) {
            item.put("ftp_user_id", s(event.ftpUserId()));
        }
        if (event.username() != null) {
            item.put("username", s(event.username()));
        }
        if (event.path() != null) {
            item.put("path", s(event.path()));
        }
        if (event.size() != null) {
            item.put("size", n(event.size()));
        }
        if (event.source() != EventSource.API) { // the default: events written before sources were told have none
            item.put("source", s(event.source().id()));
        }
        item.put("created_at", s(Json.timestamp(event.createdAt())));
        item.put("expires_at", n(event.createdAt().plus(retention).getEpochSecond()));
        return item;
    }

    public static Event fromItem(Map<String, AttributeValue> item) {
        return new Event(text(item, "id"), Long.parseLong(item.get("seq").n()),
                EventType.parse(text(item, "type")).orElseThrow(), text(item, "ftp_user_id"), text(item, "username"),
                text(item, "path"), item.containsKey("size") ? Long.valueOf(item.get("size").n()) : null,
                item.containsKey("source") ? EventSource.parse(text(item, "source")).orElseThrow() : EventSource.API,
                instant(item, "created_at"));
    }
}
