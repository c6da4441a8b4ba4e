package com.trueftp.functions.sftpauth;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.core.Config;
import com.trueftp.sftp.SftpLogins;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, ClockModule.class})
interface SftpAuthComponent {
    SftpLogins logins();

    @Component.Factory
    interface Factory {
        SftpAuthComponent create(@BindsInstance Config config);
    }
}
