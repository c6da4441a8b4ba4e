package com.trueftp.filesapi;

import com.trueftp.account.AccountRepository;
import com.trueftp.config.Config;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.files.FileSpace;
import com.trueftp.files.FileStore;
import com.trueftp.files.ListCursor;
import com.trueftp.files.PathPolicy;
import com.trueftp.files.PendingUploads;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.http.ApiException;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.MultipartForm;
import com.trueftp.http.Pagination;
import com.trueftp.json.Json;

import javax.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The /ftp-users/{id}/files endpoints over one FTP user's space in the files bucket. Every change is counted
 * in the account's storage use and recorded in its event stream; a user of another account answers 404.
 */
public class FilesEndpoint {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** The largest file accepted through the API: base64 in a Lambda request of 6 MB leaves room for this. */
    public static final int MAX_API_UPLOAD_BYTES = 4 * 1024 * 1024;
    /** The whole multipart body: the file and its part headers. */
    static final int MAX_UPLOAD_BODY_BYTES = MAX_API_UPLOAD_BYTES + 64 * 1024;
    static final String FOLDER_CONTENT_TYPE = "application/x-directory";
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
            + "/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    /** Uploads and deletes racing on one path each measure, then write conditionally; a loser tries again. */
    static final int MAX_CONDITIONAL_ATTEMPTS = 3;

    private final FtpUserRepository users;
    private final AccountRepository accounts;
    private final FileStore store;
    private final ListCursor cursors;
    private final PendingUploads uploads;
    private final EventLog events;
    private final Clock clock;
    private final Duration downloadTtl;
    private final Duration uploadTtl;

    @Inject
    public FilesEndpoint(FtpUserRepository users, AccountRepository accounts, FileStore store, ListCursor cursors,
                         PendingUploads uploads, EventLog events, Clock clock, Config config) {
        this.users = users;
        this.accounts = accounts;
        this.store = store;
        this.cursors = cursors;
        this.uploads = uploads;
        this.events = events;
        this.clock = clock;
        this.downloadTtl = config.downloadUrlTtl();
        this.uploadTtl = config.uploadUrlTtl();
    }

    /** GET ?path=&search=&cursor=&limit=: one page of a folder, entries in key order. */
    public ApiResponse list(ApiRequest request) {
        String folder = PathPolicy.folder(request.query("path").orElse(null), "path");
        String search = request.query("search").orElse("");
        checkSearch(search);
        int limit = Pagination.limit(request, DEFAULT_LIMIT, MAX_LIMIT);
        FtpUser user = user(request);
        FileSpace space = space(user);
        String after = request.query("cursor").map(c -> cursors.open(c, space, folder, search)).orElse(null);
        String folderKey = space.key(folder);
        FileStore.Page page = store.list(folderKey, search, after, limit);
        if (page.entries().isEmpty() && after == null && !folder.equals("/") && !store.anyUnder(folderKey)) {
            throw ApiException.notFound("folder not found: " + folder);
        }
        List<Map<String, Object>> data = page.entries().stream().map(e -> entry(space, e)).toList();
        String next = page.continueAfter() == null ? null : cursors.issue(space, folder, search, page.continueAfter());
        return ApiResponse.ok(Json.object("data", data, "limit", limit, "next_cursor", next));
    }

    /** GET download?path=&redirect=: a short-lived presigned link to the bytes; 302 to it unless redirect=false. */
    public ApiResponse download(ApiRequest request) {
        String path = PathPolicy.file(request.query("path").orElse(null), "path");
        boolean redirect = bool(request, "redirect", true);
        FtpUser user = user(request);
        FileSpace space = space(user);
        String key = space.key(path);
        FileStore.ObjectInfo info = store.head(key).orElseThrow(() -> fileNotFound(path));
        Instant expires = clock.instant().plus(downloadTtl).truncatedTo(ChronoUnit.SECONDS);
        URI url = store.presignGet(key, PathPolicy.name(path), downloadTtl);
        record(user, EventType.FILE_DOWNLOADED, path, info.size());
        if (redirect) {
            return new ApiResponse(302, null, Map.of("Location", url.toString()));
        }
        return ApiResponse.ok(Json.object("url", url.toString(), "expires_at", Json.timestamp(expires)));
    }

    /** POST ?path= with a multipart field "file": stores (or replaces) the file, within the storage quota. */
    public ApiResponse upload(ApiRequest request) {
        String path = PathPolicy.file(request.query("path").orElse(null), "path");
        if (request.body().length > MAX_UPLOAD_BODY_BYTES) {
            throw tooLarge();
        }
        MultipartForm.Part file = MultipartForm.parse(request.body(), request.header("Content-Type").orElse(null))
                .part("file").orElseThrow(() -> ApiException.badRequest("multipart field file is required"));
        if (file.bytes().length > MAX_API_UPLOAD_BYTES) {
            throw tooLarge();
        }
        FtpUser user = user(request);
        FileSpace space = space(user);
        String key = space.key(path);
        long size = file.bytes().length;
        uploads.settleAt(user, path);
        for (int attempt = 1; ; attempt++) {
            Placement placement = reserveFor(request, space, path, size);
            boolean stored = false;
            try {
                stored = store.put(key, file.bytes(), contentType(file.contentType()), placement.replacedEtag());
            } finally {
                if (!stored) { // failed, or another upload changed the file first: give the reservation back
                    accounts.releaseStorage(space.accountId(), Math.max(placement.growth(), 0));
                }
            }
            if (stored) {
                accounts.releaseStorage(space.accountId(), -placement.growth()); // a smaller replacement frees space
                Event event = record(user, EventType.FILE_UPLOADED, path, size);
                return ApiResponse.created(Json.object("name", PathPolicy.name(path), "path", path, "type", "file",
                        "size", size, "modified_at", Json.timestamp(event.createdAt())));
            }
            if (attempt == MAX_CONDITIONAL_ATTEMPTS) {
                throw ApiException.conflict("the file at " + path + " kept changing during the upload: try again");
            }
        }
    }

    /**
     * POST upload-url?path=&size=: for files too large to go through the API, a presigned PUT for exactly
     * {@code size} bytes, or above 5 GiB a multipart upload with a presigned URL per part and one to complete
     * it. The size is counted at once (the upload itself bypasses the API) and settled after the URL expires.
     */
    public ApiResponse uploadUrl(ApiRequest request) {
        String path = PathPolicy.file(request.query("path").orElse(null), "path");
        long size = size(request);
        FtpUser user = user(request);
        FileSpace space = space(user);
        // Counted now, as if the file had landed; a smaller replacement frees nothing until it has (a promise to
        // shrink a file must not buy quota). PendingUploads settles it to what landed.
        uploads.settleAt(user, path);
        Placement placement = reserveFor(request, space, path, size);
        try {
            Presigned presigned = presign(space.key(path), size);
            uploads.record(user, path, Math.max(placement.growth(), 0), placement.replaced(), presigned.expires());
            return ApiResponse.created(presigned.answer());
        } catch (RuntimeException e) { // nothing issued, or nothing to settle it by: give the reservation back
            accounts.releaseStorage(space.accountId(), Math.max(placement.growth(), 0));
            throw e;
        }
    }

    /** What upload-url answers, and when its URLs expire. */
    private record Presigned(Map<String, Object> answer, Instant expires) {
    }

    private Presigned presign(String key, long size) {
        if (size > FileStore.MAX_SINGLE_PUT_BYTES) {
            FileStore.MultipartUpload upload = store.presignMultipart(key, size, uploadTtl); // one S3 call
            List<Map<String, Object>> parts = upload.parts().stream().map(part -> Json.object(
                    "part_number", part.number(), "size", part.size(), "url", part.url().toString())).toList();
            return new Presigned(Json.object("method", "multipart", "upload_id", upload.uploadId(),
                    "part_size", upload.partSize(), "parts", parts,
                    "complete", Json.object("method", "POST", "url", upload.complete().toString()),
                    "abort", Json.object("method", "DELETE", "url", upload.abort().toString()),
                    "size", size, "expires_at", Json.timestamp(upload.expires())), upload.expires());
        }
        FileStore.Upload upload = store.presignPut(key, size, uploadTtl);
        Map<String, String> headers = new TreeMap<>();
        upload.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return new Presigned(Json.object("method", "PUT", "url", upload.url().toString(), "headers", headers,
                "size", size, "expires_at", Json.timestamp(upload.expires())), upload.expires());
    }

    /** DELETE ?path=: a file, or (path ending in /) a folder and everything under it. */
    public ApiResponse delete(ApiRequest request) {
        String raw = request.query("path").orElse(null);
        PathPolicy.require(raw, "path");
        FtpUser user = user(request);
        FileSpace space = space(user);
        uploads.settleAt(user, raw);
        if (raw.endsWith("/")) {
            String folderKey = space.key(raw);
            if (!raw.equals("/") && !store.anyUnder(folderKey)) {
                throw ApiException.notFound("folder not found: " + raw);
            }
            long freed = store.deleteAll(folderKey, bytes -> accounts.releaseStorage(space.accountId(), bytes));
            record(user, EventType.FOLDER_DELETED, raw, freed);
        } else {
            deleteFile(user, space, raw);
        }
        return ApiResponse.noContent();
    }

    /**
     * Deletes the version measured, so its bytes are released once however many deletes race; a version
     * replaced meanwhile is measured again.
     */
    private void deleteFile(FtpUser user, FileSpace space, String path) {
        String key = space.key(path);
        for (int attempt = 1; ; attempt++) {
            FileStore.ObjectInfo info = store.head(key).orElseThrow(() -> fileNotFound(path));
            if (store.delete(key, info.etag())) {
                accounts.releaseStorage(space.accountId(), info.size());
                record(user, EventType.FILE_DELETED, path, info.size());
                return;
            }
            if (attempt == MAX_CONDITIONAL_ATTEMPTS) {
                throw ApiException.conflict("the file at " + path + " kept changing during the delete: try again");
            }
        }
    }

    /** POST mkdir?path=: an empty folder; its parents need not exist (they are implied). */
    public ApiResponse mkdir(ApiRequest request) {
        String folder = PathPolicy.folder(request.query("path").orElse(null), "path");
        FtpUser user = user(request);
        FileSpace space = space(user);
        String folderKey = space.key(folder);
        if (folder.equals("/") || store.anyUnder(folderKey)) {
            throw ApiException.conflict("folder already exists: " + folder);
        }
        requireNoFileAt(space, folder);
        if (!store.put(folderKey, new byte[0], FOLDER_CONTENT_TYPE, null)) {
            throw ApiException.conflict("folder already exists: " + folder); // created by a concurrent request
        }
        Event event = record(user, EventType.FOLDER_CREATED, folder, 0L);
        return ApiResponse.created(Json.object("name", PathPolicy.name(folder), "path", folder, "type", "folder",
                "size", 0, "modified_at", Json.timestamp(event.createdAt())));
    }

    /**
     * Where a file goes: how much it grows the storage use (negative when it replaces a larger file) and the
     * version of the file it replaces (null: none).
     */
    private record Placement(long growth, Optional<FileStore.ObjectInfo> replaced) {
        String replacedEtag() {
            return replaced.map(FileStore.ObjectInfo::etag).orElse(null);
        }
    }

    /**
     * Checks that {@code path} can take a file of {@code size} bytes and counts the growth in the account's
     * storage use (403 if it does not fit).
     */
    private Placement reserveFor(ApiRequest request, FileSpace space, String path, long size) {
        if (store.anyUnder(space.key(path) + "/")) {
            throw ApiException.conflict("a folder exists at " + path);
        }
        requireNoFileAt(space, path.substring(0, path.lastIndexOf('/') + 1));
        Optional<FileStore.ObjectInfo> replaced = store.head(space.key(path));
        long growth = size - replaced.map(FileStore.ObjectInfo::size).orElse(0L);
        long limit = request.caller().plan().storageBytesLimit();
        if (growth > 0 && !accounts.reserveStorage(space.accountId(), growth, limit)) {
            throw ApiException.forbidden("storage quota exceeded: " + growth + " more bytes do not fit in the plan's "
                    + limit + " bytes (see GET /account)");
        }
        return new Placement(growth, replaced);
    }

    /**
     * 409 when a file holds the name of {@code folder} or of one of its parents: a name is a file or a folder,
     * never both (one HeadObject per level).
     */
    private void requireNoFileAt(FileSpace space, String folder) {
        for (int slash = folder.indexOf('/', 1); slash > 0; slash = folder.indexOf('/', slash + 1)) {
            String asFile = folder.substring(0, slash);
            if (store.head(space.key(asFile)).isPresent()) {
                throw ApiException.conflict("a file exists at " + asFile);
            }
        }
    }

    private Event record(FtpUser user, EventType type, String path, long size) {
        return events.append(user.accountId(), new Event.Draft(type, user.id(), user.username(), path, size),
                EventLog.AccountChange.NONE, List.of());
    }

    private Map<String, Object> entry(FileSpace space, FileStore.Entry entry) {
        String path = space.path(entry.key());
        return Json.object("name", PathPolicy.name(path), "path", path, "type", entry.isFolder() ? "folder" : "file",
                "size", entry.size(), "modified_at", entry.modified() == null ? null : Json.timestamp(entry.modified()));
    }

    /**
     * The caller's FTP user named in the path, after settling its expired upload URLs (one Query when there
     * are none), so that counts, listings and events include what landed through them. Settling is
     * housekeeping that any request may do, reads included.
     */
    private FtpUser user(ApiRequest request) {
        String id = request.pathParameter("id");
        if (!FtpUserRepository.isWellFormedId(id)) {
            throw userNotFound();
        }
        FtpUser user = users.find(request.caller().accountId(), id).orElseThrow(FilesEndpoint::userNotFound);
        uploads.settleExpired(user);
        return user;
    }

    private static FileSpace space(FtpUser user) {
        return new FileSpace(user.accountId(), user.id());
    }

    private static void checkSearch(String search) {
        if (search.getBytes(StandardCharsets.UTF_8).length > PathPolicy.MAX_BYTES) {
            throw ApiException.badRequest("search is longer than " + PathPolicy.MAX_BYTES + " bytes");
        }
        if (search.contains("/")) {
            throw ApiException.badRequest("search is a prefix of names in the folder: it cannot contain /");
        }
        PathPolicy.checkCharacters(search, "search");
    }

    private static long size(ApiRequest request) {
        String value = request.query("size").orElseThrow(() -> ApiException.badRequest(
                "size is required: the exact number of bytes you will upload"));
        long size;
        try {
            size = value.matches("\\d{1,19}") ? Long.parseLong(value) : -1;
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw ApiException.badRequest("size must be a whole number of bytes, got " + value);
        }
        if (size > FileStore.MAX_OBJECT_BYTES) {
            throw ApiException.badRequest("size is over 5 TiB, the largest file S3 stores");
        }
        return size;
    }

    private static boolean bool(ApiRequest request, String name, boolean otherwise) {
        return request.query(name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest(name + " must be true or false, got " + v);
        }).orElse(otherwise);
    }

    /** The part's type/subtype as S3 will store and serve it; anything else becomes application/octet-stream. */
    private static String contentType(String sent) {
        if (sent == null) {
            return "application/octet-stream";
        }
        String type = sent.split(";", 2)[0].trim();
        return MEDIA_TYPE.matcher(type).matches() ? type : "application/octet-stream";
    }

    private static ApiException tooLarge() {
        return ApiException.payloadTooLarge("file too large to upload through the API (at most " + MAX_API_UPLOAD_BYTES
                + " bytes): ask POST /ftp-users/{id}/files/upload-url?path=&size= for a presigned upload URL");
    }

    private static ApiException fileNotFound(String path) {
        return ApiException.notFound("file not found: " + path);
    }

    private static ApiException userNotFound() {
        return ApiException.notFound("ftp user not found");
    }
}
