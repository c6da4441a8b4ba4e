package com.trueftp.http;

import com.trueftp.auth.Scope;
import com.trueftp.stack.LambdaFunction;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The route table: read by the CDK app (resources, methods, integrations), by the local gateway
 * (dispatch) and by the request pipeline (scope). Adding an endpoint is one line here plus its handler.
 * Scopes follow the reference: GET needs read, everything else needs write.
 */
public final class Routes {
    public static final String BASE_PATH = "/api/ext/v1";

    /**
     * Request bodies of these content types reach functions base64-encoded (API Gateway's binaryMediaTypes):
     * byte for byte, so that JSON with invalid UTF-8 is refused rather than read with replacement characters.
     */
    public static final List<String> BINARY_MEDIA_TYPES = List.of("multipart/form-data", "application/octet-stream",
            "application/json");

    /**
     * The largest file uploaded through the API. Lambda takes at most 6 MB per request, and a multipart body
     * arrives base64-encoded (4/3 larger): about 4.5 MB of body fits, the file and its part headers.
     */
    public static final int MAX_UPLOAD_FILE_BYTES = 4 * 1024 * 1024;
    static final int MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_FILE_BYTES + 64 * 1024;
    public static final String UPLOAD_TOO_LARGE = "file too large to upload through the API (at most "
            + MAX_UPLOAD_FILE_BYTES + " bytes): ask POST /ftp-users/{id}/files/upload-url?path=&size= for a "
            + "presigned upload URL";

    public static final List<Route> ALL = List.of(
            route("GET", "/account", LambdaFunction.ACCOUNT),
            route("GET", "/ftp-users", LambdaFunction.FTP_USERS),
            route("POST", "/ftp-users", LambdaFunction.FTP_USERS),
            route("GET", "/ftp-users/{id}", LambdaFunction.FTP_USERS),
            route("PUT", "/ftp-users/{id}", LambdaFunction.FTP_USERS),
            route("DELETE", "/ftp-users/{id}", LambdaFunction.FTP_USERS),
            route("GET", "/ftp-users/{id}/files", LambdaFunction.FILES),
            // Issuing a download link records a file.downloaded event.
            route("GET", "/ftp-users/{id}/files/download", LambdaFunction.FILES).recording(),
            route("POST", "/ftp-users/{id}/files", LambdaFunction.FILES).bodyUpTo(MAX_UPLOAD_BODY_BYTES, UPLOAD_TOO_LARGE),
            route("DELETE", "/ftp-users/{id}/files", LambdaFunction.FILES),
            route("POST", "/ftp-users/{id}/files/mkdir", LambdaFunction.FILES),
            route("POST", "/ftp-users/{id}/files/upload-url", LambdaFunction.FILES),
            route("GET", "/events", LambdaFunction.EVENTS),
            route("GET", "/webhooks", LambdaFunction.WEBHOOKS),
            route("POST", "/webhooks", LambdaFunction.WEBHOOKS),
            route("GET", "/webhooks/{id}", LambdaFunction.WEBHOOKS),
            route("PUT", "/webhooks/{id}", LambdaFunction.WEBHOOKS),
            route("DELETE", "/webhooks/{id}", LambdaFunction.WEBHOOKS),
            route("POST", "/webhooks/{id}/ping", LambdaFunction.WEBHOOKS),
            route("POST", "/webhooks/{id}/rotate-secret", LambdaFunction.WEBHOOKS),
            route("GET", "/webhooks/{id}/deliveries", LambdaFunction.WEBHOOKS),
            route("POST", "/webhooks/{id}/deliveries/{delivery_id}/redeliver", LambdaFunction.WEBHOOKS),
            // The API's own description, for client generators: no token needed.
            new Route("GET", "/openapi.json", LambdaFunction.OPENAPI, null));

    private Routes() {
    }

    private static Route route(String method, String path, LambdaFunction function) {
        return new Route(method, path, function, method.equals("GET") ? Scope.READ : Scope.WRITE);
    }

    /** A concrete request path matched against the templates: which routes share it and the path parameters. */
    public record Match(String resource, List<Route> routes, Map<String, String> pathParameters) {
        public Optional<Route> route(String method) {
            return routes.stream().filter(r -> r.method().equals(method)).findFirst();
        }

        public List<String> allowedMethods() {
            return routes.stream().map(Route::method).toList();
        }
    }

    /**
     * Matches a full request path as sent (starting with the base path, still percent-encoded): it is split
     * at its slashes first and each segment decoded after, so {@code %2F} never becomes a separator.
     */
    public static Optional<Match> match(String rawPath) {
        if (!rawPath.startsWith(BASE_PATH + "/")) {
            return Optional.empty();
        }
        String[] actual = segments(rawPath.substring(BASE_PATH.length()));
        for (int i = 0; i < actual.length; i++) {
            try {
                actual[i] = URLDecoder.decode(actual[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return Optional.empty();
            }
        }
        for (String template : templates()) {
            Map<String, String> params = bind(segments(template), actual);
            if (params != null) {
                List<Route> routes = ALL.stream().filter(r -> r.path().equals(template)).toList();
                return Optional.of(new Match(BASE_PATH + template, routes, params));
            }
        }
        return Optional.empty();
    }

    /** The routes a function serves, for its pipeline. */
    public static List<Route> of(LambdaFunction function) {
        return ALL.stream().filter(r -> r.function() == function).toList();
    }

    /** Distinct path templates, sorted so that literal segments are tried before parameters. */
    public static List<String> templates() {
        TreeSet<String> sorted = new TreeSet<>((a, b) -> {
            int byLiterals = Long.compare(a.chars().filter(c -> c == '{').count(), b.chars().filter(c -> c == '{').count());
            return byLiterals != 0 ? byLiterals : a.compareTo(b);
        });
        ALL.forEach(r -> sorted.add(r.path()));
        return new ArrayList<>(sorted);
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
    }

    private static Map<String, String> bind(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), actual[i]);
            } else if (!t.equals(actual[i])) {
                return null;
            }
        }
        return params;
    }
}
