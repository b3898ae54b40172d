package io.tracklane.gateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 client on a plain socket, for what real clients will not do on purpose: send the
 * headers and hold the body back, stream a body slowly, declare a body far larger than sent.
 */
public final class RawHttp implements AutoCloseable {
  public record Response(int status, String head, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Body bytes this client managed to write (the server may stop reading). */
  public final AtomicLong bodyBytesSent = new AtomicLong();

  private RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public static RawHttp open(int port) throws IOException {
    return new RawHttp(port);
  }

  /** Writes a request line and headers ({@code "Name: value"} each), no body. */
  public void sendHead(String method, String path, String... headers) throws IOException {
    StringBuilder b =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String h : headers) b.append(h).append("\r\n");
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Writes body bytes; false once the server has closed (or reset) the connection. */
  public boolean sendBody(byte[] chunk) {
    try {
      out.write(chunk);
      out.flush();
      bodyBytesSent.addAndGet(chunk.length);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /**
   * Streams {@code total} bytes in {@code chunk}-byte pieces, {@code pauseMs} apart, until done or
   * refused.
   */
  public Thread streamBodyInBackground(long total, int chunk, long pauseMs) {
    Thread t =
        new Thread(
            () -> {
              byte[] piece = new byte[chunk];
              java.util.Arrays.fill(piece, (byte) ' ');
              long left = total;
              while (left > 0
                  && sendBody(left >= chunk ? piece : java.util.Arrays.copyOf(piece, (int) left))) {
                left -= Math.min(left, chunk);
                if (pauseMs > 0) {
                  try {
                    Thread.sleep(pauseMs);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "raw-http-body");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Reads one response (status, headers, Content-Length body); fails if none within {@code
   * timeoutMs}.
   */
  public Response readResponse(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) throw new IOException("connection closed before a response; head so far: " + head);
      head.write(c);
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(h.substring(9, 12));
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15))
        length = Integer.parseInt(line.substring(15).trim());
    }
    byte[] body = in.readNBytes(length);
    return new Response(status, h, new String(body, StandardCharsets.UTF_8));
  }

  /** Whether the server closes the connection within {@code timeoutMs} (EOF or reset). */
  public boolean closedByServer(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      byte[] sink = new byte[8192];
      while (true) {
        if (in.read(sink) < 0) return true;
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
