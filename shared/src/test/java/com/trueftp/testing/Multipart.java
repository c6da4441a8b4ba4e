package com.trueftp.testing;

import java.nio.charset.StandardCharsets;

/** Request bodies as clients send files ({@code curl -F file=@name}): {@code multipart/form-data} with one part. */
public final class Multipart {
    public static final String BOUNDARY = "------------------------d74496d66958873e";
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private Multipart() {
    }

    /** A body with one file field; send it with {@link #CONTENT_TYPE}. */
    public static byte[] body(String field, String filename, byte[] content) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return body;
    }
}
