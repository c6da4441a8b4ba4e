package com.trueftp.functions.webhookfanout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.trueftp.core.Config;
import com.trueftp.events.EventItems;
import com.trueftp.webhooks.WebhookFanOut;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The webhook fan-out function: the events table's stream (new items) in, one queued delivery per matching
 * webhook and event out. A batch that fails is retried whole (and halved by the event source mapping): jobs
 * may be queued twice, never lost; receivers dedupe on {@code webhook-id}.
 */
public class WebhookFanOutHandler implements RequestHandler<DynamodbEvent, Void> {
    static final String INSERT = "INSERT";
    private final WebhookFanOut fanOut;

    /** Lambda's entry: wiring happens once, at cold start. */
    public WebhookFanOutHandler() {
        this(DaggerWebhookFanOutComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    WebhookFanOutHandler(WebhookFanOutComponent component) {
        this.fanOut = component.fanOut();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        List<WebhookFanOut.AccountEvent> events = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            Map<String, AttributeValue> image = record.getDynamodb() == null ? null : record.getDynamodb().getNewImage();
            // Only new events: not the retention watermark (an item without a type), not TTL removals.
            if (INSERT.equals(record.getEventName()) && image != null && image.containsKey("type")) {
                var item = StreamImages.toSdk(image);
                events.add(new WebhookFanOut.AccountEvent(item.get("account_id").s(), EventItems.fromItem(item)));
            }
        }
        if (!events.isEmpty()) {
            fanOut.fanOut(events);
        }
        return null;
    }
}
