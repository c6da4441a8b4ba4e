package com.trueftp.files;

import com.trueftp.account.AccountRepository;
import com.trueftp.auth.Caller;
import com.trueftp.core.Config;
import com.trueftp.core.ConflictException;
import com.trueftp.core.InvalidInputException;
import com.trueftp.core.NotAllowedException;
import com.trueftp.core.NotFoundException;
import com.trueftp.core.UnavailableException;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;

import javax.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the API does with an FTP user's files: list, download links, uploads (through the API or by presigned
 * URL), deletes and folders, in the user's space of the files bucket. Every change is counted in the account's
 * storage use (within the plan's quota) and recorded in its event stream. A user of another account is not found.
 */
public class FileSpaces {
    static final String FOLDER_CONTENT_TYPE = "application/x-directory";
    /** Uploads and deletes racing on one path each measure, then write conditionally; a loser tries again. */
    static final int MAX_CONDITIONAL_ATTEMPTS = 3;

    private final FtpUserRepository users;
    private final AccountRepository accounts;
    private final FileStore store;
    private final FileRemover remover;
    private final ListCursor cursors;
    private final PendingUploads uploads;
    private final EventLog events;
    private final Clock clock;
    private final Duration downloadTtl;
    private final Duration uploadTtl;
    private final Duration unknownWriteSettle;

    /** One entry of a folder: a file, or a sub-folder (path ending in /, size 0, no time). */
    public record Entry(String path, long size, Instant modified) {
        public boolean isFolder() {
            return path.endsWith("/");
        }
    }

    /** A page of a folder, and the cursor of the next page (null on the last). */
    public record Listing(List<Entry> entries, String nextCursor) {
    }

    /** A presigned link to a file's bytes. */
    public record DownloadLink(URI url, Instant expires) {
    }

    /** What a presigned upload hands the client: one PUT, or above 5 GiB a multipart upload. */
    public sealed interface UploadUrls permits SingleUpload, MultipartUpload {
    }

    public record SingleUpload(FileStore.Upload upload, long size) implements UploadUrls {
    }

    public record MultipartUpload(FileStore.MultipartUpload upload, long size) implements UploadUrls {
    }

    @Inject
    public FileSpaces(FtpUserRepository users, AccountRepository accounts, FileStore store, FileRemover remover,
                      ListCursor cursors, PendingUploads uploads, EventLog events, Clock clock, Config config) {
        this.users = users;
        this.accounts = accounts;
        this.store = store;
        this.remover = remover;
        this.cursors = cursors;
        this.uploads = uploads;
        this.events = events;
        this.clock = clock;
        this.downloadTtl = config.downloadUrlTtl();
        this.uploadTtl = config.uploadUrlTtl();
        this.unknownWriteSettle = config.unknownWriteSettle();
    }

    /** One page of a folder, entries in key order; {@code cursor} null for the first page. */
    public Listing list(Caller caller, String userId, String folder, String search, String cursor, int limit) {
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        String after = cursor == null ? null : cursors.open(cursor, space, folder, search);
        String folderKey = space.key(folder);
        FileStore.Page page = store.list(folderKey, search, after, limit);
        if (page.entries().isEmpty() && after == null && !folder.equals("/") && !store.anyUnder(folderKey)) {
            throw new NotFoundException("folder not found: " + folder);
        }
        List<Entry> entries = page.entries().stream()
                .map(e -> new Entry(space.path(e.key()), e.size(), e.modified())).toList();
        String next = page.continueAfter() == null ? null : cursors.issue(space, folder, search, page.continueAfter());
        return new Listing(entries, next);
    }

    /** A short-lived presigned link to the file; issuing it records {@code file.downloaded}. */
    public DownloadLink download(Caller caller, String userId, String path) {
        FtpUser user = user(caller, userId);
        String key = FileSpace.of(user).key(path);
        FileStore.ObjectInfo info = store.head(key).orElseThrow(() -> fileNotFound(path));
        Instant expires = clock.instant().plus(downloadTtl).truncatedTo(ChronoUnit.SECONDS);
        URI url = store.presignGet(key, PathPolicy.name(path), downloadTtl);
        record(user, EventType.FILE_DOWNLOADED, path, info.size());
        return new DownloadLink(url, expires);
    }

    /** Stores (or replaces) the file, within the storage quota; answers when it was recorded. */
    public Instant upload(Caller caller, String userId, String path, byte[] bytes, String contentType) {
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        long size = bytes.length;
        uploads.settleAt(user, path);
        return untilUnchanged(() -> {
            Placement placement = reserveFor(caller, space, path, size);
            FileStore.Put put;
            try {
                put = store.put(space.key(path), bytes, contentType, placement.replaced().orElse(null));
            } catch (RuntimeException refusedByS3) { // nothing stored: give the reservation back
                accounts.releaseStorage(space.accountId(), Math.max(placement.growth(), 0));
                throw refusedByS3;
            }
            if (put.outcome() == FileStore.Written.UNKNOWN) {
                settleLater(user, path, size, placement, put.mark());
                throw new UnavailableException();
            }
            if (put.outcome() == FileStore.Written.REFUSED) { // another upload changed the file first
                accounts.releaseStorage(space.accountId(), Math.max(placement.growth(), 0));
                return Optional.empty();
            }
            accounts.releaseStorage(space.accountId(), -placement.growth()); // a smaller replacement frees space
            return Optional.of(record(user, EventType.FILE_UPLOADED, path, size).createdAt());
        }, () -> new ConflictException("the file at " + path + " kept changing during the upload: try again"));
    }

    /**
     * For files too large to go through the API: a presigned PUT for exactly {@code size} bytes, or above 5 GiB a
     * multipart upload with a presigned URL per part. The size is counted at once, as if the file had landed (a
     * smaller replacement frees nothing until it has: a promise to shrink a file must not buy quota), and settled
     * to what landed after the URLs expire.
     */
    public UploadUrls uploadUrl(Caller caller, String userId, String path, long size) {
        if (size > FileStore.MAX_OBJECT_BYTES) {
            throw new InvalidInputException("size is over 5 TiB, the largest file S3 stores");
        }
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        uploads.settleAt(user, path);
        Placement placement = reserveFor(caller, space, path, size);
        try {
            String key = space.key(path);
            UploadUrls urls;
            Instant expires;
            String multipartUploadId = null;
            if (size > FileStore.MAX_SINGLE_PUT_BYTES) {
                FileStore.MultipartUpload upload = store.presignMultipart(key, size, uploadTtl); // one S3 call
                urls = new MultipartUpload(upload, size);
                expires = upload.expires();
                multipartUploadId = upload.uploadId();
            } else {
                FileStore.Upload upload = store.presignPut(key, size, uploadTtl);
                urls = new SingleUpload(upload, size);
                expires = upload.expires();
            }
            uploads.record(user, path, new PendingUploads.Pending(size, Math.max(placement.growth(), 0),
                    placement.replaced(), multipartUploadId, null), expires);
            return urls;
        } catch (RuntimeException e) { // nothing issued, or nothing to settle it by: give the reservation back
            accounts.releaseStorage(space.accountId(), Math.max(placement.growth(), 0));
            throw e;
        }
    }

    /**
     * An upload S3 did not answer may still land (a timeout says nothing of it): it is settled like an upload
     * URL, once {@code unknownWriteSettle} has passed, by what stands then. If even that cannot be recorded, the
     * reservation stays: counting bytes that may not be there errs on the customer's side, never the quota's.
     */
    private void settleLater(FtpUser user, String path, long size, Placement placement, String mark) {
        try {
            uploads.record(user, path, new PendingUploads.Pending(size, Math.max(placement.growth(), 0),
                    placement.replaced(), null, mark), clock.instant().plus(unknownWriteSettle));
        } catch (RuntimeException unrecorded) {
            // DynamoDB is failing too: the count keeps the reservation
        }
    }

    /** Deletes a file, or (path ending in /) a folder and everything under it. */
    public void delete(Caller caller, String userId, String path) {
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        uploads.settleAt(user, path);
        if (path.endsWith("/")) {
            String folderKey = space.key(path);
            if (!path.equals("/") && !store.anyUnder(folderKey)) {
                throw new NotFoundException("folder not found: " + path);
            }
            record(user, EventType.FOLDER_DELETED, path, remover.deleteAll(space, folderKey));
        } else {
            deleteFile(user, space, path);
        }
    }

    /**
     * Deletes the version measured, so its bytes are released once however many deletes race; a version
     * replaced meanwhile is measured again.
     */
    private void deleteFile(FtpUser user, FileSpace space, String path) {
        String key = space.key(path);
        untilUnchanged(() -> {
            FileStore.ObjectInfo info = store.head(key).orElseThrow(() -> fileNotFound(path));
            if (!store.delete(key, info.etag())) {
                return Optional.empty();
            }
            accounts.releaseStorage(space.accountId(), info.size());
            return Optional.of(record(user, EventType.FILE_DELETED, path, info.size()));
        }, () -> new ConflictException("the file at " + path + " kept changing during the delete: try again"));
    }

    /** An empty folder; its parents need not exist (they are implied). Answers when it was recorded. */
    public Instant mkdir(Caller caller, String userId, String folder) {
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        String folderKey = space.key(folder);
        if (folder.equals("/") || store.anyUnder(folderKey)) {
            throw folderExists(folder);
        }
        requireNoFileAt(space, folder);
        FileStore.Written marker = store.put(folderKey, new byte[0], FOLDER_CONTENT_TYPE, null).outcome();
        if (marker == FileStore.Written.REFUSED) {
            throw folderExists(folder); // created by a concurrent request
        }
        if (marker == FileStore.Written.UNKNOWN) {
            throw new UnavailableException(); // it may stand: a retry finds it there or makes it
        }
        return record(user, EventType.FOLDER_CREATED, folder, 0L).createdAt();
    }

    /**
     * Runs one measure-then-write-conditionally attempt until it lands (a value) or another writer keeps
     * changing the object under it ({@value #MAX_CONDITIONAL_ATTEMPTS} attempts).
     */
    private static <T> T untilUnchanged(Supplier<Optional<T>> attempt, Supplier<ConflictException> keptChanging) {
        for (int i = 0; i < MAX_CONDITIONAL_ATTEMPTS; i++) {
            Optional<T> landed = attempt.get();
            if (landed.isPresent()) {
                return landed.get();
            }
        }
        throw keptChanging.get();
    }

    /**
     * Where a file goes: how much it grows the storage use (negative when it replaces a larger file) and the
     * version of the file it replaces (none: a new file).
     */
    private record Placement(long growth, Optional<FileStore.ObjectInfo> replaced) {
    }

    /**
     * Checks that {@code path} can take a file of {@code size} bytes and counts the growth in the account's
     * storage use (refused if it does not fit).
     */
    private Placement reserveFor(Caller caller, FileSpace space, String path, long size) {
        if (store.anyUnder(space.key(path) + "/")) {
            throw new ConflictException("a folder exists at " + path);
        }
        requireNoFileAt(space, path.substring(0, path.lastIndexOf('/') + 1));
        Optional<FileStore.ObjectInfo> replaced = store.head(space.key(path));
        long growth = size - replaced.map(FileStore.ObjectInfo::size).orElse(0L);
        long limit = caller.plan().storageBytesLimit();
        if (growth > 0 && !accounts.reserveStorage(space.accountId(), growth, limit)) {
            throw new NotAllowedException("storage quota exceeded: " + growth + " more bytes do not fit in the plan's "
                    + limit + " bytes (see GET /account)");
        }
        return new Placement(growth, replaced);
    }

    /**
     * Refused when a file holds the name of {@code folder} or of one of its parents: a name is a file or a folder,
     * never both (one HeadObject per level).
     */
    private void requireNoFileAt(FileSpace space, String folder) {
        for (int slash = folder.indexOf('/', 1); slash > 0; slash = folder.indexOf('/', slash + 1)) {
            String asFile = folder.substring(0, slash);
            if (store.head(space.key(asFile)).isPresent()) {
                throw new ConflictException("a file exists at " + asFile);
            }
        }
    }

    private Event record(FtpUser user, EventType type, String path, long size) {
        return events.append(user.accountId(), new Event.Draft(type, user.id(), user.username(), path, size),
                EventLog.AccountChange.NONE, List.of());
    }

    /**
     * The caller's FTP user, after settling its expired upload URLs (one Query when there are none), so that
     * counts, listings and events include what landed through them. Settling is housekeeping that any request
     * may do, reads included.
     */
    private FtpUser user(Caller caller, String userId) {
        FtpUser user = users.get(caller.accountId(), userId);
        uploads.settleExpired(user);
        return user;
    }

    private static NotFoundException fileNotFound(String path) {
        return new NotFoundException("file not found: " + path);
    }

    private static ConflictException folderExists(String folder) {
        return new ConflictException("folder already exists: " + folder);
    }
}
