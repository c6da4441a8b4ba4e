package com.trueftp.ftpuser;

import com.trueftp.account.AccountRepository;
import com.trueftp.core.InvalidInputException;

import javax.inject.Inject;
import java.util.List;

/**
 * The FTP users of an account: what the API does with them. Another account's user is not found, exactly like
 * an unknown one. Passwords arrive in clear and are stored only as slow hashes.
 */
public class FtpUsers {
    private final FtpUserRepository users;
    private final AccountRepository accounts;
    private final OwnedFiles files;

    /** A new user as the client asks for it (the password in clear). */
    public record NewUser(String username, String password, boolean canWrite, boolean enabled,
                          String homeDirectory, String description, List<SshPublicKey> sshPublicKeys) {
    }

    /**
     * What an update asks for, null leaving a field as it is: {@code username} only to confirm it (it cannot
     * change), the password in clear, {@code description} "" to clear it.
     */
    public record Update(String username, String password, Boolean canWrite, Boolean enabled, String homeDirectory,
                         String description, List<SshPublicKey> sshPublicKeys) {
        boolean changesNothing() {
            return password == null && canWrite == null && enabled == null && homeDirectory == null
                    && description == null && sshPublicKeys == null;
        }
    }

    /** A page of users in creation order, and how many the account has in all. */
    public record Page(List<FtpUser> users, long total) {
    }

    @Inject
    public FtpUsers(FtpUserRepository users, AccountRepository accounts, OwnedFiles files) {
        this.users = users;
        this.accounts = accounts;
        this.files = files;
    }

    /**
     * Refused when the name is taken in the account or the account has {@code userLimit} users: checked once
     * cheaply before the costly hash, and for certain by the transaction that creates the user.
     */
    public FtpUser create(String accountId, NewUser user, int userLimit) {
        if (users.usernameTaken(accountId, user.username())) {
            throw FtpUserRepository.nameTaken(user.username());
        }
        if (accounts.find(accountId).map(a -> a.ftpUsersUsed() >= userLimit).orElse(false)) {
            throw FtpUserRepository.quotaReached(userLimit);
        }
        return users.create(accountId, new FtpUserRepository.NewUser(user.username(),
                PasswordHasher.hash(user.password()), user.canWrite(), user.enabled(), user.homeDirectory(),
                user.description(), user.sshPublicKeys()), userLimit);
    }

    public Page list(String accountId, int offset, int limit) {
        // The account keeps the exact count of its users: no need to read them all for the total.
        long total = accounts.find(accountId).map(a -> a.ftpUsersUsed()).orElse(0L);
        return new Page(users.list(accountId, offset, limit), total);
    }

    /** The account's user; another account's, or an id that cannot be one of ours, is not found. */
    public FtpUser get(String accountId, String id) {
        return users.get(accountId, id);
    }

    public FtpUser update(String accountId, String id, Update update) {
        FtpUser current = get(accountId, id);
        if (update.username() != null && !update.username().equals(current.username())) {
            throw new InvalidInputException("username cannot be changed");
        }
        if (update.changesNothing()) {
            throw new InvalidInputException("nothing to change: send at least one of password, can_write, enabled, "
                    + "home_directory, ssh_public_keys, description");
        }
        FtpUserRepository.Changes changes = new FtpUserRepository.Changes(
                update.password() == null ? null : PasswordHasher.hash(update.password()),
                update.canWrite(), update.enabled(), update.homeDirectory(), update.description(),
                update.sshPublicKeys());
        return users.update(accountId, id, changes).orElseThrow(FtpUserRepository::notFound); // deleted meanwhile
    }

    /**
     * Deletes the user's files, then the user. Files go first: a request stopped half-way leaves the user
     * in place and a retry finishes the job, instead of files nobody can reach. Files uploaded while the
     * user was being deleted are swept after it.
     */
    public void delete(String accountId, String id) {
        FtpUser user = get(accountId, id);
        files.deleteAll(user);
        if (!users.delete(accountId, id)) {
            throw FtpUserRepository.notFound(); // deleted meanwhile by another request
        }
        files.deleteAll(user);
    }
}
