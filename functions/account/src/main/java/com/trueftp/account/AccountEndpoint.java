package com.trueftp.account;

import com.trueftp.http.ApiException;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.json.Json;

import javax.inject.Inject;
import java.util.Map;

/** GET /account: the caller's account, its quotas and the calling key's rate limit. */
public class AccountEndpoint {
    static final int RATE_LIMIT_WINDOW_SECONDS = 3600;

    private final AccountRepository accounts;

    @Inject
    public AccountEndpoint(AccountRepository accounts) {
        this.accounts = accounts;
    }

    public ApiResponse get(ApiRequest request) {
        Account account = accounts.find(request.caller().accountId())
                .orElseThrow(() -> ApiException.notFound("account not found"));
        Plan plan = account.plan();
        Map<String, Object> body = account.summary();
        body.put("quotas", Json.object(
                "ftp_users", Json.object("used", account.ftpUsersUsed(), "limit", plan.ftpUserLimit()),
                "storage_bytes", Json.object("used", account.storageBytesUsed(), "limit", plan.storageBytesLimit())));
        body.put("rate_limit", Json.object("limit", request.caller().rateLimit(),
                "window_seconds", RATE_LIMIT_WINDOW_SECONDS));
        return ApiResponse.ok(body);
    }
}
