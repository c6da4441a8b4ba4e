package com.trueftp.functions.account;

import com.trueftp.testing.AwsUnderTest;

/** The account suite on LocalStack; skipped where no Docker engine runs. */
class AccountHandlerLocalStackIT extends AccountHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
