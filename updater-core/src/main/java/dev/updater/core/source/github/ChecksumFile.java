package dev.updater.core.source.github;

import dev.updater.core.spi.VerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code SHA256SUMS} file as {@code sha256sum} writes it, parsed strictly. Not API.
 *
 * <p>Every line is {@code <64 hex digits><space><space><name>} (text mode) or {@code <64 hex
 * digits><space>*<name>} (binary mode); a line may end in {@code \r\n}, and empty lines are
 * ignored. Anything else is refused: a line of another shape, an escaped name ({@code sha256sum}
 * starts the line with a backslash for names holding a newline or backslash), a file that is not
 * UTF-8, and a name listed twice (even with the same digest), so that which digest applies is never
 * a guess. Names are compared exactly, so {@code ./app.tar.gz} or {@code dist/app.tar.gz} does not
 * name the asset {@code app.tar.gz}.
 *
 * <pre>{@code
 * ChecksumFile sums = ChecksumFile.parse(bytes);
 * Optional<String> sha256 = sums.sha256("myapp-1.2.0-linux-amd64.tar.gz");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
final class ChecksumFile {
  /** The largest checksum file accepted, 1 MiB: about 10,000 entries. */
  public static final int MAX_BYTES = 1 << 20;

  private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) ([ *])(.+)");

  private final Map<String, String> digests;

  private ChecksumFile(Map<String, String> digests) {
    this.digests = digests;
  }

  /**
   * Parses the bytes of a checksum file.
   *
   * @throws VerificationException naming the line and the problem, when the file is larger than
   *     {@link #MAX_BYTES}, not UTF-8, has a malformed line or lists a name twice
   */
  public static ChecksumFile parse(byte[] bytes) throws VerificationException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_BYTES) {
      throw new VerificationException("it is " + bytes.length + " bytes, more than the "
          + MAX_BYTES + " a checksum file may have");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException("it is not UTF-8 text");
    }
    Map<String, String> digests = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1)
          : lines[i];
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new VerificationException("line " + (i + 1) + " is not '<64 hex digits>  <name>' "
            + "or '<64 hex digits> *<name>': '" + abbreviate(line) + "'");
      }
      String name = m.group(3);
      if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new VerificationException("line " + (i + 1) + " names a file with a control "
            + "character");
      }
      if (digests.putIfAbsent(name, m.group(1).toLowerCase(Locale.ROOT)) != null) {
        throw new VerificationException("line " + (i + 1) + " lists '" + name + "' a second "
            + "time; each name may appear only once");
      }
    }
    return new ChecksumFile(Map.copyOf(digests));
  }

  /** The lower-case hexadecimal SHA-256 listed for exactly this name, if it is listed. */
  public Optional<String> sha256(String name) {
    return Optional.ofNullable(digests.get(Objects.requireNonNull(name, "name")));
  }

  /** How many names the file lists. */
  public int size() {
    return digests.size();
  }

  private static String abbreviate(String line) {
    String shown = line.length() > 100 ? line.substring(0, 100) + "..." : line;
    StringBuilder sb = new StringBuilder();
    shown.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }
}
