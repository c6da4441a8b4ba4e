package com.trueftp.functions.files;

import com.trueftp.testing.AwsUnderTest;

/** The files suite on the embedded emulators. */
class FilesHandlerIT extends FilesHandlerContract {
    @Override
    AwsUnderTest aws() {
        return AwsUnderTest.emulators();
    }
}
