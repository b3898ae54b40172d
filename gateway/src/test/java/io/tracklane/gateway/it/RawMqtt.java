package io.tracklane.gateway.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately minimal MQTT 3.1.1 / 5.0 client on a plain socket: it writes PUBLISH packets
 * without waiting for acknowledgements, which the real clients refuse to do (they honour Receive
 * Maximum or their own in-flight window). Just CONNECT, PUBLISH QoS 1, and reading packets.
 */
public final class RawMqtt implements AutoCloseable {
  /** One packet read: its type (high nibble of the first byte), flags and body. */
  public record Packet(int type, int flags, byte[] body) {
    public int messageId() {
      return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final boolean v5;

  /** CONNACK properties (MQTT 5), by identifier; numbers as Integer. */
  public final Map<Integer, Object> connackProperties = new HashMap<>();

  public int connackCode = -1;

  /** Bytes of PUBLISH packets written. */
  public volatile long bytesWritten;

  private RawMqtt(int port, boolean v5) throws IOException {
    this.v5 = v5;
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Connects with the access token as password and reads the CONNACK. */
  public static RawMqtt connect(int port, boolean v5, String clientId, String user, String token)
      throws IOException {
    RawMqtt c = new RawMqtt(port, v5);
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    string(vh, "MQTT");
    vh.write(v5 ? 5 : 4);
    vh.write(0xC2); // user name, password, clean start
    vh.write(0);
    vh.write(60); // keep alive
    if (v5) vh.write(0); // no properties
    string(vh, clientId);
    string(vh, user);
    string(vh, token);
    c.write(0x10, vh.toByteArray());
    Packet ack = c.read(10_000);
    if (ack.type() != 2) throw new IOException("expected CONNACK, got packet type " + ack.type());
    c.connackCode = ack.body()[1] & 0xff;
    if (v5) c.readProperties(ack.body(), 2);
    return c;
  }

  /** Writes one QoS 1 PUBLISH; false when the socket is closed. */
  public boolean publishQos1(String topic, int messageId, byte[] payload) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    try {
      string(p, topic);
      p.write(messageId >> 8);
      p.write(messageId & 0xff);
      if (v5) p.write(0); // no properties
      p.write(payload);
      write(0x32, p.toByteArray());
      bytesWritten += p.size();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /**
   * The next packet, or null if none arrives within {@code timeoutMs}; EOFException when closed.
   */
  public Packet read(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException none) {
      return null;
    }
    if (first < 0) throw new EOFException("connection closed by the server");
    int length = 0;
    int shift = 0;
    int b;
    do {
      b = in.readUnsignedByte();
      length |= (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    return new Packet(first >> 4, first & 0x0f, body);
  }

  /**
   * Whether the server closes the connection within {@code timeoutMs}, skipping packets meanwhile.
   */
  public boolean closedWithin(int timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    try {
      while (System.currentTimeMillis() < deadline) {
        read((int) Math.max(1, deadline - System.currentTimeMillis()));
      }
      return false;
    } catch (EOFException | java.net.SocketException closed) {
      return true;
    }
  }

  private void write(int firstByte, byte[] body) throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
    packet.write(firstByte);
    int n = body.length;
    do {
      int digit = n % 128;
      n /= 128;
      packet.write(n > 0 ? digit | 0x80 : digit);
    } while (n > 0);
    packet.write(body);
    synchronized (out) {
      out.write(packet.toByteArray());
      out.flush();
    }
  }

  private static void string(ByteArrayOutputStream o, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.write(b.length >> 8);
    o.write(b.length & 0xff);
    o.write(b, 0, b.length);
  }

  private void readProperties(byte[] body, int at) {
    int[] pos = {at};
    int length = varInt(body, pos);
    int end = pos[0] + length;
    while (pos[0] < end) {
      int id = body[pos[0]++] & 0xff;
      switch (id) {
        case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A ->
            connackProperties.put(id, body[pos[0]++] & 0xff);
        case 0x13, 0x21, 0x22, 0x23 -> {
          connackProperties.put(id, ((body[pos[0]] & 0xff) << 8) | (body[pos[0] + 1] & 0xff));
          pos[0] += 2;
        }
        case 0x02, 0x11, 0x18, 0x27 -> {
          int v = 0;
          for (int i = 0; i < 4; i++) v = (v << 8) | (body[pos[0]++] & 0xff);
          connackProperties.put(id, v);
        }
        case 0x0B -> connackProperties.put(id, varInt(body, pos));
        case 0x26 -> {
          String k = str(body, pos);
          connackProperties.put(id, k + "=" + str(body, pos));
        }
        default -> connackProperties.put(id, str(body, pos)); // strings and binary data
      }
    }
  }

  private static String str(byte[] body, int[] pos) {
    int n = ((body[pos[0]] & 0xff) << 8) | (body[pos[0] + 1] & 0xff);
    String s = new String(body, pos[0] + 2, n, StandardCharsets.UTF_8);
    pos[0] += 2 + n;
    return s;
  }

  private static int varInt(byte[] body, int[] pos) {
    int v = 0;
    int shift = 0;
    int b;
    do {
      b = body[pos[0]++] & 0xff;
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return v;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
