package com.trueftp.functions.events;

import com.trueftp.testing.AwsUnderTest;

/** The events suite on the embedded emulators. */
class EventsHandlerIT extends EventsHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
