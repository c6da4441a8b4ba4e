package com.trueftp.functions.files;

import com.trueftp.core.Json;
import com.trueftp.files.FileSpaces;
import com.trueftp.files.FileStore;
import com.trueftp.files.PathPolicy;
import com.trueftp.http.ApiException;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.MultipartForm;
import com.trueftp.http.Pagination;
import com.trueftp.http.Routes;

import javax.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The /ftp-users/{id}/files endpoints: each parses its request, calls {@link FileSpaces} and renders the answer. */
public class FilesEndpoint {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
            + "/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private final FileSpaces files;

    @Inject
    public FilesEndpoint(FileSpaces files) {
        this.files = files;
    }

    /** GET ?path=&search=&cursor=&limit=: one page of a folder, entries in key order. */
    public ApiResponse list(ApiRequest request) {
        String folder = PathPolicy.folder(request.query("path").orElse(null), "path");
        String search = PathPolicy.search(request.query("search").orElse(""));
        int limit = Pagination.limit(request, DEFAULT_LIMIT, MAX_LIMIT);
        FileSpaces.Listing listing = files.list(request.caller(), request.pathParameter("id"), folder, search,
                request.query("cursor").orElse(null), limit);
        List<Map<String, Object>> data = listing.entries().stream().map(FilesEndpoint::entry).toList();
        return ApiResponse.ok(Json.object("data", data, "limit", limit, "next_cursor", listing.nextCursor()));
    }

    /** GET download?path=&redirect=: a short-lived presigned link to the bytes; 302 to it unless redirect=false. */
    public ApiResponse download(ApiRequest request) {
        String path = PathPolicy.file(request.query("path").orElse(null), "path");
        boolean redirect = bool(request, "redirect", true);
        FileSpaces.DownloadLink link = files.download(request.caller(), request.pathParameter("id"), path);
        if (redirect) {
            return new ApiResponse(302, null, Map.of("Location", link.url().toString()));
        }
        return ApiResponse.ok(Json.object("url", link.url().toString(), "expires_at", Json.timestamp(link.expires())));
    }

    /** POST ?path= with a multipart field "file": stores (or replaces) the file, within the storage quota. */
    public ApiResponse upload(ApiRequest request) {
        String path = PathPolicy.file(request.query("path").orElse(null), "path");
        MultipartForm.Part file = MultipartForm.parse(request.body(), request.header("Content-Type").orElse(null))
                .part("file").orElseThrow(() -> ApiException.badRequest("multipart field file is required"));
        if (file.bytes().length > Routes.MAX_UPLOAD_FILE_BYTES) {
            throw ApiException.payloadTooLarge(Routes.UPLOAD_TOO_LARGE);
        }
        Instant stored = files.upload(request.caller(), request.pathParameter("id"), path, file.bytes(),
                contentType(file.contentType()));
        return ApiResponse.created(node(path, "file", file.bytes().length, stored));
    }

    /**
     * POST upload-url?path=&size=: for files too large to go through the API, a presigned PUT for exactly
     * {@code size} bytes, or above 5 GiB a multipart upload with a presigned URL per part and one to complete it.
     */
    public ApiResponse uploadUrl(ApiRequest request) {
        String path = PathPolicy.file(request.query("path").orElse(null), "path");
        long size = size(request);
        FileSpaces.UploadUrls urls = files.uploadUrl(request.caller(), request.pathParameter("id"), path, size);
        if (urls instanceof FileSpaces.MultipartUpload multipart) {
            FileStore.MultipartUpload upload = multipart.upload();
            List<Map<String, Object>> parts = upload.parts().stream().map(part -> Json.object(
                    "part_number", part.number(), "size", part.size(), "url", part.url().toString())).toList();
            return ApiResponse.created(Json.object("method", "multipart", "upload_id", upload.uploadId(),
                    "part_size", upload.partSize(), "parts", parts,
                    "complete", Json.object("method", "POST", "url", upload.complete().toString()),
                    "abort", Json.object("method", "DELETE", "url", upload.abort().toString()),
                    "size", size, "expires_at", Json.timestamp(upload.expires())));
        }
        FileStore.Upload upload = ((FileSpaces.SingleUpload) urls).upload();
        Map<String, String> headers = new TreeMap<>();
        upload.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return ApiResponse.created(Json.object("method", "PUT", "url", upload.url().toString(), "headers", headers,
                "size", size, "expires_at", Json.timestamp(upload.expires())));
    }

    /** DELETE ?path=: a file, or (path ending in /) a folder and everything under it. */
    public ApiResponse delete(ApiRequest request) {
        String path = PathPolicy.require(request.query("path").orElse(null), "path");
        files.delete(request.caller(), request.pathParameter("id"), path);
        return ApiResponse.noContent();
    }

    /** POST mkdir?path=: an empty folder; its parents need not exist (they are implied). */
    public ApiResponse mkdir(ApiRequest request) {
        String folder = PathPolicy.folder(request.query("path").orElse(null), "path");
        Instant created = files.mkdir(request.caller(), request.pathParameter("id"), folder);
        return ApiResponse.created(node(folder, "folder", 0, created));
    }

    private static Map<String, Object> entry(FileSpaces.Entry entry) {
        return node(entry.path(), entry.isFolder() ? "folder" : "file", entry.size(), entry.modified());
    }

    /** A file or folder as every files endpoint shows it. */
    private static Map<String, Object> node(String path, String type, long size, Instant modified) {
        return Json.object("name", PathPolicy.name(path), "path", path, "type", type, "size", size,
                "modified_at", Json.timestamp(modified));
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
}
