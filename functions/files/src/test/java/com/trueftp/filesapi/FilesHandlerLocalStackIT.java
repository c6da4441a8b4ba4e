package com.trueftp.filesapi;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The files suite on the LocalStack; skipped where no Docker engine runs. */
class FilesHandlerLocalStackIT extends FilesHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
