package com.trueftp.infra;

import com.trueftp.account.Plan;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.stack.GatewayResponse;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.ApiKeySourceType;
import software.amazon.awscdk.services.apigateway.DomainNameOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RequestAuthorizer;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.SecurityPolicy;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.UsagePlanProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The whole TrueFTP stack, built from the route table ({@link Routes}) and the table definitions
 * ({@link Tables}) the code itself uses. Environment-agnostic: synth needs no credentials and does no lookups.
 * Every map that reaches a construct is sorted or insertion-ordered so the template is byte-identical across runs.
 */
public class TrueFtpStack extends Stack {
    public static final String STAGE = "prod";
    public static final int MAX_AUTH_CACHE_TTL_SECONDS = 3600;
    static final int STAGE_THROTTLE_RATE = 1000;
    static final int STAGE_THROTTLE_BURST = 2000;

    /** Context keys: {@code cdk synth -c key=value}. */
    public static final String CONTEXT_REPO_ROOT = "repoRoot";
    public static final String CONTEXT_AUTH_CACHE_TTL = "authCacheTtlSeconds";
    public static final String CONTEXT_DOMAIN_NAME = "domainName";
    public static final String CONTEXT_CERTIFICATE_ARN = "certificateArn";
    public static final String CONTEXT_EVENT_RETENTION_DAYS = "eventRetentionDays";

    private static final String JSON = "application/json; charset=utf-8";

    /** API Gateway's own answers, as {"error": ...} like every function answer; the local gateway uses the same bodies. */
    static final SortedMap<String, GatewayAnswer> GATEWAY_RESPONSES = gatewayResponses();

    private static SortedMap<String, GatewayAnswer> gatewayResponses() {
        SortedMap<String, GatewayAnswer> responses = new TreeMap<>();
        for (GatewayResponse response : GatewayResponse.values()) {
            responses.put(response.name(), GatewayAnswer.of(response.status(), response.message(),
                    response.retryAfterSeconds()));
        }
        responses.put("DEFAULT_4XX", GatewayAnswer.passThrough());
        responses.put("DEFAULT_5XX", GatewayAnswer.passThrough());
        return responses;
    }

    /** One gateway response: a fixed status and message, or (status null) API Gateway's own status and message. */
    record GatewayAnswer(Integer status, String body, Integer retryAfterSeconds) {
        static GatewayAnswer of(int status, String message, Integer retryAfterSeconds) {
            return new GatewayAnswer(status, "{\"error\":\"" + message + "\"}", retryAfterSeconds);
        }

        static GatewayAnswer passThrough() {
            return new GatewayAnswer(null, "{\"error\":$context.error.messageString}", null);
        }

        /** Header values are quoted literals in API Gateway's mapping syntax. */
        SortedMap<String, String> headers() {
            SortedMap<String, String> headers = new TreeMap<>();
            headers.put("Content-Type", "'" + JSON + "'");
            if (retryAfterSeconds != null) {
                headers.put("Retry-After", "'" + retryAfterSeconds + "'");
            }
            return headers;
        }
    }

    private final Path repoRoot;
    private final Map<TableSpec, Table> tables = new LinkedHashMap<>();
    private final Map<LambdaFunction, Function> functions = new EnumMap<>(LambdaFunction.class);
    private final Bucket filesBucket;
    private final Secret cursorSecret;

    public TrueFtpStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        repoRoot = repoRoot();
        Tables.ALL.forEach(this::createTable);
        filesBucket = createFilesBucket();
        cursorSecret = createCursorSecret();
        for (LambdaFunction f : LambdaFunction.values()) {
            functions.put(f, createFunction(f));
        }
        RestApi api = createRestApi();
        RequestAuthorizer authorizer = createAuthorizer();
        createMethods(api, authorizer);
        createUsagePlans(api);
        createGatewayResponses(api);
        createApiUrlOutput(api);
    }

    // ---- DynamoDB ----

    private void createTable(TableSpec spec) {
        Table table = Table.Builder.create(this, StackOutputs.pascal(spec.id()) + "Table")
                .partitionKey(attribute(spec.partitionKey()))
                .sortKey(spec.sortKey() == null ? null : attribute(spec.sortKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .timeToLiveAttribute(spec.ttlAttribute())
                // Customer data: deleting the stack must not delete it.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (TableSpec.Index index : spec.indexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(index.partitionKey()))
                    .sortKey(index.sortKey() == null ? null : attribute(index.sortKey()))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        tables.put(spec, table);
        // The admin CLI finds the deployed table names through these outputs.
        CfnOutput.Builder.create(this, StackOutputs.tableName(spec))
                .description("DynamoDB table " + spec.id())
                .value(table.getTableName())
                .build();
    }

    private static Attribute attribute(TableSpec.Key key) {
        return Attribute.builder()
                .name(key.name())
                .type(key.type() == TableSpec.KeyType.NUMBER ? AttributeType.NUMBER : AttributeType.STRING)
                .build();
    }

    // ---- S3 ----

    /** Every FTP user's files, under {@code <account id>/<ftp user id>/}; reached only through the functions. */
    private Bucket createFilesBucket() {
        Bucket bucket = Bucket.Builder.create(this, "FilesBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("AbortIncompleteUploads")
                        .abortIncompleteMultipartUploadAfter(Duration.days(7))
                        .build()))
                // Customer data: deleting the stack must not delete it.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        CfnOutput.Builder.create(this, StackOutputs.FILES_BUCKET)
                .description("S3 bucket of the FTP users' files")
                .value(bucket.getBucketName())
                .build();
        return bucket;
    }

    /** The key that signs list cursors: generated once, never in the template or the repository. */
    private Secret createCursorSecret() {
        return Secret.Builder.create(this, "CursorSecret")
                .description("Signs the files list cursors of the TrueFTP API")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(64)
                        .excludePunctuation(true)
                        .build())
                .build();
    }

    // ---- Lambda ----

    /** Exhaustive over the enum: a new function does not compile until it is wired here. */
    private Function createFunction(LambdaFunction f) {
        return switch (f) {
            case AUTHORIZER -> createAuthorizerFunction();
            case ACCOUNT -> createAccountFunction();
            case FTP_USERS -> createFtpUsersFunction();
            case EVENTS -> createEventsFunction();
            case FILES -> createFilesFunction();
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
                Tables.RATE_LIMITS, Tables.EVENTS);
        // Users and their username items; transactions need the item actions of each table they touch.
        allow(fn, Tables.FTP_USERS, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem");
        // The account's user count and event number (UpdateItem in the transactions), reads of both (GetItem).
        allow(fn, Tables.ACCOUNTS, "dynamodb:GetItem", "dynamodb:UpdateItem");
        // Each change appends its event in the same transaction.
        allow(fn, Tables.EVENTS, "dynamodb:PutItem");
        // Deleting a user deletes its files; a deletion conditional on the version listed needs GetObject too.
        usesFiles(fn);
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:DeleteObject"))
                .resources(List.of(filesBucket.arnForObjects("*")))
                .build());
        countsRequests(fn);
        return fn;
    }

    private Function createFilesFunction() {
        // Folder deletes take one list and one delete call per 1,000 objects: room up to API Gateway's 29 s.
        Function fn = function(LambdaFunction.FILES, Duration.seconds(29), Tables.FTP_USERS, Tables.ACCOUNTS,
                Tables.RATE_LIMITS, Tables.EVENTS);
        usesFiles(fn);
        // HeadObject and the presigned GET need GetObject; PUT and multipart uploads (presigned too) PutObject;
        // the presigned abort of a multipart upload AbortMultipartUpload.
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"))
                .resources(List.of(filesBucket.arnForObjects("*")))
                .build());
        fn.addEnvironment(Config.CURSOR_SECRET, cursorSecret.getSecretValue().unsafeUnwrap());
        fn.addEnvironment(Config.DOWNLOAD_URL_TTL_SECONDS, Long.toString(Config.DEFAULT_DOWNLOAD_URL_TTL.toSeconds()));
        fn.addEnvironment(Config.UPLOAD_URL_TTL_SECONDS, Long.toString(Config.DEFAULT_UPLOAD_URL_TTL.toSeconds()));
        // The user (GetItem) and the records of its upload URLs (PutItem, Query, DeleteItem to settle them).
        allow(fn, Tables.FTP_USERS, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem");
        // The storage counter (UpdateItem, alone or in an event's transaction) and the event number (GetItem).
        allow(fn, Tables.ACCOUNTS, "dynamodb:GetItem", "dynamodb:UpdateItem");
        allow(fn, Tables.EVENTS, "dynamodb:PutItem");
        countsRequests(fn);
        return fn;
    }

    /**
     * The bucket's name, and listing it: besides listing folders, ListBucket makes S3 answer 404 rather than
     * 403 for a missing key.
     */
    private void usesFiles(Function fn) {
        fn.addEnvironment(Config.FILES_BUCKET, filesBucket.getBucketName());
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(filesBucket.getBucketArn()))
                .build());
    }

    private Function createEventsFunction() {
        Function fn = function(LambdaFunction.EVENTS, Duration.seconds(15), Tables.EVENTS, Tables.ACCOUNTS,
                Tables.RATE_LIMITS);
        // Pages, and the retention watermark kept in each account's partition of the events table.
        allow(fn, Tables.EVENTS, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem");
        // The latest event number only: this function never writes accounts.
        allow(fn, Tables.ACCOUNTS, "dynamodb:GetItem");
        countsRequests(fn);
        return fn;
    }

    /** Serves the document in its jar: no table, no bucket, no permission beyond its logs. */
    private Function createOpenApiFunction() {
        return function(LambdaFunction.OPENAPI, Duration.seconds(10));
    }

    private void allow(Function fn, TableSpec spec, String... actions) {
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of(actions))
                .resources(List.of(tables.get(spec).getTableArn()))
                .build());
    }

    /** The hourly limiter of the request pipeline: one conditional UpdateItem per request, nothing else. */
    private void countsRequests(Function fn) {
        allow(fn, Tables.RATE_LIMITS, "dynamodb:UpdateItem");
    }

    /** A function with its own log group and the names of the tables it uses in its environment. */
    private Function function(LambdaFunction f, Duration timeout, TableSpec... tablesUsed) {
        Map<String, String> environment = new TreeMap<>();
        for (TableSpec spec : tablesUsed) {
            environment.put(spec.nameVariable(), tables.get(spec).getTableName());
        }
        // C1 only: a faster cold start, which matters more than peak speed for short requests.
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        if (List.of(tablesUsed).contains(Tables.EVENTS)) {
            environment.put(Config.EVENT_RETENTION_DAYS, Long.toString(eventRetentionDays()));
        }
        String name = StackOutputs.pascal(f.id());
        return Function.Builder.create(this, name + "Function")
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
                .logGroup(logGroup(name + "Logs"))
                .build();
    }

    private Code jar(LambdaFunction f) {
        Path jar = repoRoot.resolve("functions").resolve(f.id()).resolve("target").resolve("lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " for function " + f.id()
                    + ": run mvn package first (from the repository root), or set -c " + CONTEXT_REPO_ROOT + "=DIR");
        }
        return Code.fromAsset(jar.toString());
    }

    /** GetItem on the tables themselves: no index, no write, no scan. */
    private void getItemOnly(Function fn, TableSpec... specs) {
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem"))
                .resources(Arrays.stream(specs).map(spec -> tables.get(spec).getTableArn()).toList())
                .build());
    }

    private LogGroup logGroup(String id) {
        return LogGroup.Builder.create(this, id)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    // ---- API Gateway ----

    private RestApi createRestApi() {
        return RestApi.Builder.create(this, "Api")
                .restApiName("trueftp")
                .description("TrueFTP REST API")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // Proxy events carry these bodies base64-encoded instead of mangled as text.
                .binaryMediaTypes(Routes.BINARY_MEDIA_TYPES)
                // Access logs need the account-level CloudWatch role.
                .cloudWatchRole(true)
                // The authorizer names each request's API key (usageIdentifierKey): clients never send one.
                .apiKeySourceType(ApiKeySourceType.AUTHORIZER)
                .deployOptions(StageOptions.builder()
                        .stageName(STAGE)
                        // Before the authorizer, so that floods of bad tokens cannot take the whole account's
                        // API Gateway capacity (usage plans only act on requests the authorizer let through).
                        .throttlingRateLimit(STAGE_THROTTLE_RATE)
                        .throttlingBurstLimit(STAGE_THROTTLE_BURST)
                        .accessLogDestination(new LogGroupLogDestination(logGroup("ApiAccessLogs")))
                        .accessLogFormat(AccessLogFormat.custom(accessLogFormat()))
                        .build())
                .build();
    }

    private static String accessLogFormat() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("requestId", "$context.requestId");
        fields.put("ip", "$context.identity.sourceIp");
        fields.put("method", "$context.httpMethod");
        fields.put("resourcePath", "$context.resourcePath");
        fields.put("status", "$context.status");
        fields.put("latency", "$context.responseLatency");
        fields.put("principalId", "$context.authorizer.principalId");
        return fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private RequestAuthorizer createAuthorizer() {
        return RequestAuthorizer.Builder.create(this, "TokenAuthorizer")
                .handler(functions.get(LambdaFunction.AUTHORIZER))
                .identitySources(List.of(IdentitySource.header("Authorization")))
                .resultsCacheTtl(Duration.seconds(authCacheTtlSeconds()))
                .build();
    }

    /**
     * Each path template at its full path (base path included, so a custom domain maps at the root),
     * one method per route, and ANY to the same function: a wrong method then reaches the function,
     * which answers 405 with Allow, as the local gateway does.
     */
    private void createMethods(RestApi api, RequestAuthorizer authorizer) {
        // apiKeyRequired puts every request under the usage plan of its key's tier.
        MethodOptions authorized = MethodOptions.builder().authorizer(authorizer).apiKeyRequired(true).build();
        // A public route's resource takes every method without a token (its function answers 405 itself).
        MethodOptions open = MethodOptions.builder().build();
        Map<LambdaFunction, LambdaIntegration> integrations = new EnumMap<>(LambdaFunction.class);
        for (String template : Routes.templates()) {
            IResource resource = api.getRoot().resourceForPath(Routes.BASE_PATH + template);
            List<Route> routes = Routes.ALL.stream().filter(r -> r.path().equals(template)).toList();
            MethodOptions options = routes.stream().anyMatch(Route::isPublic) ? open : authorized;
            for (Route route : routes) {
                resource.addMethod(route.method(), integration(integrations, route.function()), options);
            }
            // The first route's function, as in the local gateway.
            resource.addMethod("ANY", integration(integrations, routes.get(0).function()), options);
        }
    }

    /**
     * One usage plan per account plan: the per-second throttle and a daily quota per key. The exact hourly
     * limit is the request pipeline's; the admin CLI attaches each key's API Gateway API key to its tier.
     */
    private void createUsagePlans(RestApi api) {
        for (Plan plan : Plan.values()) {
            UsagePlan usagePlan = api.addUsagePlan(StackOutputs.pascal(plan.id()) + "UsagePlan", UsagePlanProps.builder()
                    .name("trueftp-" + plan.id())
                    .description("Edge throttle and daily quota per key on the " + plan.id() + " plan")
                    .throttle(ThrottleSettings.builder()
                            .rateLimit(plan.throttleRatePerSecond())
                            .burstLimit(plan.throttleBurst())
                            .build())
                    .quota(QuotaSettings.builder().limit(plan.dailyQuota()).period(Period.DAY).build())
                    .apiStages(List.of(UsagePlanPerApiStage.builder().api(api).stage(api.getDeploymentStage()).build()))
                    .build());
            CfnOutput.Builder.create(this, StackOutputs.usagePlanId(plan))
                    .description("Usage plan of " + plan.id() + " keys (the admin CLI attaches keys to it)")
                    .value(usagePlan.getUsagePlanId())
                    .build();
        }
    }

    private LambdaIntegration integration(Map<LambdaFunction, LambdaIntegration> integrations, LambdaFunction f) {
        // No test-invoke permissions: they double the function's resource policy and bypass the authorizer anyway.
        return integrations.computeIfAbsent(f, key -> new LambdaIntegration(functions.get(key),
                LambdaIntegrationOptions.builder().allowTestInvoke(false).build()));
    }

    private void createGatewayResponses(RestApi api) {
        GATEWAY_RESPONSES.forEach((type, answer) -> api.addGatewayResponse(StackOutputs.pascal(type) + "Response",
                GatewayResponseOptions.builder()
                        .type(ResponseType.of(type))
                        .statusCode(answer.status() == null ? null : answer.status().toString())
                        .responseHeaders(answer.headers())
                        .templates(new TreeMap<>(Map.of("application/json", answer.body())))
                        .build()));
    }

    private void createApiUrlOutput(RestApi api) {
        String domainName = context(CONTEXT_DOMAIN_NAME);
        String certificateArn = context(CONTEXT_CERTIFICATE_ARN);
        if ((domainName == null) != (certificateArn == null)) {
            throw new IllegalArgumentException("context " + CONTEXT_DOMAIN_NAME + " and " + CONTEXT_CERTIFICATE_ARN
                    + " go together: give both (a custom domain) or neither");
        }
        String url;
        if (domainName != null) {
            // Base path mapping at the root: https://DOMAIN/api/ext/v1/... reaches the stage.
            api.addDomainName("CustomDomain", DomainNameOptions.builder()
                    .domainName(domainName)
                    .certificate(Certificate.fromCertificateArn(this, "CustomDomainCertificate", certificateArn))
                    .endpointType(EndpointType.REGIONAL)
                    .securityPolicy(SecurityPolicy.TLS_1_2)
                    .build());
            url = "https://" + domainName + Routes.BASE_PATH;
        } else {
            url = api.urlForPath(Routes.BASE_PATH);
        }
        CfnOutput.Builder.create(this, StackOutputs.API_URL)
                .description("Base URL of the TrueFTP API")
                .value(url)
                .build();
    }

    // ---- context ----

    private Path repoRoot() {
        String configured = context(CONTEXT_REPO_ROOT);
        // cdk runs the app in infra/, and so does Surefire.
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    private long authCacheTtlSeconds() {
        String value = context(CONTEXT_AUTH_CACHE_TTL);
        if (value == null) {
            return Config.DEFAULT_AUTH_CACHE_TTL.toSeconds();
        }
        long seconds;
        try {
            seconds = new BigDecimal(value).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_AUTH_CACHE_TTL_SECONDS) {
            throw new IllegalArgumentException("context " + CONTEXT_AUTH_CACHE_TTL + " must be a whole number of seconds"
                    + " from 0 to " + MAX_AUTH_CACHE_TTL_SECONDS + " (API Gateway's limit), got: " + value);
        }
        return seconds;
    }

    private long eventRetentionDays() {
        String value = context(CONTEXT_EVENT_RETENTION_DAYS);
        long days = Config.DEFAULT_EVENT_RETENTION.toDays();
        if (value != null) {
            try {
                days = Long.parseLong(value);
            } catch (NumberFormatException e) {
                days = 0;
            }
            if (days < 1 || days > 3650) {
                throw new IllegalArgumentException("context " + CONTEXT_EVENT_RETENTION_DAYS
                        + " must be a whole number of days from 1 to 3650, got: " + value);
            }
        }
        return days;
    }

    private String context(String key) {
        Object value = getNode().tryGetContext(key);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
