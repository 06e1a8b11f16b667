package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import dev.updater.core.Step;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download progress: plain lines (one per phase, one per 10 percent) when no terminal is attached,
 * a bar with bytes, rate and time left redrawn in place on a terminal.
 */
class ProgressTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();

  /** A zip of about {@code size} incompressible bytes, stored, so the download has that size. */
  static Path bigArtifact(Path dir, String version, int size) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("app-" + version + ".zip");
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    CRC32 crc = new CRC32();
    crc.update(data);
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("VERSION"));
      zip.write((version + "\n").getBytes(UTF_8));
      zip.closeEntry();
      ZipEntry blob = new ZipEntry("lib/blob.bin");
      blob.setMethod(ZipEntry.STORED);
      blob.setSize(size);
      blob.setCrc(crc.getValue());
      zip.putNextEntry(blob);
      zip.write(data);
      zip.closeEntry();
    }
    return file;
  }

  @Test
  void shouldPrintPlainLinesPerPhaseAndEveryTenPercentWithoutATerminal() throws IOException {
    Path repo = tmp.resolve("repo");
    Path artifact = bigArtifact(tmp.resolve("build"), "1.0.0", 3_500_000);
    long size = Files.size(artifact);
    assertThat(cli.run("publish", "--repo", repo, "--version", "1.0.0", artifact).code())
        .isZero();

    Result r = cli.run("install", "--home", tmp.resolve("home"), "--source", repo, "--unsigned");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).as("standard output holds the result alone")
        .isEqualTo("installed 1.0.0 (first install)\n");
    assertThat(r.err()).doesNotContain("\r");
    List<String> lines = r.err().lines().toList();
    List<String> percents = lines.stream().filter(l -> l.matches("\\[downloading] \\d+% .*"))
        .toList();
    // 1 MiB chunks of a 3.5 MB file: 29%, 59%, 89% and 100% cross the 20, 50, 80 and 100 marks
    assertThat(percents).containsExactly(
        "[downloading] 20% (1048576 of " + size + " bytes)",
        "[downloading] 50% (2097152 of " + size + " bytes)",
        "[downloading] 80% (3145728 of " + size + " bytes)",
        "[downloading] 100% (" + size + " of " + size + " bytes)");
    assertThat(lines).containsSubsequence(
        "[checking] install 1.0.0 (first install)",
        "[checking] check 1.0.0",
        "[downloading] download 1.0.0",
        percents.get(0),
        percents.get(3),
        "[downloading] " + size + " bytes",
        "[downloading] verify 1.0.0",
        "[extracting] stage 1.0.0",
        "[extracting] activate 1.0.0",
        "[complete] 1.0.0");
    assertThat(lines.stream().filter(l -> l.equals("[downloading] download 1.0.0"))).hasSize(1);
  }

  @Test
  void shouldDrawABarWithBytesRateAndTimeLeftOnATerminal() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    AtomicLong nanos = new AtomicLong();
    ProgressPrinter printer = new ProgressPrinter(new PrintStream(buffer, true, UTF_8), true,
        nanos::get);
    Version v = Version.parse("1.1.0");
    long total = 4L * 1024 * 1024;

    printer.onEvent(new UpdateEvent.StepStarted(Operation.INSTALL, Step.DOWNLOAD, v));
    nanos.set(1_000_000_000L);
    printer.onEvent(new UpdateEvent.Progress(Operation.INSTALL, Step.DOWNLOAD, total / 4,
        OptionalLong.of(total)));
    nanos.set(2_000_000_000L);
    printer.onEvent(new UpdateEvent.Progress(Operation.INSTALL, Step.DOWNLOAD, total / 2,
        OptionalLong.of(total)));
    printer.onEvent(new UpdateEvent.StepCompleted(Operation.INSTALL, Step.DOWNLOAD, v));
    printer.onEvent(new UpdateEvent.Completed(Operation.INSTALL, Optional.empty(), v));

    String out = buffer.toString(UTF_8);
    assertThat(out).startsWith("[downloading] download 1.1.0\n\r[downloading] [######---");
    assertThat(out).contains(" 25% 1.0 MB of 4.0 MB   \r",
        "\r[downloading] [############------------]  50% 2.0 MB of 4.0 MB, 1.0 MB/s, 0:02 left");
    assertThat(out).endsWith("0:02 left   \n[downloading] " + total / 2 + " bytes\n"
        + "[complete] 1.1.0\n");
  }

  @Test
  void shouldFormatByteCountsForPeople() {
    assertThat(ProgressPrinter.bytes(512)).isEqualTo("512 B");
    assertThat(ProgressPrinter.bytes(1536)).isEqualTo("1.5 KB");
    assertThat(ProgressPrinter.bytes(48_213_504)).isEqualTo("46.0 MB");
    assertThat(ProgressPrinter.bar(0, 100, 0, 0)).isEqualTo(
        "[downloading] [------------------------]   0% 0 B of 100 B   ");
  }
}
