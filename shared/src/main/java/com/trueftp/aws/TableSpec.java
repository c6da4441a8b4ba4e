package com.trueftp.aws;

import java.util.List;

/**
 * One DynamoDB table as the code needs it. The CDK stack and the local runtime both build their
 * tables from these, so keys and indexes are written down once.
 *
 * @param id           logical name (CDK construct id and the table name on emulators)
 * @param nameVariable the configuration variable that carries the deployed table name to functions
 */
public record TableSpec(String id, String nameVariable, Key partitionKey, Key sortKey,
                        List<Index> indexes, String ttlAttribute) {

    public enum KeyType { STRING, NUMBER }

    public record Key(String name, KeyType type) {
        public static Key string(String name) {
            return new Key(name, KeyType.STRING);
        }

        public static Key number(String name) {
            return new Key(name, KeyType.NUMBER);
        }
    }

    /** A global secondary index; projection is always ALL. */
    public record Index(String name, Key partitionKey, Key sortKey) {
    }
}
