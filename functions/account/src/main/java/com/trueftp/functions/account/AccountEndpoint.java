package com.trueftp.functions.account;

import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.core.Json;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.ratelimit.RateLimiter;

import javax.inject.Inject;
import java.util.Map;

/** GET /account: the caller's account, its quotas and the calling key's rate limit. */
public class AccountEndpoint {
    private final AccountRepository accounts;

    @Inject
    public AccountEndpoint(AccountRepository accounts) {
        this.accounts = accounts;
    }

    public ApiResponse get(ApiRequest request) {
        Account account = accounts.get(request.caller().accountId());
        Plan plan = account.plan();
        Map<String, Object> body = account.summary();
        body.put("quotas", Json.object(
                "ftp_users", Json.object("used", account.ftpUsersUsed(), "limit", plan.ftpUserLimit()),
                "storage_bytes", Json.object("used", account.storageBytesUsed(), "limit", plan.storageBytesLimit())));
        body.put("rate_limit", Json.object("limit", request.caller().rateLimit(),
                "window_seconds", RateLimiter.WINDOW_SECONDS));
        return ApiResponse.ok(body);
    }
}
