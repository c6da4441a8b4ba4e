package com.trueftp.testing;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the JSON files of events-samples/ (on the test classpath under events/) into event objects
 * with the serializer the Lambda Java runtime itself uses, so a sample that loads here loads on Lambda.
 */
public final class SampleEvents {
    private SampleEvents() {
    }

    public static <T> T load(String name, Class<T> type) {
        String resource = "events/" + name;
        try (InputStream in = SampleEvents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event " + resource + " on the test classpath");
            }
            return LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader()).fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
