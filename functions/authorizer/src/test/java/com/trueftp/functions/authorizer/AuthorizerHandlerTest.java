package com.trueftp.functions.authorizer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizerHandlerTest {
    @Test
    void policyCoversEveryMethodAndPathOfTheStageBecauseResultsAreCachedPerToken() {
        assertThat(AuthorizerHandler.wholeApi("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/api/ext/v1/account"))
                .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/*/*");
        assertThat(AuthorizerHandler.wholeApi("arn:aws:execute-api:eu-west-1:123456789012:x/v1/DELETE/api/ext/v1/ftp-users/u_1"))
                .isEqualTo("arn:aws:execute-api:eu-west-1:123456789012:x/v1/*/*");
    }

    @Test
    void malformedMethodArnIsABug() {
        assertThatThrownBy(() -> AuthorizerHandler.wholeApi("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }
}
