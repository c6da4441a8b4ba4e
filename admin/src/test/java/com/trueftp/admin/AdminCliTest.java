package com.trueftp.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static com.trueftp.admin.Outcome.NL;
import static org.assertj.core.api.Assertions.assertThat;

/** Command lines the admin CLI answers before it reaches any stack: wrong ones, and help. */
class AdminCliTest {
    private static AdminTarget noTarget(Path data, String stack) {
        throw new AssertionError("a wrong command line or a help request reached the target");
    }

    private static Outcome admin(String... args) {
        return Outcome.of(AdminCliTest::noTarget, args);
    }

    private static void assertWrongCommandLine(Outcome outcome, String message, String command) {
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout()).isEmpty();
        assertThat(outcome.stderr()).isEqualTo("error: " + message + NL + "see " + command + " --help" + NL);
    }

    @Test
    void unknownOrMissingCommandIsAWrongCommandLine() {
        assertWrongCommandLine(admin("frobnicate"), "unknown command frobnicate", "./trueftp admin");
        assertWrongCommandLine(admin(), "missing command", "./trueftp admin");
        assertWrongCommandLine(admin("--data"), "--data needs a value", "./trueftp admin");
        assertWrongCommandLine(admin("--verbose", "list-keys", "--account", "acc_1"), "unknown option --verbose",
                "./trueftp admin");
    }

    @Test
    void eachCommandTakesOnlyItsOwnOptionsAndItsRequiredOnes() {
        assertWrongCommandLine(admin("create-account", "--plan", "pro", "--scopes", "read"),
                "unknown option for create-account: --scopes", "./trueftp admin create-account");
        assertWrongCommandLine(admin("list-keys", "--account", "acc_1", "extra"),
                "unknown option for list-keys: extra", "./trueftp admin list-keys");
        assertWrongCommandLine(admin("create-key", "--account", "acc_1"), "--scopes is required",
                "./trueftp admin create-key");
        assertWrongCommandLine(admin("create-account", "--plan"), "--plan needs a value", "./trueftp admin create-account");
        assertWrongCommandLine(admin("create-account", "--plan", "--name", "Acme"), "--plan needs a value",
                "./trueftp admin create-account");
        assertWrongCommandLine(admin("create-account", "--plan", "pro", "--name", "--acme"), "--name needs a value",
                "./trueftp admin create-account");
    }

    @Test
    void anOptionGivenTwiceIsAWrongCommandLine() {
        assertWrongCommandLine(admin("create-account", "--plan", "pro", "--plan", "free"), "--plan given twice",
                "./trueftp admin create-account");
        assertWrongCommandLine(admin("--data", "a", "--data", "b", "list-keys", "--account", "acc_1"),
                "--data given twice", "./trueftp admin");
    }

    @Test
    void controlCharactersAndEmptyValuesAreRefused() {
        assertWrongCommandLine(admin("create-account", "--plan", "pro", "--name", "Acme\u001b[2J"),
                "--name must not be empty or contain control characters", "./trueftp admin create-account");
        assertWrongCommandLine(admin("create-key", "--account", "acc_1", "--scopes", "read", "--name", "ci\u007f"),
                "--name must not be empty or contain control characters", "./trueftp admin create-key");
        assertWrongCommandLine(admin("list-keys", "--account", " "),
                "--account must not be empty or contain control characters", "./trueftp admin list-keys");
    }

    @Test
    void dataAndStackTogetherAreAWrongCommandLine() {
        assertWrongCommandLine(admin("--data", "d", "--stack", "TrueFtp", "list-keys", "--account", "acc_1"),
                "--data and --stack cannot be used together", "./trueftp admin");
    }

    @Test
    void helpListsTheCommandsAndEachCommandsOptionsWithoutReachingAStack() {
        Outcome help = admin("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stderr()).isEmpty();
        assertThat(help.stdout()).startsWith("Usage: ./trueftp admin [-h] [--data DIR] [--stack NAME] <command> [options]")
                .contains("(default: .trueftp/local)")
                .contains("create-account", "set-account", "create-key", "list-keys", "revoke-key");

        Outcome createKey = admin("create-key", "--help");
        assertThat(createKey.exitCode()).isZero();
        assertThat(createKey.stdout()).startsWith("Usage: ./trueftp admin create-key")
                .contains("--account ID", "--scopes SCOPES", "--rate-limit N", "--expires-in SECONDS", "--name NAME")
                .contains("read, write or read,write", "at most 3650 days", "(default: default)");
        assertThat(admin("set-account", "--account", "acc_1", "-h").stdout())
                .startsWith("Usage: ./trueftp admin set-account").contains("--status STATUS", "active or suspended");
    }

    @Test
    void withoutARunningLocalStackCommandsAreRefusedWithHowToStartIt(@TempDir Path data) {
        Outcome outcome = Outcome.of(AdminTarget::open, "--data", data.toString(), "list-keys", "--account", "acc_1");
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stdout()).isEmpty();
        assertThat(outcome.stderr()).isEqualTo("error: no local stack is running for " + data.toAbsolutePath()
                + ": start it with ./trueftp local --data " + data + NL);
    }
}
