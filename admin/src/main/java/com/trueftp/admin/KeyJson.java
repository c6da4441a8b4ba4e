package com.trueftp.admin;

import com.trueftp.auth.ApiKey;
import com.trueftp.auth.Scope;
import com.trueftp.core.Json;

import java.time.Instant;
import java.util.Map;

/** A key as admin commands print it: never its token, its hash or its usage key. */
final class KeyJson {
    private KeyJson() {
    }

    static Map<String, Object> of(ApiKey key, Instant now) {
        String status = key.revokedAt() != null ? "revoked" : key.isUsableAt(now) ? "active" : "expired";
        return Json.object("id", key.id(), "account_id", key.accountId(), "name", key.name(),
                "scopes", key.scopes().stream().map(Scope::id).toList(), "rate_limit", key.rateLimit(),
                "status", status, "created_at", Json.timestamp(key.createdAt()),
                "expires_at", Json.timestamp(key.expiresAt()),
                "revoked_at", Json.timestamp(key.revokedAt()));
    }
}
