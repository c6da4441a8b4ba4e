package com.trueftp.functions.authorizer;

import com.trueftp.auth.Authenticator;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.core.Config;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, ClockModule.class})
interface AuthorizerComponent {
    Authenticator authenticator();

    @Component.Factory
    interface Factory {
        AuthorizerComponent create(@BindsInstance Config config);
    }
}
