package com.trueftp.infra;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.http.Routes;
import com.trueftp.stack.LambdaFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * The whole TrueFTP stack, built from the route table ({@link Routes}) and the table definitions
 * ({@link Tables}) the code itself uses. Environment-agnostic: synth needs no credentials and does no lookups.
 * Every map that reaches a construct is sorted or insertion-ordered so the template is byte-identical across runs.
 *
 * <p>{@link Database}, {@link FileStorage}, {@link Functions} and {@link Api} are plain classes, not
 * {@link Construct}s: they build into this stack's own scope. A construct would put its id into the path, hence
 * into the CloudFormation logical id, of everything under it, and CloudFormation replaces a resource whose
 * logical id changes: the deployed tables and bucket would be orphaned for new empty ones, the API's base URL
 * would change and every customer's API key would fall off its usage plan. Built this way, the construct tree,
 * and so the template, is the one already deployed.
 */
public class TrueFtpStack extends Stack {
    public static final int MAX_AUTH_CACHE_TTL_SECONDS = 3600;

    /** Context keys: {@code cdk synth -c key=value}. */
    public static final String CONTEXT_REPO_ROOT = "repoRoot";
    public static final String CONTEXT_AUTH_CACHE_TTL = "authCacheTtlSeconds";
    public static final String CONTEXT_DOMAIN_NAME = "domainName";
    public static final String CONTEXT_CERTIFICATE_ARN = "certificateArn";
    public static final String CONTEXT_EVENT_RETENTION_DAYS = "eventRetentionDays";
    public static final String CONTEXT_KEPT_VERSIONS_DAYS = "keptVersionsDays";
    public static final long DEFAULT_KEPT_VERSIONS_DAYS = 30;
    /** "true" adds the Transfer Family server (billed hourly while it exists); off by default. */
    public static final String CONTEXT_SFTP = "sftp";
    /** With {@link #CONTEXT_SFTP}: an ACM certificate's ARN adds FTPS (and the VPC endpoint it needs). */
    public static final String CONTEXT_FTPS_CERTIFICATE_ARN = "ftpsCertificateArn";

    public TrueFtpStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        Path repoRoot = repoRoot();
        long eventRetentionDays = eventRetentionDays();
        Duration authCacheTtl = Duration.seconds(authCacheTtlSeconds());
        Api.CustomDomain domain = customDomain();

        Database database = new Database(this);
        FileStorage files = new FileStorage(this, keptVersionsDays());
        MessageQueues queues = new MessageQueues(this);
        files.notifyChangesTo(queues.fileChanges());
        Role sftpSessionRole = SftpServer.sessionRole(this, files);
        Functions functions = new Functions(this, database, files, queues, sftpSessionRole, repoRoot,
                eventRetentionDays);
        new StackAlarms(this, queues, functions);
        new Api(this, functions, authCacheTtl, domain);
        if (sftp()) {
            SftpServer.create(this, functions.get(LambdaFunction.SFTP_AUTH), context(CONTEXT_FTPS_CERTIFICATE_ARN));
        }
    }

    // ---- context ----

    private Path repoRoot() {
        String configured = context(CONTEXT_REPO_ROOT);
        // cdk runs the app in infra/, and so does Surefire.
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    private long authCacheTtlSeconds() {
        String value = context(CONTEXT_AUTH_CACHE_TTL);
        if (value == null) {
            return Config.DEFAULT_AUTH_CACHE_TTL.toSeconds();
        }
        long seconds;
        try {
            seconds = new BigDecimal(value).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_AUTH_CACHE_TTL_SECONDS) {
            throw new IllegalArgumentException("context " + CONTEXT_AUTH_CACHE_TTL + " must be a whole number of seconds"
                    + " from 0 to " + MAX_AUTH_CACHE_TTL_SECONDS + " (API Gateway's limit), got: " + value);
        }
        return seconds;
    }

    private long eventRetentionDays() {
        return days(CONTEXT_EVENT_RETENTION_DAYS, Config.DEFAULT_EVENT_RETENTION.toDays());
    }

    private long keptVersionsDays() {
        return days(CONTEXT_KEPT_VERSIONS_DAYS, DEFAULT_KEPT_VERSIONS_DAYS);
    }

    /** A context value in whole days, 1 to 3650. */
    private long days(String key, long defaultDays) {
        String value = context(key);
        long days = defaultDays;
        if (value != null) {
            try {
                days = Long.parseLong(value);
            } catch (NumberFormatException e) {
                days = 0;
            }
            if (days < 1 || days > 3650) {
                throw new IllegalArgumentException("context " + key
                        + " must be a whole number of days from 1 to 3650, got: " + value);
            }
        }
        return days;
    }

    /** Whether to deploy the Transfer Family server. */
    private boolean sftp() {
        String value = context(CONTEXT_SFTP);
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("context " + CONTEXT_SFTP + " must be true or false, got: " + value);
        }
        boolean sftp = "true".equals(value);
        if (!sftp && context(CONTEXT_FTPS_CERTIFICATE_ARN) != null) {
            throw new IllegalArgumentException("context " + CONTEXT_FTPS_CERTIFICATE_ARN + " needs " + CONTEXT_SFTP
                    + "=true: FTPS is served by the same server");
        }
        return sftp;
    }

    /** The custom domain, or null when the API is served at its execute-api URL only. */
    private Api.CustomDomain customDomain() {
        String domainName = context(CONTEXT_DOMAIN_NAME);
        String certificateArn = context(CONTEXT_CERTIFICATE_ARN);
        if ((domainName == null) != (certificateArn == null)) {
            throw new IllegalArgumentException("context " + CONTEXT_DOMAIN_NAME + " and " + CONTEXT_CERTIFICATE_ARN
                    + " go together: give both (a custom domain) or neither");
        }
        return domainName == null ? null : new Api.CustomDomain(domainName, certificateArn);
    }

    private String context(String key) {
        Object value = getNode().tryGetContext(key);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
