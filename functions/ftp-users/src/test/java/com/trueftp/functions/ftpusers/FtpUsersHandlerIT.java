package com.trueftp.functions.ftpusers;

import com.trueftp.testing.AwsUnderTest;

/** The ftp-users suite on the embedded emulators. */
class FtpUsersHandlerIT extends FtpUsersHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
