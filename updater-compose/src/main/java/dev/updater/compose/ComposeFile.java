package dev.updater.compose;

import dev.updater.core.spi.RejectedArchiveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services of a Compose file and the image each runs, read from the block-style YAML Compose
 * files are written in (the {@code services:} mapping, each service's {@code image:}); every image
 * must be pinned by digest ({@code name@sha256:<64 hex>}). Not a general YAML parser: flow-style
 * mappings and anchors under {@code services} are refused rather than guessed at. Stateless.
 */
final class ComposeFile {
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):\\s*(.*?)\\s*$");
  private static final Pattern PINNED =
      Pattern.compile("[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64}");

  private ComposeFile() {}

  /**
   * The image of each service of {@code file}, in file order.
   *
   * @throws RejectedArchiveException when the file is missing, lists no service, or a service has
   *     no image pinned by digest
   */
  static Map<String, String> services(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new RejectedArchiveException("the release has no Compose file " + file.getFileName()
          + " at its top; publish the Compose file (images pinned by digest) as the release");
    }
    Map<String, String> images = new LinkedHashMap<>();
    int servicesIndent = -1;
    int serviceIndent = -1;
    String service = null;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String line = raw.replaceAll("\\s+#.*$", "");
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      Matcher m = KEY.matcher(line);
      int indent = line.length() - line.stripLeading().length();
      if (servicesIndent >= 0 && indent <= servicesIndent) {
        servicesIndent = -1; // left the services mapping
      }
      if (!m.matches()) {
        continue;
      }
      String key = m.group(2);
      String value = unquote(m.group(3));
      if (servicesIndent < 0) {
        if (indent == 0 && key.equals("services")) {
          servicesIndent = 0;
          serviceIndent = -1;
        }
        continue;
      }
      if (serviceIndent < 0 || indent <= serviceIndent) {
        serviceIndent = indent;
        service = key;
        images.put(service, "");
        if (!value.isEmpty()) {
          throw refused(file, "service " + service + " is not written as a block mapping");
        }
      } else if (key.equals("image") && indent > serviceIndent && service != null) {
        images.put(service, value);
      }
    }
    if (images.isEmpty()) {
      throw refused(file, "it lists no services");
    }
    for (Map.Entry<String, String> e : images.entrySet()) {
      if (!PINNED.matcher(e.getValue()).matches()) {
        throw refused(file, "service " + e.getKey() + " runs image '" + e.getValue() + "', which "
            + "is not pinned by digest (name@sha256:<64 hex digits>); a release must name the exact "
            + "images it runs");
      }
    }
    return images;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static RejectedArchiveException refused(Path file, String why) {
    return new RejectedArchiveException("the Compose file " + file.getFileName() + " cannot be "
        + "deployed: " + why);
  }
}
