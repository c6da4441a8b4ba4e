package com.trueftp.sftp;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.ftpuser.FtpUserRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import javax.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.n;

/**
 * Failed logins per login name, against guessing: after {@value #MAX_FAILURES} refused password attempts within
 * {@link #WINDOW} (counted from the first), the name is locked for {@link #LOCKOUT}; a login resets the count. The
 * counters live on the item that holds the username in its account (it exists exactly when the login does), so a
 * name nobody has is never written and costs the same one conditional write as a real one.
 */
public class LoginAttempts {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    private static final String FAILURES = "failed_logins";
    private static final String SINCE = "failures_since";
    private static final String LOCKED_UNTIL = "locked_until";
    /** The only attributes of a username item a login writes. */
    public static final List<String> ATTRIBUTES = List.of(FAILURES, SINCE, LOCKED_UNTIL);

    private final DynamoDbClient dynamo;
    private final String table;

    /**
     * What is on record for a login name.
     *
     * @param userId        the user who has the name; empty when no one does
     * @param failuresSince when the current count began (null: no failures counted)
     * @param lockedUntil   null when the name was never locked
     */
    public record Standing(String accountId, String username, Optional<String> userId, long failures,
                           Instant failuresSince, Instant lockedUntil) {
        public boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        boolean countingAt(Instant now) {
            return failuresSince != null && now.isBefore(failuresSince.plus(WINDOW));
        }
    }

    @Inject
    public LoginAttempts(DynamoDbClient dynamo, Config config) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.FTP_USERS.nameVariable());
    }

    public Standing read(String accountId, String username) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(FtpUserRepository.usernameKey(accountId, username))).item();
        if (!found(item)) {
            return new Standing(accountId, username, Optional.empty(), 0, null, null);
        }
        return new Standing(accountId, username, Optional.of(item.get("user_id").s()), longOf(item, FAILURES),
                instantOf(item, SINCE), instantOf(item, LOCKED_UNTIL));
    }

    /**
     * Counts a refused attempt: one conditional write whether or not the name exists (the condition fails when
     * it does not), and a second one only on the attempt that locks the name. Two first failures racing in a
     * new window may count as one: a guesser gains at most one try per window from it.
     */
    public void failed(Standing standing, Instant now) {
        try {
            if (standing.lockedAt(now) || standing.countingAt(now)) {
                Map<String, AttributeValue> counted = dynamo.updateItem(u -> u.tableName(table).key(key(standing))
                        .updateExpression("ADD " + FAILURES + " :one")
                        .conditionExpression("attribute_exists(sk)")
                        .expressionAttributeValues(Map.of(":one", n(1)))
                        .returnValues(ReturnValue.UPDATED_NEW)).attributes();
                if (!standing.lockedAt(now) && longOf(counted, FAILURES) >= MAX_FAILURES) {
                    dynamo.updateItem(u -> u.tableName(table).key(key(standing))
                            .updateExpression("SET " + LOCKED_UNTIL + " = :until")
                            .conditionExpression("attribute_exists(sk)")
                            .expressionAttributeValues(Map.of(":until", n(now.plus(LOCKOUT).toEpochMilli()))));
                }
            } else {
                Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1),
                        ":now", n(now.toEpochMilli())));
                if (standing.failuresSince() != null) {
                    values.put(":seen", n(standing.failuresSince().toEpochMilli()));
                }
                String unchanged = standing.failuresSince() == null ? "attribute_not_exists(" + SINCE + ")"
                        : SINCE + " = :seen";
                dynamo.updateItem(u -> u.tableName(table).key(key(standing))
                        .updateExpression("SET " + FAILURES + " = :one, " + SINCE + " = :now REMOVE " + LOCKED_UNTIL)
                        .conditionExpression("attribute_exists(sk) AND " + unchanged)
                        .expressionAttributeValues(values));
            }
        } catch (ConditionalCheckFailedException noSuchLoginOrRaced) {
            // No such name: nothing to count. Or another attempt began the new window first.
        }
    }

    /** A login clears what was counted (no write when nothing was). */
    public void succeeded(Standing standing) {
        if (standing.failures() == 0 && standing.failuresSince() == null && standing.lockedUntil() == null) {
            return;
        }
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(standing))
                    .updateExpression("SET " + FAILURES + " = :zero REMOVE " + SINCE + ", " + LOCKED_UNTIL)
                    .conditionExpression("attribute_exists(sk)")
                    .expressionAttributeValues(Map.of(":zero", n(0))));
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            // The user went away between the read and now: nothing to clear.
        }
    }

    private static Map<String, AttributeValue> key(Standing standing) {
        return FtpUserRepository.usernameKey(standing.accountId(), standing.username());
    }

    private static long longOf(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
    }

    private static Instant instantOf(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.ofEpochMilli(Long.parseLong(item.get(name).n())) : null;
    }
}
