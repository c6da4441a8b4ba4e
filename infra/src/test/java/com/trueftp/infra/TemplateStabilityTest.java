package com.trueftp.infra;

import com.trueftp.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateStabilityTest {

    /**
     * One synth here and one in a fresh JVM, as `cdk synth` runs the app: Map.of/Set.of iteration
     * order differs between JVMs, so only a second JVM catches an unordered map leaking into the template.
     */
    @Test
    void twoSynthsInDifferentJvmsWriteByteIdenticalTemplates(@TempDir Path dir) throws Exception {
        Path here = dir.resolve("here");
        App app = Stacks.app(Map.of(), here);
        TrueFtpApp.create(app);
        app.synth();

        Path forked = dir.resolve("forked");
        ProcessBuilder java = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), TrueFtpApp.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("forked.log").toFile());
        // What the CDK CLI hands the app: the output directory and the context.
        java.environment().put("CDK_OUTDIR", forked.toString());
        java.environment().put("CDK_CONTEXT_JSON", Json.write(Stacks.cdkJsonContext()));
        Process process = java.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("forked synth finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("forked.log"))).isZero();

        String template = TrueFtpApp.STACK_ID + ".template.json";
        assertThat(Files.readString(forked.resolve(template))).isEqualTo(Files.readString(here.resolve(template)));
    }
}
