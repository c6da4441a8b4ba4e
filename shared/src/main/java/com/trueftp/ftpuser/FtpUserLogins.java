package com.trueftp.ftpuser;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import javax.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.s;

/**
 * The FTP users as logins see them: read one, note that it logged in. Only the users table: the login function
 * has nothing else (no events, no counts), unlike {@link FtpUserRepository}.
 */
public class FtpUserLogins {
    /** The only attribute of a user a login writes. */
    public static final String LAST_LOGIN_AT = "last_login_at";
    /** How precisely {@code last_login_at} follows logins. */
    static final Duration LOGIN_GRANULARITY = Duration.ofMinutes(1);

    private final DynamoDbClient dynamo;
    private final String table;

    @Inject
    public FtpUserLogins(DynamoDbClient dynamo, Config config) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.FTP_USERS.nameVariable());
    }

    public Optional<FtpUser> find(String accountId, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(FtpUserRepository.key(accountId, id))).item();
        return found(item) ? Optional.of(FtpUserRepository.fromItem(item)) : Optional.empty();
    }

    /**
     * Notes that the user logged in now, at most once a {@link #LOGIN_GRANULARITY}: a client that logs in for every
     * file costs no write per file. Two logins racing write once (each writes only over what it read).
     */
    public void recordLogin(FtpUser user, Instant now) {
        if (user.lastLoginAt() != null && now.isBefore(user.lastLoginAt().plus(LOGIN_GRANULARITY))) {
            return;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", s(Json.timestamp(now)));
        if (user.lastLoginAt() != null) {
            values.put(":seen", s(Json.timestamp(user.lastLoginAt())));
        }
        String unchanged = user.lastLoginAt() == null ? "attribute_not_exists(" + LAST_LOGIN_AT + ")"
                : LAST_LOGIN_AT + " = :seen";
        try {
            dynamo.updateItem(u -> u.tableName(table).key(FtpUserRepository.key(user.accountId(), user.id()))
                    .updateExpression("SET " + LAST_LOGIN_AT + " = :now")
                    .conditionExpression("attribute_exists(sk) AND " + unchanged)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Another login wrote it first, or the user is gone: either way nothing is left to note.
        }
    }
}
