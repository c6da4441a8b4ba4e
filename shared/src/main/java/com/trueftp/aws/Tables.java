package com.trueftp.aws;

import java.util.List;

/** Every table of the stack. */
public final class Tables {
    private Tables() {
    }

    public static final TableSpec ACCOUNTS = new TableSpec("accounts", "ACCOUNTS_TABLE",
            TableSpec.Key.string("id"), null, List.of(), null);

    /** Keyed by the token's SHA-256 so the authorizer needs one strongly consistent read. */
    public static final TableSpec API_KEYS = new TableSpec("api-keys", "API_KEYS_TABLE",
            TableSpec.Key.string("token_hash"), null,
            List.of(new TableSpec.Index(ApiKeysIndexes.BY_ACCOUNT, TableSpec.Key.string("account_id"), TableSpec.Key.string("id")),
                    new TableSpec.Index(ApiKeysIndexes.BY_ID, TableSpec.Key.string("id"), null)),
            null);

    /** One counter per key and clock hour; TTL removes it after the window. */
    public static final TableSpec RATE_LIMITS = new TableSpec("rate-limits", "RATE_LIMITS_TABLE",
            TableSpec.Key.string("counter_id"), null, List.of(), "expires_at");

    /**
     * FTP users of an account under one partition: {@code user#<id>} items (ids sort by creation time) and
     * one {@code username#<name>} item per user that keeps usernames unique within the account.
     */
    public static final TableSpec FTP_USERS = new TableSpec("ftp-users", "FTP_USERS_TABLE",
            TableSpec.Key.string("account_id"), TableSpec.Key.string("sk"), List.of(), null);

    /**
     * Events of an account by their number ({@code seq}, dense from 1), so that an offset is a key range.
     * TTL removes them after the retention time; readers never rely on that having happened.
     */
    public static final TableSpec EVENTS = new TableSpec("events", "EVENTS_TABLE",
            TableSpec.Key.string("account_id"), TableSpec.Key.number("seq"), List.of(), "expires_at");

    /**
     * What each account has on record of its files, under the account: {@code file#<key>} (each object's size
     * and ETag as last recorded), {@code change#<digest>} (the changes recorded, TTL 30 days) and the quota's
     * reservations ({@code reservation#<expiry>#<id>}, TTL). A table of its own, so that the functions that write
     * it cannot write FTP users.
     */
    public static final TableSpec FILE_RECORDS = new TableSpec("file-records", "FILE_RECORDS_TABLE",
            TableSpec.Key.string("account_id"), TableSpec.Key.string("sk"), List.of(), "expires_at");

    /** The answers of POSTs sent with an {@code Idempotency-Key}, per account and key; TTL removes them after a day. */
    public static final TableSpec IDEMPOTENCY_KEYS = new TableSpec("idempotency-keys", "IDEMPOTENCY_KEYS_TABLE",
            TableSpec.Key.string("account_id"), TableSpec.Key.string("idempotency_key"), List.of(), "expires_at");

    /**
     * An account's webhooks under one partition: {@code webhook#<id>} items (ids sort by creation time) and one
     * {@code count} item that keeps their number under the limit. The signing secrets live here: on AWS the
     * table is encrypted with its own KMS key.
     */
    public static final TableSpec WEBHOOKS = new TableSpec("webhooks", "WEBHOOKS_TABLE",
            TableSpec.Key.string("account_id"), TableSpec.Key.string("sk"), List.of(), null);

    /** Every delivery attempt of a webhook by its id (ids sort by time: newest first is a reversed query); TTL 30 days. */
    public static final TableSpec WEBHOOK_DELIVERIES = new TableSpec("webhook-deliveries", "WEBHOOK_DELIVERIES_TABLE",
            TableSpec.Key.string("webhook_id"), TableSpec.Key.string("id"), List.of(), "expires_at");

    public static final List<TableSpec> ALL = List.of(ACCOUNTS, API_KEYS, RATE_LIMITS, FTP_USERS, EVENTS, FILE_RECORDS,
            IDEMPOTENCY_KEYS, WEBHOOKS, WEBHOOK_DELIVERIES);

    public static final class ApiKeysIndexes {
        public static final String BY_ACCOUNT = "by-account";
        public static final String BY_ID = "by-id";

        private ApiKeysIndexes() {
        }
    }
}
