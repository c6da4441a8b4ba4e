package com.trueftp.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTokenTest {
    private static final String TOKEN = "tftp_abcdefghijklmnopqrstuvwxyzABCDEF";

    @Test
    void generatedTokensHaveThePrefixAnd32AlphanumericCharactersAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = ApiToken.generate();
            assertThat(token).matches("tftp_[A-Za-z0-9]{32}");
            assertThat(ApiToken.isWellFormed(token)).isTrue();
            seen.add(token);
        }
        assertThat(seen).hasSize(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + TOKEN, "bearer " + TOKEN, "BeArEr " + TOKEN})
    void bearerHeaderYieldsItsToken(String header) {
        assertThat(ApiToken.fromAuthorizationHeader(header)).contains(TOKEN);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", TOKEN, "Basic " + TOKEN, "Bearer tftp_short",
            "Bearer tftp_abcdefghijklmnopqrstuvwxyzABCDEFG", "Bearer tftp_abcdefghijklmnopqrstuvwxyzABCD-F",
            "Bearer xftp_abcdefghijklmnopqrstuvwxyzABCDEF", "Bearer " + TOKEN + " extra", "Bearer tftp_abcdefghijklmnopqrstuvwxyzABCDÉF",
            "Bearer " + TOKEN + "\u0000", "\u0000Bearer " + TOKEN, "Bearer  " + TOKEN, "Bearer\t" + TOKEN,
            " Bearer " + TOKEN, "Bearer " + TOKEN + " ", "Bearer\r\n " + TOKEN, "Bearer " + TOKEN + "\n",
            "Bearer\u00a0" + TOKEN, "Bearer " + TOKEN + "\u200b", "BEARER\u0130 " + TOKEN})
    void malformedHeadersYieldNoToken(String header) {
        assertThat(ApiToken.fromAuthorizationHeader(header)).isEmpty();
    }

    @Test
    void hashIsSha256HexAndDependsOnTheToken() {
        assertThat(ApiToken.hash(TOKEN)).matches("[0-9a-f]{64}").isEqualTo(ApiToken.hash(TOKEN));
        assertThat(ApiToken.hash(TOKEN)).isNotEqualTo(ApiToken.hash(TOKEN.replace('a', 'b')));
        assertThat(ApiToken.hash(TOKEN)).doesNotContain(TOKEN.substring(5));
    }
}
