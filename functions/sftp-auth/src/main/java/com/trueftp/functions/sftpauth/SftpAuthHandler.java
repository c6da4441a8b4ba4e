package com.trueftp.functions.sftpauth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.ftpuser.SshPublicKey;
import com.trueftp.sftp.SftpLogins;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity provider of the SFTP server (AWS Transfer Family's {@code AWS_LAMBDA} type): it gets
 * {@code {username, password, protocol, serverId, sourceIp}} ({@code password} absent or empty when the client
 * offers a key) and answers the session's role, its home folder as a LOGICAL {@code /}, its session policy and, for a
 * key, the user's public keys. An empty answer refuses, whatever the reason; the reason goes to the log only. A
 * dependency that fails makes the invocation fail, which the server also takes as a refusal.
 */
public class SftpAuthHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final SftpLogins logins;
    private final String role;

    /** Lambda's entry: wiring happens once, at cold start. */
    public SftpAuthHandler() {
        this(Config.fromEnvironment());
    }

    /** Tests wire the function against the emulators through the same component. */
    SftpAuthHandler(Config config) {
        this(DaggerSftpAuthComponent.factory().create(config).logins(), config);
    }

    /** Tests hand in the logins (on a clock they move). */
    SftpAuthHandler(SftpLogins logins, Config config) {
        this.logins = logins;
        this.role = config.require(Config.SFTP_SESSION_ROLE_ARN);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        SftpLogins.Attempt attempt = new SftpLogins.Attempt(text(event, "username"), text(event, "password"),
                text(event, "protocol") == null ? "SFTP" : text(event, "protocol"), text(event, "sourceIp"));
        SftpLogins.Outcome outcome = logins.login(attempt);
        if (outcome instanceof SftpLogins.Refused refused) {
            context.getLogger().log("login refused: " + printable(attempt.login()) + " from "
                    + printable(attempt.sourceIp()) + " (" + refused.reason() + ")");
            return Map.of();
        }
        SftpLogins.Session session = (SftpLogins.Session) outcome;
        String target = "/" + session.bucket() + "/" + session.homePrefix().substring(0, session.homePrefix().length() - 1);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Role", role);
        answer.put("HomeDirectoryType", "LOGICAL");
        answer.put("HomeDirectoryDetails", Json.write(List.of(Map.of("Entry", "/", "Target", target))));
        answer.put("Policy", session.policy());
        if (!session.publicKeys().isEmpty()) {
            answer.put("PublicKeys", session.publicKeys().stream().map(SshPublicKey::keyOnly).toList());
        }
        context.getLogger().log("login: " + session.user().id() + " of " + session.user().accountId()
                + (session.writable() ? " (read-write)" : " (read-only)"));
        return answer;
    }

    private static String text(Map<String, Object> event, String field) {
        return event.get(field) instanceof String text ? text : null;
    }

    /** A client's text, safe for one log line. */
    private static String printable(String text) {
        if (text == null) {
            return "-";
        }
        String safe = text.replaceAll("[^\\x21-\\x7e]", "?");
        return safe.length() > 120 ? safe.substring(0, 120) + "…" : safe;
    }
}
