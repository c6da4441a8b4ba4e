package com.trueftp.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as stored: never the token itself, only its hash.
 *
 * @param usageKey  the value of the key's API Gateway API key, which the authorizer returns as
 *                  {@code usageIdentifierKey} so the usage plan of the account's tier throttles it;
 *                  clients never see or send it
 * @param expiresAt null when the key does not expire
 * @param revokedAt null while the key is live
 */
public record ApiKey(String id, String accountId, String name, Set<Scope> scopes, int rateLimit, String usageKey,
                     Instant createdAt, Instant expiresAt, Instant revokedAt) {
    public static final int DEFAULT_RATE_LIMIT = 1000;

    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
