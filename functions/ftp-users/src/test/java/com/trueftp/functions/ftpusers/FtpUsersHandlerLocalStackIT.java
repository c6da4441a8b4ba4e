package com.trueftp.functions.ftpusers;

import com.trueftp.testing.AwsUnderTest;

/** The ftp-users suite on LocalStack; skipped where no Docker engine runs. */
class FtpUsersHandlerLocalStackIT extends FtpUsersHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.localStack();
    }
}
