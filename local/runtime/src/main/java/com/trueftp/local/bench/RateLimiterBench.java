package com.trueftp.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.auth.Caller;
import com.trueftp.auth.Scope;
import com.trueftp.aws.AwsModule;
import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;
import com.trueftp.functions.account.AccountEndpoint;
import com.trueftp.http.RequestPipeline;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalContext;
import com.trueftp.ratelimit.HourlyRateLimiter;
import com.trueftp.ratelimit.RateLimit;
import com.trueftp.ratelimit.RateLimiter;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (c) What the hourly rate limiter costs: the account function invoked in-process with the real limiter
 * and with a limiter that admits everything without I/O, on the same DynamoDB client, alternating request
 * by request so that machine noise hits both alike. Counts the DynamoDB calls each request makes.
 */
final class RateLimiterBench {
    static final int WARMUP_ROUNDS = 300;
    static final int ROUNDS = 2_000;

    private final Clock clock;

    RateLimiterBench(Clock clock) {
        this.clock = clock;
    }

    Map<String, Object> run() throws Exception {
        System.out.printf("(c) Cost of the hourly rate limiter: GET /account handled in-process %d times with the "
                + "limiter and %d times without, alternating, after %d warm-up rounds%n", ROUNDS, ROUNDS, WARMUP_ROUNDS);
        AtomicLong calls = new AtomicLong();
        try (LocalAws aws = LocalAws.start(0, null); DynamoDbClient dynamo = countingClient(aws, calls)) {
            Config config = aws.config();
            Account account = new AccountRepository(dynamo, config, clock).create("bench limiter", Plan.PRO);
            Caller caller = new Caller(account.id(), RandomIds.newId("key"), EnumSet.of(Scope.READ), Plan.PRO,
                    account.status(), Bench.BENCH_RATE_LIMIT);
            AccountEndpoint endpoint = new AccountEndpoint(new AccountRepository(dynamo, config, clock));
            RateLimiter admitAll = c -> new RateLimit(c.rateLimit(), c.rateLimit(), 0);
            // The account function's own pipeline and endpoint, with the hourly limiter and without.
            RequestPipeline withLimiter = RequestPipeline.of(new HourlyRateLimiter(dynamo, config, clock))
                    .on("GET /account", endpoint::get).build();
            RequestPipeline withoutLimiter = RequestPipeline.of(admitAll).on("GET /account", endpoint::get).build();

            long[] on = new long[ROUNDS];
            long[] off = new long[ROUNDS];
            long[] callsOn = {0};
            long[] callsOff = {0};
            for (int i = 0; i < WARMUP_ROUNDS + ROUNDS; i++) {
                boolean measured = i >= WARMUP_ROUNDS;
                long onNanos = invoke(withLimiter, caller, calls, measured ? callsOn : new long[1]);
                long offNanos = invoke(withoutLimiter, caller, calls, measured ? callsOff : new long[1]);
                if (measured) {
                    on[i - WARMUP_ROUNDS] = onNanos;
                    off[i - WARMUP_ROUNDS] = offNanos;
                }
            }
            Arrays.sort(on);
            Arrays.sort(off);
            double onP50 = Bench.ms(Bench.nearestRank(on, 50));
            double onP99 = Bench.ms(Bench.nearestRank(on, 99));
            double offP50 = Bench.ms(Bench.nearestRank(off, 50));
            double offP99 = Bench.ms(Bench.nearestRank(off, 99));
            double perRequestOn = (double) callsOn[0] / ROUNDS;
            double perRequestOff = (double) callsOff[0] / ROUNDS;
            System.out.printf("    limiter off: p50 %.2f ms, p99 %.2f ms, %.2f DynamoDB calls per request%n",
                    offP50, offP99, perRequestOff);
            System.out.printf("    limiter on:  p50 %.2f ms, p99 %.2f ms, %.2f DynamoDB calls per request%n",
                    onP50, onP99, perRequestOn);
            System.out.printf("    added: p50 %+.2f ms (%+.0f%%), p99 %+.2f ms (%+.0f%%), %.2f writes per request%n",
                    onP50 - offP50, 100 * (onP50 - offP50) / offP50, onP99 - offP99, 100 * (onP99 - offP99) / offP99,
                    perRequestOn - perRequestOff);

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("rounds", ROUNDS);
            json.put("off_p50_ms", Bench.round(offP50, 3));
            json.put("off_p99_ms", Bench.round(offP99, 3));
            json.put("on_p50_ms", Bench.round(onP50, 3));
            json.put("on_p99_ms", Bench.round(onP99, 3));
            json.put("dynamodb_calls_per_request_off", perRequestOff);
            json.put("dynamodb_calls_per_request_on", perRequestOn);
            return json;
        }
    }

    private static long invoke(RequestPipeline handler, Caller caller, AtomicLong calls, long[] callCount) {
        APIGatewayProxyRequestEvent event = event(caller);
        long callsBefore = calls.get();
        long started = System.nanoTime();
        int status = handler.handle(event, new LocalContext("account", LogLevel.WARN)).getStatusCode();
        long nanos = System.nanoTime() - started;
        callCount[0] += calls.get() - callsBefore;
        if (status != 200) {
            throw new IllegalStateException("GET /account answered " + status);
        }
        return nanos;
    }

    private static APIGatewayProxyRequestEvent event(Caller caller) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(RandomIds.base62(12));
        context.setAuthorizer(new HashMap<>(caller.toAuthorizerContext()));
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/api/ext/v1/account")
                .withPath("/api/ext/v1/account").withRequestContext(context);
    }

    /** The handlers' client setup, plus an interceptor that counts every DynamoDB call. */
    private static DynamoDbClient countingClient(LocalAws aws, AtomicLong calls) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
            }
        };
        return AwsModule.dynamoDbBuilder(aws.config())
                .overrideConfiguration(AwsModule.overrides().toBuilder().addExecutionInterceptor(counter).build())
                .build();
    }
}
