package com.trueftp.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings by name, read from the environment as Lambda provides them. A JVM system property of
 * the same name wins: the local runtime runs every handler in one process and configures them
 * that way, so handlers never need to know where they run.
 */
public final class Config {
    public static final String REGION = "AWS_REGION";
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    public static final String DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String S3_ENDPOINT = "AWS_ENDPOINT_URL_S3";
    /** "true" addresses buckets in the path (http://host/bucket/key), as S3 emulators need. */
    public static final String S3_FORCE_PATH_STYLE = "S3_FORCE_PATH_STYLE";
    public static final String FILES_BUCKET = "FILES_BUCKET";
    /** The key that signs list cursors (any string; a long random one). */
    public static final String CURSOR_SECRET = "CURSOR_SECRET";
    public static final String DOWNLOAD_URL_TTL_SECONDS = "DOWNLOAD_URL_TTL_SECONDS";
    public static final Duration DEFAULT_DOWNLOAD_URL_TTL = Duration.ofMinutes(5);
    public static final String UPLOAD_URL_TTL_SECONDS = "UPLOAD_URL_TTL_SECONDS";
    public static final Duration DEFAULT_UPLOAD_URL_TTL = Duration.ofMinutes(15);
    /**
     * How long one attempt of a DeleteObjects call of 1,000 keys may take (S3 answers once all are gone);
     * the call, with a retry, twice that.
     */
    public static final String S3_BATCH_TIMEOUT_SECONDS = "S3_BATCH_TIMEOUT_SECONDS";
    public static final Duration DEFAULT_S3_BATCH_TIMEOUT = Duration.ofSeconds(10);
    public static final String AUTH_CACHE_TTL_SECONDS = "AUTH_CACHE_TTL_SECONDS";
    public static final Duration DEFAULT_AUTH_CACHE_TTL = Duration.ofSeconds(60);
    public static final String EVENT_RETENTION_DAYS = "EVENT_RETENTION_DAYS";
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(90);

    public static final String SQS_ENDPOINT = "AWS_ENDPOINT_URL_SQS";
    /** Comma-separated: the principals (role ids, or access keys locally) whose S3 writes are the API's. */
    public static final String FILES_API_PRINCIPALS = "FILES_API_PRINCIPALS";
    /** Comma-separated: the principals whose S3 writes are the FTP side's (SFTP). */
    public static final String SFTP_PRINCIPALS = "SFTP_PRINCIPALS";
    /** The role an SFTP session acts with (its session policy narrows it to the user's home). */
    public static final String SFTP_SESSION_ROLE_ARN = "SFTP_SESSION_ROLE_ARN";
    /** "true" lets webhooks reach any address over http or https (the local runtime); otherwise https to public addresses only. */
    public static final String WEBHOOK_ALLOW_PRIVATE_TARGETS = "WEBHOOK_ALLOW_PRIVATE_TARGETS";
    /** The gaps between a failed delivery and its retries, in seconds, comma-separated (all from the first failure). */
    public static final String WEBHOOK_RETRY_SCHEDULE = "WEBHOOK_RETRY_SCHEDULE";
    /** How long a webhook may fail (with at least 20 failed attempts in a row) before it is turned off. */
    public static final String WEBHOOK_DISABLE_AFTER_SECONDS = "WEBHOOK_DISABLE_AFTER_SECONDS";
    public static final Duration DEFAULT_WEBHOOK_DISABLE_AFTER = Duration.ofDays(5);

    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment, overlaid with system properties of the same names. */
    public static Config fromEnvironment() {
        Map<String, String> merged = new HashMap<>(System.getenv());
        System.getProperties().forEach((k, v) -> merged.put(k.toString(), v.toString()));
        return new Config(merged);
    }

    public static Config of(Map<String, String> values) {
        return new Config(values);
    }

    /** This configuration with one setting replaced. */
    public Config with(String name, String value) {
        Map<String, String> changed = new HashMap<>(values);
        changed.put(name, value);
        return new Config(changed);
    }

    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("missing configuration: " + name));
    }

    public Duration eventRetention() {
        return get(EVENT_RETENTION_DAYS).map(s -> Duration.ofDays(Long.parseLong(s))).orElse(DEFAULT_EVENT_RETENTION);
    }

    public Duration downloadUrlTtl() {
        return seconds(DOWNLOAD_URL_TTL_SECONDS, DEFAULT_DOWNLOAD_URL_TTL);
    }

    public Duration uploadUrlTtl() {
        return seconds(UPLOAD_URL_TTL_SECONDS, DEFAULT_UPLOAD_URL_TTL);
    }

    public Duration s3BatchTimeout() {
        return seconds(S3_BATCH_TIMEOUT_SECONDS, DEFAULT_S3_BATCH_TIMEOUT);
    }

    public boolean webhookAllowPrivateTargets() {
        return get(WEBHOOK_ALLOW_PRIVATE_TARGETS).map(Boolean::parseBoolean).orElse(false);
    }

    public Duration webhookDisableAfter() {
        return seconds(WEBHOOK_DISABLE_AFTER_SECONDS, DEFAULT_WEBHOOK_DISABLE_AFTER);
    }

    private Duration seconds(String name, Duration otherwise) {
        return get(name).map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(otherwise);
    }

    public Duration authCacheTtl() {
        return get(AUTH_CACHE_TTL_SECONDS).map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(DEFAULT_AUTH_CACHE_TTL);
    }
}
