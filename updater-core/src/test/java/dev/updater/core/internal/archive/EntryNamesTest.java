package dev.updater.core.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.RejectedArchiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntryNamesTest {
  private final EntryNames names = new EntryNames(8, 64);

  @ParameterizedTest
  @CsvSource({
      "bin/app, bin/app",
      "./bin/app, bin/app",
      "lib/, lib",
      "./lib/, lib",
      "./, ''",
      "., ''",
      "a.b/..c/c.., a.b/..c/c..",
  })
  void acceptsAndNormalisesOrdinaryNames(String raw, String expected) throws Exception {
    assertThat(names.entry(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "..", "../x", "a/../../x", "a/..", "/x", "/", "C:\\x", "C:x", "c:/x", "\\\\host\\share\\x",
      "\\x", "a\\b", "a\0b", "a//b", "a/./b", "././x", "//x", ".//x",
      "1/2/3/4/5/6/7/8/9", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  })
  void rejectsUnsafeNames(String raw) {
    assertThatThrownBy(() -> names.entry(raw)).isExactlyInstanceOf(RejectedArchiveException.class)
        .hasMessageContaining("republish");
  }

  @ParameterizedTest
  @CsvSource({
      "bin/l, ../lib",
      "l, .",
      "a/b/l, ../../c/./d/",
      "l, x/../y",
  })
  void acceptsSymlinkTargetsThatStayInside(String name, String target) throws Exception {
    names.symlinkTarget(name, name, target);
  }

  @ParameterizedTest
  @CsvSource({
      "l, ..",
      "l, /",
      "l, /etc/shadow",
      "a/l, ../..",
      "a/l, x/../../../y",
      "l, C:\\evil",
      "l, ''",
  })
  void rejectsSymlinkTargetsThatLeave(String name, String target) {
    assertThatThrownBy(() -> names.symlinkTarget(name, name, target))
        .isExactlyInstanceOf(RejectedArchiveException.class);
  }

  @Test
  void collisionKeyFoldsCaseAndUnicodeNormalisation() {
    assertThat(EntryNames.collisionKey("Lib/A")).isEqualTo(EntryNames.collisionKey("lib/a"));
    assertThat(EntryNames.collisionKey("caf\u00e9")).isEqualTo(EntryNames.collisionKey("cafe\u0301"));
    assertThat(EntryNames.collisionKey("a")).isNotEqualTo(EntryNames.collisionKey("b"));
  }

  @Test
  void modesDropSpecialBitsAndGroupOtherWrite() {
    assertThat(Modes.file(04755)).isEqualTo(0755);
    assertThat(Modes.file(0666)).isEqualTo(0644);
    assertThat(Modes.file(0)).isEqualTo(0600);
    assertThat(Modes.directory(01777)).isEqualTo(0755);
    assertThat(Modes.directory(0500)).isEqualTo(0700);
  }
}
