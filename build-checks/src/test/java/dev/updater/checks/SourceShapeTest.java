package dev.updater.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main sources of every module keep to the size limits of the house style: no file over 400
 * lines, no method or constructor over 60 lines. The other tests prove the check finds what it
 * should, on sources written for the purpose.
 */
class SourceShapeTest {

  @TempDir Path temp;

  @Test
  void mainSourcesKeepToTheSizeLimits() {
    Path root = Path.of(System.getProperty("project.root")).toAbsolutePath().normalize();
    List<Path> sources = SourceShape.mainSources(root);

    assertThat(sources)
        .as("main sources found under %s", root)
        .anyMatch(file -> file.startsWith(root.resolve("updater-core/src/main/java")))
        .anyMatch(file -> file.startsWith(root.resolve("bench/src/main/java")))
        .noneMatch(file -> root.relativize(file).toString().contains("target"))
        .noneMatch(file -> root.relativize(file).toString().contains("src/test"));
    List<String> violations = SourceShape.violations(root, sources);
    assertThat(violations)
        .withFailMessage("%d violations (files over %d lines, methods over %d lines):%n  %s",
            violations.size(), SourceShape.MAX_FILE_LINES, SourceShape.MAX_METHOD_LINES,
            String.join(System.lineSeparator() + "  ", violations))
        .isEmpty();
  }

  @Test
  void findsAMethodOverSixtyLinesAndLetsOneOfSixtyPass() throws IOException {
    Path file = write("Methods.java", "class Methods {\n"
        + method("@Override\n  public String sixty()", 60)
        + method("int sixtyOne()", 61)
        + "}\n");

    assertThat(SourceShape.violations(temp, List.of(file)))
        .containsExactly("src/main/java/Methods.java:63: method Methods.sixtyOne is 61 lines"
            + " (limit 60)");
  }

  @Test
  void countsLambdasAndLocalClassesInsideAMethodTowardsIt() throws IOException {
    StringBuilder body = new StringBuilder("  void run() {\n    Runnable r = () -> {\n");
    for (int i = 0; i < 30; i++) {
      body.append("      System.out.println(").append(i).append(");\n");
    }
    body.append("    };\n    Object o = new Object() {\n")
        .append("      @Override public String toString() {\n");
    for (int i = 0; i < 30; i++) {
      body.append("        System.out.println(").append(i).append(");\n");
    }
    body.append("        return \"\";\n      }\n    };\n  }\n");
    Path file = write("Nested.java", "class Nested {\n" + body + "}\n");

    assertThat(SourceShape.violations(temp, List.of(file)))
        .containsExactly("src/main/java/Nested.java:2: method Nested.run is 69 lines (limit 60)");
  }

  @Test
  void findsALongConstructorAndCompactRecordConstructor() throws IOException {
    Path file = write("Shapes.java", "class Shapes {\n"
        + method("Shapes()", 61)
        + "  record Point(int x) {\n"
        + method("Point", 62)
        + "  }\n"
        + "}\n");

    assertThat(SourceShape.violations(temp, List.of(file))).containsExactly(
        "src/main/java/Shapes.java:2: constructor Shapes is 61 lines (limit 60)",
        "src/main/java/Shapes.java:64: constructor Point is 62 lines (limit 60)");
  }

  @Test
  void findsAFileOverFourHundredLinesAndLetsOneOfFourHundredPass() throws IOException {
    Path fourHundred = write("FourHundred.java", "class FourHundred {\n"
        + "  // filler\n".repeat(398) + "}\n");
    Path fourHundredOne = write("FourHundredOne.java", "class FourHundredOne {\n"
        + "  // filler\n".repeat(399) + "}\n");

    assertThat(SourceShape.violations(temp, List.of(fourHundred, fourHundredOne)))
        .containsExactly("src/main/java/FourHundredOne.java: 401 lines (limit 400)");
  }

  @Test
  void reportsAFileThatDoesNotParse() throws IOException {
    Path file = write("Broken.java", "class Broken {\n  void run() {\n}\n");

    assertThat(SourceShape.violations(temp, List.of(file)))
        .singleElement()
        .asString()
        .startsWith("src/main/java/Broken.java:3: does not parse:");
  }

  @Test
  void listsOnlyMainSourcesOutsideBuildOutput() throws IOException {
    Path main = write("Main.java", "class Main {}\n");
    Path test = temp.resolve("src/test/java/MainTest.java");
    Path fixture = temp.resolve("src/test/resources/app/src/main/java/App.java");
    Path built = temp.resolve("target/src/main/java/Main.java");
    for (Path other : List.of(test, fixture, built)) {
      Files.createDirectories(other.getParent());
      Files.writeString(other, "class X {}\n");
    }

    assertThat(SourceShape.mainSources(temp)).containsExactly(main);
  }

  /** A method of exactly {@code lines} lines whose declaration line is {@code declaration}. */
  private static String method(String declaration, int lines) {
    StringBuilder text = new StringBuilder("  " + declaration + " {\n");
    for (int i = 0; i < lines - 3; i++) {
      text.append("    int v").append(i).append(" = ").append(i).append(";\n");
    }
    boolean returnsString = declaration.contains("String");
    boolean returnsInt = declaration.contains("int ");
    text.append(returnsString ? "    return \"\";\n" : returnsInt ? "    return 0;\n" : "    ;\n");
    return text.append("  }\n").toString();
  }

  private Path write(String name, String source) throws IOException {
    Path file = temp.resolve("src/main/java").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    return file;
  }
}
