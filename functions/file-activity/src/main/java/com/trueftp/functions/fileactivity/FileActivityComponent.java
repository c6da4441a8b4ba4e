package com.trueftp.functions.fileactivity;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.aws.S3Module;
import com.trueftp.core.Config;
import com.trueftp.files.FileActivity;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, S3Module.class, ClockModule.class})
interface FileActivityComponent {
    FileActivity activity();

    @Component.Factory
    interface Factory {
        FileActivityComponent create(@BindsInstance Config config);
    }
}
