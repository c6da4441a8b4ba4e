package com.trueftp.infra;

import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Permission;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.transfer.CfnServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optional AWS Transfer Family server ({@code -c sftp=true}): SFTP on a public endpoint, every login decided by
 * the sftp-auth function; with {@code -c ftpsCertificateArn=…} also FTPS, which Transfer Family serves only from a
 * VPC endpoint: then the stack adds a small VPC (two public subnets, no NAT gateway), two Elastic IPs and a security
 * group for the FTP ports. Billed by the hour per protocol while it exists: off unless asked for.
 */
final class SftpServer {
    /** Transfer Family's passive ports for FTPS data connections. */
    static final int PASSIVE_PORTS_FROM = 8192;
    static final int PASSIVE_PORTS_TO = 8200;
    static final String SECURITY_POLICY = "TransferSecurityPolicy-2024-01";

    private SftpServer() {
    }

    /** @param ftpsCertificateArn null for SFTP alone */
    static CfnServer create(Stack stack, Function identityProvider, String ftpsCertificateArn) {
        List<String> protocols = ftpsCertificateArn == null ? List.of("SFTP") : List.of("SFTP", "FTPS");
        LogGroup logs = LogGroups.create(stack, "SftpServerLogs");
        Role logging = Role.Builder.create(stack, "SftpServerLoggingRole")
                .description("Lets the SFTP server write its structured logs")
                .assumedBy(new ServicePrincipal("transfer.amazonaws.com"))
                .build();
        logging.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn() + ":*"))
                .build());
        CfnServer.Builder server = CfnServer.Builder.create(stack, "SftpServer")
                .domain("S3")
                .protocols(protocols)
                .identityProviderType("AWS_LAMBDA")
                .identityProviderDetails(CfnServer.IdentityProviderDetailsProperty.builder()
                        .function(identityProvider.getFunctionArn())
                        .sftpAuthenticationMethods("PASSWORD_OR_KEY")
                        .build())
                .securityPolicyName(SECURITY_POLICY)
                // S3 keeps no modes, owners or times: clients that set them (put -p) succeed, nothing changes.
                .protocolDetails(CfnServer.ProtocolDetailsProperty.builder().setStatOption("ENABLE_NO_OP").build())
                .loggingRole(logging.getRoleArn())
                .structuredLogDestinations(List.of(logs.getLogGroupArn()));
        List<String> addresses = new ArrayList<>();
        if (ftpsCertificateArn == null) {
            server.endpointType("PUBLIC");
        } else {
            server.certificate(ftpsCertificateArn).endpointType("VPC").endpointDetails(vpcEndpoint(stack, addresses));
        }
        CfnServer created = server.build();
        identityProvider.addPermission("InvokedBySftpServer", Permission.builder()
                .principal(new ServicePrincipal("transfer.amazonaws.com"))
                .sourceArn(created.getAttrArn())
                .build());
        CfnOutput.Builder.create(stack, StackOutputs.SFTP_HOST)
                .description("Host name of the SFTP server: sftp LOGIN@HOST")
                .value(Fn.join("", List.of(created.getAttrServerId(), ".server.transfer.", stack.getRegion(),
                        ".amazonaws.com")))
                .build();
        if (!addresses.isEmpty()) {
            CfnOutput.Builder.create(stack, StackOutputs.SFTP_ADDRESSES)
                    .description("Public addresses of the SFTP/FTPS server (FTPS clients connect to these)")
                    .value(Fn.join(",", addresses))
                    .build();
        }
        return created;
    }

    /** A VPC endpoint reachable from the internet: two public subnets, an Elastic IP in each, the FTP ports open. */
    private static CfnServer.EndpointDetailsProperty vpcEndpoint(Stack stack, List<String> addresses) {
        Vpc vpc = Vpc.Builder.create(stack, "SftpVpc")
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("Public").subnetType(SubnetType.PUBLIC).cidrMask(24).build()))
                .build();
        SecurityGroup ports = SecurityGroup.Builder.create(stack, "SftpPorts")
                .vpc(vpc)
                .description("SFTP (22), FTPS control (21) and passive data ports")
                .allowAllOutbound(false)
                .build();
        ports.addIngressRule(Peer.anyIpv4(), Port.tcp(22), "SFTP");
        ports.addIngressRule(Peer.anyIpv4(), Port.tcp(21), "FTPS control");
        ports.addIngressRule(Peer.anyIpv4(), Port.tcpRange(PASSIVE_PORTS_FROM, PASSIVE_PORTS_TO), "FTPS passive data");
        List<String> allocations = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CfnEIP address = CfnEIP.Builder.create(stack, "SftpAddress" + (i + 1)).domain("vpc").build();
            allocations.add(address.getAttrAllocationId());
            addresses.add(address.getAttrPublicIp());
        }
        return CfnServer.EndpointDetailsProperty.builder()
                .vpcId(vpc.getVpcId())
                .subnetIds(vpc.getPublicSubnets().stream().map(subnet -> subnet.getSubnetId()).toList())
                .addressAllocationIds(allocations)
                .securityGroupIds(List.of(ports.getSecurityGroupId()))
                .build();
    }

    /**
     * The role SFTP sessions act with: every object of the bucket, narrowed for each session by the policy the
     * sftp-auth function answers (the user's home folder; no writes for a read-only login). Only Transfer Family
     * of this account may take it.
     */
    static Role sessionRole(Stack stack, FileStorage files) {
        Role role = Role.Builder.create(stack, "SftpSessionRole")
                .description("SFTP sessions; each narrowed to its user's home folder by a session policy")
                .assumedBy(new ServicePrincipal("transfer.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()))))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(files.bucket().getBucketArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject",
                        "s3:AbortMultipartUpload"))
                .resources(List.of(files.bucket().arnForObjects("*")))
                .build());
        return role;
    }
}
