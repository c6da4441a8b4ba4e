package com.trueftp.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.trueftp.auth.Authenticator;
import com.trueftp.auth.Caller;
import com.trueftp.auth.UnauthenticatedException;
import com.trueftp.core.Config;

import java.util.List;
import java.util.Map;

/**
 * The API Gateway REQUEST authorizer. A good token yields an Allow policy for every method of the API
 * (the result is cached per token and reused across methods) and the caller as context; anything else
 * throws "Unauthorized", which API Gateway turns into 401. The usage identifier key puts the request under
 * the usage plan (edge throttle and daily quota) of the account's tier. Other exceptions (DynamoDB down) make
 * API Gateway answer AUTHORIZER_FAILURE, which the stack maps to 503.
 */
public class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
    /** The exact message API Gateway maps to 401. */
    public static final String UNAUTHORIZED = "Unauthorized";

    private final Authenticator authenticator;

    public AuthorizerHandler() {
        this(DaggerAuthorizerComponent.factory().create(Config.fromEnvironment()).authenticator());
    }

    AuthorizerHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        Authenticator.Authentication authentication;
        try {
            authentication = authenticator.authenticate(authorizationHeader(event.getHeaders()));
        } catch (UnauthenticatedException e) {
            throw new RuntimeException(UNAUTHORIZED);
        }
        Caller caller = authentication.caller();
        return IamPolicyResponseV1.builder()
                .withPrincipalId(caller.accountId())
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponseV1.allowStatement(wholeApi(event.getMethodArn()))))
                        .build())
                .withContext(caller.toAuthorizerContext())
                .withUsageIdentifierKey(authentication.usageKey())
                .build();
    }

    private static String authorizationHeader(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Authorization"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH becomes arn:...:API/STAGE/{@literal *}/{@literal *}. */
    static String wholeApi(String methodArn) {
        String[] parts = methodArn.split("/", 3);
        if (parts.length < 3) {
            throw new IllegalArgumentException("unexpected methodArn: " + methodArn);
        }
        return parts[0] + "/" + parts[1] + "/*/*";
    }
}
