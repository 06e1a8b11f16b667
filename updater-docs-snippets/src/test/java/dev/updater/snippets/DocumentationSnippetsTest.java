package dev.updater.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md and docs/*.md shows a tagged region of this module's
 * test sources, which the build compiles: a snippet in the documentation cannot stop compiling
 * without this test failing with the page, the line and the difference.
 *
 * <p>With {@code -Dsnippets.update=true} it first copies each region into the block that names
 * it, so that a snippet is edited in the Java source and the pages follow.
 */
class DocumentationSnippetsTest {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  private static final Path SOURCES = ROOT.resolve("updater-docs-snippets/src/test");

  @Test
  void everyJavaBlockOfTheDocumentationIsACompiledSnippet() throws IOException {
    Snippets snippets = new Snippets(SOURCES);
    if (Boolean.getBoolean("snippets.update")) {
      for (Path page : pages()) {
        Files.writeString(page, snippets.rewrite(page));
      }
    }
    List<String> problems = new ArrayList<>();
    for (Path page : pages()) {
      problems.addAll(snippets.check(page, ROOT.relativize(page).toString()));
    }

    assertThat(problems)
        .as("java blocks of the documentation that are not compiled snippets:%n%s",
            String.join(System.lineSeparator(), problems))
        .isEmpty();
  }

  @Test
  void theCheckReadsTheCheckoutsDocumentation() throws IOException {
    // A wrong project.root would find no page and pass: make sure the check saw the guide.
    long blocks = 0;
    for (Path page : pages()) {
      blocks += Files.readAllLines(page).stream().filter(l -> l.strip().startsWith("```java"))
          .count();
    }

    assertThat(pages()).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/testing.md"));
    assertThat(blocks).isGreaterThan(50);
  }

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }
}
