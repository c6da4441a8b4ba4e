package com.trueftp.functions.authorizer;

import com.trueftp.testing.AwsUnderTest;

/** The authorizer suite on LocalStack; skipped where no Docker engine runs. */
class AuthorizerHandlerLocalStackIT extends AuthorizerHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
