package com.trueftp.admin;

import com.trueftp.aws.Outages;
import com.trueftp.core.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * {@code ./trueftp admin}: operator commands. Each prints one JSON object on stdout; errors go to
 * stderr with a non-zero exit code (2 for a wrong command line, 1 for a refused or failed command).
 */
@Command(name = "./trueftp admin", synopsisSubcommandLabel = "<command> [options]",
        description = {"Operator commands: accounts and API keys. Each prints one JSON object.",
                "Targets the running local stack or, with --stack, a deployed stack through the default AWS "
                        + "credential chain."},
        subcommands = {CreateAccount.class, SetAccount.class, CreateKey.class, ListKeys.class, RevokeKey.class},
        footer = "./trueftp admin <command> --help shows the command's options.")
public final class AdminCli {
    static final Path DEFAULT_DATA = Path.of(".trueftp/local");

    @Option(names = "--data", paramLabel = "DIR", description = "the local stack's data directory (default: ${DEFAULT-VALUE})")
    private Path data = DEFAULT_DATA;

    @Option(names = "--stack", paramLabel = "NAME", description = "a deployed stack (its CloudFormation name) instead")
    private String stack;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    @SuppressWarnings("unused") // picocli reads it
    private boolean help;

    private AdminCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminTarget::open);
    }

    /** The same, acting on the target {@code open} gives for {@code --data} and {@code --stack}. */
    static int run(String[] args, PrintStream out, PrintStream err, BiFunction<Path, String, AdminTarget> open) {
        AdminCli cli = new AdminCli();
        // A space between option and value, as the usage shows it; no @file expansion of arguments.
        CommandLine line = new CommandLine(cli).setSeparator(" ").setExpandAtFiles(false);
        CommandLine command = line; // the one whose --help a wrong command line points to
        try {
            ParseResult parsed = line.parseArgs(args);
            for (CommandLine requested : parsed.asCommandLineList()) {
                if (requested.isUsageHelpRequested()) {
                    requested.usage(out);
                    return 0;
                }
            }
            if (parsed.hasMatchedOption("--data") && cli.stack != null) {
                throw AdminException.usage("--data and --stack cannot be used together");
            }
            if (!parsed.hasSubcommand()) {
                throw AdminException.usage("missing command");
            }
            command = parsed.subcommand().commandSpec().commandLine();
            checkValues(parsed.subcommand());
            try (AdminTarget target = open.apply(cli.data, cli.stack)) {
                out.println(Json.pretty(command.<AdminCommand>getCommand().run(target)));
            }
            return 0;
        } catch (ParameterException e) {
            return wrongCommandLine(err, message(e), e.getCommandLine());
        } catch (AdminException e) {
            if (e.exitCode() == 2) {
                return wrongCommandLine(err, e.getMessage(), command);
            }
            err.println("error: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("error: " + (Outages.isOutage(e) ? "cannot reach DynamoDB: " : "") + e.getMessage());
            return 1;
        }
    }

    /**
     * Rules for every option value. One that starts with {@code --} is the next option: the value was left
     * out. Control characters have no place in names or ids and would garble a terminal.
     */
    private static void checkValues(ParseResult command) {
        for (OptionSpec option : command.matchedOptions()) {
            for (String value : option.originalStringValues()) {
                if (value.startsWith("--")) {
                    throw AdminException.usage(option.longestName() + " needs a value");
                }
                if (value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw AdminException.usage(option.longestName() + " must not be empty or contain control characters");
                }
            }
        }
    }

    /** picocli's complaint about a command line, in this tool's words. */
    private static String message(ParameterException e) {
        if (e instanceof MissingParameterException missing) {
            String option = ((OptionSpec) missing.getMissing().get(0)).longestName();
            // picocli reports an option left out and an option without its value with the same exception
            return option + (e.getMessage().startsWith("Missing required option") ? " is required" : " needs a value");
        }
        if (e instanceof OverwrittenOptionException twice) {
            return ((OptionSpec) twice.getOverwritten()).longestName() + " given twice";
        }
        if (e instanceof UnmatchedArgumentException unmatched) {
            String argument = unmatched.getUnmatched().get(0);
            if (e.getCommandLine().getParent() != null) {
                return "unknown option for " + e.getCommandLine().getCommandName() + ": " + argument;
            }
            return (argument.startsWith("-") ? "unknown option " : "unknown command ") + argument;
        }
        return e.getMessage();
    }

    private static int wrongCommandLine(PrintStream err, String message, CommandLine command) {
        err.println("error: " + message);
        err.println("see " + command.getCommandSpec().qualifiedName() + " --help");
        return 2;
    }
}
