package com.trueftp.filesapi;

import com.trueftp.emulators.testing.AwsUnderTest;

/** The files suite on the embedded emulators. */
class FilesHandlerIT extends FilesHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
