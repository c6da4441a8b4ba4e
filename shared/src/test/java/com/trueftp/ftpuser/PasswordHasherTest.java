package com.trueftp.ftpuser;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    @Test
    void hashesWithArgon2idAndItsParametersInPhcForm() {
        String hash = PasswordHasher.hash("a-strong-secret");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("a-strong-secret");
    }

    @Test
    void saltsEveryHashAndVerifiesOnlyTheRightPassword() {
        String first = PasswordHasher.hash("a-strong-secret");
        String second = PasswordHasher.hash("a-strong-secret");
        assertThat(first).isNotEqualTo(second);
        assertThat(PasswordHasher.verify("a-strong-secret", first)).isTrue();
        assertThat(PasswordHasher.verify("a-strong-secret", second)).isTrue();
        assertThat(PasswordHasher.verify("a-strong-secreT", first)).isFalse();
    }

    @Test
    void longPasswordsCountInFull() {
        String base = "x".repeat(255);
        assertThat(PasswordHasher.verify(base + "b", PasswordHasher.hash(base + "a"))).isFalse();
    }
}
