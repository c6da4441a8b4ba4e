package com.trueftp.authorizer;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The authorizer suite on the embedded emulators. */
class AuthorizerHandlerIT extends AuthorizerHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
