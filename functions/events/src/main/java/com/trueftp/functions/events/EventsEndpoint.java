package com.trueftp.functions.events;

import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.http.ApiException;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.Pagination;

import javax.inject.Inject;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * GET /events?limit=&offset=[&type=][&ftp_user_id=]: the account's events, newest first. Unfiltered pages
 * cost the same at any offset; filtered ones read the account's whole stream (see {@link EventLog#filtered}).
 */
public class EventsEndpoint {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_ID_LENGTH = 64;

    private final EventLog events;

    @Inject
    public EventsEndpoint(EventLog events) {
        this.events = events;
    }

    public ApiResponse list(ApiRequest request) {
        Pagination page = Pagination.offsetAndLimit(request, DEFAULT_LIMIT, MAX_LIMIT);
        EventType type = request.query("type").map(EventsEndpoint::type).orElse(null);
        String ftpUserId = request.query("ftp_user_id").map(EventsEndpoint::ftpUserId).orElse(null);
        String accountId = request.caller().accountId();
        EventLog.Page result = type == null && ftpUserId == null
                ? events.page(accountId, page.offset(), page.limit())
                : events.filtered(accountId, type, ftpUserId, page.offset(), page.limit());
        return ApiResponse.ok(page.envelope(result.events().stream().map(Event::toJson).toList(), result.total()));
    }

    private static EventType type(String value) {
        return EventType.parse(value).orElseThrow(() -> ApiException.badRequest("type must be one of "
                + Arrays.stream(EventType.values()).map(EventType::id).collect(Collectors.joining(", ")) + ", got " + value));
    }

    private static String ftpUserId(String value) {
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH || !value.chars().allMatch(c -> c == '_' || (Character.isLetterOrDigit(c) && c < 128))) {
            throw ApiException.badRequest("ftp_user_id must be an FTP user id such as ftp_0Abc…, got " + value);
        }
        return value;
    }
}
