package com.trueftp.functions.webhooks;

import com.trueftp.core.Json;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.Pagination;
import com.trueftp.webhooks.Delivery;
import com.trueftp.webhooks.Webhook;
import com.trueftp.webhooks.WebhookRepository;
import com.trueftp.webhooks.Webhooks;

import javax.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The /webhooks endpoints: each parses its request, calls {@link Webhooks} and renders the answer. */
public class WebhooksEndpoint {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final Duration DEFAULT_PREVIOUS_SECRET_LIFETIME = Duration.ofDays(1);

    private final Webhooks webhooks;

    @Inject
    public WebhooksEndpoint(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    public ApiResponse create(ApiRequest request) {
        WebhookInput input = new WebhookInput(request.jsonBody(), WebhookInput.FIELDS);
        String url = input.url();
        var events = input.has("events") ? input.events() : java.util.List.of(Webhook.ALL_EVENTS);
        String description = input.has("description") ? input.description() : "";
        boolean active = !input.has("active") || input.bool("active");
        Webhooks.WithSecret created = webhooks.create(request.caller().accountId(), new WebhookRepository.NewWebhook(
                url, events, description.isEmpty() ? null : description, active));
        return ApiResponse.created(withSecret(created));
    }

    public ApiResponse list(ApiRequest request) {
        Pagination page = Pagination.offsetAndLimit(request, DEFAULT_LIMIT, MAX_LIMIT);
        Webhooks.Page<Webhook> found = webhooks.list(request.caller().accountId(), page.offset(), page.limit());
        return ApiResponse.ok(page.envelope(found.items().stream().map(Webhook::toJson).toList(), found.total()));
    }

    public ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(webhooks.get(request.caller().accountId(), request.pathParameter("id")).toJson());
    }

    public ApiResponse update(ApiRequest request) {
        WebhookInput input = new WebhookInput(request.jsonBody(), WebhookInput.FIELDS);
        WebhookRepository.Changes changes = new WebhookRepository.Changes(
                input.has("url") ? input.url() : null,
                input.has("events") ? input.events() : null,
                input.has("description") ? input.description() : null,
                input.has("active") ? input.bool("active") : null);
        return ApiResponse.ok(webhooks.update(request.caller().accountId(), request.pathParameter("id"), changes)
                .toJson());
    }

    public ApiResponse delete(ApiRequest request) {
        webhooks.delete(request.caller().accountId(), request.pathParameter("id"));
        return ApiResponse.noContent();
    }

    public ApiResponse ping(ApiRequest request) {
        String eventId = webhooks.ping(request.caller().accountId(), request.pathParameter("id"));
        return ApiResponse.accepted(Json.object("event_id", eventId));
    }

    public ApiResponse rotateSecret(ApiRequest request) {
        Duration previous = DEFAULT_PREVIOUS_SECRET_LIFETIME;
        if (request.body().length > 0) {
            WebhookInput input = new WebhookInput(request.jsonBody(), Set.of("previous_expires_in"));
            if (input.has("previous_expires_in")) {
                previous = Duration.ofSeconds(input.seconds("previous_expires_in",
                        Webhooks.MAX_PREVIOUS_SECRET_LIFETIME.toSeconds()));
            }
        }
        return ApiResponse.ok(withSecret(webhooks.rotateSecret(request.caller().accountId(),
                request.pathParameter("id"), previous)));
    }

    public ApiResponse deliveries(ApiRequest request) {
        Pagination page = Pagination.offsetAndLimit(request, DEFAULT_LIMIT, MAX_LIMIT);
        Webhooks.Page<Delivery> found = webhooks.deliveries(request.caller().accountId(), request.pathParameter("id"),
                page.offset(), page.limit());
        return ApiResponse.ok(page.envelope(found.items().stream().map(Delivery::toJson).toList(), found.total()));
    }

    public ApiResponse redeliver(ApiRequest request) {
        webhooks.redeliver(request.caller().accountId(), request.pathParameter("id"),
                request.pathParameter("delivery_id"));
        return ApiResponse.accepted(Json.object("delivery_id", request.pathParameter("delivery_id")));
    }

    private static Map<String, Object> withSecret(Webhooks.WithSecret webhook) {
        Map<String, Object> json = webhook.webhook().toJson();
        json.put("secret", webhook.secret());
        return json;
    }
}
