package com.trueftp.admin;

import com.trueftp.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.Map;

@Command(name = "list-keys", description = "Lists an account's API keys with their status, never their tokens.")
final class ListKeys implements AdminCommand {
    @Option(names = "--account", required = true, paramLabel = "ID", description = "the account's id (acc_...)")
    private String account;

    @Override
    public Map<String, Object> run(AdminTarget target) {
        if (target.accounts().find(account).isEmpty()) {
            throw AdminException.noSuchAccount(account);
        }
        Instant now = target.clock().instant();
        return Json.object("data", target.keys().listByAccount(account).stream().map(k -> KeyJson.of(k, now)).toList());
    }
}
