package dev.updater.jdbc.internal;

import dev.updater.jdbc.MigrationException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the versioned SQL files of a migration directory: {@code V<n>__<description>.sql}, numbered
 * 1, 2, 3 ... without gaps or duplicates, each split into statements and checksummed. Every problem
 * is found here, before a connection is opened. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class MigrationFiles {
  private static final Pattern NAME = Pattern.compile("V([0-9]{1,9})__([A-Za-z0-9_.\\-]+)\\.sql");

  private MigrationFiles() {}

  /**
   * One migration file.
   *
   * @param version its number
   * @param description its description, underscores as spaces
   * @param script its file name
   * @param checksum the SHA-256 of its bytes, in lower-case hex
   * @param statements its statements, in order
   */
  public record Migration(int version, String description, String script, String checksum,
      List<SqlScript.Statement> statements) {}

  /**
   * The migrations in {@code directory}, by version; empty when the directory does not exist.
   *
   * @throws MigrationException when a {@code .sql} file is misnamed, a version is taken twice,
   *     numbering does not run 1, 2, 3 ..., or a file is not UTF-8 or cannot be split
   */
  public static List<Migration> read(Path directory) throws MigrationException, IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    Map<Integer, Path> byVersion = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new MigrationException("the migration file " + directory.relativize(file)
            + " is not named V<n>__<description>.sql (for example V3__add_orders.sql); rename it"
            + " so that it runs in order");
      }
      int version = Integer.parseInt(m.group(1));
      Path other = byVersion.put(version, file);
      if (other != null) {
        throw new MigrationException("two migration files have version " + version + ": "
            + other.getFileName() + " and " + name + "; give each file its own number");
      }
    }
    int expected = 1;
    for (Map.Entry<Integer, Path> e : byVersion.entrySet()) {
      if (e.getKey() != expected) {
        throw new MigrationException("migration " + expected + " is missing: the files run "
            + "from 1 without gaps, and the next one found is " + e.getValue().getFileName());
      }
      expected++;
    }
    List<Migration> migrations = new ArrayList<>();
    for (Map.Entry<Integer, Path> e : byVersion.entrySet()) {
      migrations.add(read(e.getKey(), e.getValue()));
    }
    return List.copyOf(migrations);
  }

  private static Migration read(int version, Path file) throws MigrationException, IOException {
    String name = file.getFileName().toString();
    byte[] bytes = Files.readAllBytes(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new MigrationException("the migration file " + name + " is not UTF-8", e);
    }
    List<SqlScript.Statement> statements;
    try {
      statements = SqlScript.split(text);
    } catch (IllegalArgumentException e) {
      throw new MigrationException("cannot split the migration file " + name + " into statements: "
          + e.getMessage(), e);
    }
    Matcher m = NAME.matcher(name);
    m.matches();
    return new Migration(version, m.group(2).replace('_', ' '), name, sha256(bytes), statements);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
