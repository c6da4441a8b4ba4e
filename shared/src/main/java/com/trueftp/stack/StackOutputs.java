package com.trueftp.stack;

import com.trueftp.account.Plan;
import com.trueftp.aws.TableSpec;

import java.util.Locale;

/**
 * The outputs of the deployed stack: the CDK app writes them, the admin CLI reads them to find the tables
 * and usage plans of a stack. Construct ids are spelled the same way ({@link #pascal}).
 */
public final class StackOutputs {
    public static final String API_URL = "ApiUrl";
    public static final String FILES_BUCKET = "FilesBucketName";
    /** With {@code -c sftp=true}: the SFTP server's host name (and, with FTPS, its addresses). */
    public static final String SFTP_HOST = "SftpHost";
    public static final String SFTP_ADDRESSES = "SftpAddresses";

    private StackOutputs() {
    }

    /** The output holding a table's deployed name, e.g. {@code ApiKeysTableName}. */
    public static String tableName(TableSpec table) {
        return pascal(table.id()) + "TableName";
    }

    /** The output holding the id of a plan's usage plan, e.g. {@code ProUsagePlanId}. */
    public static String usagePlanId(Plan plan) {
        return pascal(plan.id()) + "UsagePlanId";
    }

    /** "api-keys" becomes "ApiKeys", "ACCESS_DENIED" becomes "AccessDenied": stable output and construct ids. */
    public static String pascal(String id) {
        StringBuilder out = new StringBuilder();
        for (String word : id.toLowerCase(Locale.ROOT).split("[-_]", -1)) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }
}
