package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.trueftp.http.Routes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Builds the events API Gateway sends: REST v1 proxy requests and REQUEST-authorizer requests. */
final class ProxyEvents {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ProxyEvents() {
    }

    /** @param policy the authorizer's answer; null for a public route */
    static APIGatewayProxyRequestEvent request(String method, String path, Routes.Match match,
                                               Map<String, List<String>> headers, Map<String, List<String>> query,
                                               byte[] body, IamPolicyResponseV1 policy, String stage, String apiId,
                                               String awsAccount) {
        Instant now = Instant.now();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withAccountId(awsAccount)
                .withApiId(apiId)
                .withStage(stage)
                .withResourceId("local")
                .withResourcePath(match.resource())
                .withHttpMethod(method)
                .withPath("/" + stage + path)
                .withRequestId(UUID.randomUUID().toString())
                .withProtocol("HTTP/1.1")
                .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp("127.0.0.1")
                        .withUserAgent(last(headers, "User-Agent")));
        context.setAuthorizer(authorizerContext(policy));
        context.setRequestTimeEpoch(now.toEpochMilli());
        context.setRequestTime(REQUEST_TIME.format(now));

        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withResource(match.resource())
                .withPath(path)
                .withHttpMethod(method)
                .withHeaders(singleValued(headers))
                .withMultiValueHeaders(headers.isEmpty() ? null : headers)
                .withQueryStringParameters(singleValued(query))
                .withMultiValueQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withRequestContext(context);
        if (body.length > 0) {
            boolean binary = isBinary(last(headers, "Content-Type"));
            event.setIsBase64Encoded(binary);
            event.setBody(binary ? java.util.Base64.getEncoder().encodeToString(body)
                    : new String(body, StandardCharsets.UTF_8));
        } else {
            event.setIsBase64Encoded(false);
        }
        return event;
    }

    /** What the authorizer passes on, as API Gateway does: its context as strings; none on a public route. */
    private static Map<String, Object> authorizerContext(IamPolicyResponseV1 policy) {
        if (policy == null) {
            return null;
        }
        Map<String, Object> authorizer = new LinkedHashMap<>();
        if (policy.getContext() != null) {
            policy.getContext().forEach((k, v) -> authorizer.put(k, v == null ? null : v.toString()));
        }
        authorizer.put("principalId", policy.getPrincipalId());
        return authorizer;
    }

    /**
     * The event's size as Lambda counts it, near enough: the body as sent in the event plus its headers and
     * query, plus the fixed fields (a few kilobytes at most).
     */
    static long approximateSize(APIGatewayProxyRequestEvent event) {
        long size = 4096L + (event.getBody() == null ? 0 : event.getBody().length());
        for (Map<String, String> map : List.of(orEmpty(event.getHeaders()), orEmpty(event.getQueryStringParameters()))) {
            for (Map.Entry<String, String> entry : map.entrySet()) {
                size += 2L * (entry.getKey().length() + entry.getValue().length()); // single- and multi-value copies
            }
        }
        return size;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    static APIGatewayCustomAuthorizerEvent authorizerRequest(String methodArn, String method, String path,
                                                             Routes.Match match, Map<String, List<String>> headers,
                                                             Map<String, List<String>> query, String stage,
                                                             String apiId, String awsAccount) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn(methodArn);
        event.setResource(match.resource());
        event.setPath(path);
        event.setHttpMethod(method);
        event.setHeaders(singleValued(headers));
        event.setQueryStringParameters(singleValued(query));
        event.setPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters());
        APIGatewayCustomAuthorizerEvent.RequestContext context = new APIGatewayCustomAuthorizerEvent.RequestContext();
        context.setAccountId(awsAccount);
        context.setApiId(apiId);
        context.setStage(stage);
        context.setHttpMethod(method);
        context.setResourcePath(match.resource());
        context.setPath("/" + stage + path);
        context.setRequestId(UUID.randomUUID().toString());
        event.setRequestContext(context);
        return event;
    }

    private static boolean isBinary(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return Routes.BINARY_MEDIA_TYPES.contains(type);
    }

    private static Map<String, String> singleValued(Map<String, List<String>> multi) {
        if (multi.isEmpty()) {
            return null; // API Gateway sends null, not {}, when there are none
        }
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((k, v) -> single.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));
        return single;
    }

    private static String last(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(e.getValue().size() - 1))
                .findFirst().orElse(null);
    }
}
