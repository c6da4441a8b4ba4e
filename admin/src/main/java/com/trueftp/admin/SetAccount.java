package com.trueftp.admin;

import com.trueftp.account.Account;
import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "set-account", description = {"Changes an account's plan or status; prints the account.",
        "A lower plan lowers its keys' hourly limits above the plan's maximum to it."})
final class SetAccount implements AdminCommand {
    @Option(names = "--account", required = true, paramLabel = "ID", description = "the account's id (acc_...)")
    private String account;

    @Option(names = "--plan", paramLabel = "PLAN", description = "free, pro or business")
    private String plan;

    @Option(names = "--status", paramLabel = "STATUS", description = "active or suspended")
    private String status;

    @Override
    public Map<String, Object> run(AdminTarget target) {
        Plan newPlan = plan == null ? null : OptionValues.plan(plan);
        AccountStatus newStatus = status == null ? null : OptionValues.status(status);
        if (newPlan == null && newStatus == null) {
            throw AdminException.usage("set-account needs --plan or --status");
        }
        Account updated = target.accounts().update(account, newPlan, newStatus)
                .orElseThrow(() -> AdminException.noSuchAccount(account));
        if (newPlan != null) {
            // A lower plan allows lower key limits; and every live key follows the account to its usage plan.
            ApiKeyRepository keys = target.keys();
            keys.capRateLimits(account, newPlan.maxKeyRateLimit());
            target.edge().moveAll(keys.listByAccount(account).stream().filter(k -> k.revokedAt() == null).toList(),
                    newPlan);
        }
        return updated.summary();
    }
}
