package com.trueftp.infra;

import com.trueftp.account.Plan;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
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

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The REST API: a method per route of {@link Routes} behind the token authorizer (public routes without it),
 * a usage plan per {@link Plan}, API Gateway's own answers, the optional custom domain and the ApiUrl output.
 */
final class Api {
    static final String STAGE = "prod";
    static final int STAGE_THROTTLE_RATE = 1000;
    static final int STAGE_THROTTLE_BURST = 2000;

    /** A custom domain name and the ARN of its ACM certificate (in the stack's region). */
    record CustomDomain(String name, String certificateArn) {
    }

    private final Stack stack;
    private final Functions functions;

    /** Builds into the stack's own scope: see {@link TrueFtpStack}. {@code domain} may be null. */
    Api(Stack stack, Functions functions, Duration authCacheTtl, CustomDomain domain) {
        this.stack = stack;
        this.functions = functions;
        RestApi api = createRestApi();
        RequestAuthorizer authorizer = createAuthorizer(authCacheTtl);
        createMethods(api, authorizer);
        createUsagePlans(api);
        createGatewayResponses(api);
        createApiUrlOutput(api, domain);
    }

    private RestApi createRestApi() {
        return RestApi.Builder.create(stack, "Api")
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
                        .accessLogDestination(new LogGroupLogDestination(LogGroups.create(stack, "ApiAccessLogs")))
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

    private RequestAuthorizer createAuthorizer(Duration cacheTtl) {
        return RequestAuthorizer.Builder.create(stack, "TokenAuthorizer")
                .handler(functions.get(LambdaFunction.AUTHORIZER))
                .identitySources(List.of(IdentitySource.header("Authorization")))
                .resultsCacheTtl(cacheTtl)
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

    private LambdaIntegration integration(Map<LambdaFunction, LambdaIntegration> integrations, LambdaFunction f) {
        // No test-invoke permissions: they double the function's resource policy and bypass the authorizer anyway.
        return integrations.computeIfAbsent(f, key -> new LambdaIntegration(functions.get(key),
                LambdaIntegrationOptions.builder().allowTestInvoke(false).build()));
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
            CfnOutput.Builder.create(stack, StackOutputs.usagePlanId(plan))
                    .description("Usage plan of " + plan.id() + " keys (the admin CLI attaches keys to it)")
                    .value(usagePlan.getUsagePlanId())
                    .build();
        }
    }

    private static void createGatewayResponses(RestApi api) {
        GatewayAnswer.all().forEach((type, answer) -> api.addGatewayResponse(StackOutputs.pascal(type) + "Response",
                GatewayResponseOptions.builder()
                        .type(ResponseType.of(type))
                        .statusCode(answer.status() == null ? null : answer.status().toString())
                        .responseHeaders(answer.headers())
                        .templates(new TreeMap<>(Map.of("application/json", answer.body())))
                        .build()));
    }

    private void createApiUrlOutput(RestApi api, CustomDomain domain) {
        String url;
        if (domain != null) {
            // Base path mapping at the root: https://DOMAIN/api/ext/v1/... reaches the stage.
            api.addDomainName("CustomDomain", DomainNameOptions.builder()
                    .domainName(domain.name())
                    .certificate(Certificate.fromCertificateArn(stack, "CustomDomainCertificate", domain.certificateArn()))
                    .endpointType(EndpointType.REGIONAL)
                    .securityPolicy(SecurityPolicy.TLS_1_2)
                    .build());
            url = "https://" + domain.name() + Routes.BASE_PATH;
        } else {
            url = api.urlForPath(Routes.BASE_PATH);
        }
        CfnOutput.Builder.create(stack, StackOutputs.API_URL)
                .description("Base URL of the TrueFTP API")
                .value(url)
                .build();
    }
}
