package com.trueftp.http;

import com.trueftp.testing.Multipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartFormTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    @SuppressWarnings("StringConcatToTextBlock") // a text block would turn the CRLFs multipart needs into LFs
    void readsEachFieldWithItsFileNameTypeAndExactBytes() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\u0000\r\n--X\u00ff\r\n--XyZ--\r\n";

        MultipartForm form = MultipartForm.parse(bytes(body), TYPE);

        assertThat(form.part("note").orElseThrow().bytes()).isEqualTo(bytes("hello"));
        MultipartForm.Part file = form.part("file").orElseThrow();
        assertThat(file.filename()).isEqualTo("a b.bin");
        assertThat(file.contentType()).isEqualTo("application/octet-stream");
        assertThat(file.bytes()).isEqualTo(bytes("\u0000\r\n--X\u00ff")); // a near-boundary inside the data stays data
        assertThat(form.part("missing")).isEmpty();
    }

    @Test
    void aBodyAsClientsSendItParsesBackToTheSameBytes() {
        byte[] content = {0, 13, 10, 45, 45, (byte) 0xff};
        MultipartForm form = MultipartForm.parse(Multipart.body("file", "x.bin", content), Multipart.CONTENT_TYPE);
        assertThat(form.part("file").orElseThrow().bytes()).isEqualTo(content);
        assertThat(form.part("file").orElseThrow().filename()).isEqualTo("x.bin");
    }

    @Test
    void acceptsAQuotedBoundaryAndAnEmptyFile() {
        String body = "--a:b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e\"\r\n\r\n\r\n--a:b--";
        MultipartForm form = MultipartForm.parse(bytes(body), "multipart/form-data; boundary=\"a:b\"");
        assertThat(form.part("file").orElseThrow().bytes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain; boundary=XyZ", ""})
    void otherContentTypesAreRefused(String type) {
        assertThatThrownBy(() -> MultipartForm.parse(bytes("x"), type.isEmpty() ? null : type))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("send the file as multipart/form-data");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "no boundary at all",
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated",
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\nno blank line",
            "--XyZ\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--XyZ--",
            "--XyZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XyZ--",
            "--XyZ garbage\r\n"})
    void malformedBodiesAre400(String body) {
        assertThatThrownBy(() -> MultipartForm.parse(bytes(body), TYPE))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }

    @Test
    void aMissingBoundaryParameterIs400() {
        assertThatThrownBy(() -> MultipartForm.parse(bytes("--x"), "multipart/form-data"))
                .hasMessageContaining("boundary");
    }
}
