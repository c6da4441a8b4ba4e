package com.trueftp.files;

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
 * URL), deletes and folders, in the user's space of the files bucket. Its own changes are recorded at once
 * ({@link FileActivity#recordOwn}: the event and the storage count); what lands through upload URLs is recorded
 * from S3's notifications. Uploads must fit the plan's quota. A user of another account is not found.
 */
public class FileSpaces {
    static final String FOLDER_CONTENT_TYPE = "application/x-directory";
    /** Uploads and deletes racing on one path each measure, then write conditionally; a loser tries again. */
    static final int MAX_CONDITIONAL_ATTEMPTS = 3;

    /** How long the API's own upload holds its room in the quota: longer than any request runs. */
    static final Duration OWN_UPLOAD_HOLD = Duration.ofMinutes(1);

    private final FtpUserRepository users;
    private final FileStore store;
    private final FileRemover remover;
    private final ListCursor cursors;
    private final FileRecords records;
    private final FileActivity activity;
    private final StorageReservations reservations;
    private final EventLog events;
    private final Clock clock;
    private final Duration downloadTtl;
    private final Duration uploadTtl;

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
    public FileSpaces(FtpUserRepository users, FileStore store, FileRemover remover, ListCursor cursors,
                      FileRecords records, FileActivity activity, StorageReservations reservations, EventLog events,
                      Clock clock, Config config) {
        this.users = users;
        this.store = store;
        this.remover = remover;
        this.cursors = cursors;
        this.records = records;
        this.activity = activity;
        this.reservations = reservations;
        this.events = events;
        this.clock = clock;
        this.downloadTtl = config.downloadUrlTtl();
        this.uploadTtl = config.uploadUrlTtl();
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
        events.append(user.accountId(), new Event.Draft(EventType.FILE_DOWNLOADED, user.id(), user.username(), path,
                info.size()), EventLog.AccountChange.NONE, List.of());
        return new DownloadLink(url, expires);
    }

    /** Stores (or replaces) the file, within the storage quota; answers when it was recorded. */
    public Instant upload(Caller caller, String userId, String path, byte[] bytes, String contentType) {
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        String key = space.key(path);
        long size = bytes.length;
        return untilUnchanged(() -> {
            Placement placement = reserveFor(caller, space, path, size, clock.instant().plus(OWN_UPLOAD_HOLD));
            FileStore.Put put;
            try {
                put = store.put(key, bytes, contentType, placement.replaced().orElse(null));
            } catch (RuntimeException refusedByS3) { // nothing stored: give the room back
                reservations.releaseQuietly(placement.reservation());
                throw refusedByS3;
            }
            if (put.outcome() == FileStore.Written.UNKNOWN) {
                // It may have landed: then S3's notification records it. Its room lapses with the hold.
                throw new UnavailableException();
            }
            if (put.outcome() == FileStore.Written.REFUSED) { // another upload changed the file first
                reservations.releaseQuietly(placement.reservation());
                return Optional.empty();
            }
            FileStore.ObjectInfo stored = new FileStore.ObjectInfo(size, null, put.etag(), put.mark(), null);
            return Optional.of(recordOwn(user, new FileActivity.OwnChange(EventType.FILE_UPLOADED, path, key,
                    put.versionId(), placement.before(), stored, size, placement.reservation())));
        }, () -> new ConflictException("the file at " + path + " kept changing during the upload: try again"));
    }

    /**
     * For files too large to go through the API: a presigned PUT for exactly {@code size} bytes, or above 5 GiB a
     * multipart upload with a presigned URL per part. Its room in the quota is held until the URLs expire (a
     * smaller replacement holds nothing: a promise to shrink a file must not buy quota); what lands is recorded
     * and counted from S3's notification, like any other change.
     */
    public UploadUrls uploadUrl(Caller caller, String userId, String path, long size) {
        if (size > FileStore.MAX_OBJECT_BYTES) {
            throw new InvalidInputException("size is over 5 TiB, the largest file S3 stores");
        }
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        Placement placement = reserveFor(caller, space, path, size, clock.instant().plus(uploadTtl));
        try {
            String key = space.key(path);
            if (size > FileStore.MAX_SINGLE_PUT_BYTES) {
                return new MultipartUpload(store.presignMultipart(key, size, uploadTtl), size); // one S3 call
            }
            return new SingleUpload(store.presignPut(key, size, uploadTtl), size);
        } catch (RuntimeException e) { // nothing issued: give the room back
            reservations.releaseQuietly(placement.reservation());
            throw e;
        }
    }

    /** Deletes a file, or (path ending in /) a folder and everything under it. */
    public void delete(Caller caller, String userId, String path) {
        FtpUser user = user(caller, userId);
        FileSpace space = FileSpace.of(user);
        if (path.endsWith("/")) {
            String folderKey = space.key(path);
            if (!path.equals("/") && !store.anyUnder(folderKey)) {
                throw new NotFoundException("folder not found: " + path);
            }
            long removed = remover.deleteAll(space, folderKey);
            events.append(user.accountId(), new Event.Draft(EventType.FOLDER_DELETED, user.id(), user.username(), path,
                    removed), EventLog.AccountChange.NONE, List.of());
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
            FileRecords.Standing before = records.read(space.accountId(), key);
            FileStore.ObjectInfo info = store.head(key).orElseThrow(() -> fileNotFound(path));
            Optional<String> version = store.delete(key, info.etag());
            if (version.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(recordOwn(user, new FileActivity.OwnChange(EventType.FILE_DELETED, path, key,
                    version.get(), before, null, info.size(), StorageReservations.Reservation.NONE)));
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
        FileRecords.Standing before = records.read(space.accountId(), folderKey);
        FileStore.Put marker = store.put(folderKey, new byte[0], FOLDER_CONTENT_TYPE, null);
        if (marker.outcome() == FileStore.Written.REFUSED) {
            throw folderExists(folder); // created by a concurrent request
        }
        if (marker.outcome() == FileStore.Written.UNKNOWN) {
            throw new UnavailableException(); // it may stand: a retry finds it there or makes it
        }
        FileStore.ObjectInfo stored = new FileStore.ObjectInfo(0, null, marker.etag(), marker.mark(), null);
        return recordOwn(user, new FileActivity.OwnChange(EventType.FOLDER_CREATED, folder, folderKey,
                marker.versionId(), before, stored, 0L, StorageReservations.Reservation.NONE));
    }

    /** Records the API's change; when S3's notification was recorded first, its event stands (time: now). */
    private Instant recordOwn(FtpUser user, FileActivity.OwnChange change) {
        return activity.recordOwn(user, change).map(Event::createdAt).orElseGet(clock::instant);
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
     * Where a file goes: how much it grows the storage use (negative when it replaces a larger file), the version
     * of the file it replaces (none: a new file), the key's record before the write and the room held for it.
     */
    private record Placement(long growth, Optional<FileStore.ObjectInfo> replaced, FileRecords.Standing before,
                             StorageReservations.Reservation reservation) {
    }

    /**
     * Checks that {@code path} can take a file of {@code size} bytes and holds the growth in the storage quota
     * until {@code holdUntil} (refused if it does not fit).
     */
    private Placement reserveFor(Caller caller, FileSpace space, String path, long size, Instant holdUntil) {
        if (store.anyUnder(space.key(path) + "/")) {
            throw new ConflictException("a folder exists at " + path);
        }
        requireNoFileAt(space, path.substring(0, path.lastIndexOf('/') + 1));
        String key = space.key(path);
        FileRecords.Standing before = records.read(space.accountId(), key);
        Optional<FileStore.ObjectInfo> replaced = store.head(key);
        long growth = size - replaced.map(FileStore.ObjectInfo::size).orElse(0L);
        long limit = caller.plan().storageBytesLimit();
        try {
            return new Placement(growth, replaced, before,
                    reservations.reserve(space.accountId(), key, growth, limit, holdUntil));
        } catch (StorageReservations.NoRoom full) {
            throw new NotAllowedException("storage quota exceeded: " + growth + " more bytes do not fit in the plan's "
                    + limit + " bytes (see GET /account)");
        }
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

    private FtpUser user(Caller caller, String userId) {
        return users.get(caller.accountId(), userId);
    }

    private static NotFoundException fileNotFound(String path) {
        return new NotFoundException("file not found: " + path);
    }

    private static ConflictException folderExists(String folder) {
        return new ConflictException("folder already exists: " + folder);
    }
}
