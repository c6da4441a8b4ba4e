package com.trueftp.functions.events;

import com.trueftp.testing.AwsUnderTest;

/** The events suite on LocalStack; skipped where no Docker engine runs. */
class EventsHandlerLocalStackIT extends EventsHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
