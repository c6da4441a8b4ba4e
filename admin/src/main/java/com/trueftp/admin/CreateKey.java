package com.trueftp.admin;

import com.trueftp.account.Account;
import com.trueftp.auth.ApiKey;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Scope;
import com.trueftp.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

@Command(name = "create-key", description = {"Creates an API key; prints it with its token.",
        "The token is shown this once: only its hash is stored."})
final class CreateKey implements AdminCommand {
    static final long MAX_EXPIRES_IN = Duration.ofDays(3650).toSeconds();

    @Option(names = "--account", required = true, paramLabel = "ID", description = "the account's id (acc_...)")
    private String account;

    @Option(names = "--scopes", required = true, paramLabel = "SCOPES", description = "read, write or read,write")
    private String scopes;

    @Option(names = "--rate-limit", paramLabel = "N", description = "requests per hour (default 1000; at most 1000 / "
            + "10000 / 100000 on free / pro / business; a plan change lowers keys above the new plan's maximum to it)")
    private String rateLimit;

    @Option(names = "--expires-in", paramLabel = "SECONDS", description = "lifetime, at most 3650 days (default: no expiry)")
    private String expiresIn;

    @Option(names = "--name", paramLabel = "NAME", description = "1 to 200 characters (default: ${DEFAULT-VALUE})")
    private String name = "default";

    @Override
    public Map<String, Object> run(AdminTarget target) {
        Set<Scope> granted = OptionValues.scopes(scopes);
        Account owner = target.accounts().find(account).orElseThrow(() -> AdminException.noSuchAccount(account));
        int maxRateLimit = owner.plan().maxKeyRateLimit();
        int limit = rateLimit == null ? Math.min(ApiKey.DEFAULT_RATE_LIMIT, maxRateLimit)
                : (int) OptionValues.wholeNumber("--rate-limit", rateLimit, 1, maxRateLimit);
        // Rounded up to the second: a key never expires before the time asked for.
        Instant expiresAt = expiresIn == null ? null : Instant.ofEpochSecond(target.clock().instant()
                .plusSeconds(OptionValues.wholeNumber("--expires-in", expiresIn, 1, MAX_EXPIRES_IN))
                .plusNanos(999_999_999).getEpochSecond());
        ApiKeyRepository keys = target.keys();
        ApiKeyRepository.CreatedKey created = keys.create(account, OptionValues.name(name), granted, limit, expiresAt);
        try {
            target.edge().register(created.key(), owner.plan());
        } catch (RuntimeException e) {
            keys.revokeToken(created.token()); // a key outside every usage plan could not be used anyway
            throw new AdminException("could not attach the key to the " + owner.plan().id()
                    + " usage plan, so it was revoked: " + e.getMessage());
        }
        Map<String, Object> json = Json.object("id", created.key().id(), "token", created.token());
        json.putAll(KeyJson.of(created.key(), target.clock().instant()));
        json.remove("status");
        json.remove("revoked_at");
        return json;
    }
}
