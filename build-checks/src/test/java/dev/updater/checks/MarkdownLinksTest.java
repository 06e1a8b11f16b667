package dev.updater.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link check finds what is broken, and only that, so it cannot pass by finding nothing. */
class MarkdownLinksTest {

  @TempDir Path root;

  @Test
  void shouldListEveryBrokenLinkWithItsFileAndLine() throws IOException {
    write("docs/guide.md", """
        # Guide

        ## Two words

        See [the other page](other.md), [its part](other.md#the-part) and [here](#two-words).
        A [missing page](gone.md) and ![a missing image](img/none.png).
        A [wrong anchor](other.md#no-such-part) and [a wrong local one](#nowhere).
        [Outside](../../outside.md), [web](https://example.com/x.md), [mail](mailto:a@b).

        [ref]: missing-reference.md
        """);
    write("docs/other.md", "# Other\n\n### The part\n");
    write("README.md", "[guide](docs/guide.md#guide) and [docs](docs/)\n");

    List<MarkdownLinks.Broken> broken =
        new MarkdownLinks(root).check(MarkdownLinks.documentation(root));

    assertThat(broken).extracting(b -> b.describe(root)).containsExactly(
        path("docs/guide.md") + ":6 -> gone.md (no such file)",
        path("docs/guide.md") + ":6 -> img/none.png (no such file)",
        path("docs/guide.md")
            + ":7 -> other.md#no-such-part (no heading with anchor #no-such-part)",
        path("docs/guide.md") + ":7 -> #nowhere (no heading with anchor #nowhere)",
        path("docs/guide.md") + ":8 -> ../../outside.md (leads out of the checkout)",
        path("docs/guide.md") + ":10 -> missing-reference.md (no such file)");
  }

  @Test
  void shouldIgnoreLinksWrittenInsideCode() throws IOException {
    write("README.md", """
        Inline `[not a link](gone.md)` and ``[nor this](gone.md)``.

        ```markdown
        [inside a fence](gone.md)
        ```
        ~~~~
        [inside another](gone.md)
        ~~~~
        [after the fence](gone.md)
        """);

    List<MarkdownLinks.Broken> broken =
        new MarkdownLinks(root).check(List.of(root.resolve("README.md")));

    assertThat(broken).extracting(MarkdownLinks.Broken::line).containsExactly(9);
  }

  @Test
  void shouldMakeAnchorsByGitHubsRule() {
    assertThat(MarkdownLinks.anchor("Options of `github:`")).isEqualTo("options-of-github");
    assertThat(MarkdownLinks.anchor("`updater unquarantine --home DIR --version V`"))
        .isEqualTo("updater-unquarantine---home-dir---version-v");
    assertThat(MarkdownLinks.anchor("Rollback and the schema (expand, then contract)"))
        .isEqualTo("rollback-and-the-schema-expand-then-contract");
    assertThat(MarkdownLinks.anchor("The `.updater/` directory"))
        .isEqualTo("the-updater-directory");
    assertThat(MarkdownLinks.anchor("`NEEDS_OPERATOR` and _emphasis_"))
        .isEqualTo("needs_operator-and-emphasis");
    assertThat(MarkdownLinks.anchor("See [the page](x.md)")).isEqualTo("see-the-page");
  }

  @Test
  void shouldNumberRepeatedHeadingsAndSkipHeadingsInCode() {
    List<String> lines = List.of("# Notes", "## Notes", "```", "# Not a heading", "```",
        "## Notes #", "<a id=\"custom\"></a>");

    assertThat(MarkdownLinks.anchors(lines))
        .containsExactlyInAnyOrder("notes", "notes-1", "notes-2", "custom");
  }

  private void write(String name, String text) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String path(String name) {
    return Path.of(name).toString();
  }
}
