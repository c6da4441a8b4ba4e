package com.trueftp.functions.ftpusers;

import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUsers;
import com.trueftp.ftpuser.SshPublicKey;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.Pagination;

import javax.inject.Inject;
import java.util.List;

/** The /ftp-users endpoints: each parses its request, calls {@link FtpUsers} and renders the answer. */
public class FtpUsersEndpoint {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final FtpUsers users;

    @Inject
    public FtpUsersEndpoint(FtpUsers users) {
        this.users = users;
    }

    public ApiResponse create(ApiRequest request) {
        FtpUserInput input = new FtpUserInput(request.jsonBody());
        String username = input.username();
        String password = input.password();
        boolean canWrite = input.has("can_write") && input.bool("can_write");
        boolean enabled = !input.has("enabled") || input.bool("enabled");
        String home = input.has("home_directory") ? input.homeDirectory() : "/";
        String description = input.has("description") ? input.description() : "";
        List<SshPublicKey> keys = input.has("ssh_public_keys") ? input.sshPublicKeys() : List.of();
        FtpUsers.NewUser user = new FtpUsers.NewUser(username, password, canWrite, enabled, home,
                description.isEmpty() ? null : description, keys);
        return ApiResponse.created(users.create(request.caller().accountId(), user,
                request.caller().plan().ftpUserLimit()).toJson());
    }

    public ApiResponse list(ApiRequest request) {
        Pagination page = Pagination.offsetAndLimit(request, DEFAULT_LIMIT, MAX_LIMIT);
        FtpUsers.Page found = users.list(request.caller().accountId(), page.offset(), page.limit());
        return ApiResponse.ok(page.envelope(found.users().stream().map(FtpUser::toJson).toList(), found.total()));
    }

    public ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(users.get(request.caller().accountId(), request.pathParameter("id")).toJson());
    }

    public ApiResponse update(ApiRequest request) {
        FtpUserInput input = new FtpUserInput(request.jsonBody());
        FtpUsers.Update update = new FtpUsers.Update(
                input.has("username") ? input.username() : null,
                input.has("password") ? input.password() : null,
                input.has("can_write") ? input.bool("can_write") : null,
                input.has("enabled") ? input.bool("enabled") : null,
                input.has("home_directory") ? input.homeDirectory() : null,
                input.has("description") ? input.description() : null,
                input.has("ssh_public_keys") ? input.sshPublicKeys() : null);
        return ApiResponse.ok(users.update(request.caller().accountId(), request.pathParameter("id"), update).toJson());
    }

    public ApiResponse delete(ApiRequest request) {
        users.delete(request.caller().accountId(), request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}
