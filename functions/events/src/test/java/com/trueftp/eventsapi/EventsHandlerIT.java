package com.trueftp.eventsapi;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The events suite on the embedded emulators. */
class EventsHandlerIT extends EventsHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
