package dev.updater.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md, CHANGELOG.md and docs/ resolves: the file it names exists in
 * the checkout, and its {@code #anchor}, if any, names a heading of that file. A moved or renamed
 * page, or a heading reworded, fails the build with the list of links to fix.
 */
class DocumentationLinksTest {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  @Test
  void everyRelativeLinkOfTheDocumentationResolves() {
    List<Path> files = MarkdownLinks.documentation(ROOT);

    List<MarkdownLinks.Broken> broken = new MarkdownLinks(ROOT).check(files);

    assertThat(broken)
        .as("links that do not resolve (file:line -> target):%n%s", broken.stream()
            .map(b -> "  " + b.describe(ROOT)).collect(Collectors.joining(System.lineSeparator())))
        .isEmpty();
  }

  @Test
  void theCheckReadsTheCheckoutsDocumentation() {
    // A wrong project.root would find no files and pass: make sure the check saw the guide.
    List<Path> files = MarkdownLinks.documentation(ROOT);

    assertThat(files).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/README.md"));
    assertThat(Files.isDirectory(ROOT.resolve("docs"))).isTrue();
    assertThat(MarkdownLinks.count(files)).isGreaterThan(20);
  }
}
