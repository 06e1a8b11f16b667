package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.testkit.crash.FaultPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The testkit's {@link FaultPoint} names exactly the points the engine halts at: every literal
 * {@code FaultPoints.hit("...")} in core's sources, and {@code before-} and {@code after-} each
 * step that the pipeline runs as a step. A point added to the engine without its constant (or a
 * constant whose point was removed) fails here.
 */
class FaultPointCatalogueTest {
  private static final Path CORE_SOURCES = Path.of("..", "updater-core", "src", "main", "java");
  private static final Pattern HIT = Pattern.compile("FaultPoints\\.hit\\(\"([^\"]+)\"\\)");

  @Test
  void theTestkitNamesEveryFaultPointOfTheEngineAndNoOther() throws IOException {
    Set<String> engine = new TreeSet<>();
    try (Stream<Path> files = Files.walk(CORE_SOURCES)) {
      Iterable<Path> sources = files.filter(f -> f.toString().endsWith(".java"))::iterator;
      for (Path file : sources) {
        Matcher m = HIT.matcher(Files.readString(file));
        while (m.find()) {
          engine.add(m.group(1));
        }
      }
    }
    assertThat(engine).as("points found in %s", CORE_SOURCES).hasSizeGreaterThan(10);
    for (Step step : Step.values()) {
      engine.add("before-" + step);
      engine.add("after-" + step);
    }

    Set<String> named = new TreeSet<>();
    Arrays.stream(FaultPoint.values()).map(FaultPoint::id).forEach(named::add);

    assertThat(named).isEqualTo(engine);
  }

  @Test
  void eachPointIsFoundByItsName() {
    for (FaultPoint p : FaultPoint.values()) {
      assertThat(FaultPoint.of(p.id())).isSameAs(p);
    }
  }
}
