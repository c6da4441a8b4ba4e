package com.trueftp.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** HTTP/1.1 byte for byte over a socket: requests no HTTP client would send, answers read as they come. */
final class RawHttp {
    private RawHttp() {
    }

    /** An answer: its status, its header lines as sent, its body. */
    @SuppressWarnings("ArrayRecordComponent") // read, never compared
    record Answer(int status, List<String> headerLines, byte[] body) {
        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).trim()).findFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends the request on a new connection, half-closing it after if asked, and reads the answer. */
    static Answer send(int port, byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return read(socket.getInputStream());
        }
    }

    /** A request with {@code Connection: close} and, with a body, its {@code Content-Length}. */
    static byte[] request(String method, String target, List<String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static Answer read(InputStream in) throws IOException {
        String head = readHead(in);
        List<String> lines = List.of(head.split("\r\n", -1));
        int status = Integer.parseInt(lines.get(0).split(" ", 3)[1]);
        List<String> headers = lines.subList(1, lines.size());
        Answer headersOnly = new Answer(status, headers, new byte[0]);
        int length = headersOnly.header("Content-Length").map(Integer::parseInt).orElse(-1);
        byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        return new Answer(status, headers, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the answer's headers ended: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - end.length);
    }
}
