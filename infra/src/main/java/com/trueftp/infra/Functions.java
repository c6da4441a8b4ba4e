package com.trueftp.infra;

import com.trueftp.account.AccountRepository;
import com.trueftp.aws.Queues;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.events.EventLog;
import com.trueftp.ftpuser.FtpUserLogins;
import com.trueftp.sftp.LoginAttempts;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.StackOutputs;
import com.trueftp.webhooks.WebhookRepository;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.FilterRule;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Lambda functions, one per {@link LambdaFunction}, each with its jar, its own log group and only the
 * permissions its code needs.
 */
final class Functions {
    private final Stack stack;
    private final Database database;
    private final FileStorage files;
    private final MessageQueues queues;
    private final Role sftpSessionRole;
    private final Path repoRoot;
    private final long eventRetentionDays;
    private final Map<LambdaFunction, Function> functions = new EnumMap<>(LambdaFunction.class);
    /**
     * Dispatchers at once, at most: enough for a few hundred deliveries a second; a slow receiver is paused by
     * its circuit breaker long before it could take them all.
     */
    static final int DISPATCHER_MAX_CONCURRENCY = 50;
    /** File-activity instances at once: the event numbering of a busy account takes turns anyway. */
    static final int FILE_ACTIVITY_MAX_CONCURRENCY = 5;

    /**
     * Builds into the stack's own scope: see {@link TrueFtpStack}. The jars are read from
     * {@code <repoRoot>/functions/<id>/target/lambda.jar}.
     */
    Functions(Stack stack, Database database, FileStorage files, MessageQueues queues, Role sftpSessionRole,
              Path repoRoot, long eventRetentionDays) {
        this.stack = stack;
        this.database = database;
        this.files = files;
        this.queues = queues;
        this.sftpSessionRole = sftpSessionRole;
        this.repoRoot = repoRoot;
        this.eventRetentionDays = eventRetentionDays;
        for (LambdaFunction f : LambdaFunction.values()) {
            functions.put(f, create(f));
        }
    }

    Function get(LambdaFunction f) {
        return functions.get(f);
    }

    /** Exhaustive over the enum: a new function does not compile until it is wired here. */
    private Function create(LambdaFunction f) {
        return switch (f) {
            case AUTHORIZER -> createAuthorizerFunction();
            case ACCOUNT -> createAccountFunction();
            case FTP_USERS -> createFtpUsersFunction();
            case EVENTS -> createEventsFunction();
            case FILES -> createFilesFunction();
            case WEBHOOKS -> createWebhooksFunction();
            case WEBHOOK_FANOUT -> createWebhookFanOutFunction();
            case WEBHOOK_DISPATCHER -> createWebhookDispatcherFunction();
            case FILE_ACTIVITY -> createFileActivityFunction();
            case SFTP_AUTH -> createSftpAuthFunction();
            case OPENAPI -> createOpenApiFunction();
        };
    }

    private Function createAuthorizerFunction() {
        // Memory buys CPU, and a cold JVM here delays every uncached request: keep the full 1024 MB.
        Function fn = function(LambdaFunction.AUTHORIZER, Duration.seconds(10), Tables.API_KEYS, Tables.ACCOUNTS);
        // It reads one key (by token hash) and its account, and nothing else.
        getItemOnly(fn, Tables.API_KEYS, Tables.ACCOUNTS);
        return fn;
    }

    private Function createAccountFunction() {
        Function fn = function(LambdaFunction.ACCOUNT, Duration.seconds(15), Tables.ACCOUNTS, Tables.RATE_LIMITS);
        getItemOnly(fn, Tables.ACCOUNTS);
        countsRequests(fn);
        return fn;
    }

    private Function createFtpUsersFunction() {
        // Deleting a user deletes its files, 1,000 per call: room up to API Gateway's 29 s.
        Function fn = function(LambdaFunction.FTP_USERS, Duration.seconds(29), Tables.FTP_USERS, Tables.ACCOUNTS,
                Tables.RATE_LIMITS, Tables.EVENTS, Tables.FILE_RECORDS, Tables.IDEMPOTENCY_KEYS);
        // Users and their username items; transactions need the item actions of each table they touch.
        allow(fn, Tables.FTP_USERS, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem");
        // Reads of the account; of its attributes, only the user count, the storage count (a deleted user's
        // files) and the event number.
        allow(fn, Tables.ACCOUNTS, "dynamodb:GetItem");
        updateOnly(fn, Tables.ACCOUNTS, AccountRepository.ID, AccountRepository.FTP_USERS_USED,
                AccountRepository.STORAGE_USED, EventLog.EVENT_NUMBER, EventLog.TURN_TICKET, EventLog.TURN_DONE);
        appendsEvents(fn);
        // A deleted user's files are recorded as removed: their records read and written, their changes claimed,
        // the folder marked as being deleted meanwhile.
        allow(fn, Tables.FILE_RECORDS, "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:DeleteItem");
        keepsIdempotencyKeys(fn);
        // Deleting a user deletes its files (a deletion conditional on the version listed needs GetObject too).
        usesFiles(fn);
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:DeleteObject"))
                .resources(List.of(files.bucket().arnForObjects("*")))
                .build());
        countsRequests(fn);
        return fn;
    }

    private Function createEventsFunction() {
        Function fn = function(LambdaFunction.EVENTS, Duration.seconds(15), Tables.EVENTS, Tables.ACCOUNTS,
                Tables.RATE_LIMITS);
        // Pages, read only (the retention watermark is moved on by the writers).
        allow(fn, Tables.EVENTS, "dynamodb:GetItem", "dynamodb:Query");
        // The latest event number only: this function never writes accounts.
        allow(fn, Tables.ACCOUNTS, "dynamodb:GetItem");
        countsRequests(fn);
        return fn;
    }

    private Function createFilesFunction() {
        // Folder deletes take one list and one delete call per 1,000 objects: room up to API Gateway's 29 s.
        Function fn = function(LambdaFunction.FILES, Duration.seconds(29), Tables.FTP_USERS, Tables.ACCOUNTS,
                Tables.RATE_LIMITS, Tables.EVENTS, Tables.FILE_RECORDS, Tables.IDEMPOTENCY_KEYS);
        usesFiles(fn);
        // HeadObject and the presigned GET need GetObject; PUT and multipart uploads (presigned too) PutObject;
        // a presigned abort of a multipart upload AbortMultipartUpload.
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"))
                .resources(List.of(files.bucket().arnForObjects("*")))
                .build());
        fn.addEnvironment(Config.CURSOR_SECRET, files.cursorSecret().getSecretValue().unsafeUnwrap());
        fn.addEnvironment(Config.DOWNLOAD_URL_TTL_SECONDS, Long.toString(Config.DEFAULT_DOWNLOAD_URL_TTL.toSeconds()));
        fn.addEnvironment(Config.UPLOAD_URL_TTL_SECONDS, Long.toString(Config.DEFAULT_UPLOAD_URL_TTL.toSeconds()));
        // The user, read only.
        allow(fn, Tables.FTP_USERS, "dynamodb:GetItem");
        recordsFileChanges(fn);
        keepsIdempotencyKeys(fn);
        countsRequests(fn);
        return fn;
    }

    private Function createWebhooksFunction() {
        Function fn = function(LambdaFunction.WEBHOOKS, Duration.seconds(15), Tables.WEBHOOKS,
                Tables.WEBHOOK_DELIVERIES, Tables.RATE_LIMITS, Tables.IDEMPOTENCY_KEYS);
        // Webhooks and the account's webhook count (transactions need the item actions); the secrets need the key.
        allow(fn, Tables.WEBHOOKS, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem");
        database.webhookSecretsKey().grantEncryptDecrypt(fn);
        // The deliveries log, read only.
        allow(fn, Tables.WEBHOOK_DELIVERIES, "dynamodb:GetItem", "dynamodb:Query");
        // Ping and redeliver queue a delivery.
        sendsDeliveries(fn);
        keepsIdempotencyKeys(fn);
        countsRequests(fn);
        return fn;
    }

    /**
     * The events table's stream, new events only (a filter drops updates of the retention watermark and TTL
     * removals), batches halved on error and, once retries are spent, recorded in a dead-letter queue.
     */
    private Function createWebhookFanOutFunction() {
        Function fn = function(LambdaFunction.WEBHOOK_FANOUT, Duration.seconds(30), Tables.WEBHOOKS);
        allow(fn, Tables.WEBHOOKS, "dynamodb:Query");
        database.webhookSecretsKey().grantDecrypt(fn);
        sendsDeliveries(fn);
        fn.addEventSource(DynamoEventSource.Builder.create(database.table(Tables.EVENTS))
                // From the oldest record kept: a mapping made again must not skip what was written meanwhile.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(100)
                .maxBatchingWindow(Duration.millis(0))
                .bisectBatchOnError(true)
                .retryAttempts(10)
                .onFailure(new SqsDlq(queues.fanOutFailures()))
                .filters(List.of(FilterCriteria.filter(Map.of("eventName", FilterRule.isEqual("INSERT")))))
                .build());
        return fn;
    }

    /**
     * The deliveries queue, ten jobs at a time sent side by side, failures reported per message; it reads
     * webhooks, writes their health and the deliveries log, and queues retries. Nothing else.
     */
    private Function createWebhookDispatcherFunction() {
        Function fn = function(LambdaFunction.WEBHOOK_DISPATCHER, Duration.seconds(60), Tables.WEBHOOKS,
                Tables.WEBHOOK_DELIVERIES);
        fn.addEnvironment(Config.WEBHOOK_ALLOW_PRIVATE_TARGETS, "false");
        allow(fn, Tables.WEBHOOKS, "dynamodb:GetItem");
        updateOnly(fn, Tables.WEBHOOKS, WebhookRepository.HEALTH_ATTRIBUTES.toArray(String[]::new));
        database.webhookSecretsKey().grantDecrypt(fn);
        allow(fn, Tables.WEBHOOK_DELIVERIES, "dynamodb:PutItem");
        sendsDeliveries(fn);
        fn.addEventSource(SqsEventSource.Builder.create(queues.deliveries())
                .batchSize(10)
                .reportBatchItemFailures(true)
                .maxConcurrency(DISPATCHER_MAX_CONCURRENCY)
                .build());
        return fn;
    }

    /**
     * S3's notifications of the files bucket, up to 100 in a batch (gathered for at most a second: a batch of an
     * account's changes takes one allocation of event numbers), failures reported per message. It measures each
     * changed object, reads the owner's user, writes the files' records, claims, events and the storage count,
     * and gives back the reservation of a used upload URL. Nothing else.
     */
    private Function createFileActivityFunction() {
        Function fn = function(LambdaFunction.FILE_ACTIVITY, Duration.seconds(60), Tables.FILE_RECORDS,
                Tables.ACCOUNTS, Tables.EVENTS, Tables.FTP_USERS);
        usesFiles(fn);
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(files.bucket().arnForObjects("*")))
                .build());
        recordsFileChanges(fn);
        allow(fn, Tables.FTP_USERS, "dynamodb:GetItem");
        allow(fn, Tables.FILE_RECORDS, "dynamodb:BatchWriteItem"); // gives back used upload URLs' reservations
        // The API's own writes and upload URLs are signed by these functions' roles: S3 names them in its notifications.
        fn.addEnvironment(Config.FILES_API_PRINCIPALS, String.join(",", roleId(LambdaFunction.FILES),
                roleId(LambdaFunction.FTP_USERS)));
        // SFTP sessions act with their own role: S3 names it in the notifications of what they change.
        fn.addEnvironment(Config.SFTP_PRINCIPALS, ((CfnRole) sftpSessionRole.getNode().getDefaultChild()).getAttrRoleId());
        fn.addEventSource(SqsEventSource.Builder.create(queues.fileChanges())
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(1))
                .reportBatchItemFailures(true)
                .maxConcurrency(FILE_ACTIVITY_MAX_CONCURRENCY)
                .build());
        return fn;
    }

    /**
     * The SFTP server's identity provider: it reads a login's username item, user and account, and writes only the
     * login's failure counters and the user's {@code last_login_at}. It answers the session role and a policy for
     * the user's home folder (the bucket's name, never a grant: the server's session acts, not this function).
     */
    private Function createSftpAuthFunction() {
        Function fn = function(LambdaFunction.SFTP_AUTH, Duration.seconds(10), Tables.FTP_USERS, Tables.ACCOUNTS);
        getItemOnly(fn, Tables.FTP_USERS, Tables.ACCOUNTS);
        List<String> written = new ArrayList<>(List.of("account_id", "sk", FtpUserLogins.LAST_LOGIN_AT));
        written.addAll(LoginAttempts.ATTRIBUTES);
        updateOnly(fn, Tables.FTP_USERS, written.toArray(String[]::new));
        fn.addEnvironment(Config.FILES_BUCKET, files.bucket().getBucketName());
        fn.addEnvironment(Config.SFTP_SESSION_ROLE_ARN, sftpSessionRole.getRoleArn());
        return fn;
    }

    /** A function's role's unique id ({@code AROA…}): what S3 names as the principal of its requests. */
    private String roleId(LambdaFunction f) {
        return ((CfnRole) functions.get(f).getRole().getNode().getDefaultChild()).getAttrRoleId();
    }

    /** Serves the document in its jar: no table, no bucket, no permission beyond its logs. */
    private Function createOpenApiFunction() {
        return function(LambdaFunction.OPENAPI, Duration.seconds(10));
    }

    // ---- building blocks ----

    /** Sends to the deliveries queue (a first attempt, a retry, a ping), and knows its URL. */
    private void sendsDeliveries(Function fn) {
        fn.addEnvironment(Queues.WEBHOOK_DELIVERIES.urlVariable(), queues.deliveries().getQueueUrl());
        queues.deliveries().grantSendMessages(fn);
    }

    /** A function with its own log group and the names of the tables it uses in its environment. */
    private Function function(LambdaFunction f, Duration timeout, TableSpec... tablesUsed) {
        Map<String, String> environment = new TreeMap<>();
        for (TableSpec spec : tablesUsed) {
            environment.put(spec.nameVariable(), database.table(spec).getTableName());
        }
        // C1 only: a faster cold start, which matters more than peak speed for short requests.
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        if (List.of(tablesUsed).contains(Tables.EVENTS)) {
            environment.put(Config.EVENT_RETENTION_DAYS, Long.toString(eventRetentionDays));
        }
        String name = StackOutputs.pascal(f.id());
        return Function.Builder.create(stack, name + "Function")
                .description(f.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(jar(f))
                .handler(f.handler())
                .memorySize(1024)
                .timeout(timeout)
                .environment(environment)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .logGroup(LogGroups.create(stack, name + "Logs"))
                .build();
    }

    private Code jar(LambdaFunction f) {
        Path jar = repoRoot.resolve("functions").resolve(f.id()).resolve("target").resolve("lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " for function " + f.id()
                    + ": run mvn package first (from the repository root), or set -c "
                    + TrueFtpStack.CONTEXT_REPO_ROOT + "=DIR");
        }
        return Code.fromAsset(jar.toString());
    }

    private void allow(Function fn, TableSpec spec, String... actions) {
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of(actions))
                .resources(List.of(database.table(spec).getTableArn()))
                .build());
    }

    /**
     * UpdateItem (alone or in a transaction) that may touch only these top-level attributes, the item's key
     * among them, and return no others.
     */
    private void updateOnly(Function fn, TableSpec spec, String... attributes) {
        Map<String, Object> condition = new TreeMap<>();
        condition.put("ForAllValues:StringEquals", Map.of("dynamodb:Attributes", List.of(attributes)));
        condition.put("StringEqualsIfExists", Map.of("dynamodb:ReturnValues", List.of("NONE", "UPDATED_OLD",
                "UPDATED_NEW")));
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:UpdateItem"))
                .resources(List.of(database.table(spec).getTableArn()))
                .conditions(condition)
                .build());
    }

    /** GetItem on the tables themselves: no index, no write, no scan. */
    private void getItemOnly(Function fn, TableSpec... specs) {
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem"))
                .resources(Arrays.stream(specs).map(spec -> database.table(spec).getTableArn()).toList())
                .build());
    }

    /**
     * Records changes to files: the files' records (read, written, changes claimed) and the quota's reservations
     * (held, counted, given back); reads of the account, and of its attributes writes only the storage count
     * and the event number; and the events.
     */
    private void recordsFileChanges(Function fn) {
        allow(fn, Tables.FILE_RECORDS, "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:Query",
                "dynamodb:DeleteItem");
        allow(fn, Tables.ACCOUNTS, "dynamodb:GetItem");
        updateOnly(fn, Tables.ACCOUNTS, AccountRepository.ID, AccountRepository.STORAGE_USED, EventLog.EVENT_NUMBER,
                EventLog.TURN_TICKET, EventLog.TURN_DONE);
        appendsEvents(fn);
    }

    /**
     * Appends events: each in its change's transaction, one whose answer was lost read back, and every thousand
     * events the retention watermark moved on (the one attribute it may write there: no event can be rewritten).
     */
    private void appendsEvents(Function fn) {
        allow(fn, Tables.EVENTS, "dynamodb:PutItem", "dynamodb:GetItem");
        updateOnly(fn, Tables.EVENTS, "account_id", "seq", EventLog.RETAINED_FROM);
    }

    /** The answers of POSTs sent with an Idempotency-Key: claimed, read, kept, freed. */
    private void keepsIdempotencyKeys(Function fn) {
        allow(fn, Tables.IDEMPOTENCY_KEYS, "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem");
    }

    /** The hourly limiter of the request pipeline: one conditional UpdateItem per request, nothing else. */
    private void countsRequests(Function fn) {
        allow(fn, Tables.RATE_LIMITS, "dynamodb:UpdateItem");
    }

    /**
     * The bucket's name, and listing it: besides listing folders, ListBucket makes S3 answer 404 rather than
     * 403 for a missing key.
     */
    private void usesFiles(Function fn) {
        fn.addEnvironment(Config.FILES_BUCKET, files.bucket().getBucketName());
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(files.bucket().getBucketArn()))
                .build());
    }
}
