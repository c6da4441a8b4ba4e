package com.trueftp.files;

import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import javax.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The files bucket, by key: what the files endpoints and the FTP-user purge need of S3, one call each. */
public class FileStore {
    /** DeleteObjects takes at most this many keys per call. */
    static final int DELETE_BATCH = 1000;
    /** Errors of a conditional deletion whose object another request replaced or deleted first. */
    private static final Set<String> CHANGED_MEANWHILE = Set.of("PreconditionFailed", "ConditionalRequestConflict",
            "NoSuchKey");
    /** User metadata naming the API call that wrote an object ({@code x-amz-meta-trueftp-write}). */
    static final String WRITE_MARK = "trueftp-write";
    /** User metadata naming the write whose version that call replaced ({@code none} for a new key). */
    static final String REPLACED_MARK = "trueftp-replaced";
    /** The largest object one PUT may create; larger ones go in parts. */
    public static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;
    /** S3's largest object. */
    public static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024 * 1024;
    /** 5 TiB in 1,024 parts is exactly S3's largest part (5 GiB), and the answer stays well inside 6 MB. */
    static final int MAX_PRESIGNED_PARTS = 1024;
    static final long MIN_PRESIGNED_PART_BYTES = 64L * 1024 * 1024;

    static final int HEADS_AT_ONCE = 8;
    private static final ExecutorService HEADS = Executors.newFixedThreadPool(HEADS_AT_ONCE, task -> {
        Thread thread = new Thread(task, "s3-head");
        thread.setDaemon(true);
        return thread;
    });

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    /** A batch of 1,000 deletions takes longer than a call on one object: it gets a bound of its own. */
    private final Duration batchTimeout;

    /**
     * An object's size, time and version (its ETag); for one the API wrote, the mark of the write that stored it
     * and the mark of the version that write replaced (both null otherwise).
     */
    public record ObjectInfo(long size, Instant modified, String etag, String mark, String replacedMark) {
    }

    /** What became of a conditional write. */
    public enum Written {
        /** Stored: this call's bytes are the object now. */
        STORED,
        /** Not stored: the key did not hold what the caller saw (another writer changed it first). */
        REFUSED,
        /** S3 did not say (no answer, or a retry met another writer's object): the write may have landed. */
        UNKNOWN
    }

    /**
     * A write's outcome, its mark (which tells its object apart from any other) and, once stored, the version S3
     * gave it.
     */
    public record Put(Written outcome, String mark, String versionId, String etag) {
        Put(Written outcome, String mark) {
            this(outcome, mark, null, null);
        }
    }

    /**
     * One entry of a folder listing: a file (its key, size, time) or a sub-folder (its key ends with a slash,
     * size 0, no time).
     */
    public record Entry(String key, long size, Instant modified) {
        public boolean isFolder() {
            return key.endsWith("/");
        }
    }

    /** A page of a folder, in key order, and the name to continue after (null on the last page). */
    public record Page(List<Entry> entries, String continueAfter) {
    }

    /** A presigned upload: the URL, the headers the client must send with it and when it expires. */
    public record Upload(URI url, Map<String, List<String>> headers, Instant expires) {
    }

    @Inject
    public FileStore(S3Client s3, S3Presigner presigner, Config config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = config.require(Config.FILES_BUCKET);
        this.batchTimeout = config.s3BatchTimeout();
    }

    /**
     * What S3 holds now under each key, asked {@link #HEADS_AT_ONCE} at a time: a batch of notifications names
     * dozens of keys, and one HEAD after another would make their round trips the batch's cost.
     */
    public Map<String, Optional<ObjectInfo>> headAll(Collection<String> keys) {
        Map<String, Future<Optional<ObjectInfo>>> asked = new LinkedHashMap<>();
        keys.forEach(key -> asked.put(key, HEADS.submit(() -> head(key))));
        Map<String, Optional<ObjectInfo>> found = new HashMap<>();
        try {
            for (Map.Entry<String, Future<Optional<ObjectInfo>>> entry : asked.entrySet()) {
                found.put(entry.getKey(), entry.getValue().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while asking S3", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw SdkClientException.create("HeadObject failed", e.getCause());
        } finally {
            asked.values().forEach(future -> future.cancel(true));
        }
        return found;
    }

    public Optional<ObjectInfo> head(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new ObjectInfo(head.contentLength(), head.lastModified(), head.eTag(),
                    head.metadata().get(WRITE_MARK), head.metadata().get(REPLACED_MARK)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether any object has a key starting with {@code prefix} (a folder exists if one does). */
    public boolean anyUnder(String prefix) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() > 0;
    }

    /**
     * One page of the entries directly under {@code folderKey} whose names start with {@code search}, after
     * the entry named {@code after} (null: from the start), in key order: one S3 call.
     *
     * <p>The position is the last name a page returned, not S3's continuation token: S3 counts sub-folders and
     * files together towards {@code MaxKeys}, emulators differ, and cutting the merged page at {@code limit}
     * and starting the next one after its last name is right for both. After a folder, the next page starts
     * past everything inside it.
     */
    public Page list(String folderKey, String search, String after, int limit) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket)
                .prefix(folderKey + search).delimiter("/").maxKeys(limit);
        if (after != null) {
            request.startAfter(folderKey + (after.endsWith("/") ? after + PathPolicy.PAST_FOLDER : after));
        } else if (search.isEmpty()) {
            request.startAfter(folderKey); // the marker is the first key of its folder: start after it
        }
        ListObjectsV2Response response = s3.listObjectsV2(request.build());
        List<Entry> entries = new ArrayList<>();
        for (CommonPrefix folder : response.commonPrefixes()) {
            entries.add(new Entry(folder.prefix(), 0, null));
        }
        for (S3Object object : response.contents()) {
            if (!object.key().equals(folderKey)) {
                entries.add(new Entry(object.key(), object.size(), object.lastModified()));
            }
        }
        // In S3's order (UTF-8 bytes), without the repeats some emulators send.
        List<Entry> sorted = entries.stream().distinct().sorted((a, b) -> Arrays.compareUnsigned(
                a.key().getBytes(StandardCharsets.UTF_8), b.key().getBytes(StandardCharsets.UTF_8))).toList();
        boolean more = sorted.size() > limit || Boolean.TRUE.equals(response.isTruncated());
        List<Entry> page = sorted.subList(0, Math.min(limit, sorted.size()));
        String next = more && !page.isEmpty() ? page.get(page.size() - 1).key().substring(folderKey.length()) : null;
        return new Page(page, next);
    }

    /**
     * Stores the object only if the key still holds what the caller saw: nothing ({@code replacing} null) or
     * that version. A caller that counts bytes per key can then trust its count. The object carries this
     * call's mark and the mark of the version it replaced, so that a write whose outcome S3 did not tell can
     * be settled later by what stands.
     *
     * @throws S3Exception when S3 refuses the request itself (nothing is stored); other failures are UNKNOWN
     */
    public Put put(String key, byte[] bytes, String contentType, ObjectInfo replacing) {
        String mark = RandomIds.newId("put");
        Map<String, String> metadata = Map.of(WRITE_MARK, mark, REPLACED_MARK,
                replacing == null ? "none" : Objects.requireNonNullElse(replacing.mark(), "unmarked"));
        try {
            var stored = s3.putObject(b -> {
                b.bucket(bucket).key(key).contentType(contentType).metadata(metadata);
                if (replacing == null) {
                    b.ifNoneMatch("*");
                } else {
                    b.ifMatch(replacing.etag());
                }
            }, RequestBody.fromBytes(bytes));
            return new Put(Written.STORED, mark, version(stored.versionId()), stored.eTag());
        } catch (S3Exception e) {
            // 412: the condition was false; 409: a concurrent conditional write to the same key won; 404: the
            // version to replace was deleted meanwhile. Unless the object bears this call's mark: the SDK retried
            // an attempt of ours that had landed, and the retry met our own write. Equal bytes prove nothing.
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return new Put(afterLostCondition(key, mark, e), mark);
            }
            if (e.statusCode() >= 500) {
                return new Put(Written.UNKNOWN, mark);
            }
            throw e;
        } catch (SdkClientException noAnswer) {
            return new Put(Written.UNKNOWN, mark);
        }
    }

    /**
     * After one attempt, a lost condition is certain; after several, an earlier attempt may have landed and
     * been replaced before the last one met another writer's object.
     */
    private Written afterLostCondition(String key, String mark, S3Exception lost) {
        try {
            if (mark.equals(head(key).map(ObjectInfo::mark).orElse(null))) {
                return Written.UNKNOWN; // ours, but its version is not known: its notification records it
            }
        } catch (SdkException unreachable) {
            return Written.UNKNOWN;
        }
        Integer attempts = lost.numAttempts();
        return attempts != null && attempts == 1 ? Written.REFUSED : Written.UNKNOWN;
    }

    /**
     * Deletes the object only if it is still the version {@code etag}: a caller that counts what it deleted
     * then never counts the same bytes twice.
     *
     * @return the version of the deletion (the delete marker's), or empty, with nothing deleted, when the object
     *         changed or went meanwhile
     */
    public Optional<String> delete(String key, String etag) {
        try {
            return Optional.of(version(s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(etag)).versionId()));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** S3 names the version of a bucket without versioning {@code null}. */
    private static String version(String versionId) {
        return versionId == null ? S3ChangeNotices.NULL_VERSION : versionId;
    }

    static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    /** An object of a listing: its key, size and version (ETag). */
    public record Listed(String key, long size, String etag) {
    }

    /** Up to {@value #DELETE_BATCH} objects under {@code prefix}, and the token of the rest (null: no more). */
    public record Batch(List<Listed> objects, String next) {
    }

    /** One batch of the objects under {@code prefix}, from {@code token} (null: the first). */
    public Batch listBatch(String prefix, String token) {
        ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                .maxKeys(DELETE_BATCH).continuationToken(token));
        return new Batch(page.contents().stream().map(o -> new Listed(o.key(), o.size(), o.eTag())).toList(),
                Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
    }

    /** An object a batch deletion removed: its key, its size and the deletion's version (the delete marker's). */
    public record Removed(String key, long size, String versionId) {
    }

    /**
     * What a batch deletion did: the objects it removed, whether some were left because they had been
     * replaced meanwhile, and the keys S3 refused for other reasons.
     */
    public record Deletion(List<Removed> removed, boolean leftChanged, List<S3Error> refused) {
    }

    /**
     * Deletes the objects in one call, each only if it is still the version listed: an object replaced meanwhile
     * stays (a later pass deletes and counts its new version), and when two deletions race, each object is
     * removed by one of them.
     */
    public Deletion deleteBatch(List<Listed> objects) {
        Map<String, Long> sizes = new HashMap<>();
        objects.forEach(o -> sizes.put(o.key(), o.size()));
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder()
                .quiet(false) // the answer names each delete marker's version
                .objects(objects.stream().map(o -> ObjectIdentifier.builder().key(o.key()).eTag(o.etag()).build())
                        .toList())
                .build()).overrideConfiguration(o -> o.apiCallAttemptTimeout(batchTimeout)
                .apiCallTimeout(batchTimeout.multipliedBy(2))));
        boolean leftChanged = false;
        List<S3Error> refused = new ArrayList<>();
        for (S3Error error : response.errors()) {
            if (CHANGED_MEANWHILE.contains(error.code())) {
                leftChanged = leftChanged || !"NoSuchKey".equals(error.code()); // replaced, not gone
            } else {
                refused.add(error);
            }
        }
        List<Removed> removed = response.deleted().stream().filter(d -> sizes.containsKey(d.key()))
                .map(d -> new Removed(d.key(), sizes.get(d.key()), version(d.deleteMarkerVersionId()))).toList();
        return new Deletion(removed, leftChanged, refused);
    }

    /** A GET URL that downloads the object as an attachment named {@code filename}. */
    public URI presignGet(String key, String filename, Duration ttl) {
        return URI.create(presigner.presignGetObject(b -> b.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key)
                        .responseContentDisposition(attachment(filename)))).url().toString());
    }

    /** A PUT URL for exactly {@code size} bytes at {@code key}. */
    public Upload presignPut(String key, long size, Duration ttl) {
        PresignedPutObjectRequest presigned = presigner.presignPutObject(b -> b.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket).key(key).contentLength(size)));
        Map<String, List<String>> headers = new HashMap<>(presigned.signedHeaders());
        headers.remove("host"); // the client's HTTP library sends it from the URL
        return new Upload(URI.create(presigned.url().toString()), headers, presigned.expiration());
    }

    /**
     * A multipart upload started for {@code size} bytes at {@code key}, with a presigned URL per part (each
     * part {@code partSize} bytes, the last one the rest), one to complete it and one to abort it.
     */
    public record MultipartUpload(String uploadId, long partSize, List<Part> parts, URI complete, URI abort,
                                  Instant expires) {
        /** One part: its number (from 1), exact size and presigned PUT URL. */
        public record Part(int number, long size, URI url) {
        }
    }

    /**
     * Starts a multipart upload (one S3 call) and presigns its parts: at most {@value #MAX_PRESIGNED_PARTS}
     * parts of at least {@value #MIN_PRESIGNED_PART_BYTES} bytes, so that the answer stays small.
     */
    public MultipartUpload presignMultipart(String key, long size, Duration ttl) {
        long partSize = Math.max(MIN_PRESIGNED_PART_BYTES, ceilToMiB((size + MAX_PRESIGNED_PARTS - 1) / MAX_PRESIGNED_PARTS));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType("application/octet-stream")).uploadId();
        List<MultipartUpload.Part> parts = new ArrayList<>();
        Instant expires = null;
        for (int number = 1; (long) (number - 1) * partSize < size; number++) {
            int partNumber = number;
            long partBytes = Math.min(partSize, size - (number - 1) * partSize);
            var presigned = presigner.presignUploadPart(b -> b.signatureDuration(ttl).uploadPartRequest(u -> u
                    .bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(partBytes)));
            parts.add(new MultipartUpload.Part(number, partBytes, URI.create(presigned.url().toString())));
            expires = presigned.expiration();
        }
        URI complete = URI.create(presigner.presignCompleteMultipartUpload(b -> b.signatureDuration(ttl)
                .completeMultipartUploadRequest(c -> c.bucket(bucket).key(key).uploadId(uploadId))).url().toString());
        URI abort = URI.create(presigner.presignAbortMultipartUpload(b -> b.signatureDuration(ttl)
                .abortMultipartUploadRequest(a -> a.bucket(bucket).key(key).uploadId(uploadId))).url().toString());
        return new MultipartUpload(uploadId, partSize, parts, complete, abort, expires);
    }

    /** Aborts the multipart upload, its parts deleted; one already completed or aborted is left as it is. */
    public void abortMultipart(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) { // NoSuchUpload: completed or aborted already
                throw e;
            }
        }
    }

    private static long ceilToMiB(long bytes) {
        long mib = 1024L * 1024;
        return (bytes + mib - 1) / mib * mib;
    }

    /** RFC 6266: a plain ASCII name for old clients and the exact name in UTF-8 for the rest. */
    static String attachment(String filename) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
