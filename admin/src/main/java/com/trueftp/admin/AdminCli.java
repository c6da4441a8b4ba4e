package com.trueftp.admin;

import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKey;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Scope;
import com.trueftp.aws.Outages;
import com.trueftp.core.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./trueftp admin}: operator commands. Each prints one JSON object on stdout; errors go to
 * stderr with a non-zero exit code (2 for a wrong command line, 1 for a refused or failed command).
 */
public final class AdminCli {
    static final String USAGE = """
            usage: ./trueftp admin [--data DIR | --stack NAME] <command> [options]

            Targets the running local stack (default data directory .trueftp/local) or, with --stack,
            a deployed stack through the default AWS credential chain.

            commands:
              create-account --plan free|pro|business [--name NAME]
              set-account    --account ID [--plan free|pro|business] [--status active|suspended]
              create-key     --account ID --scopes read,write [--rate-limit N] [--expires-in SECONDS] [--name NAME]
                             prints the token once; only its hash is stored. N requests per hour
                             (default 1000; at most 1000 / 10000 / 100000 on free / pro / business;
                             a plan change lowers keys above the new plan's maximum to it)
              list-keys      --account ID       (never shows tokens)
              revoke-key     --key ID
            """;
    static final long MAX_EXPIRES_IN = Duration.ofDays(3650).toSeconds();
    static final Path DEFAULT_DATA = Path.of(".trueftp/local");

    private final AccountRepository accounts;
    private final ApiKeyRepository keys;
    private final EdgeKeys edge;
    private final Clock clock;

    AdminCli(AccountRepository accounts, ApiKeyRepository keys, EdgeKeys edge, Clock clock) {
        this.accounts = accounts;
        this.keys = keys;
        this.edge = edge;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            int i = 0;
            Path data = DEFAULT_DATA;
            String stack = null;
            while (i < args.length && args[i].startsWith("--")) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--data" -> data = Path.of(valueAt(args, ++i, "--data"));
                    case "--stack" -> stack = valueAt(args, ++i, "--stack");
                    default -> throw AdminException.usage("unknown option " + args[i]);
                }
                i++;
            }
            if (i >= args.length) {
                throw AdminException.usage("missing command");
            }
            String command = args[i];
            if (Arrays.asList(args).subList(i, args.length).contains("--help")) {
                out.print(USAGE);
                return 0;
            }
            Clock clock = Clock.systemUTC();
            try (AdminTarget target = stack != null ? AdminTarget.stack(stack) : AdminTarget.local(data)) {
                AdminCli cli = new AdminCli(new AccountRepository(target.dynamo(), target.config(), clock),
                        new ApiKeyRepository(target.dynamo(), target.config(), clock), target.edge(), clock);
                out.println(Json.pretty(cli.execute(command, args, i + 1)));
            }
            return 0;
        } catch (AdminException e) {
            err.println("error: " + e.getMessage());
            if (e.exitCode() == 2) {
                err.println("see ./trueftp admin --help");
            }
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("error: " + (Outages.isOutage(e) ? "cannot reach DynamoDB: " : "") + e.getMessage());
            return 1;
        }
    }

    Map<String, Object> execute(String command, String[] args, int from) {
        return switch (command) {
            case "create-account" -> createAccount(new Options(args, from, Set.of("plan", "name"), command));
            case "set-account" -> setAccount(new Options(args, from, Set.of("account", "plan", "status"), command));
            case "create-key" -> createKey(new Options(args, from,
                    Set.of("account", "scopes", "rate-limit", "expires-in", "name"), command));
            case "list-keys" -> listKeys(new Options(args, from, Set.of("account"), command));
            case "revoke-key" -> revokeKey(new Options(args, from, Set.of("key"), command));
            default -> throw AdminException.usage("unknown command " + command);
        };
    }

    private Map<String, Object> createAccount(Options options) {
        Plan plan = plan(options.require("plan"));
        String name = options.get("name").orElse("Untitled account");
        if (name.isBlank() || name.length() > 200) {
            throw AdminException.usage("--name must be 1 to 200 characters");
        }
        return accounts.create(name, plan).summary();
    }

    private Map<String, Object> setAccount(Options options) {
        String id = options.require("account");
        Plan plan = options.get("plan").map(AdminCli::plan).orElse(null);
        AccountStatus status = options.get("status").map(s -> AccountStatus.parse(s).orElseThrow(() ->
                AdminException.usage("--status must be active or suspended, got " + s))).orElse(null);
        if (plan == null && status == null) {
            throw AdminException.usage("set-account needs --plan or --status");
        }
        Account account = accounts.update(id, plan, status).orElseThrow(() -> noAccount(id));
        if (plan != null) {
            // A lower plan allows lower key limits; and every live key follows the account to its usage plan.
            keys.capRateLimits(id, plan.maxKeyRateLimit());
            edge.moveAll(keys.listByAccount(id).stream().filter(k -> k.revokedAt() == null).toList(), plan);
        }
        return account.summary();
    }

    private Map<String, Object> createKey(Options options) {
        String accountId = options.require("account");
        Set<Scope> scopes = scopes(options.require("scopes"));
        Account account = accounts.find(accountId).orElseThrow(() -> noAccount(accountId));
        int maxRateLimit = account.plan().maxKeyRateLimit();
        int rateLimit = options.number("rate-limit", 1, maxRateLimit).map(Long::intValue)
                .orElse(Math.min(ApiKey.DEFAULT_RATE_LIMIT, maxRateLimit));
        // Rounded up to the second: a key never expires before the time asked for.
        Instant expiresAt = options.number("expires-in", 1, MAX_EXPIRES_IN)
                .map(s -> Instant.ofEpochSecond(clock.instant().plusSeconds(s).plusNanos(999_999_999).getEpochSecond()))
                .orElse(null);
        String name = options.get("name").orElse("default");
        if (name.isBlank() || name.length() > 200) {
            throw AdminException.usage("--name must be 1 to 200 characters");
        }
        ApiKeyRepository.CreatedKey created = keys.create(accountId, name, scopes, rateLimit, expiresAt);
        try {
            edge.register(created.key(), account.plan());
        } catch (RuntimeException e) {
            keys.revokeToken(created.token()); // a key outside every usage plan could not be used anyway
            throw new AdminException("could not attach the key to the " + account.plan().id()
                    + " usage plan, so it was revoked: " + e.getMessage());
        }
        Map<String, Object> json = Json.object("id", created.key().id(), "token", created.token());
        json.putAll(keyJson(created.key()));
        json.remove("status");
        json.remove("revoked_at");
        return json;
    }

    private Map<String, Object> listKeys(Options options) {
        String accountId = options.require("account");
        accounts.find(accountId).orElseThrow(() -> noAccount(accountId));
        List<Map<String, Object>> data = keys.listByAccount(accountId).stream().map(this::keyJson).toList();
        return Json.object("data", data);
    }

    private Map<String, Object> revokeKey(Options options) {
        String id = options.require("key");
        ApiKey key = keys.revoke(id).orElseThrow(() -> new AdminException("no such key: " + id));
        edge.remove(key);
        return keyJson(key);
    }

    private Map<String, Object> keyJson(ApiKey key) {
        String status = key.revokedAt() != null ? "revoked" : key.isUsableAt(clock.instant()) ? "active" : "expired";
        return Json.object("id", key.id(), "account_id", key.accountId(), "name", key.name(),
                "scopes", key.scopes().stream().map(Scope::id).toList(), "rate_limit", key.rateLimit(),
                "status", status, "created_at", Json.timestamp(key.createdAt()),
                "expires_at", Json.timestamp(key.expiresAt()),
                "revoked_at", Json.timestamp(key.revokedAt()));
    }

    private static Plan plan(String value) {
        return Plan.parse(value).orElseThrow(() -> AdminException.usage("--plan must be free, pro or business, got " + value));
    }

    private static Set<Scope> scopes(String list) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : list.split(",", -1)) {
            scopes.add(Scope.parse(s.trim()).orElseThrow(() ->
                    AdminException.usage("--scopes must be read, write or read,write, got " + list)));
        }
        return scopes;
    }

    private static AdminException noAccount(String id) {
        return new AdminException("no such account: " + id);
    }

    private static String valueAt(String[] args, int i, String option) {
        if (i >= args.length) {
            throw AdminException.usage(option + " needs a value");
        }
        return args[i];
    }
}
