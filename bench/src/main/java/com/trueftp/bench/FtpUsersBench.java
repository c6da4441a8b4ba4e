package com.trueftp.bench;

import com.trueftp.core.Json;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (d) FTP users through the local gateway: creating 200 users (Argon2id hashing included), getting them,
 * and listing them 200 to a page.
 */
final class FtpUsersBench {
    static final int USERS = 200;
    static final int GETS = 1_000;
    static final int LISTS = 100;

    Map<String, Object> run() throws Exception {
        System.out.printf("(d) FTP users through the local gateway (edge throttle off): %d creates, %d gets, "
                + "%d lists of %d per page, sequential, one keep-alive connection%n", USERS, GETS, LISTS, USERS);
        Map<String, Object> json = new LinkedHashMap<>();
        try (Fixture fixture = Fixture.start()) {
            List<String> ids = new ArrayList<>();
            long[] creates = new long[USERS];
            for (int i = 0; i < USERS; i++) {
                String body = "{\"username\":\"bench-user-" + i + "\",\"password\":\"a-strong-secret\",\"can_write\":true}";
                HttpRequest.Builder request = fixture.request("/ftp-users").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                long started = System.nanoTime();
                HttpResponse<String> response = fixture.send(request, 201);
                creates[i] = System.nanoTime() - started;
                ids.add((String) Json.readObject(response.body()).get("id"));
            }
            long[] gets = new long[GETS];
            for (int i = 0; i < GETS; i++) {
                HttpRequest.Builder request = fixture.request("/ftp-users/" + ids.get(i % USERS));
                long started = System.nanoTime();
                fixture.send(request, 200);
                gets[i] = System.nanoTime() - started;
            }
            long[] lists = new long[LISTS];
            HttpRequest.Builder list = fixture.request("/ftp-users?limit=" + USERS);
            for (int i = 0; i < LISTS; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = fixture.send(list, 200);
                lists[i] = System.nanoTime() - started;
                if (((List<?>) Json.readObject(response.body()).get("data")).size() != USERS) {
                    throw new IllegalStateException("a page of " + USERS + " users was expected");
                }
            }
            json.put("create", report("create", Timings.of(creates)));
            json.put("get", report("get", Timings.of(gets)));
            json.put("list_200", report("list 200", Timings.of(lists)));
        }
        return json;
    }

    private static Map<String, Object> report(String what, Timings timings) {
        System.out.printf("    %-9s %s (%d requests)%n", what, timings, timings.count());
        return timings.json();
    }
}
