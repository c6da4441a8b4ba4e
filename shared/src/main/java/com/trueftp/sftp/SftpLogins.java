package com.trueftp.sftp;

import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.AccountStatus;
import com.trueftp.core.Config;
import com.trueftp.files.FileSpace;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserLogins;
import com.trueftp.ftpuser.LoginName;
import com.trueftp.ftpuser.PasswordHasher;
import com.trueftp.ftpuser.SshPublicKey;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who may log in over SFTP (or FTPS), and what the session may do. A login is a password, or a request for the
 * user's public keys (the server checks the offered key against them). Every refusal looks the same to the client
 * and costs the same: the same three reads and one password check whatever is wrong, with a hash nobody's password
 * matches when there is no user, and one conditional write to count the failure.
 */
public class SftpLogins {
    /** Ids of the right shape that are never handed out: what is read when the login names no one. */
    static final String NO_ACCOUNT = "acc_00000000000000000000";
    static final String NO_USER = "ftp_00000000000000000000";
    /** An Argon2id hash (the parameters {@link PasswordHasher} uses) of 32 random bytes nobody kept. */
    static final String NOBODYS_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$LhmtWSpRZe0VwjmjaTxsNg$c82yEy6UQf+HhRRETfVuVSq4FKKOLrIOhQAfgBaWS7k";

    private final FtpUserLogins users;
    private final AccountRepository accounts;
    private final LoginAttempts attempts;
    private final Clock clock;
    private final String bucket;

    /**
     * A login as the SFTP server hands it over.
     *
     * @param password null or empty: the client offers a key and asks for the user's keys
     * @param protocol {@code SFTP} or {@code FTPS} (FTPS has no keys)
     */
    public record Attempt(String login, String password, String protocol, String sourceIp) {
        boolean withPassword() {
            return password != null && !password.isEmpty();
        }

        @Override
        public String toString() {
            return "Attempt[" + login + " " + protocol + " from " + sourceIp + "]"; // never the password
        }
    }

    /** What a login gets, or why it was refused (for the log only: the client learns nothing). */
    public sealed interface Outcome permits Session, Refused {
    }

    /**
     * A session: the user's home folder as the session's {@code /}, whether it may write, the session policy that
     * says so to S3, and on a key request the keys the client's key must be one of.
     *
     * @param homePrefix the key prefix of the home folder, ending in {@code /}
     */
    public record Session(FtpUser user, String bucket, String homePrefix, boolean writable, String policy,
                          List<SshPublicKey> publicKeys) implements Outcome {
    }

    public record Refused(String reason) implements Outcome {
    }

    @Inject
    public SftpLogins(FtpUserLogins users, AccountRepository accounts, LoginAttempts attempts, Clock clock,
                      Config config) {
        this.users = users;
        this.accounts = accounts;
        this.attempts = attempts;
        this.clock = clock;
        this.bucket = config.require(Config.FILES_BUCKET);
    }

    public Outcome login(Attempt attempt) {
        Instant now = clock.instant();
        Optional<LoginName> name = LoginName.parse(attempt.login());
        LoginAttempts.Standing standing = attempts.read(name.map(LoginName::accountId).orElse(NO_ACCOUNT),
                name.map(LoginName::username).orElse(""));
        Optional<FtpUser> user = users.find(standing.accountId(), standing.userId().orElse(NO_USER));
        Optional<Account> account = accounts.find(standing.accountId());
        String refusal = refusal(user, account, standing, now);
        if (attempt.withPassword()) {
            boolean right = PasswordHasher.verify(attempt.password(), user.map(FtpUser::passwordHash).orElse(NOBODYS_HASH));
            if (refusal == null && !right) {
                refusal = "wrong password";
            }
            if (refusal != null) {
                attempts.failed(standing, now);
                return new Refused(refusal);
            }
            attempts.succeeded(standing); // a right password only: asking for keys proves nothing
        } else {
            if (refusal == null && !"SFTP".equals(attempt.protocol())) {
                refusal = "a key login over " + attempt.protocol();
            } else if (refusal == null && user.get().sshPublicKeys().isEmpty()) {
                refusal = "no keys";
            }
            if (refusal != null) {
                return new Refused(refusal); // not counted: the server checks the key after this, unknown here
            }
        }
        users.recordLogin(user.get(), now);
        return session(user.get(), account.get(), attempt.withPassword());
    }

    /** Why the login cannot be granted whatever the secret; null when it can. */
    private static String refusal(Optional<FtpUser> user, Optional<Account> account, LoginAttempts.Standing standing,
                                  Instant now) {
        if (user.isEmpty() || account.isEmpty()) {
            return "unknown login";
        }
        if (standing.lockedAt(now)) {
            return "locked after " + LoginAttempts.MAX_FAILURES + " failures";
        }
        if (!user.get().enabled()) {
            return "user disabled";
        }
        return account.get().status() == AccountStatus.ACTIVE ? null : "account suspended";
    }

    /**
     * The user's home as the session's root. Writes need {@code can_write} and room in the storage quota: an account
     * at or over its quota when the session starts gets a read-only session (it can still log in and download).
     */
    private Session session(FtpUser user, Account account, boolean password) {
        String home = FileSpace.of(user).key(user.homeDirectory());
        boolean writable = user.canWrite() && account.storageBytesUsed() < account.plan().storageBytesLimit();
        return new Session(user, bucket, home, writable, SessionPolicy.of(bucket, home, writable),
                password ? List.of() : user.sshPublicKeys());
    }
}
