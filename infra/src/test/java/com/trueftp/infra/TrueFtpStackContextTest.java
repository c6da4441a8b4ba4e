package com.trueftp.infra;

import com.trueftp.stack.StackOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.trueftp.infra.Stacks.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What `cdk synth -c key=value` changes, and what it refuses. */
class TrueFtpStackContextTest {

    @Test
    void authorizerCacheTtlFollowsTheContextWithinApiGatewaysRange() {
        for (String ttl : List.of("0", "3600")) {
            Stacks.template(Map.of(TrueFtpStack.CONTEXT_AUTH_CACHE_TTL, ttl)).hasResourceProperties(
                    "AWS::ApiGateway::Authorizer", Map.of("AuthorizerResultTtlInSeconds", Integer.parseInt(ttl)));
        }
    }

    @Test
    void authorizerCacheTtlOutsideZeroTo3600FailsTheSynth() {
        for (Object ttl : List.of("-1", "3601", "1.5", "soon")) {
            assertThatThrownBy(() -> Stacks.template(Map.of(TrueFtpStack.CONTEXT_AUTH_CACHE_TTL, ttl)))
                    .as("ttl " + ttl).hasMessageContaining("authCacheTtlSeconds").hasMessageContaining("0 to 3600");
        }
    }

    @Test
    void customDomainMapsTheStageAtTheRootSoTheApiLivesUnderTheBasePath() {
        Template template = Stacks.template(Map.of(
                TrueFtpStack.CONTEXT_DOMAIN_NAME, "api.example.com",
                TrueFtpStack.CONTEXT_CERTIFICATE_ARN, "arn:aws:acm:eu-west-1:123456789012:certificate/abc"));
        template.hasResourceProperties("AWS::ApiGateway::DomainName", Map.of(
                "DomainName", "api.example.com",
                "RegionalCertificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
                "EndpointConfiguration", Map.of("Types", List.of("REGIONAL")),
                "SecurityPolicy", "TLS_1_2"));
        template.resourceCountIs("AWS::ApiGateway::BasePathMapping", 1);
        template.hasResourceProperties("AWS::ApiGateway::BasePathMapping", Map.of("BasePath", Match.absent()));
        assertThat(at(template.findOutputs(StackOutputs.API_URL).get(StackOutputs.API_URL), "Value"))
                .isEqualTo("https://api.example.com/api/ext/v1");
    }

    @Test
    void domainNameWithoutCertificateFailsTheSynth() {
        assertThatThrownBy(() -> Stacks.template(Map.of(TrueFtpStack.CONTEXT_DOMAIN_NAME, "api.example.com")))
                .hasMessageContaining("domainName and certificateArn go together");
    }

    @Test
    void missingFunctionJarFailsTheSynthSayingToBuildFirst(@TempDir Path emptyRepo) {
        assertThatThrownBy(() -> Stacks.template(Map.of(TrueFtpStack.CONTEXT_REPO_ROOT, emptyRepo.toString())))
                .hasMessageContaining(emptyRepo.resolve("functions").toString())
                .hasMessageContaining("lambda.jar")
                .hasMessageContaining("run mvn package first");
    }
}
