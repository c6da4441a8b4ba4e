package com.trueftp.ftpusers;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The ftp-users suite on the embedded emulators. */
class FtpUsersHandlerIT extends FtpUsersHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
