package com.trueftp.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/** The CDK app: one environment-agnostic stack, synthesized with no credentials and no lookups. */
public final class TrueFtpApp {
    public static final String STACK_ID = "TrueFtp";

    private TrueFtpApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        create(app);
        app.synth();
    }

    /** The stack exactly as the app defines it; the tests build it through here too. */
    public static TrueFtpStack create(App app) {
        return new TrueFtpStack(app, STACK_ID, StackProps.builder().description("TrueFTP REST API").build());
    }
}
