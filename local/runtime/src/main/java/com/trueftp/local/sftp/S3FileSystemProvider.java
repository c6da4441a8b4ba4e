package com.trueftp.local.sftp;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The java.nio operations the SFTP subsystem calls, on a session's {@link S3FileSystem}. What S3 cannot keep is
 * accepted and ignored, as AWS Transfer Family does with {@code SetStatOption: ENABLE_NO_OP} (times, modes,
 * owners); links cannot be made (they could point outside the home folder).
 */
final class S3FileSystemProvider extends FileSystemProvider {
    private final Path staging;

    /** @param staging where open files are staged (a folder of the local runtime's temporary space) */
    S3FileSystemProvider(Path staging) {
        this.staging = staging;
    }

    @Override
    public String getScheme() {
        return "trueftp-sftp";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("sessions make their file systems");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("sessions make their file systems");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("paths come from a session's file system");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        S3Path file = (S3Path) path;
        S3FileSystem fs = file.getFileSystem();
        String key = fs.key(file);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        Path staged = Files.createTempFile(staging, "sftp-", ".part");
        try {
            if (!write) {
                if (fs.require(file).folder()) {
                    throw new IOException(path + " is a folder");
                }
                download(fs, key, staged);
                return new StagedFileChannel(FileChannel.open(staged, StandardOpenOption.READ), staged, done -> {
                });
            }
            fs.requireWritableFile(file);
            boolean exists = fs.head(key).isPresent();
            if (exists && options.contains(StandardOpenOption.CREATE_NEW)) {
                throw new FileAlreadyExistsException(path.toString());
            }
            if (!exists && !options.contains(StandardOpenOption.CREATE) && !options.contains(StandardOpenOption.CREATE_NEW)) {
                throw new NoSuchFileException(path.toString());
            }
            if (exists && !options.contains(StandardOpenOption.TRUNCATE_EXISTING)) { // appending or writing in place
                download(fs, key, staged);
            }
            FileChannel channel = options.contains(StandardOpenOption.APPEND)
                    ? FileChannel.open(staged, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                    : FileChannel.open(staged, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new StagedFileChannel(channel, staged, bytes -> S3FileSystem.call(() -> fs.s3().putObject(
                    p -> p.bucket(fs.bucket()).key(key).contentType("application/octet-stream"),
                    RequestBody.fromFile(bytes))));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
    }

    /** The object's bytes into the staged file (the SDK writes a download to a file that must not exist yet). */
    private static void download(S3FileSystem fs, String key, Path staged) throws IOException {
        Files.deleteIfExists(staged);
        S3FileSystem.call(() -> fs.s3().getObject(g -> g.bucket(fs.bucket()).key(key), ResponseTransformer.toFile(staged)));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        S3Path folder = (S3Path) dir;
        List<S3Path> entries = folder.getFileSystem().list(folder);
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return entries.stream().map(Path.class::cast).filter(entry -> {
                    try {
                        return filter == null || filter.accept(entry);
                    } catch (IOException e) {
                        return false;
                    }
                }).iterator();
            }

            @Override
            public void close() {
                // nothing held: the listing was read whole
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        ((S3Path) dir).getFileSystem().createFolder((S3Path) dir);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        throw new UnsupportedOperationException("links are not supported: S3 has none");
    }

    @Override
    public void createLink(Path link, Path existing) {
        throw new UnsupportedOperationException("links are not supported: S3 has none");
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        throw new NotLinkException(link.toString());
    }

    @Override
    public void delete(Path path) throws IOException {
        ((S3Path) path).getFileSystem().delete((S3Path) path);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        throw new UnsupportedOperationException("copying on the server is not supported: download and upload");
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        ((S3Path) source).getFileSystem().move((S3Path) source, (S3Path) target, replace);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        return false;
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("no file stores");
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        S3Path file = (S3Path) path;
        S3Attributes attributes = file.getFileSystem().require(file);
        for (AccessMode mode : modes) {
            if (mode == AccessMode.WRITE) {
                file.getFileSystem().requireWritable(file);
            } else if (mode == AccessMode.EXECUTE && !attributes.folder()) {
                throw new AccessDeniedException(path.toString());
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        S3Path file = (S3Path) path;
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return file.getFileSystem().require(file);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                // S3 sets an object's time itself: accepted and ignored
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (!type.isAssignableFrom(S3Attributes.class)) {
            throw new UnsupportedOperationException("only basic attributes: S3 keeps no others");
        }
        return (A) ((S3Path) path).getFileSystem().require((S3Path) path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        S3Path file = (S3Path) path;
        String view = attributes.contains(":") ? attributes.substring(0, attributes.indexOf(':')) : "basic";
        if (!view.equals("basic")) {
            throw new UnsupportedOperationException("only basic attributes: S3 keeps no others");
        }
        Optional<S3Attributes> found = file.getFileSystem().stat(file);
        return found.orElseThrow(() -> new NoSuchFileException(path.toString()))
                .asMap(file.getFileSystem().writable());
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        ((S3Path) path).getFileSystem().require((S3Path) path); // times, modes, owners: accepted and ignored
    }
}
