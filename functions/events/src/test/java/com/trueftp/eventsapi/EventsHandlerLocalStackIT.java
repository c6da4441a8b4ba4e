package com.trueftp.eventsapi;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The events suite on LocalStack; skipped where no Docker engine runs. */
class EventsHandlerLocalStackIT extends EventsHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
