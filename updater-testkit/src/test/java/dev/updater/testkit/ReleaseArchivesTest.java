package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;

class ReleaseArchivesTest {

  @Test
  void tarGzHoldsTheFilesWithTheirContent() throws IOException {
    byte[] archive = ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0", "lib/app.txt", "héllo"));

    Map<String, String> files = readTarGz(archive);

    assertThat(files).containsEntry("VERSION", "1.1.0").containsEntry("lib/app.txt", "héllo");
  }

  @Test
  void tarGzGivesParentDirectoriesTheirOwnEntriesBeforeTheirChildren() throws IOException {
    byte[] archive = ReleaseArchives.tarGz(Map.of("a/b/c.txt", "x"));

    assertThat(readTarGz(archive).keySet()).containsExactly("a/", "a/b/", "a/b/c.txt");
  }

  @Test
  void executablesKeepTheirModeAndOtherFilesDoNot() throws IOException {
    byte[] archive = ReleaseArchives.builder()
        .file("VERSION", "1.1.0")
        .executable("bin/app", "#!/bin/sh\necho hi\n")
        .tarGz();

    Map<String, Integer> modes = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        modes.put(e.getName(), e.getMode() & 07777);
      }
    }
    assertThat(modes).containsEntry("bin/app", 0755).containsEntry("VERSION", 0644)
        .containsEntry("bin/", 0755);
  }

  @Test
  void zipHoldsTheFilesWithUnixModes() throws IOException {
    byte[] archive = ReleaseArchives.builder()
        .file("VERSION", "1.1.0")
        .executable("bin/app", "#!/bin/sh\n")
        .zip();

    Map<String, Integer> modes = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    try (ZipFile zip = ZipFile.builder()
        .setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
        modes.put(e.getName(), e.getUnixMode() & 07777);
        try (InputStream in = zip.getInputStream(e)) {
          files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(files).containsEntry("VERSION", "1.1.0");
    assertThat(modes).containsEntry("bin/app", 0755).containsEntry("VERSION", 0644);
  }

  @Test
  void theSameFilesGiveTheSameBytes() {
    Map<String, String> files = Map.of("VERSION", "1.1.0", "bin/app", "x", "README", "r");

    assertThat(ReleaseArchives.tarGz(files)).isEqualTo(ReleaseArchives.tarGz(Map.copyOf(files)));
    assertThat(ReleaseArchives.zip(files)).isEqualTo(ReleaseArchives.zip(Map.copyOf(files)));
  }

  @Test
  void refusesPathsThatLeaveTheRelease() {
    for (String bad : new String[] {"/etc/passwd", "../x", "a/../../x", "a//b", "", "a\\b"}) {
      assertThatThrownBy(() -> ReleaseArchives.builder().file(bad, "x"))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void refusesTheSamePathTwice() {
    ReleaseArchives.Builder builder = ReleaseArchives.builder().file("VERSION", "1");

    assertThatThrownBy(() -> builder.executable("VERSION", "2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
  }

  @Test
  void refusesAFileThatAnotherFileNeedsAsItsDirectory() {
    ReleaseArchives.Builder builder =
        ReleaseArchives.builder().file("bin", "x").file("bin/app", "y");

    assertThatThrownBy(builder::tarGz).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bin' is a file");
  }

  private static Map<String, String> readTarGz(byte[] archive) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (ArchiveInputStream<TarArchiveEntry> tar = new TarArchiveInputStream(
        new GZIPInputStream(new ByteArrayInputStream(archive)))) {
      for (ArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
