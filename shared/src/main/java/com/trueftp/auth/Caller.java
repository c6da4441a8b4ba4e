package com.trueftp.auth;

import com.trueftp.account.Account;
import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.core.NotAllowedException;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as the authorizer established it. It travels from the authorizer to the function
 * as {@code requestContext.authorizer}, whose values API Gateway passes as strings.
 */
public record Caller(String accountId, String keyId, Set<Scope> scopes, Plan plan, AccountStatus status,
                     int rateLimit) {
    static final String ACCOUNT_ID = "accountId";
    static final String KEY_ID = "keyId";
    static final String SCOPES = "scopes";
    static final String PLAN = "plan";
    static final String STATUS = "status";
    static final String RATE_LIMIT = "rateLimit";

    public static Caller of(ApiKey key, Account account) {
        return new Caller(account.id(), key.id(), key.scopes(), account.plan(), account.status(), key.rateLimit());
    }

    /** The authorizer context that carries this caller to the function. */
    public Map<String, Object> toAuthorizerContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(ACCOUNT_ID, accountId);
        context.put(KEY_ID, keyId);
        context.put(SCOPES, scopes.stream().map(Scope::id).sorted().collect(Collectors.joining(",")));
        context.put(PLAN, plan.id());
        context.put(STATUS, status.id());
        context.put(RATE_LIMIT, Integer.toString(rateLimit));
        return context;
    }

    /** Reads the caller back; a missing or garbled context is treated as no authentication at all. */
    public static Caller fromAuthorizerContext(Map<String, Object> context) {
        if (context == null) {
            throw new UnauthenticatedException();
        }
        try {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            String scopeList = text(context, SCOPES);
            if (!scopeList.isEmpty()) {
                for (String s : scopeList.split(",", -1)) {
                    scopes.add(Scope.parse(s).orElseThrow());
                }
            }
            return new Caller(text(context, ACCOUNT_ID), text(context, KEY_ID), scopes,
                    Plan.parse(text(context, PLAN)).orElseThrow(),
                    AccountStatus.parse(text(context, STATUS)).orElseThrow(),
                    Integer.parseInt(text(context, RATE_LIMIT)));
        } catch (RuntimeException e) {
            throw new UnauthenticatedException();
        }
    }

    /** The account may use the API at all: active, and on a plan that includes it. */
    public void requireApiAccess() {
        if (status != AccountStatus.ACTIVE) {
            throw new NotAllowedException("account suspended: contact support to reactivate it");
        }
        if (!plan.apiAccess()) {
            throw new NotAllowedException("the REST API is available on paid plans only (this account is on the "
                    + plan.id() + " plan)");
        }
    }

    public void requireScope(Scope scope) {
        if (!scopes.contains(scope)) {
            throw new NotAllowedException("missing required scope: " + scope.id());
        }
    }

    private static String text(Map<String, Object> context, String key) {
        Object value = context.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value.toString();
    }
}
