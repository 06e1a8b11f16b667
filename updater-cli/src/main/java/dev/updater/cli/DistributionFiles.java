package dev.updater.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the files of the distribution archive that are made from the commands themselves: the
 * manual page and the bash and zsh completion scripts. Run by the build before the archive is
 * packed: {@code java -cp ... dev.updater.cli.DistributionFiles OUT_DIR}.
 */
final class DistributionFiles {
  private DistributionFiles() {}

  public static void main(String[] args) throws IOException, CliException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: DistributionFiles OUT_DIR");
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    write(out.resolve("updater.1"), ManPage.render(Main.version(), Main.commands()));
    write(out.resolve("updater.bash"), ShellCompletion.script("bash", Main.commands()));
    write(out.resolve("_updater"), ShellCompletion.script("zsh", Main.commands()));
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
