package com.trueftp.webhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both signature schemes against vectors computed independently (openssl), the Standard Webhooks one published. */
class WebhookSignaturesTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_614_265_330L;

    @Test
    void theStandardWebhooksSignatureMatchesThePublishedVector() {
        assertThat(WebhookSignatures.standardHeader(List.of(SECRET), "msg_p5jXN8AQM9LWM0D4loKWxJek", T, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theTrueftpSignatureIsHexHmacOfTimestampDotBodyKeyedWithTheWholeSecret() {
        assertThat(WebhookSignatures.trueftpHeader(List.of(SECRET), T, BODY))
                .isEqualTo("t=1614265330,v1=2e37df5d4a028c51a7f3133d64ae1e300d2c2c900f1b1d49d4369ad2530f8964");
    }

    @Test
    void whileARotatedSecretIsHonouredEachHeaderCarriesBothSignatures() {
        String next = WebhookSignatures.newSecret();
        String trueftp = WebhookSignatures.trueftpHeader(List.of(next, SECRET), T, BODY);
        String standard = WebhookSignatures.standardHeader(List.of(next, SECRET), "msg_1", T, BODY);

        assertThat(trueftp.split(",v1=", -1)).hasSize(3);
        assertThat(trueftp).endsWith(",v1=2e37df5d4a028c51a7f3133d64ae1e300d2c2c900f1b1d49d4369ad2530f8964");
        assertThat(standard.split(" ", -1)).hasSize(2).allMatch(s -> s.startsWith("v1,"));
    }

    @Test
    void aNewSecretIsWhsecAndThirtyTwoRandomBytes() {
        String secret = WebhookSignatures.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(WebhookSignatures.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void aSecretWithoutItsPrefixIsRefusedForTheStandardScheme() {
        assertThatThrownBy(() -> WebhookSignatures.standardHeader(List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "m", T, BODY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
