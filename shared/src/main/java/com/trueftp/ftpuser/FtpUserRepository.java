package com.trueftp.ftpuser;

import com.trueftp.aws.Tables;
import com.trueftp.aws.Transactions;
import com.trueftp.core.Config;
import com.trueftp.core.Pages;
import com.trueftp.core.ConflictException;
import com.trueftp.core.Json;
import com.trueftp.core.NotAllowedException;
import com.trueftp.core.NotFoundException;
import com.trueftp.core.RandomIds;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.instant;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;
import static com.trueftp.aws.Attributes.text;

/**
 * FTP users in DynamoDB. Creating and deleting a user are transactions over the user, its username
 * (unique within the account), the account's user count (kept below the plan's limit) and the event that
 * records the change — so the count stays exact, names unique and the audit stream complete however many
 * requests race. Updates are transactions with their event too.
 */
public class FtpUserRepository {
    private static final String USER = "user#";
    private static final String USERNAME = "username#";
    private static final Pattern ID = Pattern.compile("ftp_[0-9A-Za-z]{20}");
    private static final String SSH_PUBLIC_KEYS = "ssh_public_keys";

    private final DynamoDbClient dynamo;
    private final String table;
    private final EventLog events;
    private final Clock clock;

    /** What a new user is made of; the password is already hashed. */
    public record NewUser(String username, String passwordHash, boolean canWrite, boolean enabled,
                          String homeDirectory, String description, List<SshPublicKey> sshPublicKeys) {
        /** A user who logs in with its password only. */
        public NewUser(String username, String passwordHash, boolean canWrite, boolean enabled, String homeDirectory,
                       String description) {
            this(username, passwordHash, canWrite, enabled, homeDirectory, description, List.of());
        }
    }

    /**
     * Fields to change; null leaves a field as it is ({@code description} may be cleared with "", the keys with an
     * empty list).
     */
    public record Changes(String passwordHash, Boolean canWrite, Boolean enabled, String homeDirectory,
                          String description, List<SshPublicKey> sshPublicKeys) {
    }

    @Inject
    public FtpUserRepository(DynamoDbClient dynamo, Config config, EventLog events, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.FTP_USERS.nameVariable());
        this.events = events;
        this.clock = clock;
    }

    /**
     * @throws ConflictException   if the account has a user of that name
     * @throws NotAllowedException if the account has {@code userLimit} users
     */
    public FtpUser create(String accountId, NewUser user, int userLimit) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        FtpUser created = new FtpUser(RandomIds.newSortableId("ftp", now.toEpochMilli()), accountId, user.username(),
                user.passwordHash(), user.canWrite(), user.enabled(), user.homeDirectory(), user.description(),
                now, now, null, user.sshPublicKeys());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("account_id", s(accountId));
        item.put("sk", s(USER + created.id()));
        item.put("id", s(created.id()));
        item.put("username", s(created.username()));
        item.put("password_hash", s(created.passwordHash()));
        item.put("can_write", AttributeValue.fromBool(created.canWrite()));
        item.put("enabled", AttributeValue.fromBool(created.enabled()));
        item.put("home_directory", s(created.homeDirectory()));
        if (created.description() != null) {
            item.put("description", s(created.description()));
        }
        if (!created.sshPublicKeys().isEmpty()) {
            item.put(SSH_PUBLIC_KEYS, keys(created.sshPublicKeys()));
        }
        item.put("created_at", s(Json.timestamp(now)));
        item.put("updated_at", s(Json.timestamp(now)));
        try {
            events.append(accountId, new Event.Draft(EventType.FTP_USER_CREATED, created.id(), created.username(), null, null),
                    new EventLog.AccountChange("ftp_users_used :one",
                            "attribute_not_exists(ftp_users_used) OR ftp_users_used < :limit",
                            Map.of(":one", n(1), ":limit", n(userLimit)),
                            account -> number(account, "ftp_users_used") >= userLimit),
                    List.of(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                                    .conditionExpression("attribute_not_exists(sk)")).build(),
                            TransactWriteItem.builder().put(p -> p.tableName(table)
                                    .item(Map.of("account_id", s(accountId), "sk", s(USERNAME + user.username()),
                                            "user_id", s(created.id())))
                                    .conditionExpression("attribute_not_exists(sk)")).build()));
        } catch (EventLog.AccountConditionFailed e) {
            throw quotaReached(userLimit);
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailedAt(e, 1)) {
                throw nameTaken(user.username());
            }
            throw e;
        }
        return created;
    }

    static ConflictException nameTaken(String username) {
        return new ConflictException("an ftp user named " + username + " already exists");
    }

    static NotAllowedException quotaReached(int limit) {
        return new NotAllowedException("ftp user quota reached (" + limit + ")");
    }

    /**
     * The account's user, or not found: another account's user and an id that cannot be one of ours (any other
     * shape than {@link RandomIds#newSortableId} hands out) answer like an unknown one.
     */
    public FtpUser get(String accountId, String id) {
        if (!ID.matcher(id).matches()) {
            throw notFound();
        }
        return find(accountId, id).orElseThrow(FtpUserRepository::notFound);
    }

    static NotFoundException notFound() {
        return new NotFoundException("ftp user not found");
    }

    public boolean usernameTaken(String accountId, String username) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(usernameKey(accountId, username))).item();
        return found(item);
    }

    /** The key of the item that holds a username in its account (and the id of the user who has it). */
    public static Map<String, AttributeValue> usernameKey(String accountId, String username) {
        return Map.of("account_id", s(accountId), "sk", s(USERNAME + username));
    }

    public Optional<FtpUser> find(String accountId, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(accountId, id))).item();
        return found(item) ? Optional.of(fromItem(item)) : Optional.empty();
    }

    /** A page of the account's users in creation order. Reads offset + limit items at most. */
    public List<FtpUser> list(String accountId, int offset, int limit) {
        QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("account_id = :a AND begins_with(sk, :user)")
                .expressionAttributeValues(Map.of(":a", s(accountId), ":user", s(USER)))
                .limit((int) Math.min((long) offset + limit, 1000))
                .build();
        return Pages.slice(dynamo.queryPaginator(request).items(), offset, limit, FtpUserRepository::fromItem);
    }

    /** Applies the changes; empty if the account has no such user. */
    public Optional<FtpUser> update(String accountId, String id, Changes changes) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", s(Json.timestamp(clock.instant())));
        set.add("updated_at = :now");
        if (changes.passwordHash() != null) {
            set.add("password_hash = :password");
            values.put(":password", s(changes.passwordHash()));
        }
        if (changes.canWrite() != null) {
            set.add("can_write = :can_write");
            values.put(":can_write", AttributeValue.fromBool(changes.canWrite()));
        }
        if (changes.enabled() != null) {
            set.add("enabled = :enabled");
            values.put(":enabled", AttributeValue.fromBool(changes.enabled()));
        }
        if (changes.homeDirectory() != null) {
            set.add("home_directory = :home");
            values.put(":home", s(changes.homeDirectory()));
        }
        if (changes.sshPublicKeys() != null && changes.sshPublicKeys().isEmpty()) {
            remove.add(SSH_PUBLIC_KEYS);
        } else if (changes.sshPublicKeys() != null) {
            set.add(SSH_PUBLIC_KEYS + " = :keys");
            values.put(":keys", keys(changes.sshPublicKeys()));
        }
        if (changes.description() != null && changes.description().isEmpty()) {
            remove.add("description");
        } else if (changes.description() != null) {
            set.add("description = :description");
            values.put(":description", s(changes.description()));
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        Optional<FtpUser> current = find(accountId, id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        try {
            events.append(accountId, new Event.Draft(EventType.FTP_USER_UPDATED, id, current.get().username(), null, null),
                    EventLog.AccountChange.NONE,
                    List.of(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(accountId, id))
                            .updateExpression(expression)
                            .conditionExpression("attribute_exists(sk)")
                            .expressionAttributeValues(values)).build()));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailedAt(e, 0)) {
                return Optional.empty(); // deleted meanwhile
            }
            throw e;
        }
        return find(accountId, id);
    }

    /** Removes the user, frees its name and its place in the quota; false if there was no such user. */
    public boolean delete(String accountId, String id) {
        Optional<FtpUser> user = find(accountId, id);
        if (user.isEmpty()) {
            return false;
        }
        String username = user.get().username();
        try {
            events.append(accountId, new Event.Draft(EventType.FTP_USER_DELETED, id, username, null, null),
                    new EventLog.AccountChange("ftp_users_used :minus_one", "ftp_users_used > :zero",
                            Map.of(":minus_one", n(-1), ":zero", n(0)),
                            account -> number(account, "ftp_users_used") <= 0),
                    List.of(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(accountId, id))
                                    .conditionExpression("attribute_exists(sk)")).build(),
                            TransactWriteItem.builder().delete(d -> d.tableName(table)
                                    .key(Map.of("account_id", s(accountId), "sk", s(USERNAME + username)))
                                    .conditionExpression("user_id = :id")
                                    .expressionAttributeValues(Map.of(":id", s(id)))).build()));
            return true;
        } catch (EventLog.AccountConditionFailed e) {
            return false; // the account counts no users left: another request deleted this one meanwhile
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailedAt(e, 0)) {
                return false; // deleted meanwhile by another request
            }
            throw e;
        }
    }

    static Map<String, AttributeValue> key(String accountId, String id) {
        return Map.of("account_id", s(accountId), "sk", s(USER + id));
    }

    /** Keys as their OpenSSH lines: stored as the user gave them (after checking), read back the same. */
    private static AttributeValue keys(List<SshPublicKey> keys) {
        return AttributeValue.fromL(keys.stream().map(key -> s(key.line())).toList());
    }

    static FtpUser fromItem(Map<String, AttributeValue> item) {
        List<SshPublicKey> keys = item.containsKey(SSH_PUBLIC_KEYS)
                ? item.get(SSH_PUBLIC_KEYS).l().stream().map(line -> SshPublicKey.parse(line.s(), SSH_PUBLIC_KEYS)).toList()
                : List.of();
        return new FtpUser(text(item, "id"), text(item, "account_id"), text(item, "username"),
                text(item, "password_hash"), item.get("can_write").bool(), item.get("enabled").bool(),
                text(item, "home_directory"), text(item, "description"), instant(item, "created_at"),
                instant(item, "updated_at"), instant(item, "last_login_at"), keys);
    }
}
