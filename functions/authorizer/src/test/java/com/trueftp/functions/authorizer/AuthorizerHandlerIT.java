package com.trueftp.functions.authorizer;

import com.trueftp.testing.AwsUnderTest;

/** The authorizer suite on the embedded emulators. */
class AuthorizerHandlerIT extends AuthorizerHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
