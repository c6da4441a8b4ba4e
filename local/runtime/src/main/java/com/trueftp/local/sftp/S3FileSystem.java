package com.trueftp.local.sftp;

import com.trueftp.core.InvalidInputException;
import com.trueftp.files.PathPolicy;
import org.apache.sshd.common.file.util.BaseFileSystem;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One SFTP session's view of the files bucket: the user's home folder (a key prefix) as {@code /}, through the S3
 * front like every other writer, so each change is notified, recorded and counted as S3 does on AWS. Folders are
 * what the files API makes them: a marker object {@code folder/}, or implied by keys below. A path can never name a
 * key outside the home folder: {@code ..} stops at {@code /}, there are no links, and names follow the files API's
 * rules. A read-only session is refused every change.
 */
final class S3FileSystem extends BaseFileSystem<S3Path> {
    /** What the files API marks its folders with. */
    static final String FOLDER_CONTENT_TYPE = "application/x-directory";
    private static final int S3_KEY_BYTES = 1024;

    private final S3Client s3;
    private final String bucket;
    private final String home;
    private final boolean writable;
    private volatile boolean open = true;

    /** @param home the home folder's key prefix, ending in {@code /} */
    S3FileSystem(S3FileSystemProvider provider, S3Client s3, String bucket, String home, boolean writable) {
        super(provider);
        this.s3 = s3;
        this.bucket = bucket;
        this.home = home;
        this.writable = writable;
    }

    @Override
    protected S3Path create(String root, List<String> names) {
        return new S3Path(this, root, names, null);
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return !writable;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("S3 has no owners");
    }

    boolean writable() {
        return writable;
    }

    /**
     * The object key of a path: the home prefix and the path's names, {@code .} dropped and {@code ..} going up no
     * further than the home folder. The root is the home prefix itself.
     */
    String key(S3Path path) throws IOException {
        List<String> names = new ArrayList<>();
        for (String name : path.toAbsolutePath().names()) {
            if (name.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                }
            } else if (!name.equals(".") && !name.isEmpty()) {
                try {
                    PathPolicy.checkCharacters(name, "a name");
                } catch (InvalidInputException e) {
                    throw new IOException(name + ": " + e.getMessage(), e);
                }
                names.add(name);
            }
        }
        String key = home + String.join("/", names);
        if (key.getBytes(StandardCharsets.UTF_8).length + 1 > S3_KEY_BYTES) {
            throw new IOException("the path is too long: its key would pass S3's " + S3_KEY_BYTES + " bytes");
        }
        return key;
    }

    boolean isRoot(String key) {
        return key.equals(home);
    }

    /** A file's or folder's attributes; empty when there is none. */
    Optional<S3Attributes> stat(S3Path path) throws IOException {
        if (path.listed() != null) {
            return Optional.of(path.listed());
        }
        String key = key(path);
        if (isRoot(key)) {
            return Optional.of(new S3Attributes(true, 0, Instant.EPOCH, key));
        }
        Optional<HeadObjectResponse> file = head(key);
        if (file.isPresent()) {
            return Optional.of(new S3Attributes(false, file.get().contentLength(), file.get().lastModified(), key));
        }
        ListObjectsV2Response below = call(() -> s3.listObjectsV2(l -> l.bucket(bucket).prefix(key + "/").maxKeys(1)));
        if (below.contents().isEmpty()) {
            return Optional.empty();
        }
        S3Object first = below.contents().get(0);
        Instant modified = first.key().equals(key + "/") ? first.lastModified() : Instant.EPOCH;
        return Optional.of(new S3Attributes(true, 0, modified, key + "/"));
    }

    S3Attributes require(S3Path path) throws IOException {
        return stat(path).orElseThrow(() -> new NoSuchFileException(path.toString()));
    }

    /** A folder's entries: sub-folders and files, each with what the listing says of it. */
    List<S3Path> list(S3Path folder) throws IOException {
        if (!require(folder).folder()) {
            throw new NotDirectoryException(folder.toString());
        }
        String key = key(folder);
        String prefix = isRoot(key) ? key : key + "/";
        S3Path absolute = folder.toAbsolutePath().normalize();
        List<S3Path> entries = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call(() -> s3.listObjectsV2(l -> l.bucket(bucket).prefix(prefix)
                    .delimiter("/").continuationToken(continuation)));
            for (CommonPrefix sub : page.commonPrefixes()) {
                String name = sub.prefix().substring(prefix.length(), sub.prefix().length() - 1);
                entries.add(entry(absolute, name, new S3Attributes(true, 0, Instant.EPOCH, sub.prefix())));
            }
            for (S3Object object : page.contents()) {
                if (!object.key().equals(prefix)) { // the folder's own marker
                    String name = object.key().substring(prefix.length());
                    entries.add(entry(absolute, name, new S3Attributes(false, object.size(), object.lastModified(),
                            object.key())));
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return entries;
    }

    private S3Path entry(S3Path folder, String name, S3Attributes attributes) {
        List<String> names = new ArrayList<>(folder.names());
        names.add(name);
        return new S3Path(this, "/", List.copyOf(names), attributes);
    }

    /** A new empty folder (a marker, as the files API makes it); its parent must exist. */
    void createFolder(S3Path path) throws IOException {
        requireWritable(path);
        String key = key(path);
        if (isRoot(key) || stat(path).isPresent()) {
            throw new FileAlreadyExistsException(path.toString());
        }
        requireFolder(path.toAbsolutePath().normalize().getParent());
        call(() -> s3.putObject(p -> p.bucket(bucket).key(key + "/").contentType(FOLDER_CONTENT_TYPE),
                RequestBody.empty()));
    }

    /** A file, or an empty folder. */
    void delete(S3Path path) throws IOException {
        requireWritable(path);
        S3Attributes attributes = require(path);
        String key = key(path);
        if (isRoot(key)) {
            throw new AccessDeniedException(path.toString(), null, "the home folder cannot be deleted");
        }
        if (attributes.folder()) {
            ListObjectsV2Response inside = call(() -> s3.listObjectsV2(l -> l.bucket(bucket).prefix(key + "/").maxKeys(2)));
            if (inside.contents().stream().anyMatch(o -> !o.key().equals(key + "/"))) {
                throw new DirectoryNotEmptyException(path.toString());
            }
            call(() -> s3.deleteObject(d -> d.bucket(bucket).key(key + "/")));
        } else {
            call(() -> s3.deleteObject(d -> d.bucket(bucket).key(key)));
        }
    }

    /** Renames a file (a copy, then the old key deleted: S3 has no rename) or an empty folder. */
    void move(S3Path source, S3Path target, boolean replace) throws IOException {
        requireWritable(source);
        S3Attributes from = require(source);
        String fromKey = key(source);
        String toKey = key(target);
        if (isRoot(fromKey) || isRoot(toKey)) {
            throw new AccessDeniedException(source.toString(), target.toString(), "the home folder cannot move");
        }
        Optional<S3Attributes> existing = stat(target);
        if (existing.isPresent() && (!replace || existing.get().folder() || from.folder())) {
            throw new FileAlreadyExistsException(target.toString());
        }
        requireFolder(target.toAbsolutePath().normalize().getParent());
        if (from.folder()) {
            ListObjectsV2Response inside = call(() -> s3.listObjectsV2(l -> l.bucket(bucket).prefix(fromKey + "/").maxKeys(2)));
            if (inside.contents().stream().anyMatch(o -> !o.key().equals(fromKey + "/"))) {
                throw new IOException("renaming a folder that is not empty is not supported (S3 has no folders to "
                        + "rename: every file would be copied)");
            }
            call(() -> s3.putObject(p -> p.bucket(bucket).key(toKey + "/").contentType(FOLDER_CONTENT_TYPE),
                    RequestBody.empty()));
            call(() -> s3.deleteObject(d -> d.bucket(bucket).key(fromKey + "/")));
            return;
        }
        call(() -> s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket)
                .destinationKey(toKey)));
        call(() -> s3.deleteObject(d -> d.bucket(bucket).key(fromKey)));
    }

    /** Checks that a file may be written at the path: no folder there, and no file in the way above it. */
    void requireWritableFile(S3Path path) throws IOException {
        requireWritable(path);
        Optional<S3Attributes> there = stat(path);
        if (there.isPresent() && there.get().folder()) {
            throw new IOException(path + " is a folder");
        }
        requireFolder(path.toAbsolutePath().normalize().getParent());
    }

    /** The parent must be a folder that exists (the root always does). */
    private void requireFolder(S3Path parent) throws IOException {
        if (parent == null) {
            return;
        }
        Optional<S3Attributes> folder = stat(parent);
        if (folder.isEmpty()) {
            throw new NoSuchFileException(parent.toString(), null, "no such folder");
        }
        if (!folder.get().folder()) {
            throw new IOException(parent + " is a file, not a folder");
        }
    }

    void requireWritable(S3Path path) throws AccessDeniedException {
        if (!writable) {
            throw new AccessDeniedException(path.toString(), null, "this login may only read");
        }
    }

    Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(h -> h.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 refused: " + e.awsErrorDetails().errorMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("S3 is unavailable: " + e.getMessage(), e);
        }
    }

    S3Client s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    /** An S3 call whose failure reaches the client as an I/O error (S3 down is a failed operation, not a crash). */
    static <T> T call(Supplier<T> request) throws IOException {
        try {
            return request.get();
        } catch (S3Exception e) {
            throw new IOException("S3 refused: " + e.awsErrorDetails().errorMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("S3 is unavailable: " + e.getMessage(), e);
        }
    }
}
