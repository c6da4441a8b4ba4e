package com.trueftp.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.Caller;
import com.trueftp.auth.Scope;
import com.trueftp.core.Json;
import com.trueftp.core.UnavailableException;
import com.trueftp.ratelimit.RateLimit;
import com.trueftp.ratelimit.RateLimitExceededException;
import com.trueftp.ratelimit.RateLimiter;
import com.trueftp.stack.LambdaFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline on its own, with an in-memory endpoint: no AWS involved. */
class RequestPipelineTest {
    private final AtomicReference<ApiRequest> received = new AtomicReference<>();
    private Endpoint endpoint = request -> {
        received.set(request);
        return ApiResponse.ok(Json.object("ok", true));
    };
    private RateLimiter limiter = caller -> new RateLimit(1000, 998, 1_800_000_000L);
    private final RequestPipeline pipeline = RequestPipeline.of(caller -> limiter.acquire(caller))
            .on("GET /account", request -> endpoint.handle(request)).build();

    private static APIGatewayProxyRequestEvent event(String method, String resource, Caller caller) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId("req-1");
        if (caller != null) {
            context.setAuthorizer(new HashMap<>(caller.toAuthorizerContext()));
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(resource)
                .withRequestContext(context);
    }

    private static Caller caller(Set<Scope> scopes, Plan plan, AccountStatus status) {
        return new Caller("acc_1", "key_1", scopes, plan, status, 1000);
    }

    private static Caller reader() {
        return caller(EnumSet.of(Scope.READ), Plan.PRO, AccountStatus.ACTIVE);
    }

    private static String error(APIGatewayProxyResponseEvent response) throws Exception {
        return (String) Json.readObject(response.getBody()).get("error");
    }

    @Test
    void successIsJsonWithTheRequestIdAndTheCallerReachesTheEndpoint() throws Exception {
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .containsEntry("X-Request-Id", "req-1");
        assertThat(Json.readObject(response.getBody())).containsEntry("ok", true);
        assertThat(received.get().caller().accountId()).isEqualTo("acc_1");
    }

    @Test
    void unknownResourceIs404() throws Exception {
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/nope", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(error(response)).startsWith("no such endpoint");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        APIGatewayProxyResponseEvent response = pipeline.handle(event("DELETE", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET");
        assertThat(error(response)).contains("DELETE");
        assertThat(received.get()).isNull();
    }

    @Test
    void missingAuthorizerContextIs401() throws Exception {
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", null), null);
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("missing, invalid or expired token");
    }

    @Test
    void writeOnlyKeyCannotRead() throws Exception {
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account",
                caller(EnumSet.of(Scope.WRITE), Plan.PRO, AccountStatus.ACTIVE)), null);
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(error(response)).isEqualTo("missing required scope: read");
        assertThat(received.get()).isNull();
    }

    @Test
    void suspendedAccountAndFreePlanAreRefusedWithDifferentMessages() throws Exception {
        APIGatewayProxyResponseEvent suspended = pipeline.handle(event("GET", "/api/ext/v1/account",
                caller(EnumSet.of(Scope.READ), Plan.PRO, AccountStatus.SUSPENDED)), null);
        APIGatewayProxyResponseEvent free = pipeline.handle(event("GET", "/api/ext/v1/account",
                caller(EnumSet.of(Scope.READ), Plan.FREE, AccountStatus.ACTIVE)), null);
        assertThat(suspended.getStatusCode()).isEqualTo(403);
        assertThat(free.getStatusCode()).isEqualTo(403);
        assertThat(error(suspended)).contains("suspended");
        assertThat(error(free)).contains("paid plans only");
        assertThat(received.get()).isNull();
    }

    @Test
    void oversizeBodyIs413() throws Exception {
        APIGatewayProxyRequestEvent event = event("GET", "/api/ext/v1/account", reader())
                .withBody("x".repeat(Route.MAX_JSON_BODY_BYTES + 1));
        APIGatewayProxyResponseEvent response = pipeline.handle(event, null);
        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(error(response)).contains("too large");
    }

    @Test
    void malformedJsonBodyIs400() throws Exception {
        endpoint = request -> ApiResponse.ok(request.jsonBody());
        for (String body : new String[]{"{\"a\":", "[]", "nul"}) {
            APIGatewayProxyResponseEvent response = pipeline.handle(
                    event("GET", "/api/ext/v1/account", reader()).withBody(body), null);
            assertThat(response.getStatusCode()).as(body).isEqualTo(400);
            assertThat(error(response)).isEqualTo("request body is not a valid JSON object");
        }
        APIGatewayProxyResponseEvent empty = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(error(empty)).startsWith("request body is required");
    }

    @Test
    void aJsonBodyThatIsNotValidUtf8Is400() throws Exception {
        AtomicBoolean reached = new AtomicBoolean();
        endpoint = request -> {
            reached.set(request.jsonBody() != null);
            return ApiResponse.ok(Json.object());
        };
        byte[] body = {'{', '"', 'p', '"', ':', '"', 'a', (byte) 0xFF, 'b', '"', '}'};
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader())
                .withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true), null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("request body is not valid UTF-8");
        assertThat(reached).isFalse();
    }

    @Test
    void base64BodyIsDecodedAndBadBase64Is400() throws Exception {
        endpoint = request -> ApiResponse.ok(Json.object("body", new String(request.body(), StandardCharsets.UTF_8)));
        APIGatewayProxyRequestEvent good = event("GET", "/api/ext/v1/account", reader())
                .withBody(Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)))
                .withIsBase64Encoded(true);
        assertThat(Json.readObject(pipeline.handle(good, null).getBody())).containsEntry("body", "hello");
        APIGatewayProxyRequestEvent bad = event("GET", "/api/ext/v1/account", reader()).withBody("***")
                .withIsBase64Encoded(true);
        assertThat(pipeline.handle(bad, null).getStatusCode()).isEqualTo(400);
    }

    @Test
    void unexpectedExceptionIs500WithRequestIdAndNoDetails() throws Exception {
        endpoint = request -> {
            throw new IllegalStateException("secret-detail tftp_abcdefghijklmnopqrstuvwxyzABCDEF");
        };
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(error(response)).isEqualTo("internal error (request id req-1)");
        assertThat(response.getBody()).doesNotContain("secret-detail").doesNotContain("tftp_");
    }

    @Test
    void dependencyOutageIs503WithRetryAfter() throws Exception {
        endpoint = request -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        };
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        assertThat(error(response)).contains("temporarily unavailable");
    }

    @ParameterizedTest
    @CsvSource({
            "400, KeyTooLongError, 400, the request cannot be carried out: S3 refused it (KeyTooLongError)",
            "412, PreconditionFailed, 409, what the request changes changed meanwhile: S3 refused it (PreconditionFailed); try again",
            "403, AccessDenied, 503, '" + UnavailableException.MESSAGE + "'",
            "404, NoSuchBucket, 503, '" + UnavailableException.MESSAGE + "'"})
    void aRefusalNoCheckForesawIsAnsweredWithoutA500(int status, String code, int answered, String error) throws Exception {
        endpoint = request -> {
            throw S3Exception.builder().statusCode(status).message("User: arn:aws:sts::123456789012:assumed-role/x")
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("S3").errorCode(code).build()).build();
        };
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(answered);
        assertThat(error(response)).isEqualTo(error);
        assertThat(response.getBody()).doesNotContain("arn:aws");
        if (answered == 503) {
            assertThat(response.getHeaders()).containsKey("Retry-After");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "ValidationException, 400, 'the request cannot be carried out: DynamoDb refused it (ValidationException)'",
            "ResourceNotFoundException, 503, '" + UnavailableException.MESSAGE + "'",
            "AccessDeniedException, 503, '" + UnavailableException.MESSAGE + "'"})
    void dynamoDbsFourHundredsAreToldApartByTheirCode(String code, int answered, String error) throws Exception {
        endpoint = request -> {
            throw DynamoDbException.builder().statusCode(400).message("arn:aws:dynamodb:us-east-1:123456789012:table/x")
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb").errorCode(code).build()).build();
        };
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(answered);
        assertThat(error(response)).isEqualTo(error);
    }

    @Test
    void aFunctionWithAPostRouteMustKeepIdempotencyKeys() {
        assertThatThrownBy(() -> RequestPipeline.of(limiter).on("GET /ftp-users", r -> null)
                .on("POST /ftp-users", r -> null).on("GET /ftp-users/{id}", r -> null)
                .on("PUT /ftp-users/{id}", r -> null).on("DELETE /ftp-users/{id}", r -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("idempotent(records)");
    }

    @Test
    void builderRefusesUnknownRoutesMissingEndpointsAndMixedFunctions() {
        assertThatThrownBy(() -> RequestPipeline.of(limiter).on("POST /account", r -> null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestPipeline.of(limiter).on("GET /ftp-users", r -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("POST /ftp-users");
        assertThatThrownBy(() -> RequestPipeline.of(limiter).on("GET /account", r -> null).on("GET /events", r -> null)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("one function");
    }

    @Test
    void errorBodiesAreAlwaysOneErrorField() throws Exception {
        Map<String, Object> body = Json.readObject(pipeline.handle(event("GET", "/api/ext/v1/nope", reader()), null).getBody());
        assertThat(body).containsOnlyKeys("error");
    }

    @Test
    void everyAuthenticatedAnswerCarriesTheRateLimitHeaders() {
        for (APIGatewayProxyResponseEvent response : new APIGatewayProxyResponseEvent[]{
                pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null),
                pipeline.handle(event("DELETE", "/api/ext/v1/account", reader()), null),
                pipeline.handle(event("GET", "/api/ext/v1/account",
                        caller(EnumSet.of(Scope.WRITE), Plan.PRO, AccountStatus.ACTIVE)), null)}) {
            assertThat(response.getHeaders()).containsEntry("X-RateLimit-Limit", "1000")
                    .containsEntry("X-RateLimit-Remaining", "998").containsEntry("X-RateLimit-Reset", "1800000000");
        }
    }

    @Test
    void overTheLimitAReadsAnswerIsReplacedBy429() throws Exception {
        limiter = caller -> {
            throw new RateLimitExceededException(new RateLimit(1000, 0, 1_800_000_000L), 42);
        };
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "42");
        assertThat(error(response)).isEqualTo("rate limit exceeded: 1000 requests per hour");
    }

    @Test
    void overTheLimitAWriteIsNeverCalled() throws Exception {
        Route write = new Route("POST", "/account", LambdaFunction.ACCOUNT, Scope.WRITE);
        RequestPipeline writes = new RequestPipeline(Map.of(write, request -> endpoint.handle(request)), caller -> {
            throw new RateLimitExceededException(new RateLimit(1, 0, 1_800_000_000L), 7);
        }, null);
        APIGatewayProxyResponseEvent response = writes.handle(event("POST", "/api/ext/v1/account",
                caller(EnumSet.of(Scope.WRITE), Plan.PRO, AccountStatus.ACTIVE)), null);
        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(received.get()).isNull();
    }

    @Test
    void aWriteStartsOnlyAfterTheCounterAdmittedIt() {
        Route write = new Route("POST", "/account", LambdaFunction.ACCOUNT, Scope.WRITE);
        AtomicBoolean counted = new AtomicBoolean();
        RequestPipeline writes = new RequestPipeline(Map.of(write, request -> {
            assertThat(counted).as("counted before the write ran").isTrue();
            return ApiResponse.created(Json.object("ok", true));
        }), caller -> {
            sleep(50);
            counted.set(true);
            return new RateLimit(10, 9, 1_800_000_000L);
        }, null);
        APIGatewayProxyResponseEvent response = writes.handle(event("POST", "/api/ext/v1/account",
                caller(EnumSet.of(Scope.WRITE), Plan.PRO, AccountStatus.ACTIVE)), null);
        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).containsEntry("X-RateLimit-Remaining", "9");
    }

    @Test
    void unavailableCounterStoreFailsClosedWith503() throws Exception {
        limiter = caller -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        };
        APIGatewayProxyResponseEvent response = pipeline.handle(event("GET", "/api/ext/v1/account", reader()), null);
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        assertThat(response.getBody()).doesNotContain("ok");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void unauthenticatedRequestsAreNotCounted() {
        limiter = caller -> {
            throw new AssertionError("counted a request without a caller");
        };
        assertThat(pipeline.handle(event("GET", "/api/ext/v1/account", null), null).getStatusCode()).isEqualTo(401);
    }
}
