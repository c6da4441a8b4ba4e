package com.trueftp.ftpuser;

import com.trueftp.core.InvalidInputException;
import com.trueftp.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys as ssh-keygen writes them are taken; anything else is refused with a message that names the key. */
class SshPublicKeyTest {
    @TempDir
    Path keys;

    @ParameterizedTest
    @CsvSource({"ed25519,0,ssh-ed25519", "ecdsa,256,ecdsa-sha2-nistp256", "ecdsa,384,ecdsa-sha2-nistp384",
            "ecdsa,521,ecdsa-sha2-nistp521", "rsa,3072,ssh-rsa", "rsa,4096,ssh-rsa"})
    void takesEveryAcceptedTypeAsSshKeygenWritesIt(String type, int bits, String name) {
        String line = SshKeys.generate(keys, type, bits).publicLine();
        SshPublicKey key = SshPublicKey.parse(line, "ssh_public_keys[0]");
        assertThat(key.type()).isEqualTo(name);
        assertThat(key.comment()).isEqualTo("test@example");
        assertThat(key.line()).isEqualTo(line);
        assertThat(key.fingerprint()).startsWith("SHA256:");
    }

    @Test
    void refusesRsaKeysShorterThan3072Bits() {
        String line = SshKeys.generate(keys, "rsa", 2048).publicLine();
        assertThatThrownBy(() -> SshPublicKey.parse(line, "ssh_public_keys[1]"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("ssh_public_keys[1] is an RSA key of 2048 bits: at least 3072 are needed");
    }

    @Test
    void refusesOtherTypesNamingThem() {
        byte[] dss = blob("ssh-dss", new byte[]{1}, new byte[]{2}, new byte[]{3}, new byte[]{4});
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-dss " + b64(dss), "ssh_public_keys[0]"))
                .hasMessageStartingWith("ssh_public_keys[0] has type ssh-dss: accepted are ssh-ed25519");
        assertThatThrownBy(() -> SshPublicKey.parse("ecdsa-sha2-nistp192 AAAA", "k"))
                .hasMessageStartingWith("k has type ecdsa-sha2-nistp192: accepted ECDSA curves are");
    }

    @Test
    void refusesWhatIsNotAKeyLine() {
        String ed25519 = SshKeys.generate(keys, "ed25519", 0).publicLine();
        String base64 = ed25519.substring(ed25519.indexOf(' ') + 1, ed25519.lastIndexOf(' '));
        byte[] blob = Base64.getDecoder().decode(base64);
        assertThatThrownBy(() -> SshPublicKey.parse("AAAAC3NzaC1lZDI1NTE5", "k"))
                .hasMessage("k must be one line 'type base64-key [comment]', as in an OpenSSH .pub file");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 not*base64", "k"))
                .hasMessage("k is not valid base64 after its type");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + b64(java.util.Arrays.copyOf(blob, blob.length - 5)), "k"))
                .hasMessage("k is cut short or malformed: its base64 does not hold a ssh-ed25519 key");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa " + base64, "k"))
                .hasMessage("k says ssh-rsa but holds a ssh-ed25519 key");
        byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 1);
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + b64(longer), "k"))
                .hasMessage("k has bytes after its ssh-ed25519 key");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + base64 + " a\u0007bell", "k"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + "A".repeat(9000), "k"))
                .hasMessage("k is longer than 8192 characters");
        byte[] wrongCurve = blob("ecdsa-sha2-nistp256", "nistp384".getBytes(StandardCharsets.US_ASCII), new byte[65]);
        assertThatThrownBy(() -> SshPublicKey.parse("ecdsa-sha2-nistp256 " + b64(wrongCurve), "k"))
                .hasMessage("k names another curve inside than its type ecdsa-sha2-nistp256");
    }

    @Test
    void takesAtMostTenKeysAndEachOnlyOnce() {
        String one = SshKeys.generate(keys, "ed25519", 0).publicLine();
        String other = SshKeys.generate(keys, "ecdsa", 256).publicLine();
        assertThat(SshPublicKey.parseAll(List.of(one, other), "ssh_public_keys")).hasSize(2);
        String sameKeyOtherComment = one.substring(0, one.lastIndexOf(' ')) + " laptop";
        assertThatThrownBy(() -> SshPublicKey.parseAll(List.of(one, other, sameKeyOtherComment), "ssh_public_keys"))
                .hasMessage("ssh_public_keys[2] is the same key as ssh_public_keys[0]");
        List<String> eleven = new ArrayList<>(Collections.nCopies(11, one));
        assertThatThrownBy(() -> SshPublicKey.parseAll(eleven, "ssh_public_keys"))
                .hasMessage("ssh_public_keys holds 11 keys: at most 10");
    }

    /** A key blob in SSH wire form: each part a length-prefixed string. */
    private static byte[] blob(String type, byte[]... parts) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            out.writeInt(name.length);
            out.write(name);
            for (byte[] part : parts) {
                out.writeInt(part.length);
                out.write(part);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void refusesAnRsaKeyWithoutAPositiveModulus() {
        byte[] negative = blob("ssh-rsa", BigInteger.valueOf(65537).toByteArray(), BigInteger.ONE.negate().shiftLeft(3100).toByteArray());
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa " + b64(negative), "k"))
                .hasMessage("k is cut short or malformed: its base64 does not hold a ssh-rsa key");
    }
}
