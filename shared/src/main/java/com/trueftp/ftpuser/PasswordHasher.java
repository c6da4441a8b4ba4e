package com.trueftp.ftpuser;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * FTP passwords are stored only as Argon2id hashes in PHC string form ({@code $argon2id$v=19$m=...}),
 * which carries its own parameters and salt, so a later FTP front end can verify them with any Argon2
 * library. Parameters: OWASP's first recommendation for Argon2id.
 */
public final class PasswordHasher {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final Argon2Function ARGON2ID =
            Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES, Argon2.ID);

    private PasswordHasher() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(ARGON2ID).getResult();
    }

    public static boolean verify(String password, String hash) {
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }
}
