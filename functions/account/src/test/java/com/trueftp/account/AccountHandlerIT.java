package com.trueftp.account;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The account suite on the embedded emulators. */
class AccountHandlerIT extends AccountHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
