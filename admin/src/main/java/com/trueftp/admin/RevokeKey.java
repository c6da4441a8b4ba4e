package com.trueftp.admin;

import com.trueftp.auth.ApiKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "revoke-key", description = "Revokes an API key; prints it.")
final class RevokeKey implements AdminCommand {
    @Option(names = "--key", required = true, paramLabel = "ID", description = "the key's id (key_...)")
    private String key;

    @Override
    public Map<String, Object> run(AdminTarget target) {
        ApiKey revoked = target.keys().revoke(key).orElseThrow(() -> new AdminException("no such key: " + key));
        target.edge().remove(revoked);
        return KeyJson.of(revoked, target.clock().instant());
    }
}
