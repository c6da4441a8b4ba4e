package com.trueftp.auth;

import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;

import javax.inject.Inject;
import java.time.Clock;
import java.util.Optional;

/** Turns an Authorization header into a caller, or refuses it: the authorizer's whole job. */
public class Authenticator {
    private final ApiKeyRepository keys;
    private final AccountRepository accounts;
    private final Clock clock;

    @Inject
    public Authenticator(ApiKeyRepository keys, AccountRepository accounts, Clock clock) {
        this.keys = keys;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A caller and the usage key that ties its requests to the usage plan of its account's tier. */
    public record Authentication(Caller caller, String usageKey) {
    }

    /** @throws UnauthenticatedException for a missing, malformed, unknown, revoked or expired token */
    public Authentication authenticate(String authorizationHeader) {
        String token = ApiToken.fromAuthorizationHeader(authorizationHeader).orElseThrow(UnauthenticatedException::new);
        ApiKey key = keys.findByToken(token)
                .filter(k -> k.isUsableAt(clock.instant()))
                .orElseThrow(UnauthenticatedException::new);
        Optional<Account> account = accounts.find(key.accountId());
        return new Authentication(Caller.of(key, account.orElseThrow(UnauthenticatedException::new)), key.usageKey());
    }
}
