package com.trueftp.local.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An open file of a session, staged in a local temporary file: S3 objects cannot be written in place, so a file
 * opened for writing is uploaded whole when it is closed (then it is one new version, one notification, one
 * event), and a file opened for reading is fetched once. The temporary file is deleted on close either way.
 */
final class StagedFileChannel extends FileChannel {
    /** What happens to the staged bytes on close. */
    interface OnClose {
        void accept(Path staged) throws IOException;
    }

    private final FileChannel staged;
    private final Path file;
    private final OnClose onClose;

    StagedFileChannel(FileChannel staged, Path file, OnClose onClose) {
        this.staged = staged;
        this.file = file;
        this.onClose = onClose;
    }

    @Override
    protected void implCloseChannel() throws IOException {
        try {
            staged.close();
            onClose.accept(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return staged.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return staged.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return staged.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return staged.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return staged.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        staged.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return staged.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        staged.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        staged.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return staged.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return staged.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return staged.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return staged.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return staged.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return staged.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return staged.tryLock(position, size, shared);
    }
}
