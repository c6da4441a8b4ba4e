package com.trueftp.local;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/** An item as a stream record carries it (Lambda's event model), from the SDK's attribute values. */
final class StreamImages {
    private StreamImages() {
    }

    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> fromSdk(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image =
                new LinkedHashMap<>();
        item.forEach((name, value) -> image.put(name, fromSdk(value)));
        return image;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue fromSdk(AttributeValue v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case BOOL -> out.setBOOL(v.bool());
            case B -> out.setB(v.b().asByteBuffer());
            case SS -> out.setSS(v.ss());
            case NS -> out.setNS(v.ns());
            case L -> out.setL(v.l().stream().map(StreamImages::fromSdk).toList());
            case M -> out.setM(fromSdk(v.m()));
            default -> out.setNULL(true);
        }
        return out;
    }
}
