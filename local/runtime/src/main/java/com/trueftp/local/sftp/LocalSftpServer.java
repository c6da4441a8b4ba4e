package com.trueftp.local.sftp;

import com.trueftp.core.Config;
import com.trueftp.ftpuser.SshPublicKey;
import com.trueftp.stack.LocalSettings;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * SFTP for {@code ./trueftp local}, as the stack's Transfer Family server offers it: logins are decided by the
 * sftp-auth function (invoked with Transfer Family's request, its answer applied: home folder as {@code /},
 * read-only unless the policy allows writes, a key login only with one of the keys it returns), and files are
 * objects of the files bucket, read and written through the S3 front with the FTP side's own credentials, so S3's
 * notifications name SFTP as the source. The host key is kept in the data folder: clients see the same fingerprint
 * after a restart.
 */
public final class LocalSftpServer implements AutoCloseable {
    /** The file name of the host key in the data folder. */
    public static final String HOST_KEY_FILE = "sftp-host-key";
    private static final AttributeRepository.AttributeKey<SessionGrant> GRANT = new AttributeRepository.AttributeKey<>();

    private final SshServer server;
    private final S3Client s3;
    private final Path staging;

    private LocalSftpServer(SshServer server, S3Client s3, Path staging) {
        this.server = server;
        this.s3 = s3;
        this.staging = staging;
    }

    /**
     * @param identityProvider the sftp-auth function: Transfer Family's request in, its answer out
     * @param dataDir          where the host key is kept; null keeps one in a temporary folder
     */
    public static LocalSftpServer start(int port, Path dataDir, Config config,
                                        UnaryOperator<Map<String, Object>> identityProvider) throws IOException {
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(config.require(Config.S3_ENDPOINT)))
                .region(Region.of(config.require(Config.REGION))).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalSettings.SFTP_ACCESS_KEY, LocalSettings.SECRET_KEY)))
                .build();
        Path staging = Files.createTempDirectory("trueftp-sftp-");
        S3FileSystemProvider files = new S3FileSystemProvider(staging);
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        Path hostKey = (dataDir == null ? staging : dataDir).resolve(HOST_KEY_FILE);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        server.setPasswordAuthenticator((login, password, session) ->
                grant(session, () -> identityProvider.apply(request(login, password, session)), null));
        server.setPublickeyAuthenticator((login, key, session) ->
                grant(session, () -> identityProvider.apply(request(login, null, session)), key));
        server.setKeyboardInteractiveAuthenticator(null); // password and keys only, as on Transfer Family
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder().build()));
        server.setFileSystemFactory(new FileSystemFactory() {
            @Override
            public Path getUserHomeDir(SessionContext session) {
                return null; // the file system's root is the home folder
            }

            @Override
            public FileSystem createFileSystem(SessionContext session) throws IOException {
                SessionGrant grant = session.getAttribute(GRANT);
                if (grant == null) {
                    throw new IOException("no login");
                }
                return new S3FileSystem(files, s3, grant.bucket(), grant.prefix(), grant.writable());
            }
        });
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            s3.close();
            throw e;
        }
        return new LocalSftpServer(server, s3, staging);
    }

    public int port() {
        return server.getPort();
    }

    /** Transfer Family's request to its identity provider. */
    private static Map<String, Object> request(String login, String password, ServerSession session) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("username", login);
        if (password != null) {
            request.put("password", password);
        }
        request.put("protocol", "SFTP");
        request.put("serverId", "local");
        request.put("sourceIp", session.getClientAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : "unknown");
        return request;
    }

    /** Applies the answer: a grant for a password login, or for a key login whose key is one of those returned. */
    private static boolean grant(ServerSession session, Supplier<Map<String, Object>> ask, PublicKey offered) {
        try {
            Optional<SessionGrant> grant = SessionGrant.of(ask.get());
            if (grant.isEmpty()) {
                return false;
            }
            if (offered != null) {
                SshPublicKey key = SshPublicKey.parse(PublicKeyEntry.toString(offered), "the offered key");
                if (grant.get().keys().stream().noneMatch(key::sameKey)) {
                    return false;
                }
            }
            session.setAttribute(GRANT, grant.get());
            return true;
        } catch (IOException | RuntimeException unreadableOrFailed) {
            return false; // as on Transfer Family: a provider that fails (or answers nonsense) refuses the login
        }
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            System.err.println("stopping the SFTP server: " + e);
        }
        s3.close();
        try (var leftovers = Files.list(staging)) {
            for (Path file : leftovers.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(staging);
        } catch (IOException e) {
            System.err.println("cleaning " + staging + ": " + e);
        }
    }
}
