package com.trueftp.stack;

import com.trueftp.aws.QueueSpec;
import com.trueftp.aws.Queues;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings that point the handlers at AWS-API emulators (the local runtime and the tests) instead of AWS:
 * what Lambda's environment and the stack give them there.
 */
public final class LocalSettings {
    public static final String REGION = "us-east-1";
    /** Emulators accept any credentials; these only have to be well-formed. */
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local-secret";
    /**
     * The local SFTP server's key: its S3 writes are the FTP side's. Not a substring of {@code AWS:local} (the
     * API's), since principals are matched by what they contain.
     */
    public static final String SFTP_ACCESS_KEY = "sftp-session";
    /** The role an SFTP session gets (locally only a name: the emulators check no policy). */
    public static final String SFTP_SESSION_ROLE_ARN = "arn:aws:iam::000000000000:role/trueftp-sftp-session";
    /** The files bucket's name on an emulator. */
    public static final String FILES_BUCKET = "trueftp-files";
    /** The account the emulators pretend to be (it appears in queue URLs and ARNs). */
    public static final String ACCOUNT_ID = "000000000000";

    private LocalSettings() {
    }

    /** As environment variable names and values, in a stable order. */
    public static Map<String, String> of(String dynamoEndpoint, String s3Endpoint, String sqsEndpoint,
                                         String cursorSecret) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Config.REGION, REGION);
        settings.put(Config.ACCESS_KEY_ID, ACCESS_KEY);
        settings.put(Config.SECRET_ACCESS_KEY, SECRET_KEY);
        settings.put(Config.DYNAMODB_ENDPOINT, dynamoEndpoint);
        settings.put(Config.S3_ENDPOINT, s3Endpoint);
        settings.put(Config.S3_FORCE_PATH_STYLE, "true");
        settings.put(Config.FILES_BUCKET, FILES_BUCKET);
        settings.put(Config.CURSOR_SECRET, cursorSecret);
        settings.put(Config.SQS_ENDPOINT, sqsEndpoint);
        for (QueueSpec queue : Queues.ALL) {
            settings.put(queue.urlVariable(), queueUrl(sqsEndpoint, queue.id()));
        }
        // The S3 front names a request's principal by its access key: the handlers' key is the API's.
        settings.put(Config.FILES_API_PRINCIPALS, "AWS:" + ACCESS_KEY);
        settings.put(Config.SFTP_PRINCIPALS, "AWS:" + SFTP_ACCESS_KEY);
        settings.put(Config.SFTP_SESSION_ROLE_ARN, SFTP_SESSION_ROLE_ARN);
        // Receivers on a laptop listen on 127.0.0.1 over plain http.
        settings.put(Config.WEBHOOK_ALLOW_PRIVATE_TARGETS, "true");
        for (TableSpec table : Tables.ALL) {
            settings.put(table.nameVariable(), tableName(table));
        }
        return settings;
    }

    /** A queue's name on an emulator. */
    public static String queueName(String id) {
        return "trueftp-" + id;
    }

    /** A queue's URL on the SQS emulator: its endpoint, the account, the name. */
    public static String queueUrl(String sqsEndpoint, String id) {
        return sqsEndpoint + "/" + ACCOUNT_ID + "/" + queueName(id);
    }

    /** A table's name on an emulator. */
    public static String tableName(TableSpec table) {
        return "trueftp-" + table.id();
    }
}
