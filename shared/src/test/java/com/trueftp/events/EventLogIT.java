package com.trueftp.events;

import com.trueftp.aws.Tables;

import com.trueftp.account.Plan;
import com.trueftp.core.Config;
import com.trueftp.testing.AwsUnderTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event log's numbering, paging and retention on the emulated DynamoDB. */
class EventLogIT {
    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    private final AwsUnderTest aws = AwsUnderTest.emulators();
    private String account;

    @BeforeEach
    void newAccount() {
        account = aws.accounts().create("Acme", Plan.PRO).id();
    }

    private EventLog logAt(Instant now, Duration retention) {
        Map<String, String> settings = new HashMap<>();
        for (String name : List.of("EVENTS_TABLE", "ACCOUNTS_TABLE")) {
            settings.put(name, aws.config().require(name));
        }
        settings.put(Config.EVENT_RETENTION_DAYS, Long.toString(retention.toDays()));
        return new EventLog(aws.dynamo(), Config.of(settings), Clock.fixed(now, ZoneOffset.UTC));
    }

    private EventLog log() {
        return logAt(Instant.now(), Duration.ofDays(90));
    }

    private static EventLog.Part part(int first, int count) {
        return new EventLog.Part(java.util.stream.IntStream.range(first, first + count).mapToObj(EventLogIT::draft)
                .toList(), EventLog.AccountChange.NONE, List.of());
    }

    private static Event.Draft draft(int i) {
        return new Event.Draft(EventType.FILE_UPLOADED, "ftp_user" + (i % 2), "user" + (i % 2), "/f" + i, (long) i);
    }

    private void append(EventLog log, int count) {
        for (int i = 1; i <= count; i++) {
            log.append(account, draft(i), EventLog.AccountChange.NONE, List.of());
        }
    }

    private static List<Long> seqs(EventLog.Page page) {
        return page.events().stream().map(Event::seq).toList();
    }

    @Test
    void concurrentWritersGetDenseUniqueNumbers() throws Exception {
        int writers = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Event>> written = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            written.add(pool.submit(() -> {
                start.await();
                return log().append(account, draft(n), EventLog.AccountChange.NONE, List.of());
            }));
        }
        start.countDown();
        List<Long> numbers = new ArrayList<>();
        for (Future<Event> event : written) {
            numbers.add(event.get(120, TimeUnit.SECONDS).seq());
        }
        pool.shutdown();
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, writers).boxed().toList());
        EventLog.Page all = log().page(account, 0, 200);
        assertThat(all.total()).isEqualTo(writers);
        assertThat(seqs(all)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, writers).map(i -> writers + 1 - i)
                .boxed().toList());
    }

    @Test
    void aBatchOfSeveralTransactionsTakesConsecutiveNumbersInOneTurnBesideSingleWriters() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Event>>> written = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int n = w;
            written.add(pool.submit(() -> {
                start.await();
                return n % 2 == 0 // batches of 40 in two transactions, and single events, racing
                        ? log().appendAll(account, List.of(part(n * 100, 20), part(n * 100 + 20, 20)))
                        : List.of(log().append(account, draft(n), EventLog.AccountChange.NONE, List.of()));
            }));
        }
        start.countDown();
        List<Long> numbers = new ArrayList<>();
        for (Future<List<Event>> batch : written) {
            List<Event> events = batch.get(120, TimeUnit.SECONDS);
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).seq()).isEqualTo(events.get(0).seq() + i); // one block per batch
                assertThat(events.get(i).path()).isEqualTo(events.get(0).path().replaceAll("\\d+$", "")
                        + (Integer.parseInt(events.get(0).path().substring(2)) + i));
            }
            events.forEach(e -> numbers.add(e.seq()));
        }
        pool.shutdown();
        int total = 4 * 40 + 4;
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, total)
                .boxed().toList());
        assertThat(log().page(account, 0, 200).total()).isEqualTo(total);
    }

    @Test
    void aBatchLargerThanATransactionIsRefusedBeforeAnythingIsWritten() {
        List<Event.Draft> drafts = java.util.stream.IntStream.range(0, 100).mapToObj(EventLogIT::draft).toList();

        assertThatThrownBy(() -> log().appendAll(account, List.of(new EventLog.Part(drafts, EventLog.AccountChange.NONE,
                List.of()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(log().page(account, 0, 10).total()).isZero();
    }

    @Test
    void aTurnWhoseWriterStoppedIsSkippedAndItsWriterCannotWriteLate() {
        String abandoned = aws.dynamo().updateItem(b -> b.tableName(aws.config().require("ACCOUNTS_TABLE"))
                .key(Map.of("id", AttributeValue.fromS(account))).updateExpression("ADD turn_ticket :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("turn_ticket").n();
        assertThat(abandoned).as("a writer took the first turn, then stopped").isEqualTo("1");
        long started = System.nanoTime();

        Event event = log().append(account, draft(1), EventLog.AccountChange.NONE, List.of());

        assertThat(event.seq()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the stall, then skipped it")
                .isGreaterThanOrEqualTo(AccountTurns.STALL);
        assertThat(seqs(log().page(account, 0, 10))).containsExactly(1L);
    }

    @Test
    void aRefusedChangePassesItsTurnOn() {
        EventLog.AccountChange never = new EventLog.AccountChange(null, "attribute_not_exists(id)", Map.of(),
                item -> true);
        assertThatThrownBy(() -> log().append(account, draft(1), never, List.of()))
                .isInstanceOf(EventLog.AccountConditionFailed.class);
        long started = System.nanoTime();

        assertThat(log().append(account, draft(2), EventLog.AccountChange.NONE, List.of()).seq()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no stall to wait for").isLessThan(AccountTurns.STALL);
    }

    @Test
    void anOffsetIsAKeyRangeFromTheNewest() {
        append(log(), 7);
        assertThat(seqs(log().page(account, 0, 3))).containsExactly(7L, 6L, 5L);
        assertThat(seqs(log().page(account, 5, 3))).containsExactly(2L, 1L);
        assertThat(seqs(log().page(account, 7, 3))).isEmpty();
        assertThat(seqs(log().page(account, 1_000_000, 3))).isEmpty();
        assertThat(log().page(account, 5, 3).total()).isEqualTo(7);
        Event newest = log().page(account, 0, 1).events().get(0);
        assertThat(newest.toJson()).containsEntry("type", "file.uploaded").containsEntry("path", "/f7")
                .containsEntry("size", 7L).containsEntry("source", "api").containsEntry("ftp_user_id", "ftp_user1");
    }

    @Test
    void expiredEventsLeaveTheTotalAndThePagesWhileNumbersStay() {
        Duration retention = Duration.ofDays(1);
        for (int i = 1; i <= 6; i++) { // one event an hour, from T
            logAt(T.plus(Duration.ofHours(i - 1)), retention).append(account, draft(i), EventLog.AccountChange.NONE, List.of());
        }
        EventLog before = logAt(T.plus(Duration.ofHours(23)), retention);
        assertThat(before.page(account, 0, 10).total()).isEqualTo(6);

        // 2 h 30 min after the first day: events 1..3 (T, T+1h, T+2h) have expired.
        EventLog after = logAt(T.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(150)), retention);
        EventLog.Page page = after.page(account, 0, 10);
        assertThat(page.total()).isEqualTo(3);
        assertThat(seqs(page)).containsExactly(6L, 5L, 4L);
        assertThat(seqs(after.page(account, 2, 10))).containsExactly(4L);
        assertThat(seqs(after.page(account, 3, 10))).isEmpty();
        // Asked again, the same answer: readers search from the watermark and never move it (a read writes nothing).
        assertThat(after.page(account, 0, 10).total()).isEqualTo(3);
        assertThat(watermark()).isNull();

        EventLog allGone = logAt(T.plus(Duration.ofDays(3)), retention);
        assertThat(allGone.page(account, 0, 10)).isEqualTo(new EventLog.Page(List.of(), 0));
    }

    @Test
    void writersMoveTheRetentionWatermarkOnEveryThousandEvents() {
        Duration retention = Duration.ofDays(1);
        EventLog then = logAt(T, retention);
        for (int written = 0; written < 999; written += 99) {
            List<Event.Draft> batch = new ArrayList<>();
            for (int i = written; i < Math.min(999, written + 99); i++) {
                batch.add(draft(i + 1));
            }
            then.appendAll(account, List.of(new EventLog.Part(batch, EventLog.AccountChange.NONE, List.of())));
        }
        assertThat(watermark()).isNull();

        // The thousandth, two days later: the 999 before it have expired, and its writer says so.
        logAt(T.plus(Duration.ofDays(2)), retention).append(account, draft(1000), EventLog.AccountChange.NONE, List.of());

        assertThat(watermark()).isEqualTo("1000");
        assertThat(logAt(T.plus(Duration.ofDays(2)), retention).page(account, 0, 10).total()).isEqualTo(1);
    }

    /** The saved watermark ({@code events_from} of the account's item 0 in the events table), or null. */
    private String watermark() {
        var item = aws.dynamo().getItem(b -> b.tableName(aws.config().require(Tables.EVENTS.nameVariable()))
                .consistentRead(true).key(Map.of("account_id", AttributeValue.fromS(account),
                        "seq", AttributeValue.fromN("0")))).item();
        return item == null || !item.containsKey(EventLog.RETAINED_FROM) ? null : item.get(EventLog.RETAINED_FROM).n();
    }

    @Test
    void filtersCountWhatTheyMatch() {
        append(log(), 6);
        EventLog.Page byUser = log().filtered(account, null, "ftp_user1", 0, 2);
        assertThat(byUser.total()).isEqualTo(3);
        assertThat(seqs(byUser)).containsExactly(5L, 3L);
        assertThat(seqs(log().filtered(account, null, "ftp_user1", 2, 2))).containsExactly(1L);
        assertThat(log().filtered(account, EventType.FILE_DELETED, null, 0, 10).total()).isZero();
        assertThat(log().filtered(account, EventType.FILE_UPLOADED, "ftp_user0", 0, 10).total()).isEqualTo(3);
    }

    @Test
    void anotherAccountsEventsAreNeverSeen() {
        append(log(), 2);
        String other = aws.accounts().create("Other", Plan.PRO).id();
        assertThat(log().page(other, 0, 10).total()).isZero();
        assertThat(log().filtered(other, EventType.FILE_UPLOADED, null, 0, 10).total()).isZero();
    }
}
