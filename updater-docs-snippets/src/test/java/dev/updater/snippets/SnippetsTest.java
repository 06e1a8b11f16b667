package dev.updater.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet check itself, on pages and sources written here. */
class SnippetsTest {

  @TempDir Path dir;
  Snippets snippets;

  @BeforeEach
  void source() throws IOException {
    Files.createDirectories(dir.resolve("src/java/x"));
    Files.writeString(dir.resolve("src/java/x/Example.java"), String.join("\n",
        "class Example {",
        "  void run(String name) {",
        "    // tag::greet[]",
        "    String greeting = \"hello \" + name;",
        "    // tag::inner[]",
        "    System.out.println(greeting);",
        "    // end::inner[]",
        "    // end::greet[]",
        "  }",
        "}"));
    snippets = new Snippets(dir.resolve("src"));
  }

  @Test
  void aBlockEqualToItsRegionPasses() throws IOException {
    Path page = page("<!-- snippet: Example#greet -->", "```java",
        "String greeting = \"hello \" + name;", "System.out.println(greeting);", "```");

    assertThat(snippets.check(page, "page.md")).isEmpty();
  }

  @Test
  void anIndentedBlockInAListPassesWhenItsLinesMatch() throws IOException {
    Path page = page("1. Print it:", "   <!-- snippet: Example#inner -->", "   ```java",
        "   System.out.println(greeting);", "   ```");

    assertThat(snippets.check(page, "page.md")).isEmpty();
  }

  @Test
  void aBlockWithoutAMarkerFailsNamingThePageAndLine() throws IOException {
    Path page = page("Some text", "", "```java", "int x = 1;", "```");

    List<String> problems = snippets.check(page, "docs/page.md");

    assertThat(problems).singleElement().asString()
        .startsWith("docs/page.md:3: this ```java block has no marker");
  }

  @Test
  void aBlockThatDiffersFailsWithTheDifference() throws IOException {
    Path page = page("<!-- snippet: Example#greet -->", "```java",
        "String greeting = \"hi \" + name;", "System.out.println(greeting);", "```");

    List<String> problems = snippets.check(page, "docs/page.md");

    assertThat(problems).singleElement().asString()
        .startsWith("docs/page.md:2: the block differs from Example#greet at its line 1")
        .contains("page: String greeting = \"hi \" + name;")
        .contains("code: String greeting = \"hello \" + name;");
  }

  @Test
  void aBlockShorterThanItsRegionFails() throws IOException {
    Path page = page("<!-- snippet: Example#greet -->", "```java",
        "String greeting = \"hello \" + name;", "```");

    assertThat(snippets.check(page, "p.md")).singleElement().asString()
        .contains("at its line 2").contains("page: (nothing)");
  }

  @Test
  void aMarkerNamingAMissingRegionOrFileFails() throws IOException {
    Path page = page("<!-- snippet: Example#nope -->", "```java", "x();", "```",
        "<!-- snippet: Missing#greet -->", "```java", "x();", "```");

    assertThat(snippets.check(page, "p.md")).containsExactly(
        "p.md:2: Example.java has no region nope (// tag::nope[] ... // end::nope[])",
        "p.md:6: the marker names Missing, which matches 0 files under " + dir.resolve("src")
            + " (it needs exactly one)");
  }

  @Test
  void otherFencesAreNotChecked() throws IOException {
    Path page = page("```sh", "mvn verify", "```", "```xml", "<a/>", "```");

    assertThat(snippets.check(page, "p.md")).isEmpty();
  }

  @Test
  void rewriteCopiesTheRegionIntoTheMarkedBlockKeepingItsIndentation() throws IOException {
    Path page = page("Text", "   <!-- snippet: Example#inner -->", "   ```java", "   old();",
        "   ```", "```java", "unmarked();", "```");

    assertThat(snippets.rewrite(page)).isEqualTo(String.join("\n", "Text",
        "   <!-- snippet: Example#inner -->", "   ```java", "   System.out.println(greeting);",
        "   ```", "```java", "unmarked();", "```") + "\n");
  }

  private Path page(String... lines) throws IOException {
    return Files.writeString(dir.resolve("page.md"), String.join("\n", lines) + "\n");
  }
}
