package com.trueftp.functions.files;

import com.trueftp.testing.AwsUnderTest;

/** The files suite on the LocalStack; skipped where no Docker engine runs. */
class FilesHandlerLocalStackIT extends FilesHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
