package com.trueftp.idempotency;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import javax.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/**
 * The requests made with an {@code Idempotency-Key}, one item per account and key: the request's fingerprint,
 * whether it is still running, and once it has answered, the answer (its body gzipped: an upload-url answer
 * of 1,024 presigned parts is most of DynamoDB's 400 KB otherwise). TTL removes items after {@link #KEPT}.
 */
public class IdempotencyRecords {
    /** How long a key's answer is replayed. */
    public static final Duration KEPT = Duration.ofHours(24);
    /** A request running longer than this has stopped (the functions' timeouts are at most 29 s). */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(60);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    /** What a key holds when a request arrives with it. */
    public sealed interface Outcome permits Started, Running, OtherRequest, Answered {
    }

    /** The key was free: this request runs, and {@link #finish} or {@link #release} must follow. */
    public record Started(long startedAt) implements Outcome {
    }

    /** The same request is running under the key. */
    public record Running() implements Outcome {
    }

    /** The key was used for a different request. */
    public record OtherRequest() implements Outcome {
    }

    /** The key's request has answered: this answer. */
    public record Answered(int status, Map<String, String> headers, String body) implements Outcome {
    }

    @Inject
    public IdempotencyRecords(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.IDEMPOTENCY_KEYS.nameVariable());
        this.clock = clock;
    }

    /** Claims the key for a request with this fingerprint, or says what the key already holds. */
    public Outcome begin(String accountId, String key, String fingerprint) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long now = clock.millis();
            Map<String, AttributeValue> item = new HashMap<>(key(accountId, key));
            item.put("fingerprint", s(fingerprint));
            item.put("state", s("running"));
            item.put("started_at", n(now));
            item.put("expires_at", n((now + KEPT.toMillis()) / 1000));
            try {
                // Free, expired (TTL deletes late), or the same request abandoned by a run that stopped.
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(
                                "attribute_not_exists(account_id) OR expires_at < :now_s OR (#state = :running "
                                        + "AND started_at < :abandoned AND fingerprint = :fingerprint)")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":now_s", n(now / 1000), ":running", s("running"),
                                ":abandoned", n(now - ABANDONED_AFTER.toMillis()), ":fingerprint", s(fingerprint))));
                return new Started(now);
            } catch (ConditionalCheckFailedException taken) {
                Map<String, AttributeValue> held = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(key(accountId, key))).item();
                if (!found(held)) {
                    continue; // released meanwhile: claim it
                }
                if (!fingerprint.equals(held.get("fingerprint").s())) {
                    return new OtherRequest();
                }
                if ("running".equals(held.get("state").s())) {
                    return new Running();
                }
                Map<String, String> headers = new TreeMap<>();
                held.getOrDefault("headers", AttributeValue.fromM(Map.of())).m().forEach((k, v) -> headers.put(k, v.s()));
                String body = held.containsKey("body") ? gunzip(held.get("body").b().asByteArray()) : null;
                return new Answered((int) number(held, "status"), headers, body);
            }
        }
        return new Running(); // claimed and released over and over: another request is at it
    }

    /** Keeps the answer of the request that {@code started} the key, for replay. */
    public void finish(String accountId, String key, Started started, int status, Map<String, String> headers,
                       String body) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":done", s("done"));
        values.put(":status", n(status));
        Map<String, AttributeValue> kept = new HashMap<>();
        headers.forEach((k, v) -> kept.put(k, s(v)));
        values.put(":headers", AttributeValue.fromM(kept));
        values.put(":started", n(started.startedAt()));
        String set = "SET #state = :done, #status = :status, headers = :headers";
        if (body != null) {
            values.put(":body", AttributeValue.fromB(SdkBytes.fromByteArray(gzip(body))));
            set += ", body = :body";
        }
        String update = set;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(accountId, key)).updateExpression(update)
                    .conditionExpression("started_at = :started")
                    .expressionAttributeNames(Map.of("#state", "state", "#status", "status"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException takenOver) {
            // this run was taken for abandoned: the run that took over keeps its own answer
        }
    }

    /** Frees the key (the request failed in a way worth retrying): the next request with it runs anew. */
    public void release(String accountId, String key, Started started) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(accountId, key))
                    .conditionExpression("started_at = :started")
                    .expressionAttributeValues(Map.of(":started", n(started.startedAt()))));
        } catch (ConditionalCheckFailedException takenOver) {
            // another run holds it now
        }
    }

    private static Map<String, AttributeValue> key(String accountId, String key) {
        return Map.of("account_id", s(accountId), "idempotency_key", s(key));
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
