package com.trueftp.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.AccountRepository;
import com.trueftp.auth.Caller;
import com.trueftp.core.RandomIds;
import com.trueftp.functions.account.AccountEndpoint;
import com.trueftp.http.RequestPipeline;
import com.trueftp.local.LocalContext;
import com.trueftp.ratelimit.HourlyRateLimiter;
import com.trueftp.ratelimit.RateLimit;
import com.trueftp.ratelimit.RateLimiter;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * (c) What the hourly rate limiter costs: GET /account through the account function's own pipeline and
 * endpoint, in-process, with the real limiter and with one that admits everything without I/O, on the same
 * kind of DynamoDB client, whose calls are counted. A JMH micro-benchmark: every request is timed
 * (SampleTime), each variant in a fork of its own after warm-up iterations.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(RateLimiterBench.FORKS)
@Warmup(iterations = RateLimiterBench.WARMUP_ITERATIONS, time = RateLimiterBench.ITERATION_SECONDS)
@Measurement(iterations = RateLimiterBench.MEASURED_ITERATIONS, time = RateLimiterBench.ITERATION_SECONDS)
@State(Scope.Benchmark)
public class RateLimiterBench {
    static final int FORKS = 1;
    static final int WARMUP_ITERATIONS = 3;
    static final int MEASURED_ITERATIONS = 5;
    static final int ITERATION_SECONDS = 2;

    private Fixture fixture;
    private CallCounter dynamoDbCalls;
    private DynamoDbClient dynamo;
    private Caller caller;
    private RequestPipeline withLimiter;
    private RequestPipeline withoutLimiter;

    /** The DynamoDB calls of the measured requests: JMH resets these per iteration and sums them. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Calls {
        public long requests;
        public long dynamoDbCalls;
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        fixture = Fixture.start();
        dynamoDbCalls = new CallCounter();
        dynamo = dynamoDbCalls.dynamoDb(fixture.config());
        caller = fixture.caller();
        Clock clock = Clock.systemUTC();
        AccountEndpoint endpoint = new AccountEndpoint(new AccountRepository(dynamo, fixture.config(), clock));
        RateLimiter admitAll = c -> new RateLimit(c.rateLimit(), c.rateLimit(), 0);
        // The account function's own pipeline and endpoint, with the hourly limiter and without.
        withLimiter = RequestPipeline.of(new HourlyRateLimiter(dynamo, fixture.config(), clock))
                .on("GET /account", endpoint::get).build();
        withoutLimiter = RequestPipeline.of(admitAll).on("GET /account", endpoint::get).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        dynamo.close();
        fixture.close();
    }

    @Benchmark
    public int limiterOn(Calls calls) {
        return invoke(withLimiter, calls);
    }

    @Benchmark
    public int limiterOff(Calls calls) {
        return invoke(withoutLimiter, calls);
    }

    private int invoke(RequestPipeline pipeline, Calls calls) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(RandomIds.base62(12));
        context.setAuthorizer(new HashMap<>(caller.toAuthorizerContext()));
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                .withResource("/api/ext/v1/account").withPath("/api/ext/v1/account").withRequestContext(context);
        long before = dynamoDbCalls.calls();
        int status = pipeline.handle(event, new LocalContext("account", LogLevel.WARN)).getStatusCode();
        calls.dynamoDbCalls += dynamoDbCalls.calls() - before;
        calls.requests++;
        if (status != 200) {
            throw new IllegalStateException("GET /account answered " + status);
        }
        return status;
    }

    /** Runs both variants with JMH and reports their percentiles, the difference and the calls per request. */
    static Map<String, Object> run() throws RunnerException {
        System.out.printf("(c) Cost of the hourly rate limiter: GET /account handled in-process with the limiter and "
                        + "without, JMH SampleTime, %d fork per variant, %d warm-up and %d measured iterations of %d s%n",
                FORKS, WARMUP_ITERATIONS, MEASURED_ITERATIONS, ITERATION_SECONDS);
        Map<String, Variant> variants = new HashMap<>();
        for (RunResult result : new Runner(new OptionsBuilder()
                .include(Pattern.quote(RateLimiterBench.class.getName()) + "\\.")
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true)
                .build()).run()) {
            String method = result.getParams().getBenchmark().substring(RateLimiterBench.class.getName().length() + 1);
            variants.put(method, Variant.of(result));
        }
        Variant off = variants.get("limiterOff");
        Variant on = variants.get("limiterOn");
        System.out.printf("    limiter off: p50 %.2f ms, p99 %.2f ms, %.2f DynamoDB calls per request (%,d requests)%n",
                off.p50Ms(), off.p99Ms(), off.callsPerRequest(), off.requests());
        System.out.printf("    limiter on:  p50 %.2f ms, p99 %.2f ms, %.2f DynamoDB calls per request (%,d requests)%n",
                on.p50Ms(), on.p99Ms(), on.callsPerRequest(), on.requests());
        System.out.printf("    added: p50 %+.2f ms (%+.0f%%), p99 %+.2f ms (%+.0f%%), %.2f writes per request%n",
                on.p50Ms() - off.p50Ms(), 100 * (on.p50Ms() - off.p50Ms()) / off.p50Ms(), on.p99Ms() - off.p99Ms(),
                100 * (on.p99Ms() - off.p99Ms()) / off.p99Ms(), on.callsPerRequest() - off.callsPerRequest());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("harness", "JMH SampleTime");
        json.put("forks", FORKS);
        json.put("warmup_iterations", WARMUP_ITERATIONS);
        json.put("measured_iterations", MEASURED_ITERATIONS);
        json.put("iteration_seconds", ITERATION_SECONDS);
        json.put("off_requests", off.requests());
        json.put("on_requests", on.requests());
        json.put("off_p50_ms", Timings.round(off.p50Ms(), 3));
        json.put("off_p99_ms", Timings.round(off.p99Ms(), 3));
        json.put("on_p50_ms", Timings.round(on.p50Ms(), 3));
        json.put("on_p99_ms", Timings.round(on.p99Ms(), 3));
        json.put("dynamodb_calls_per_request_off", Timings.round(off.callsPerRequest(), 3));
        json.put("dynamodb_calls_per_request_on", Timings.round(on.callsPerRequest(), 3));
        return json;
    }

    /** One variant's figures: JMH's percentiles of the sampled times, and the counted calls. */
    private record Variant(double p50Ms, double p99Ms, long requests, double callsPerRequest) {
        static Variant of(RunResult result) {
            Statistics times = result.getPrimaryResult().getStatistics();
            long requests = Math.round(result.getSecondaryResults().get("requests").getScore());
            double calls = result.getSecondaryResults().get("dynamoDbCalls").getScore();
            return new Variant(times.getPercentile(50), times.getPercentile(99), requests, calls / requests);
        }
    }
}
