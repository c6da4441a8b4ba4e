package com.trueftp.events;

import com.trueftp.core.UnavailableException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/**
 * Writers of one account's events take turns, first come first served, like customers with numbered tickets:
 * a writer takes the next ticket ({@code turn_ticket}, one atomic ADD that never conflicts), waits until the
 * turn before it is done ({@code turn_done}), then writes its event with the condition that the turn is still
 * its own and marks it done in the same transaction (a batch too large for one transaction writes several in its
 * turn, the last marking it done). Racing writers therefore never waste each other's work,
 * and each waits about the turns ahead of it, however many race. A writer whose change is refused passes its
 * turn on; a turn that neither ends nor writes an event within {@link #STALL} (its writer stopped) is skipped by a writer behind it, and
 * every write being conditional on its turn, a writer that wakes up late cannot write out of turn.
 */
final class AccountTurns {
    static final String TICKET = "turn_ticket";
    static final String DONE = "turn_done";
    /** A turn's holder needs at most two calls (4.5 s each at worst, milliseconds normally) to end it. */
    static final Duration STALL = Duration.ofSeconds(3);
    /**
     * Right after a skip, the turns that follow are likely abandoned too (writers that gave up in the same
     * outage, tickets the outage applied late): a live holder notices its turn within one poll, so these get
     * less time. A live holder skipped by mistake only queues again.
     */
    static final Duration STALL_AFTER_SKIP = Duration.ofMillis(300);
    /** Polling gets slower the further back a writer is in the queue and the longer a turn lasts, up to this. */
    private static final long MAX_POLL_MILLIS = 50;

    private final DynamoDbClient dynamo;
    private final String accounts;

    AccountTurns(DynamoDbClient dynamo, String accounts) {
        this.dynamo = dynamo;
        this.accounts = accounts;
    }

    /** The account's state when a writer's turn has come. */
    record Turn(long ticket, long latestEvent) {
    }

    /** A new ticket: the number of the writer's turn. */
    long take(String accountId) {
        Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(accounts).key(key(accountId))
                .updateExpression("ADD " + TICKET + " :one")
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        return number(updated, TICKET);
    }

    /**
     * Waits until the turn before {@code ticket} is done, skipping it if it stalls.
     *
     * @return the turn, or null when a later writer skipped this ticket (take a new one)
     * @throws UnavailableException past {@code deadline} (System.nanoTime)
     */
    Turn await(String accountId, long ticket, long deadline) {
        long seenDone = -1;
        long seenLatest = -1;
        long seenAt = System.nanoTime();
        Duration stall = STALL;
        while (true) {
            Map<String, AttributeValue> account = dynamo.getItem(b -> b.tableName(accounts).consistentRead(true)
                    .key(key(accountId)).projectionExpression(DONE + ", " + EventLog.EVENT_NUMBER)).item();
            long done = number(account, DONE);
            if (done >= ticket) {
                return null;
            }
            if (done == ticket - 1) {
                return new Turn(ticket, number(account, EventLog.EVENT_NUMBER));
            }
            long now = System.nanoTime();
            long latest = number(account, EventLog.EVENT_NUMBER);
            if (done != seenDone) {
                seenDone = done;
                seenLatest = latest;
                seenAt = now;
            } else if (latest != seenLatest) {
                seenLatest = latest; // a turn of several transactions is alive while its events are written
                seenAt = now;
            } else if (now - seenAt > stall.toNanos()) {
                pass(accountId, done + 1); // its writer stopped: any writer behind it skips it (once: conditional)
                stall = STALL_AFTER_SKIP;
                continue;
            }
            if (now > deadline) {
                throw new UnavailableException(); // a turn this far away: the account is extraordinarily busy
            }
            // A long turn (a batch of several transactions) is polled at a quarter of its age, not every few ms.
            long age = (now - seenAt) / 1_000_000;
            sleep(Math.min(MAX_POLL_MILLIS, Math.max(2 * (ticket - 1 - done), age / 4)));
        }
    }

    /** Marks {@code ticket} done if it is the next turn; a turn already done or skipped is left as it is. */
    void pass(String accountId, long ticket) {
        try {
            dynamo.updateItem(b -> b.tableName(accounts).key(key(accountId))
                    .updateExpression("SET " + DONE + " = :ticket")
                    .conditionExpression(isNext(ticket))
                    .expressionAttributeValues(Map.of(":previous", n(ticket - 1), ":ticket", n(ticket))));
        } catch (ConditionalCheckFailedException alreadyPassed) {
            // done, skipped or passed by someone else
        }
    }

    /** The condition that {@code ticket} is the next turn ({@code :previous} is {@code ticket - 1}). */
    static String isNext(long ticket) {
        return ticket == 1 ? "(attribute_not_exists(" + DONE + ") OR " + DONE + " = :previous)" : DONE + " = :previous";
    }

    private static Map<String, AttributeValue> key(String accountId) {
        return Map.of("id", s(accountId));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException();
        }
    }
}
