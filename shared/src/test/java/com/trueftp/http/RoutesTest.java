package com.trueftp.http;

import com.trueftp.stack.LambdaFunction;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoutesTest {
    @Test
    void eachMethodAndPathAppearsOnceAndNoRouteIsServedByTheAuthorizer() {
        // (Which scope each route needs is held against the OpenAPI document: OpenApiDocumentTest.)
        Set<String> seen = new HashSet<>();
        for (Route route : Routes.ALL) {
            assertThat(seen.add(route.toString())).as(route.toString()).isTrue();
            assertThat(route.function()).isNotEqualTo(LambdaFunction.AUTHORIZER);
        }
    }

    @Test
    void matchesAFullPathToItsTemplate() {
        Routes.Match match = Routes.match("/api/ext/v1/account").orElseThrow();
        assertThat(match.resource()).isEqualTo("/api/ext/v1/account");
        assertThat(match.route("GET")).isPresent();
        assertThat(match.route("POST")).isEmpty();
        assertThat(match.allowedMethods()).containsExactly("GET");
    }

    @Test
    void unknownPathsDoNotMatch() {
        assertThat(Routes.match("/api/ext/v1/nope")).isEmpty();
        assertThat(Routes.match("/api/ext/v1/account/")).isEmpty();
        assertThat(Routes.match("/api/ext/v2/account")).isEmpty();
        assertThat(Routes.match("/account")).isEmpty();
        assertThat(Routes.match("/api/ext/v1")).isEmpty();
    }

    @Test
    void pathParametersAreDecodedPerSegmentAndEncodedSlashesStayInside() {
        Routes.Match match = Routes.match("/api/ext/v1/ftp-users/ftp_a%2Fb%20c").orElseThrow();
        assertThat(match.resource()).isEqualTo("/api/ext/v1/ftp-users/{id}");
        assertThat(match.pathParameters()).containsEntry("id", "ftp_a/b c");
        assertThat(Routes.match("/api/ext/v1%2Faccount")).isEmpty();
        assertThat(Routes.match("/api/ext/v1/%61ccount")).map(Routes.Match::resource).contains("/api/ext/v1/account");
        assertThat(Routes.match("/api/ext/v1/ftp-users/%zz")).isEmpty();
        assertThat(Routes.match("/api/ext/v1/ftp-users/")).isEmpty();
    }
}
