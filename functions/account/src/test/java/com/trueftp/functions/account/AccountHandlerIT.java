package com.trueftp.functions.account;

import com.trueftp.testing.AwsUnderTest;

/** The account suite on the embedded emulators. */
class AccountHandlerIT extends AccountHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
