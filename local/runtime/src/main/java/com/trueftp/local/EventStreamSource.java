package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.events.EventLog;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.LocalSettings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/**
 * The events table's stream, which the DynamoDB emulator lacks: every 100 ms it looks for accounts whose latest
 * event number has moved, reads their new events in order and hands them to the function as a
 * {@link DynamodbEvent} of INSERT records with new images, as Lambda's stream event source would. A batch the
 * handler fails is handed over again on the next round. How far each account has been handed over is kept
 * under the data directory, so that events written just before a restart still go out after it.
 */
final class EventStreamSource implements AutoCloseable {
    static final int BATCH = 100;
    private static final long PERIOD_MS = 100;

    private final DynamoDbClient dynamo;
    private final String accounts;
    private final String events;
    private final String streamArn;
    private final RequestHandler<DynamodbEvent, ?> handler;
    private final LambdaFunction function;
    private final LogLevel logLevel;
    private final Path positionsFile;
    private final Map<String, Long> handedOver = new HashMap<>();
    private final ScheduledExecutorService poller;

    /** @param dataDir where positions are kept, or null to start from the latest events (in-memory runtimes) */
    @SuppressWarnings({"unchecked", "FutureReturnValueIgnored"})
    EventStreamSource(DynamoDbClient dynamo, Config config, LambdaFunction function, Path dataDir, LogLevel logLevel) {
        this.dynamo = dynamo;
        this.accounts = config.require(Tables.ACCOUNTS.nameVariable());
        this.events = config.require(Tables.EVENTS.nameVariable());
        this.streamArn = "arn:aws:dynamodb:" + LocalSettings.REGION + ":" + LocalSettings.ACCOUNT_ID + ":table/"
                + events + "/stream/local";
        this.function = function;
        this.handler = (RequestHandler<DynamodbEvent, ?>) LambdaHandlers.create(function);
        this.logLevel = logLevel;
        this.positionsFile = dataDir == null ? null : dataDir.resolve("event-stream-positions");
        loadPositions();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, function.id() + "-stream");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::round, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void loadPositions() {
        if (positionsFile != null && Files.exists(positionsFile)) {
            Properties saved = new Properties();
            try (var in = Files.newInputStream(positionsFile)) {
                saved.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            saved.forEach((account, seq) -> handedOver.put(account.toString(), Long.parseLong(seq.toString())));
            return;
        }
        // A fresh start hands over what is written from now on, as a new stream would.
        latestNumbers().forEach(handedOver::put);
    }

    private void round() {
        try {
            latestNumbers().forEach((account, latest) -> {
                long from = handedOver.getOrDefault(account, 0L);
                while (from < latest && handOver(account, from)) {
                    from = handedOver.get(account);
                }
            });
        } catch (RuntimeException e) {
            System.err.println(function.id() + " stream: " + e.getMessage()); // tried again next round
        }
    }

    private Map<String, Long> latestNumbers() {
        Map<String, Long> latest = new HashMap<>();
        dynamo.scanPaginator(r -> r.tableName(accounts).consistentRead(true)
                        .projectionExpression("id, " + EventLog.EVENT_NUMBER))
                .items().forEach(item -> latest.put(item.get("id").s(), number(item, EventLog.EVENT_NUMBER)));
        return latest;
    }

    /** Hands over the account's next events after {@code after}, in order, stopping at a gap. @return true if any */
    private boolean handOver(String account, long after) {
        List<Map<String, AttributeValue>> items = dynamo.query(q -> q.tableName(events).consistentRead(true)
                .keyConditionExpression("account_id = :a AND seq > :after")
                .expressionAttributeValues(Map.of(":a", s(account), ":after", n(after)))
                .limit(BATCH)).items();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        long last = after;
        for (Map<String, AttributeValue> item : items) {
            long seq = number(item, "seq");
            if (seq != last + 1) {
                break; // the next event's transaction is not visible yet
            }
            records.add(record(item, seq));
            last = seq;
        }
        if (records.isEmpty()) {
            return false;
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records);
        try {
            handler.handleRequest(event, new LocalContext(function.id(), logLevel));
        } catch (RuntimeException e) {
            System.err.println(function.id() + " failed a batch of " + records.size() + ": " + e);
            return false;
        }
        handedOver.put(account, last);
        savePositions();
        return true;
    }

    private DynamodbEvent.DynamodbStreamRecord record(Map<String, AttributeValue> item, long seq) {
        StreamRecord stream = new StreamRecord();
        stream.setNewImage(StreamImages.fromSdk(item));
        stream.setKeys(StreamImages.fromSdk(Map.of("account_id", item.get("account_id"), "seq", item.get("seq"))));
        stream.setSequenceNumber(Long.toString(seq));
        stream.setStreamViewType(StreamViewType.NEW_IMAGE);
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion(LocalSettings.REGION);
        record.setEventSourceARN(streamArn);
        record.setDynamodb(stream);
        return record;
    }

    private void savePositions() {
        if (positionsFile == null) {
            return;
        }
        Properties positions = new Properties();
        handedOver.forEach((account, seq) -> positions.setProperty(account, Long.toString(seq)));
        try (var out = Files.newOutputStream(positionsFile)) {
            positions.store(out, "events handed to " + function.id() + ", per account");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dynamo.close();
    }
}
