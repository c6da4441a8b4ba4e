package com.trueftp.functions.files;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.http.Routes;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.Multipart;
import com.trueftp.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.trueftp.testing.SampleEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The files function fed sample events, against real DynamoDB and S3 APIs; subclasses choose which. */
abstract class FilesHandlerContract {
    private static final String SAMPLE_CSV = "id,amount\r\n1,9.99\r\n";

    private AwsUnderTest aws;
    private FilesHandler handler;
    private AccountRepository accounts;
    private FtpUserRepository users;
    private EventLog events;
    private String account;
    private String user;

    abstract AwsUnderTest aws();

    @BeforeEach
    void setUp() {
        aws = aws();
        handler = new FilesHandler(DaggerFilesComponent.factory().create(aws.config()));
        accounts = aws.accounts();
        events = aws.events();
        users = aws.ftpUsers();
        account = accounts.create("Acme", Plan.PRO).id();
        user = newUser(account, "pipeline");
    }

    private String newUser(String accountId, String name) {
        return users.create(accountId, new FtpUserRepository.NewUser(name, "$argon2id$test", true, true, "/", null),
                25).id();
    }

    // ---- requests ----

    private APIGatewayProxyResponseEvent call(String sample, String accountId, String userId, Map<String, String> query) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("files/" + sample, accountId);
        event.setPathParameters(Map.of("id", userId));
        event.setPath(event.getPath().replace("ftp_SAMPLE", userId));
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        return handler.handleRequest(event, null);
    }

    private APIGatewayProxyResponseEvent call(String sample, Map<String, String> query) {
        return call(sample, account, user, query);
    }

    private APIGatewayProxyResponseEvent upload(String path, String content) {
        return uploadBytes(account, user, path, content.getBytes(StandardCharsets.UTF_8));
    }

    private APIGatewayProxyResponseEvent uploadBytes(String accountId, String userId, String path, byte[] content) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("files/upload-file.json", accountId);
        event.setPathParameters(Map.of("id", userId));
        event.setQueryStringParameters(path == null ? null : Map.of("path", path));
        event.setBody(Base64.getEncoder().encodeToString(multipart("file", content)));
        return handler.handleRequest(event, null);
    }

    static byte[] multipart(String field, byte[] content) {
        return Multipart.body(field, "x.bin", content); // the sample's Content-Type names its boundary
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> data(APIGatewayProxyResponseEvent response) throws Exception {
        return (List<Map<String, Object>>) json(response).get("data");
    }

    private List<String> listAll(String folder, String search, int limit) throws Exception {
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> query = new HashMap<>(Map.of("path", folder, "limit", Integer.toString(limit)));
            if (search != null) {
                query.put("search", search);
            }
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            APIGatewayProxyResponseEvent page = call("list-files.json", query);
            assertThat(page.getStatusCode()).as(page.getBody()).isEqualTo(200);
            List<Map<String, Object>> data = data(page);
            assertThat(data.size()).isLessThanOrEqualTo(limit);
            data.forEach(entry -> names.add((String) entry.get("name") + ("folder".equals(entry.get("type")) ? "/" : "")));
            cursor = (String) json(page).get("next_cursor");
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return names;
    }

    private long storageUsed() {
        return accounts.find(account).orElseThrow().storageBytesUsed();
    }

    private void setStorageUsed(long bytes) {
        aws.dynamo().updateItem(b -> b.tableName(aws.config().require(Tables.ACCOUNTS.nameVariable()))
                .key(Map.of("id", AttributeValue.fromS(account)))
                .updateExpression("SET storage_bytes_used = :used")
                .expressionAttributeValues(Map.of(":used", AttributeValue.fromN(Long.toString(bytes)))));
    }

    private List<String> objectKeys(String prefix) {
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.config().require(Config.FILES_BUCKET)).prefix(prefix))
                .contents().stream().map(S3Object::key).toList();
    }

    private String bucket() {
        return aws.config().require(Config.FILES_BUCKET);
    }

    private List<Event> recorded() {
        return events.page(account, 0, 100).events();
    }

    private static String get(URI url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    // ---- behaviour ----

    @Test
    void referenceUploadIsStoredListedAndDownloadable() throws Exception {
        APIGatewayProxyResponseEvent uploaded = call("upload-file.json", Map.of("path", "/docs/report.csv"));

        assertThat(uploaded.getStatusCode()).as(uploaded.getBody()).isEqualTo(201);
        assertThat(json(uploaded)).containsEntry("name", "report.csv").containsEntry("path", "/docs/report.csv")
                .containsEntry("type", "file").containsEntry("size", SAMPLE_CSV.length()).containsKey("modified_at");
        assertThat(objectKeys(account + "/" + user + "/")).containsExactly(account + "/" + user + "/docs/report.csv");

        List<Map<String, Object>> root = data(call("list-files.json", Map.of("path", "/")));
        assertThat(root).singleElement().satisfies(e -> assertThat(e).containsEntry("name", "docs")
                .containsEntry("path", "/docs/").containsEntry("type", "folder").containsEntry("size", 0));
        List<Map<String, Object>> docs = data(call("list-files.json", Map.of("path", "/docs/")));
        assertThat(docs).singleElement().satisfies(e -> assertThat(e).containsEntry("name", "report.csv")
                .containsEntry("type", "file").containsEntry("size", SAMPLE_CSV.length()));

        APIGatewayProxyResponseEvent link = call("download-file.json", Map.of("path", "/docs/report.csv", "redirect", "false"));
        assertThat(link.getStatusCode()).isEqualTo(200);
        assertThat(json(link)).containsKeys("url", "expires_at");
        assertThat(get(URI.create((String) json(link).get("url")))).isEqualTo(SAMPLE_CSV);

        APIGatewayProxyResponseEvent redirect = call("download-file.json", Map.of("path", "/docs/report.csv"));
        assertThat(redirect.getStatusCode()).isEqualTo(302);
        assertThat(redirect.getBody()).isNull();
        String location = redirect.getHeaders().get("Location");
        assertThat(location).contains("X-Amz-Expires=300").contains("response-content-disposition=attachment");
        assertThat(get(URI.create(location))).isEqualTo(SAMPLE_CSV);
    }

    @Test
    void everyOperationIsRecordedWithUserPathAndSize() {
        upload("/a.txt", "12345");
        call("download-file.json", Map.of("path", "/a.txt", "redirect", "false"));
        call("mkdir.json", Map.of("path", "/docs/"));
        upload("/docs/b.txt", "123");
        call("delete-file.json", Map.of("path", "/a.txt"));
        call("delete-file.json", Map.of("path", "/docs/"));

        List<Event> newestFirst = recorded();
        assertThat(newestFirst.subList(0, 6)).extracting(e -> e.type().id() + " " + e.path() + " " + e.size())
                .containsExactly("folder.deleted /docs/ 3", "file.deleted /a.txt 5", "file.uploaded /docs/b.txt 3",
                        "folder.created /docs/ 0", "file.downloaded /a.txt 5", "file.uploaded /a.txt 5");
        assertThat(newestFirst.subList(0, 6)).allSatisfy(e -> {
            assertThat(e.ftpUserId()).isEqualTo(user);
            assertThat(e.username()).isEqualTo("pipeline");
        });
    }

    @Test
    void storageUseFollowsUploadsReplacementsAndDeletes() {
        upload("/a.txt", "1234567890");
        assertThat(storageUsed()).isEqualTo(10);
        upload("/a.txt", "123");
        assertThat(storageUsed()).isEqualTo(3);
        upload("/a.txt", "123456");
        upload("/sub/b.txt", "1234");
        assertThat(storageUsed()).isEqualTo(10);
        call("delete-file.json", Map.of("path", "/a.txt"));
        assertThat(storageUsed()).isEqualTo(4);
        call("delete-file.json", Map.of("path", "/sub/"));
        assertThat(storageUsed()).isZero();
    }

    @Test
    void anUploadPastTheStorageQuotaIs403AndStoresNothing() throws Exception {
        long limit = Plan.PRO.storageBytesLimit();
        setStorageUsed(limit - 4);

        APIGatewayProxyResponseEvent refused = upload("/big.bin", "12345");

        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat((String) json(refused).get("error")).contains("storage quota");
        assertThat(objectKeys(account + "/")).isEmpty();
        assertThat(storageUsed()).isEqualTo(limit - 4);
        assertThat(upload("/fits.bin", "1234").getStatusCode()).isEqualTo(201);
        assertThat(storageUsed()).isEqualTo(limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "docs/a.txt", "/a/../b.txt", "/a/./b.txt", "/a//b.txt", "/a\\b.txt", "/a\u0000b",
            "/a\u0007b", "/é\ud800", "/a\uFFFE"})
    void badPathsAre400AndTouchNothing(String path) throws Exception {
        List<APIGatewayProxyResponseEvent> answers = List.of(upload(path, "x"),
                call("list-files.json", Map.of("path", path)),
                call("download-file.json", Map.of("path", path)),
                call("delete-file.json", Map.of("path", path)),
                call("mkdir.json", Map.of("path", path)),
                call("upload-url.json", Map.of("path", path, "size", "10")));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.getStatusCode()).as(a.getBody()).isEqualTo(400);
            assertThat((String) json(a).get("error")).startsWith("path ");
        });
        assertThat(objectKeys(account + "/")).isEmpty();
        assertThat(recorded()).extracting(e -> e.type().id()).containsOnly("ftp_user.created");
    }

    @Test
    void pathsWhoseKeyWouldPassS3sLimitAre400() throws Exception {
        APIGatewayProxyResponseEvent answer = upload("/" + "a".repeat(975), "x");
        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat((String) json(answer).get("error")).contains("975 bytes");
        assertThat(upload("/" + "a".repeat(974), "x").getStatusCode()).as("the longest path").isEqualTo(201);
    }

    @Test
    void missingPathIs400() throws Exception {
        APIGatewayProxyResponseEvent answer = call("list-files.json", Map.of());
        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat(json(answer)).containsEntry("error", "path is required");
    }

    @Test
    void pagesWalkTheFolderInKeyOrderWithNothingRepeatedOrLost() throws Exception {
        for (String name : List.of("b.txt", "a.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt")) {
            upload("/dir/" + name, name);
        }
        call("mkdir.json", Map.of("path", "/dir/m/"));
        upload("/dir/c/inner.txt", "x");

        assertThat(listAll("/dir/", null, 3)).containsExactly("a.txt", "b.txt", "c.txt", "c/", "d.txt", "e.txt",
                "f.txt", "g.txt", "m/");
        assertThat(listAll("/dir/", null, 1000)).hasSize(9);
        assertThat(listAll("/dir/", "c", 1)).containsExactly("c.txt", "c/");
        assertThat(listAll("/dir/", "zz", 10)).isEmpty();
        assertThat(listAll("/dir/m/", null, 10)).isEmpty();
    }

    @Test
    void aCursorThatWasAlteredOrBelongsElsewhereIs400() throws Exception {
        for (int i = 0; i < 3; i++) {
            upload("/dir/f" + i, "x");
            upload("/other/f" + i, "x");
        }
        String cursor = (String) json(call("list-files.json", Map.of("path", "/dir/", "limit", "1"))).get("next_cursor");
        assertThat(cursor).isNotNull();
        String otherUser = newUser(account, "other");
        String otherAccount = accounts.create("Other", Plan.PRO).id();
        String foreignUser = newUser(otherAccount, "pipeline");
        String altered = (cursor.charAt(0) == 'A' ? 'B' : 'A') + cursor.substring(1); // another position

        List<APIGatewayProxyResponseEvent> answers = List.of(
                call("list-files.json", Map.of("path", "/dir/", "cursor", altered)),
                call("list-files.json", Map.of("path", "/dir/", "cursor", "not-a-cursor")),
                call("list-files.json", Map.of("path", "/other/", "cursor", cursor)),
                call("list-files.json", Map.of("path", "/dir/", "search", "f", "cursor", cursor)),
                call("list-files.json", account, otherUser, Map.of("path", "/dir/", "cursor", cursor)),
                call("list-files.json", otherAccount, foreignUser, Map.of("path", "/dir/", "cursor", cursor)));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.getStatusCode()).isEqualTo(400);
            assertThat((String) json(a).get("error")).startsWith("cursor is not valid");
        });
        assertThat(call("list-files.json", Map.of("path", "/dir/", "cursor", cursor)).getStatusCode()).isEqualTo(200);
    }

    @Test
    void aMissingFolderIs404AndTheRootOfANewUserIsEmpty() throws Exception {
        APIGatewayProxyResponseEvent root = call("list-files.json", Map.of("path", "/"));
        assertThat(root.getStatusCode()).isEqualTo(200);
        assertThat(json(root)).containsEntry("data", List.of()).containsEntry("next_cursor", null)
                .containsEntry("limit", 100);

        APIGatewayProxyResponseEvent missing = call("list-files.json", Map.of("path", "/nope/"));
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(json(missing)).containsEntry("error", "folder not found: /nope/");
    }

    @ParameterizedTest
    @CsvSource({"0", "1001", "-1", "x"})
    void limitOutsideOneToAThousandIs400(String limit) {
        assertThat(call("list-files.json", Map.of("path", "/", "limit", limit)).getStatusCode()).isEqualTo(400);
    }

    @Test
    void searchWithASlashIs400() throws Exception {
        APIGatewayProxyResponseEvent answer = call("list-files.json", Map.of("path", "/", "search", "a/b"));
        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat((String) json(answer).get("error")).contains("cannot contain /");
    }

    @Test
    void deletingAFolderRemovesEverythingUnderItAcrossManyPages() throws Exception {
        String prefix = account + "/" + user + "/big/";
        int count = 1_001; // one more than one DeleteObjects call takes
        IntStream.range(0, count).parallel().forEach(i -> aws.s3().putObject(b -> b.bucket(bucket())
                .key(prefix + "sub" + (i % 3) + "/f" + i), RequestBody.fromString("ab")));
        aws.recordFileChanges(); // written around the API: on record once S3's notifications are
        upload("/big/through-api.txt", "1234");
        upload("/keep.txt", "1");
        assertThat(storageUsed()).isEqualTo(2L * count + 5);

        APIGatewayProxyResponseEvent deleted = call("delete-file.json", Map.of("path", "/big/"));

        assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(204);
        assertThat(objectKeys(prefix)).isEmpty();
        assertThat(objectKeys(account + "/")).containsExactly(account + "/" + user + "/keep.txt");
        assertThat(storageUsed()).isEqualTo(1);
        assertThat(recorded().get(0)).satisfies(e -> {
            assertThat(e.type().id()).isEqualTo("folder.deleted");
            assertThat(e.size()).isEqualTo(2L * count + 4);
        });
        assertThat(call("delete-file.json", Map.of("path", "/big/")).getStatusCode()).isEqualTo(404);
    }

    @Test
    void deletingAMissingFileOrFolderIs404() throws Exception {
        APIGatewayProxyResponseEvent file = call("delete-file.json", Map.of("path", "/nope.txt"));
        assertThat(file.getStatusCode()).isEqualTo(404);
        assertThat(json(file)).containsEntry("error", "file not found: /nope.txt");
        assertThat(call("delete-file.json", Map.of("path", "/nope/")).getStatusCode()).isEqualTo(404);
    }

    @Test
    void mkdirCreatesTheFolderWithItsParentsImpliedAndRefusesAnExistingOne() throws Exception {
        APIGatewayProxyResponseEvent created = call("mkdir.json", Map.of("path", "/a/b/c"));

        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(json(created)).containsEntry("path", "/a/b/c/").containsEntry("type", "folder").containsEntry("name", "c");
        assertThat(listAll("/a/", null, 10)).containsExactly("b/");
        assertThat(listAll("/a/b/c/", null, 10)).isEmpty();
        assertThat(call("mkdir.json", Map.of("path", "/a/b/c/")).getStatusCode()).isEqualTo(409);
        assertThat(call("mkdir.json", Map.of("path", "/a/")).getStatusCode()).isEqualTo(409);
        assertThat(call("mkdir.json", Map.of("path", "/")).getStatusCode()).isEqualTo(409);
        upload("/file", "x");
        assertThat(call("mkdir.json", Map.of("path", "/file/")).getStatusCode()).isEqualTo(409);
        assertThat(upload("/a", "x").getStatusCode()).isEqualTo(409);
    }

    @Test
    void downloadingAMissingFileIs404AndABadRedirectIs400() throws Exception {
        APIGatewayProxyResponseEvent missing = call("download-file.json", Map.of("path", "/nope.txt"));
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(json(missing)).containsEntry("error", "file not found: /nope.txt");
        upload("/a.txt", "x");
        assertThat(call("download-file.json", Map.of("path", "/a.txt", "redirect", "maybe")).getStatusCode()).isEqualTo(400);
        assertThat(call("download-file.json", Map.of("path", "/a.txt/")).getStatusCode()).isEqualTo(400);
    }

    @Test
    void anotherAccountsUserAnswersLikeAnUnknownOne() throws Exception {
        upload("/secret.txt", "secret");
        String otherAccount = accounts.create("Other", Plan.PRO).id();

        for (String userId : List.of(user, "ftp_00000000000000000000", "nonsense")) {
            APIGatewayProxyResponseEvent listed = call("list-files.json", otherAccount, userId, Map.of("path", "/"));
            APIGatewayProxyResponseEvent fetched = call("download-file.json", otherAccount, userId, Map.of("path", "/secret.txt"));
            APIGatewayProxyResponseEvent deleted = call("delete-file.json", otherAccount, userId, Map.of("path", "/secret.txt"));
            APIGatewayProxyResponseEvent uploaded = uploadBytes(otherAccount, userId, "/x.txt", new byte[]{1});
            assertThat(List.of(listed, fetched, deleted, uploaded)).allSatisfy(a -> {
                assertThat(a.getStatusCode()).isEqualTo(404);
                assertThat(json(a)).containsEntry("error", "ftp user not found");
            });
        }
        assertThat(objectKeys(otherAccount + "/")).isEmpty();
        assertThat(objectKeys(account + "/")).hasSize(1);
    }

    @Test
    void aFileOver4MiBIs413NamingTheUploadUrlEndpoint() throws Exception {
        APIGatewayProxyResponseEvent answer = uploadBytes(account, user, "/big.bin", new byte[Routes.MAX_UPLOAD_FILE_BYTES + 1]);

        assertThat(answer.getStatusCode()).isEqualTo(413);
        assertThat((String) json(answer).get("error")).contains("upload-url");
        assertThat(objectKeys(account + "/")).isEmpty();
        assertThat(uploadBytes(account, user, "/max.bin", new byte[Routes.MAX_UPLOAD_FILE_BYTES]).getStatusCode())
                .isEqualTo(201);
    }

    @Test
    void uploadsWithoutAMultipartFileFieldAre400() throws Exception {
        APIGatewayProxyRequestEvent noBody = SampleEvents.request("files/upload-file.json", account);
        noBody.setPathParameters(Map.of("id", user));
        noBody.setBody(null);
        noBody.setIsBase64Encoded(false);
        assertThat(handler.handleRequest(noBody, null).getStatusCode()).isEqualTo(400);

        APIGatewayProxyRequestEvent json = SampleEvents.request("files/upload-file.json", account);
        json.setPathParameters(Map.of("id", user));
        json.getHeaders().put("Content-Type", "application/json");
        json.setBody("{\"file\":\"x\"}");
        json.setIsBase64Encoded(false);
        assertThat(handler.handleRequest(json, null).getStatusCode()).isEqualTo(400);

        APIGatewayProxyResponseEvent wrongField = handler.handleRequest(withBody(multipart("document", new byte[]{1})), null);
        assertThat(wrongField.getStatusCode()).isEqualTo(400);
        assertThat(json(wrongField)).containsEntry("error", "multipart field file is required");

        APIGatewayProxyResponseEvent truncated = handler.handleRequest(withBody(
                ("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc").getBytes(StandardCharsets.UTF_8)), null);
        assertThat(truncated.getStatusCode()).isEqualTo(400);
        assertThat(objectKeys(account + "/")).isEmpty();
    }

    private APIGatewayProxyRequestEvent withBody(byte[] body) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("files/upload-file.json", account);
        event.setPathParameters(Map.of("id", user));
        event.setBody(Base64.getEncoder().encodeToString(body));
        return event;
    }

    @Test
    void uploadUrlPresignsAPutOfExactlyTheSizeAndCountsIt() throws Exception {
        APIGatewayProxyResponseEvent answer = call("upload-url.json", Map.of("path", "/big/archive.tar", "size", "11"));

        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(201);
        Map<String, Object> body = json(answer);
        assertThat(body).containsEntry("method", "PUT").containsEntry("size", 11).containsKeys("url", "expires_at", "headers");
        String url = (String) body.get("url");
        assertThat(url).contains("/" + account + "/" + user + "/big/archive.tar").contains("X-Amz-Expires=900")
                .containsPattern("X-Amz-SignedHeaders=[^&]*content-length");
        assertThat(body.get("headers")).isEqualTo(Map.of("content-length", "11")); // S3 refuses any other length
        assertThat(storageUsed()).as("counted once it lands (S3's notification)").isZero();

        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofString("hello world")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(listAll("/big/", null, 10)).containsExactly("archive.tar");
    }

    @Test
    @SuppressWarnings("unchecked")
    void over5GiBUploadUrlIsAMultipartUploadWithAUrlPerPartAndOneToComplete() throws Exception {
        long size = 5L * 1024 * 1024 * 1024 + 1;
        APIGatewayProxyResponseEvent answer = call("upload-url.json", Map.of("path", "/huge.bin", "size", Long.toString(size)));

        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(201);
        Map<String, Object> body = json(answer);
        assertThat(body).containsEntry("method", "multipart").containsEntry("part_size", 64 * 1024 * 1024)
                .containsKeys("upload_id", "complete", "abort", "expires_at");
        List<Map<String, Object>> parts = (List<Map<String, Object>>) body.get("parts");
        assertThat(parts).hasSize(81);
        assertThat(parts.stream().mapToLong(p -> ((Number) p.get("size")).longValue()).sum()).isEqualTo(size);
        assertThat(parts.get(80)).containsEntry("part_number", 81).containsEntry("size", 1);

        // Two parts are enough to prove the URLs: S3 completes any ascending set of uploaded parts.
        HttpClient http = HttpClient.newHttpClient();
        List<String> etags = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] part = new byte[i == 0 ? 5 * 1024 * 1024 : 3];
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create((String) parts.get(i).get("url")))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(part)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
            etags.add(put.headers().firstValue("ETag").orElseThrow());
        }
        String completion = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + etags.get(0)
                + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" + etags.get(1) + "</ETag></Part></CompleteMultipartUpload>";
        HttpResponse<String> completed = http.send(HttpRequest.newBuilder(URI.create((String) ((Map<String, Object>)
                body.get("complete")).get("url"))).POST(HttpRequest.BodyPublishers.ofString(completion)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(aws.s3().headObject(b -> b.bucket(bucket()).key(account + "/" + user + "/huge.bin")).contentLength())
                .isEqualTo(5L * 1024 * 1024 + 3);
    }

    @ParameterizedTest
    @CsvSource({"/c.html/sub/, mkdir.json", "/c.html/sub/x.txt, upload-url.json", "/c.html/x.txt, upload-file.json"})
    void aNameIsAFileOrAFolderNeverBoth(String path, String sample) throws Exception {
        upload("/c.html", "<p>");
        APIGatewayProxyResponseEvent answer = sample.equals("upload-file.json") ? upload(path, "x")
                : call(sample, Map.of("path", path, "size", "1"));
        assertThat(answer.getStatusCode()).isEqualTo(409);
        assertThat(json(answer)).containsEntry("error", "a file exists at /c.html");
        assertThat(listAll("/", null, 10)).containsExactly("c.html");
    }

    @Test
    void aPartContentTypeThatIsNotAMediaTypeIsStoredAsOctetStream() throws Exception {
        byte[] body = ("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
                + "Content-Type: text/html\u0001x\r\n\r\nabc\r\n--" + Multipart.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        APIGatewayProxyRequestEvent event = withBody(body);
        event.setQueryStringParameters(Map.of("path", "/a.bin"));

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(201);
        assertThat(aws.s3().headObject(b -> b.bucket(bucket()).key(account + "/" + user + "/a.bin")).contentType())
                .isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFFFF", "a\uFFFE", "\u0001", "a\\b"})
    void searchesS3CouldNotCarryAre400(String search) throws Exception {
        APIGatewayProxyResponseEvent answer = call("list-files.json", Map.of("path", "/", "search", search));
        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat((String) json(answer).get("error")).startsWith("search must not contain");
    }

    @ParameterizedTest
    @CsvSource({"'', size is required", "-1, size must be", "1.5, size must be", "5497558138881, size is over 5 TiB"})
    void uploadUrlNeedsAWholeSizeUpTo5TiB(String size, String error) throws Exception {
        APIGatewayProxyResponseEvent answer = call("upload-url.json", size.isEmpty() ? Map.of("path", "/a")
                : Map.of("path", "/a", "size", size));
        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat((String) json(answer).get("error")).startsWith(error);
    }

    @Test
    void uploadUrlPastTheStorageQuotaIs403AndAnIssuedOneHoldsItsRoom() {
        long limit = Plan.PRO.storageBytesLimit();
        setStorageUsed(limit - 10);
        assertThat(call("upload-url.json", Map.of("path", "/a", "size", "11")).getStatusCode()).isEqualTo(403);
        assertThat(call("upload-url.json", Map.of("path", "/a", "size", "10")).getStatusCode()).isEqualTo(201);
        assertThat(call("upload-url.json", Map.of("path", "/b", "size", "1")).getStatusCode()).as("10 held").isEqualTo(403);
        assertThat(upload("/c", "1").getStatusCode()).as("an upload through the API too").isEqualTo(403);
        assertThat(storageUsed()).as("held, not used").isEqualTo(limit - 10);
    }

    @Test
    void anUploadUrlsRoomLapsesWhenItExpires() throws Exception {
        handler = new FilesHandler(DaggerFilesComponent.factory().create(
                aws.config().with(Config.UPLOAD_URL_TTL_SECONDS, "1")));
        long limit = Plan.PRO.storageBytesLimit();
        setStorageUsed(limit - 100);
        assertThat(call("upload-url.json", Map.of("path", "/never-used.bin", "size", "100")).getStatusCode()).isEqualTo(201);
        assertThat(call("upload-url.json", Map.of("path", "/a", "size", "1")).getStatusCode()).isEqualTo(403);

        Thread.sleep(1_100); // the URL expires, unused

        assertThat(call("upload-url.json", Map.of("path", "/a", "size", "1")).getStatusCode()).isEqualTo(201);
        assertThat(storageUsed()).isEqualTo(limit - 100);
    }

    @Test
    void unreachableS3Is503() throws Exception {
        FilesHandler down = new FilesHandler(DaggerFilesComponent.factory().create(
                aws.config().with(Config.S3_ENDPOINT, AwsUnderTest.unreachable().require(Config.S3_ENDPOINT))));
        APIGatewayProxyRequestEvent event = SampleEvents.request("files/list-files.json", account);
        event.setPathParameters(Map.of("id", user));

        APIGatewayProxyResponseEvent response = down.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(json(response)).containsKey("error");
    }
}
