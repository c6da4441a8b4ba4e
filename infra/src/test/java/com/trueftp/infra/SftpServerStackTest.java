package com.trueftp.infra;

import com.trueftp.core.Json;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.StackOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static com.trueftp.infra.Stacks.at;
import static com.trueftp.infra.Stacks.functionId;
import static com.trueftp.infra.Stacks.properties;
import static com.trueftp.infra.Stacks.referencedId;
import static com.trueftp.infra.Stacks.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stack with {@code -c sftp=true}, and with FTPS too: the Transfer Family server and what it needs. */
class SftpServerStackTest {
    private static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    private static Template sftp;
    private static Template ftps;

    @BeforeAll
    static void synth() {
        sftp = Stacks.template(Map.of(TrueFtpStack.CONTEXT_SFTP, "true"));
        ftps = Stacks.template(Map.of(TrueFtpStack.CONTEXT_SFTP, "true",
                TrueFtpStack.CONTEXT_FTPS_CERTIFICATE_ARN, CERTIFICATE));
    }

    @Test
    void sftpIsAPublicEndpointWhoseLoginsTheSftpAuthFunctionDecides() {
        Map<String, Object> server = server(sftp);
        String function = functionId(sftp, LambdaFunction.SFTP_AUTH.handler());
        assertThat(server).containsEntry("Domain", "S3").containsEntry("Protocols", List.of("SFTP"))
                .containsEntry("EndpointType", "PUBLIC").containsEntry("IdentityProviderType", "AWS_LAMBDA")
                .containsEntry("SecurityPolicyName", SftpServer.SECURITY_POLICY)
                .containsEntry("ProtocolDetails", Map.of("SetStatOption", "ENABLE_NO_OP"))
                .doesNotContainKeys("Certificate", "EndpointDetails");
        assertThat(server.get("IdentityProviderDetails")).isEqualTo(Map.of(
                "Function", Map.of("Fn::GetAtt", List.of(function, "Arn")),
                "SftpAuthenticationMethods", "PASSWORD_OR_KEY"));
        assertThat(referencedId(at(server, "LoggingRole"))).isNotNull();
        // Only this server may invoke the function.
        Map<String, Object> permission = properties(resources(sftp, "AWS::Lambda::Permission").values().stream()
                .filter(p -> "transfer.amazonaws.com".equals(properties(p).get("Principal"))).findFirst().orElseThrow());
        assertThat(referencedId(permission.get("FunctionName"))).isEqualTo(function);
        assertThat(permission.get("SourceArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(serverId(sftp), "Arn")));
        assertThat(Json.write(sftp.findOutputs(StackOutputs.SFTP_HOST))).contains(serverId(sftp))
                .contains(".server.transfer.");
        sftp.resourceCountIs("AWS::EC2::VPC", 0);
        sftp.resourceCountIs("AWS::EC2::EIP", 0);
    }

    @Test
    void sessionsActWithARoleOnlyTransferFamilyOfThisAccountTakesLimitedToTheFilesBucket() {
        Map<String, Object> role = properties(resources(sftp, "AWS::IAM::Role").values().stream()
                .filter(r -> "SFTP sessions; each narrowed to its user's home folder by a session policy"
                        .equals(properties(r).get("Description"))).findFirst().orElseThrow());
        String trust = Json.write(role.get("AssumeRolePolicyDocument"));
        assertThat(trust).contains("\"Service\":\"transfer.amazonaws.com\"").contains("aws:SourceAccount");
        String sessionRole = sftp.getResourceId("AWS::IAM::Role", Map.of("Properties", Map.of("Description",
                "SFTP sessions; each narrowed to its user's home folder by a session policy")));
        Map<String, Object> policy = properties(resources(sftp, "AWS::IAM::Policy").values().stream()
                .filter(p -> Json.write(properties(p).get("Roles")).contains(sessionRole)).findFirst().orElseThrow());
        assertThat(Json.write(policy.get("PolicyDocument"))).isEqualTo("{\"Statement\":["
                + "{\"Action\":\"s3:ListBucket\",\"Effect\":\"Allow\",\"Resource\":{\"Fn::GetAtt\":[\"FilesBucket16450113\",\"Arn\"]}},"
                + "{\"Action\":[\"s3:AbortMultipartUpload\",\"s3:DeleteObject\",\"s3:GetObject\",\"s3:GetObjectVersion\","
                + "\"s3:PutObject\"],\"Effect\":\"Allow\",\"Resource\":{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":"
                + "[\"FilesBucket16450113\",\"Arn\"]},\"/*\"]]}}],\"Version\":\"2012-10-17\"}");
    }

    @Test
    void ftpsAddsAVpcEndpointWithTwoAddressesAndOnlyTheFtpPortsOpen() {
        Map<String, Object> server = server(ftps);
        assertThat(server).containsEntry("Protocols", List.of("SFTP", "FTPS")).containsEntry("EndpointType", "VPC")
                .containsEntry("Certificate", CERTIFICATE);
        assertThat((List<?>) at(server, "EndpointDetails", "SubnetIds")).hasSize(2);
        assertThat((List<?>) at(server, "EndpointDetails", "AddressAllocationIds")).hasSize(2);
        ftps.resourceCountIs("AWS::EC2::VPC", 1);
        ftps.resourceCountIs("AWS::EC2::EIP", 2);
        ftps.resourceCountIs("AWS::EC2::NatGateway", 0);
        String group = Json.write(resources(ftps, "AWS::EC2::SecurityGroup"));
        assertThat(group).contains("\"FromPort\":22,").contains("\"FromPort\":21,")
                .contains("\"FromPort\":8192,").contains("\"ToPort\":8200");
        assertThat(ftps.findOutputs(StackOutputs.SFTP_ADDRESSES)).hasSize(1);
    }

    @Test
    void contextValuesThatMakeNoSenseAreRefused() {
        assertThatThrownBy(() -> Stacks.template(Map.of(TrueFtpStack.CONTEXT_SFTP, "yes")))
                .hasMessageContaining("context sftp must be true or false, got: yes");
        assertThatThrownBy(() -> Stacks.template(Map.of(TrueFtpStack.CONTEXT_FTPS_CERTIFICATE_ARN, CERTIFICATE)))
                .hasMessageContaining("context ftpsCertificateArn needs sftp=true");
    }

    private static Map<String, Object> server(Template template) {
        template.resourceCountIs("AWS::Transfer::Server", 1);
        return properties(resources(template, "AWS::Transfer::Server").get(serverId(template)));
    }

    private static String serverId(Template template) {
        return resources(template, "AWS::Transfer::Server").keySet().iterator().next();
    }
}
