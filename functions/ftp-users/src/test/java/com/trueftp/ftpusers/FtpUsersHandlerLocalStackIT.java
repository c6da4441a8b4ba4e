package com.trueftp.ftpusers;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The ftp-users suite on LocalStack; skipped where no Docker engine runs. */
class FtpUsersHandlerLocalStackIT extends FtpUsersHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
