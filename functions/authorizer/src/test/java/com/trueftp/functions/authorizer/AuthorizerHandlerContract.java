package com.trueftp.functions.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Scope;
import com.trueftp.aws.Outages;
import com.trueftp.core.Config;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The authorizer handler against a real DynamoDB API; subclasses choose which one. */
abstract class AuthorizerHandlerContract {
    private AwsUnderTest aws;
    private AuthorizerHandler handler;
    private AccountRepository accounts;
    private ApiKeyRepository keys;

    abstract AwsUnderTest aws();

    @BeforeEach
    void setUp() {
        aws = aws();
        handler = new AuthorizerHandler(DaggerAuthorizerComponent.factory().create(aws.config()).authenticator());
        accounts = aws.accounts();
        keys = aws.graph().apiKeys();
    }

    private static APIGatewayCustomAuthorizerEvent requestWith(String token) {
        APIGatewayCustomAuthorizerEvent event = SampleEvents.load("authorizer/request.json", APIGatewayCustomAuthorizerEvent.class);
        event.getHeaders().put("Authorization", "Bearer " + token);
        return event;
    }

    @Test
    void liveKeyIsAllowedOnEveryMethodOfTheApiWithTheCallerAsContext() {
        Account account = accounts.create("Acme", Plan.PRO);
        var created = keys.create(account.id(), "ci", EnumSet.of(Scope.READ), 250, null);

        IamPolicyResponseV1 policy = handler.handleRequest(requestWith(created.token()), null);

        assertThat(policy.getPrincipalId()).isEqualTo(account.id());
        Map<String, Object>[] statements = statements(policy);
        assertThat(statements).hasSize(1);
        assertThat(statements[0]).containsEntry("Effect", "Allow").containsEntry("Action", "execute-api:Invoke");
        assertThat((String[]) statements[0].get("Resource"))
                .containsExactly("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/*/*");
        assertThat(policy.getContext()).containsEntry("accountId", account.id())
                .containsEntry("keyId", created.key().id()).containsEntry("scopes", "read")
                .containsEntry("plan", "pro").containsEntry("status", "active").containsEntry("rateLimit", "250");
    }

    @Test
    void suspendedAccountIsStillAuthenticatedSoTheFunctionCanSayWhyItRefuses() {
        Account account = accounts.create("Acme", Plan.PRO);
        accounts.update(account.id(), null, AccountStatus.SUSPENDED);
        var created = keys.create(account.id(), "ci", EnumSet.of(Scope.READ), 1000, null);
        assertThat(handler.handleRequest(requestWith(created.token()), null).getContext())
                .containsEntry("status", "suspended");
    }

    /** Every sample in authorizer/refused/ is a request to refuse. */
    @ParameterizedTest
    @Events(folder = "events/authorizer/refused", type = APIGatewayCustomAuthorizerEvent.class)
    void refusedRequestsGetUnauthorized(APIGatewayCustomAuthorizerEvent event) {
        assertThatThrownBy(() -> handler.handleRequest(event, null)).hasMessage(AuthorizerHandler.UNAUTHORIZED);
    }

    @Test
    void revokedKeyIsUnauthorized() {
        Account account = accounts.create("Acme", Plan.PRO);
        var created = keys.create(account.id(), "ci", EnumSet.of(Scope.READ), 1000, null);
        handler.handleRequest(requestWith(created.token()), null);
        keys.revoke(created.key().id());
        assertThatThrownBy(() -> handler.handleRequest(requestWith(created.token()), null))
                .hasMessage(AuthorizerHandler.UNAUTHORIZED);
    }

    @Test
    void expiredKeyIsUnauthorized() {
        Account account = accounts.create("Acme", Plan.PRO);
        var created = keys.create(account.id(), "ci", EnumSet.of(Scope.READ), 1000, Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> handler.handleRequest(requestWith(created.token()), null))
                .hasMessage(AuthorizerHandler.UNAUTHORIZED);
    }

    @Test
    void headerNameIsCaseInsensitive() {
        Account account = accounts.create("Acme", Plan.PRO);
        var created = keys.create(account.id(), "ci", EnumSet.of(Scope.READ), 1000, null);
        APIGatewayCustomAuthorizerEvent event = SampleEvents.load("authorizer/request.json", APIGatewayCustomAuthorizerEvent.class);
        event.getHeaders().remove("Authorization");
        event.getHeaders().put("authorization", "Bearer " + created.token());
        assertThat(handler.handleRequest(event, null).getPrincipalId()).isEqualTo(account.id());
    }

    @Test
    void unreachableDynamoDbFailsFastWithSomethingOtherThanUnauthorized() {
        Config down = AwsUnderTest.unreachable();
        AuthorizerHandler cut = new AuthorizerHandler(DaggerAuthorizerComponent.factory().create(down).authenticator());
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                catchThrowable(() -> cut.handleRequest(requestWith("tftp_abcdefghijklmnopqrstuvwxyzABCDEF"), null)));
        // API Gateway answers any error but "Unauthorized" with AUTHORIZER_FAILURE or AUTHORIZER_CONFIGURATION_ERROR,
        // both of which the stack maps to 503 with Retry-After.
        assertThat(thrown).isNotNull();
        assertThat(thrown.getMessage()).isNotEqualTo(AuthorizerHandler.UNAUTHORIZED);
        assertThat(Outages.isOutage(thrown)).isTrue();
    }

    @Test
    void stalledDynamoDbFailsWithinTheFunctionsTimeout() {
        AuthorizerHandler cut = new AuthorizerHandler(
                DaggerAuthorizerComponent.factory().create(AwsUnderTest.unresponsive()).authenticator());
        long started = System.nanoTime();
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                catchThrowable(() -> cut.handleRequest(requestWith("tftp_abcdefghijklmnopqrstuvwxyzABCDEF"), null)));
        assertThat(Outages.isOutage(thrown)).isTrue();
        // The deployed authorizer has 10 s; it makes at most two calls, each bounded by the call timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] statements(IamPolicyResponseV1 policy) {
        return (Map<String, Object>[]) policy.getPolicyDocument().get("Statement");
    }
}
