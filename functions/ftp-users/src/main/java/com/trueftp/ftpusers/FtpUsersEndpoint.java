package com.trueftp.ftpusers;

import com.trueftp.account.AccountRepository;
import com.trueftp.files.FileSpace;
import com.trueftp.files.FileStore;
import com.trueftp.files.PendingUploads;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.ftpuser.PasswordHasher;
import com.trueftp.http.ApiException;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.Pagination;

import javax.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The /ftp-users endpoints. Users belong to the caller's account: another account's user id answers
 * exactly like an unknown one.
 */
public class FtpUsersEndpoint {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final FtpUserRepository users;
    private final AccountRepository accounts;
    private final FileStore files;
    private final PendingUploads uploads;

    @Inject
    public FtpUsersEndpoint(FtpUserRepository users, AccountRepository accounts, FileStore files,
                            PendingUploads uploads) {
        this.users = users;
        this.accounts = accounts;
        this.files = files;
        this.uploads = uploads;
    }

    public ApiResponse create(ApiRequest request) {
        FtpUserInput input = new FtpUserInput(request.jsonBody());
        String username = input.username();
        String password = input.password();
        boolean canWrite = input.has("can_write") && input.bool("can_write");
        boolean enabled = !input.has("enabled") || input.bool("enabled");
        String home = input.has("home_directory") ? input.homeDirectory() : "/";
        String description = input.has("description") ? input.description() : "";
        String accountId = request.caller().accountId();
        int limit = request.caller().plan().ftpUserLimit();
        // Cheap early answers before the costly hash; the transaction in create() decides for certain.
        if (users.usernameTaken(accountId, username)) {
            throw FtpUserRepository.nameTaken(username);
        }
        if (accounts.find(accountId).map(a -> a.ftpUsersUsed() >= limit).orElse(false)) {
            throw FtpUserRepository.quotaReached(limit);
        }
        FtpUser user = users.create(accountId, new FtpUserRepository.NewUser(username, PasswordHasher.hash(password),
                canWrite, enabled, home, description.isEmpty() ? null : description), limit);
        return ApiResponse.created(user.toJson());
    }

    public ApiResponse list(ApiRequest request) {
        Pagination page = Pagination.offsetAndLimit(request, DEFAULT_LIMIT, MAX_LIMIT);
        String accountId = request.caller().accountId();
        List<Map<String, Object>> data = users.list(accountId, page.offset(), page.limit()).stream()
                .map(FtpUser::toJson).toList();
        // The account keeps the exact count of its users: no need to read them all for the total.
        long total = accounts.find(accountId).map(a -> a.ftpUsersUsed()).orElse(0L);
        return ApiResponse.ok(page.envelope(data, total));
    }

    public ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(find(request).toJson());
    }

    public ApiResponse update(ApiRequest request) {
        FtpUserInput input = new FtpUserInput(request.jsonBody());
        FtpUser current = find(request);
        if (input.has("username") && !input.username().equals(current.username())) {
            throw ApiException.badRequest("username cannot be changed");
        }
        if (input.hasOnly(Set.of("username"))) {
            throw ApiException.badRequest("nothing to change: send at least one of password, can_write, enabled, "
                    + "home_directory, description");
        }
        String password = input.has("password") ? input.password() : null;
        FtpUserRepository.Changes changes = new FtpUserRepository.Changes(
                password == null ? null : PasswordHasher.hash(password),
                input.has("can_write") ? input.bool("can_write") : null,
                input.has("enabled") ? input.bool("enabled") : null,
                input.has("home_directory") ? input.homeDirectory() : null,
                input.has("description") ? input.description() : null);
        return ApiResponse.ok(users.update(current.accountId(), current.id(), changes)
                .orElseThrow(FtpUsersEndpoint::notFound).toJson());
    }

    /**
     * Deletes the user's files, then the user. Files go first: a request stopped half-way leaves the user
     * in place and a retry finishes the job, instead of files nobody can reach. Files uploaded while the
     * user was being deleted are swept after it.
     */
    public ApiResponse delete(ApiRequest request) {
        FtpUser user = find(request);
        FileSpace space = new FileSpace(user.accountId(), user.id());
        uploads.settleAll(user); // what its upload URLs stored is counted before it is deleted
        deleteFiles(space);
        if (!users.delete(user.accountId(), user.id())) {
            throw notFound();
        }
        deleteFiles(space);
        return ApiResponse.noContent();
    }

    private void deleteFiles(FileSpace space) {
        files.deleteAll(space.prefix(), bytes -> accounts.releaseStorage(space.accountId(), bytes));
    }

    private FtpUser find(ApiRequest request) {
        return users.find(request.caller().accountId(), userId(request)).orElseThrow(FtpUsersEndpoint::notFound);
    }

    /** An id that cannot be one of ours (wrong shape, any length) is simply not found. */
    private static String userId(ApiRequest request) {
        String id = request.pathParameter("id");
        if (!FtpUserRepository.isWellFormedId(id)) {
            throw notFound();
        }
        return id;
    }

    private static ApiException notFound() {
        return ApiException.notFound("ftp user not found");
    }

}
