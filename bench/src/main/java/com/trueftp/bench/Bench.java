package com.trueftp.bench;

import com.trueftp.core.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./trueftp bench}: runs the benchmarks (all, or the sections asked for), prints a readable report and
 * then the same figures as one JSON object on the last line. Exits non-zero on any failure. Measures only:
 * there are no timed assertions.
 */
@Command(name = "./trueftp bench", sortOptions = false,
        description = "Benchmarks on the local runtime; figures in docs/PERFORMANCE.md.")
public final class Bench implements Callable<Integer> {
    /** The sections of the report, in the order a full run measures them. */
    enum Section {
        COLD_START, WARM, RATE_LIMITER, FTP_USERS, EVENTS, FILES, ACCOUNT_WRITES, WEBHOOKS, FILE_ACTIVITY, SFTP, SOAK;

        static Section parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    @SuppressWarnings("unused") // picocli reads it
    private boolean help;

    @Option(names = "--cold-start", description = "Only (a), the cold starts: the same as --only cold-start.")
    private boolean coldStart;

    @Option(names = "--soak", paramLabel = "SECONDS", description = "Only (h), the soak: a steady mixed workload for "
            + "this long (the record is 600).")
    private Integer soak;

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Only these sections (default: all but the soak): cold-start, warm, rate-limiter, ftp-users, "
                    + "events, files, account-writes, webhooks, file-activity, sftp, soak.")
    private Set<Section> only;

    @Option(names = "--events", paramLabel = "N", description = "Events in the account of (e), at least "
            + EventsBench.MIN_EVENTS + " (default: ${DEFAULT-VALUE}; fewer is for a quick run, not for the record).")
    private int events = EventsBench.DEFAULT_EVENTS;

    @Option(names = "--files", paramLabel = "N", description = "Files in the folder of (f) "
            + "(default: ${DEFAULT-VALUE}; fewer is for a quick run, not for the record).")
    private int files = FilesBench.DEFAULT_FILES;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).registerConverter(Section.class, Section::parse).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if ((coldStart ? 1 : 0) + (only != null ? 1 : 0) + (soak != null ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(), "--cold-start, --only and --soak exclude each other");
        }
        if (soak != null && soak < 1) {
            throw new ParameterException(spec.commandLine(), "--soak needs a number of seconds, at least 1");
        }
        if (events < EventsBench.MIN_EVENTS) {
            throw new ParameterException(spec.commandLine(), "--events must be at least " + EventsBench.MIN_EVENTS);
        }
        if (files < 1) {
            throw new ParameterException(spec.commandLine(), "--files must be at least 1");
        }
        Set<Section> sections = coldStart ? EnumSet.of(Section.COLD_START) : soak != null ? EnumSet.of(Section.SOAK)
                : only == null ? EnumSet.complementOf(EnumSet.of(Section.SOAK)) : only;
        String date = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        Machine machine = Machine.current();
        System.out.println("TrueFTP benchmark, " + date);
        System.out.println("Machine: " + machine);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", date);
        json.put("machine", machine.json());
        for (Section section : Section.values()) {
            if (sections.contains(section)) {
                System.out.println();
                json.put(section.key(), run(section));
            }
        }
        System.out.println();
        System.out.println(Json.write(json));
        return 0;
    }

    private Map<String, Object> run(Section section) throws Exception {
        return switch (section) {
            case COLD_START -> new ColdStartBench().run();
            case WARM -> new WarmLatencyBench().run();
            case RATE_LIMITER -> RateLimiterBench.run();
            case FTP_USERS -> new FtpUsersBench().run();
            case EVENTS -> new EventsBench(events).run();
            case FILES -> new FilesBench(files).run();
            case ACCOUNT_WRITES -> new AccountWritesBench().run();
            case WEBHOOKS -> new WebhooksBench().run();
            case FILE_ACTIVITY -> new FileActivityBench().run();
            case SFTP -> new SftpBench().run();
            case SOAK -> new SoakBench(Duration.ofSeconds(soak == null ? 600 : soak)).run();
        };
    }
}
